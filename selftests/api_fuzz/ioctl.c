// SPDX-License-Identifier: GPL-2.0
/*
 * The fuzzer's ioctls: every one of /dev/vtcp's, with sizes, fields and
 * pointers a little off now and then, and numbers it does not know.
 */
#include "fuzz.h"

static void rnd_endpoint(struct vtcp_endpoint *ep, int listen)
{
	static const char *const addrs4[] = { VTCP_ADDR4, "192.0.2.3", "" };
	static const char *const addrs6[] = { VTCP_ADDR6, "2001:db8::3", "" };
	unsigned short port = listen ? LPORT_BASE + fz_rnd_below(NLPORTS) : 0;

	if (fz_chance(50))
		vtcp_ep(ep, addrs4[fz_rnd_below(listen ? 3 : 2)], port);
	else
		vtcp_ep(ep, addrs6[fz_rnd_below(listen ? 3 : 2)], port);
	if (fz_chance(5))
		ep->family = fz_rnd_below(64);
	if (fz_chance(5))
		ep->port = fz_rnd();
	if (fz_chance(3))
		ep->__reserved = fz_rnd();
	if (fz_chance(3))
		ep->addr6[fz_rnd_below(16)] = fz_rnd();
}

/* An ioctl number for @cmd with a size a little off now and then. */
static unsigned long rnd_size(unsigned long cmd, size_t size, size_t *used)
{
	switch (fz_rnd_below(20)) {
	case 0:
		*used = fz_rnd_below(size);
		break;
	case 1:
		*used = size + 8 * (1 + fz_rnd_below(8));
		break;
	case 2:
		*used = fz_rnd_below(1024);
		break;
	default:
		return *used = size, cmd;
	}
	return (cmd & ~(_IOC_SIZEMASK << _IOC_SIZESHIFT)) |
	       ((unsigned long)*used << _IOC_SIZESHIFT);
}

/* Copy @s into the buffer for an ioctl of @used bytes; a tail maybe. */
static void *stage(const void *s, size_t size, size_t used)
{
	memset(fz_buf, 0, used > size ? used : size);
	memcpy(fz_buf, s, size);
	if (used > size && fz_chance(50))
		fz_buf[size + fz_rnd_below(used - size)] = 1;
	return fz_buf;
}

void fz_op_listen(int s)
{
	struct vtcp_listen req = { .ifindex = fz_ifindex,
				   .backlog = fz_rnd_below(8) };
	unsigned long cmd;
	size_t used;
	void *arg;
	int ret;

	rnd_endpoint(&req.local, 1);
	if (fz_chance(5))
		req.ifindex = fz_rnd_below(8);
	if (fz_chance(3))
		req.flags = fz_rnd();
	if (fz_chance(3))
		req.__reserved = 1;
	cmd = rnd_size(VTCP_IOC_LISTEN, sizeof(req), &used);
	arg = fz_chance(95) ? stage(&req, sizeof(req), used) : fz_rnd_ptr(used, &ret);
	ret = ioctl(fz_fds[s].fd, cmd, arg);
	if (ret > 0)
		fz_problem("LISTEN returned %d", ret);
	if (ret < 0) {
		fz_check_errno("LISTEN", errno);
		if (errno == EISCONN && fz_fds[s].kind == K_UNBOUND)
			fz_problem("LISTEN: EISCONN on an unbound handle");
	} else {
		if (fz_fds[s].kind != K_UNBOUND)
			fz_problem("LISTEN succeeded on a bound handle");
		fz_set_kind(s, K_LISTENER);
		fz_listened++;
	}
}

void fz_op_connect(int s)
{
	struct vtcp_connect req = { .ifindex = fz_ifindex };
	unsigned long cmd;
	size_t used;
	void *arg;
	int ret;

	rnd_endpoint(&req.local, 0);
	if (req.local.family == AF_INET6)
		vtcp_ep(&req.remote, VTCP_HOST6, HPORT_BASE + fz_rnd_below(NHPORTS + 1));
	else
		vtcp_ep(&req.remote, VTCP_HOST4, HPORT_BASE + fz_rnd_below(NHPORTS + 1));
	if (fz_chance(20))
		req.local.port = htons(40000 + fz_rnd_below(4));
	if (fz_chance(5))
		req.remote.family = fz_rnd_below(32);
	if (fz_chance(3))
		req.flags = fz_rnd();
	cmd = rnd_size(VTCP_IOC_CONNECT, sizeof(req), &used);
	arg = fz_chance(95) ? stage(&req, sizeof(req), used) : fz_rnd_ptr(used, &ret);
	ret = ioctl(fz_fds[s].fd, cmd, arg);
	if (ret > 0)
		fz_problem("CONNECT returned %d", ret);
	if (ret < 0)
		fz_check_errno("CONNECT", errno);
	switch (ret ? errno : 0) {
	case 0:
		fz_connected++;
		__attribute__((fallthrough));
	case EINPROGRESS: case EALREADY: case EINTR:
	case ECONNREFUSED: case ETIMEDOUT: case ECONNRESET:
	case ECONNABORTED: case ENETDOWN:
		/* The handle has its connection, whatever became of it. */
		if (fz_fds[s].kind == K_LISTENER)
			fz_problem("CONNECT went ahead on a listener");
		fz_set_kind(s, K_CONN);
	}
}

void fz_op_accept(int s)
{
	struct vtcp_accept req = { .flags = fz_rnd_below(4) };
	unsigned long cmd;
	size_t used;
	int valid = 1, ret;
	void *arg;

	if (fz_chance(3))
		req.flags = fz_rnd();
	cmd = rnd_size(VTCP_IOC_ACCEPT, sizeof(req), &used);
	arg = fz_chance(85) ? stage(&req, sizeof(req), used) : fz_rnd_ptr(used, &valid);
	ret = ioctl(fz_fds[s].fd, cmd, arg);
	if (ret < 0) {
		fz_check_errno("ACCEPT", errno);
		return;
	}
	if (fz_fds[s].kind != K_LISTENER)
		fz_problem("ACCEPT gave an fd on a non-listener");
	if (valid && used >= sizeof(req) &&
	    ((struct vtcp_accept *)arg)->fd != ret)
		fz_problem("ACCEPT returned %d but wrote fd %d", ret,
			   ((struct vtcp_accept *)arg)->fd);
	fz_accepted++;
	fz_add_fd(ret, K_CONN, -1);
}

static void check_info(const struct vtcp_info *info, int s)
{
	if (info->state >= VTCP_NR_STATES || info->ca_state > 3 ||
	    info->options > 0xf || info->snd_wscale > 14 ||
	    info->rcv_wscale > 14 || info->__pad || info->__pad2)
		fz_problem("INFO malformed: state %u ca %u opts %#x",
			   info->state, info->ca_state, info->options);
	if (!memchr(info->congestion, 0, sizeof(info->congestion)))
		fz_problem("INFO: congestion not terminated");
	if (info->local.family != 0 && info->local.family != AF_INET &&
	    info->local.family != AF_INET6)
		fz_problem("INFO: local family %u", info->local.family);
	if ((info->state == VTCP_LISTEN) != (fz_fds[s].kind == K_LISTENER) &&
	    !(fz_fds[s].kind == K_LISTENER && info->state == VTCP_CLOSED))
		fz_problem("INFO: state %u for kind %d", info->state, fz_fds[s].kind);
	if (info->bytes_acked > info->bytes_sent + info->bytes_retrans + 2)
		fz_problem("INFO: acked %llu > sent %llu",
			   (unsigned long long)info->bytes_acked,
			(unsigned long long)info->bytes_sent);
}

void fz_op_info(int s)
{
	struct vtcp_info info;
	unsigned long cmd;
	size_t used;
	int valid = 1, ret;
	void *arg;

	cmd = rnd_size(VTCP_IOC_INFO, sizeof(info), &used);
	arg = fz_chance(85) ? stage(&info, 0, used) : fz_rnd_ptr(used, &valid);
	ret = ioctl(fz_fds[s].fd, cmd, arg);
	if (ret > 0)
		fz_problem("INFO returned %d", ret);
	if (ret < 0) {
		fz_check_errno("INFO", errno);
		if (errno == ENOTCONN && fz_fds[s].kind != K_UNBOUND)
			fz_problem("INFO: ENOTCONN on kind %d", fz_fds[s].kind);
		return;
	}
	if (fz_fds[s].kind == K_UNBOUND)
		fz_problem("INFO succeeded on an unbound handle");
	if (valid && used >= sizeof(info)) {
		memcpy(&info, arg, sizeof(info));
		check_info(&info, s);
	}
}

static void op_opt(int s, int set)
{
	struct vtcp_opt opt = { .name = fz_rnd_below(VTCP_OPT_MAX + 2) };
	static const unsigned long long edges[] = {
		0, 1, 2, 88, 4095, 4096, 65535, 65536, 32767, 32768, 600000,
		0x7fffffff, 0x80000000, ~0ULL, 1ULL << 40,
	};
	unsigned long cmd;
	size_t used;
	int valid = 1, ret;
	void *arg;

	opt.value = fz_chance(70) ? edges[fz_rnd_below(15)] : fz_rnd();
	if (set && opt.name == VTCP_OPT_SNDBUF && opt.value > (1 << 20))
		opt.value = 1 << 20;	/* keep memory reasonable */
	if (opt.name == VTCP_OPT_CONGESTION && fz_chance(70))
		snprintf(opt.str, sizeof(opt.str), "%s",
			 fz_chance(80) ? "newreno" : "cubic");
	if (fz_chance(3))
		opt.__reserved = 1;
	cmd = rnd_size(set ? VTCP_IOC_SETOPT : VTCP_IOC_GETOPT, sizeof(opt),
		       &used);
	arg = fz_chance(90) ? stage(&opt, sizeof(opt), used) : fz_rnd_ptr(used, &valid);
	ret = ioctl(fz_fds[s].fd, cmd, arg);
	if (ret > 0)
		fz_problem("%sOPT returned %d", set ? "SET" : "GET", ret);
	if (ret < 0) {
		fz_check_errno(set ? "SETOPT" : "GETOPT", errno);
		if (errno == EAGAIN || errno == EINPROGRESS)
			fz_problem("%sOPT: %m", set ? "SET" : "GET");
		return;
	}
	if (!set && valid && used >= sizeof(opt)) {
		struct vtcp_opt *o = arg;

		switch (o->name) {
		case VTCP_OPT_KEEPALIVE: case VTCP_OPT_NODELAY:
		case VTCP_OPT_CORK: case VTCP_OPT_LINGER_ABORT:
		case VTCP_OPT_SACK: case VTCP_OPT_TIMESTAMPS:
		case VTCP_OPT_WINDOW_SCALING: case VTCP_OPT_NOSIGPIPE:
			if (o->value > 1)
				fz_problem("GETOPT %u = %llu", o->name,
					   (unsigned long long)o->value);
			break;
		case VTCP_OPT_CONGESTION:
			if (!memchr(o->str, 0, sizeof(o->str)))
				fz_problem("GETOPT CONGESTION unterminated");
			break;
		case VTCP_OPT_ERROR:
			if ((long long)o->value > 0 || (long long)o->value < -4095)
				fz_problem("GETOPT ERROR = %lld",
					   (long long)o->value);
			else if (o->value)
				fz_check_errno("OPT_ERROR", -(int)(long long)o->value);
			break;
		}
	}
}

void fz_op_shutdown(int s)
{
	__u32 how = fz_chance(90) ? fz_rnd_below(3) : fz_rnd();
	int valid = 1;
	void *arg = fz_chance(90) ? &how : fz_rnd_ptr(4, &valid);
	int ret = ioctl(fz_fds[s].fd, VTCP_IOC_SHUTDOWN, arg);

	if (ret < 0) {
		fz_check_errno("SHUTDOWN", errno);
		if (errno != EINVAL && errno != ENOTCONN && errno != EFAULT)
			fz_problem("SHUTDOWN: %m");
	} else if (valid && arg == &how && how > 2) {
		fz_problem("SHUTDOWN accepted how %u", how);
	}
}

void fz_op_abort(int s)
{
	if (ioctl(fz_fds[s].fd, VTCP_IOC_ABORT) < 0) {
		fz_check_errno("ABORT", errno);
		if (errno != ENOTCONN)
			fz_problem("ABORT: %m");
		else if (fz_fds[s].kind == K_CONN)
			fz_problem("ABORT: ENOTCONN on a connection");
	}
}

void fz_op_bad_ioctl(int s)
{
	unsigned long cmd;

	if (fz_chance(50))
		cmd = _IOC(fz_rnd_below(4), VTCP_IOC_MAGIC, 13 + fz_rnd_below(243),
			   fz_rnd_below(512));
	else
		cmd = _IOC(fz_rnd_below(4), fz_rnd_below(256), fz_rnd_below(256),
			   fz_rnd_below(512));
	if (_IOC_TYPE(cmd) == VTCP_IOC_MAGIC && _IOC_NR(cmd) <= 12)
		return;
	/* Types the VFS answers itself (FIONBIO, FIGETBSZ, FICLONE...). */
	switch (_IOC_TYPE(cmd)) {
	case 0: case 'T': case 'X': case 'f': case 0x94: case 0x15:
		return;
	}
	if (ioctl(fz_fds[s].fd, cmd, fz_buf) != -1 || errno != ENOTTY)
		fz_problem("ioctl %#lx: not ENOTTY (%m)", cmd);
}

void fz_op_setopt(int s)
{
	op_opt(s, 1);
}

void fz_op_getopt(int s)
{
	op_opt(s, 0);
}
