// SPDX-License-Identifier: GPL-2.0
/*
 * A random-operation fuzzer for /dev/vtcp. Many handles take random
 * calls with random and half-valid arguments (every ioctl with sizes and
 * fields a little off, bad pointers of every kind, reads and writes of
 * random lengths, poll, epoll, splice, dup, fork, close), while host
 * threads open, feed and drop connections to vtcp's listeners and accept
 * vtcp's connections. It passes if no call gives an impossible result
 * (an errno the API never returns, more bytes than asked, a malformed
 * INFO) and the kernel stays clean: the guest fails the run on any KASAN,
 * lockdep, KCSAN or kmemleak report. At the end a fresh connection must
 * still carry data.
 *
 * Runs for 20 s, or 300 s with VTCP_LONG=1 (VTCP_FUZZ_SECONDS overrides
 * both). The seed is printed; VTCP_SEED=<seed> replays the same calls
 * (the host threads' timing is not replayed).
 */
#include <pthread.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <sys/time.h>
#include <sys/uio.h>
#include "kselftest_harness.h"
#include "vtcp_util.h"

#define MAX_FDS		160
#define MAX_HANDLES	48
#define LPORT_BASE	12000	/* vtcp listeners: LPORT_BASE + 0..7 */
#define NLPORTS		8
#define HPORT_BASE	12100	/* host listeners: HPORT_BASE + 0..3 */
#define NHPORTS		4
#define BUF_SIZE	65536

enum kind { K_NONE, K_UNBOUND, K_LISTENER, K_CONN };

/*
 * Every descriptor the fuzzer holds, with what its file is. Descriptors
 * of one file (dup) share an id, so that binding one binds them all.
 */
static struct {
	int fd;
	enum kind kind;
	int file;
} fds[MAX_FDS];
static int next_file;

static unsigned long long rng_state;
static unsigned char *buf;		/* BUF_SIZE bytes, read-write */
static unsigned char *ro_page;		/* read-only */
static unsigned char *unmapped;		/* nothing mapped */
static int ifindex;
static volatile int stop;
static long ops[32], impossible;
static long accepted, listened, connected, bytes_in, bytes_out;
static char first_problem[256];
static int epfd;

static unsigned long long rnd(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545F4914F6CDD1DULL;
}

static unsigned int rnd_below(unsigned int n)
{
	return n ? rnd() % n : 0;
}

static int chance(int percent)
{
	return rnd_below(100) < (unsigned int)percent;
}

static void problem(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));
static void problem(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	if (!impossible)
		vsnprintf(first_problem, sizeof(first_problem), fmt, ap);
	if (impossible++ < 10) {
		printf("# impossible: ");
		vprintf(fmt, ap);
		printf("\n");
		fflush(stdout);
	}
	va_end(ap);
}

/* Every errno the API documents; anything else is impossible. */
static int errno_known(int e)
{
	switch (e) {
	case EAGAIN: case ENOTCONN: case EFAULT: case EINVAL: case E2BIG:
	case ENOTTY: case EISCONN: case ENODEV: case EADDRINUSE:
	case EADDRNOTAVAIL: case EAFNOSUPPORT: case ENOPROTOOPT: case ENOENT:
	case EPIPE: case ECONNRESET: case ECONNABORTED: case ECONNREFUSED:
	case ETIMEDOUT: case ENETDOWN: case EINTR: case EINPROGRESS:
	case EALREADY: case ENOBUFS: case ENOMEM: case EBADF: case EMFILE:
	case ESPIPE:
		return 1;
	}
	return 0;
}

static void check_errno(const char *op, int e)
{
	if (!errno_known(e))
		problem("%s: unexpected errno %d (%s)", op, e, strerror(e));
}

/* A pointer for the kernel to read or write @len bytes at. */
static void *rnd_ptr(size_t len, int *valid)
{
	*valid = 0;
	switch (rnd_below(12)) {
	case 0:
		return NULL;
	case 1:
		return unmapped + rnd_below(4096);
	case 2:
		return ro_page;
	case 3:	/* straddles the end of the buffer into nothing */
		return buf + BUF_SIZE - (len > 1 ? rnd_below(len - 1) + 1 : 1);
	case 4:
		return (void *)0xffff888000000000ULL;
	default:
		*valid = len <= BUF_SIZE;
		return *valid ? buf + rnd_below(BUF_SIZE - len + 1) : buf;
	}
}

static int add_fd(int fd, enum kind kind, int file)
{
	int i;

	for (i = 0; i < MAX_FDS; i++) {
		if (fds[i].kind == K_NONE) {
			fds[i].fd = fd;
			fds[i].kind = kind;
			fds[i].file = file < 0 ? next_file++ : file;
			fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
			return i;
		}
	}
	close(fd);
	return -1;
}

/* The file of slot @s is now a @kind, under every descriptor of it. */
static void set_kind(int s, enum kind kind)
{
	int i;

	for (i = 0; i < MAX_FDS; i++)
		if (fds[i].kind != K_NONE && fds[i].file == fds[s].file)
			fds[i].kind = kind;
}

/* What the kernel says slot @s is (a forked child may have bound it). */
static void refresh_kind(int s)
{
	char path[64], line[128];
	FILE *f;

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fds[s].fd);
	f = fopen(path, "r");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		if (strstr(line, "vtcp-kind:\tunbound"))
			fds[s].kind = K_UNBOUND;
		else if (strstr(line, "vtcp-kind:\tlistener"))
			fds[s].kind = K_LISTENER;
		else if (strstr(line, "vtcp-kind:\tconnection"))
			fds[s].kind = K_CONN;
	}
	fclose(f);
}

static int nr_fds(void)
{
	int i, n = 0;

	for (i = 0; i < MAX_FDS; i++)
		n += fds[i].kind != K_NONE;
	return n;
}

/* A random slot in use, or -1. */
static int pick(void)
{
	int i, start = rnd_below(MAX_FDS);

	for (i = 0; i < MAX_FDS; i++) {
		int s = (start + i) % MAX_FDS;

		if (fds[s].kind != K_NONE)
			return s;
	}
	return -1;
}

static void rnd_endpoint(struct vtcp_endpoint *ep, int listen)
{
	static const char *const addrs4[] = { VTCP_ADDR4, "192.0.2.3", "" };
	static const char *const addrs6[] = { VTCP_ADDR6, "2001:db8::3", "" };
	unsigned short port = listen ? LPORT_BASE + rnd_below(NLPORTS) : 0;

	if (chance(50))
		vtcp_ep(ep, addrs4[rnd_below(listen ? 3 : 2)], port);
	else
		vtcp_ep(ep, addrs6[rnd_below(listen ? 3 : 2)], port);
	if (chance(5))
		ep->family = rnd_below(64);
	if (chance(5))
		ep->port = rnd();
	if (chance(3))
		ep->__reserved = rnd();
	if (chance(3))
		ep->addr6[rnd_below(16)] = rnd();
}

/* An ioctl number for @cmd with a size a little off now and then. */
static unsigned long rnd_size(unsigned long cmd, size_t size, size_t *used)
{
	switch (rnd_below(20)) {
	case 0:
		*used = rnd_below(size);
		break;
	case 1:
		*used = size + 8 * (1 + rnd_below(8));
		break;
	case 2:
		*used = rnd_below(1024);
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
	memset(buf, 0, used > size ? used : size);
	memcpy(buf, s, size);
	if (used > size && chance(50))
		buf[size + rnd_below(used - size)] = 1;
	return buf;
}

static void op_open(void)
{
	int fd;

	if (nr_fds() >= MAX_HANDLES)
		return;
	fd = open(VTCP_DEV_PATH, O_RDWR | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		problem("open: %m");
	else
		add_fd(fd, K_UNBOUND, -1);
}

static void op_close(int s)
{
	if (close(fds[s].fd))
		problem("close: %m");
	fds[s].kind = K_NONE;
}

static void op_listen(int s)
{
	struct vtcp_listen req = { .ifindex = ifindex,
				   .backlog = rnd_below(8) };
	unsigned long cmd;
	size_t used;
	void *arg;
	int ret;

	rnd_endpoint(&req.local, 1);
	if (chance(5))
		req.ifindex = rnd_below(8);
	if (chance(3))
		req.flags = rnd();
	if (chance(3))
		req.__reserved = 1;
	cmd = rnd_size(VTCP_IOC_LISTEN, sizeof(req), &used);
	arg = chance(95) ? stage(&req, sizeof(req), used) : rnd_ptr(used, &ret);
	ret = ioctl(fds[s].fd, cmd, arg);
	if (ret > 0)
		problem("LISTEN returned %d", ret);
	if (ret < 0) {
		check_errno("LISTEN", errno);
		if (errno == EISCONN && fds[s].kind == K_UNBOUND)
			problem("LISTEN: EISCONN on an unbound handle");
	} else {
		if (fds[s].kind != K_UNBOUND)
			problem("LISTEN succeeded on a bound handle");
		set_kind(s, K_LISTENER);
		listened++;
	}
}

static void op_connect(int s)
{
	struct vtcp_connect req = { .ifindex = ifindex };
	unsigned long cmd;
	size_t used;
	void *arg;
	int ret;

	rnd_endpoint(&req.local, 0);
	if (req.local.family == AF_INET6)
		vtcp_ep(&req.remote, VTCP_HOST6, HPORT_BASE + rnd_below(NHPORTS + 1));
	else
		vtcp_ep(&req.remote, VTCP_HOST4, HPORT_BASE + rnd_below(NHPORTS + 1));
	if (chance(20))
		req.local.port = htons(40000 + rnd_below(4));
	if (chance(5))
		req.remote.family = rnd_below(32);
	if (chance(3))
		req.flags = rnd();
	cmd = rnd_size(VTCP_IOC_CONNECT, sizeof(req), &used);
	arg = chance(95) ? stage(&req, sizeof(req), used) : rnd_ptr(used, &ret);
	ret = ioctl(fds[s].fd, cmd, arg);
	if (ret > 0)
		problem("CONNECT returned %d", ret);
	if (ret < 0)
		check_errno("CONNECT", errno);
	switch (ret ? errno : 0) {
	case 0:
		connected++;
		__attribute__((fallthrough));
	case EINPROGRESS: case EALREADY: case EINTR:
	case ECONNREFUSED: case ETIMEDOUT: case ECONNRESET:
	case ECONNABORTED: case ENETDOWN:
		/* The handle has its connection, whatever became of it. */
		if (fds[s].kind == K_LISTENER)
			problem("CONNECT went ahead on a listener");
		set_kind(s, K_CONN);
	}
}

static void op_accept(int s)
{
	struct vtcp_accept req = { .flags = rnd_below(4) };
	unsigned long cmd;
	size_t used;
	int valid = 1, ret;
	void *arg;

	if (chance(3))
		req.flags = rnd();
	cmd = rnd_size(VTCP_IOC_ACCEPT, sizeof(req), &used);
	arg = chance(85) ? stage(&req, sizeof(req), used) : rnd_ptr(used, &valid);
	ret = ioctl(fds[s].fd, cmd, arg);
	if (ret < 0) {
		check_errno("ACCEPT", errno);
		return;
	}
	if (fds[s].kind != K_LISTENER)
		problem("ACCEPT gave an fd on a non-listener");
	if (valid && used >= sizeof(req) &&
	    ((struct vtcp_accept *)arg)->fd != ret)
		problem("ACCEPT returned %d but wrote fd %d", ret,
			((struct vtcp_accept *)arg)->fd);
	accepted++;
	add_fd(ret, K_CONN, -1);
}

static void check_info(const struct vtcp_info *info, int s)
{
	if (info->state >= VTCP_NR_STATES || info->ca_state > 3 ||
	    info->options > 0xf || info->snd_wscale > 14 ||
	    info->rcv_wscale > 14 || info->__pad || info->__pad2)
		problem("INFO malformed: state %u ca %u opts %#x",
			info->state, info->ca_state, info->options);
	if (!memchr(info->congestion, 0, sizeof(info->congestion)))
		problem("INFO: congestion not terminated");
	if (info->local.family != 0 && info->local.family != AF_INET &&
	    info->local.family != AF_INET6)
		problem("INFO: local family %u", info->local.family);
	if ((info->state == VTCP_LISTEN) != (fds[s].kind == K_LISTENER) &&
	    !(fds[s].kind == K_LISTENER && info->state == VTCP_CLOSED))
		problem("INFO: state %u for kind %d", info->state, fds[s].kind);
	if (info->bytes_acked > info->bytes_sent + info->bytes_retrans + 2)
		problem("INFO: acked %llu > sent %llu",
			(unsigned long long)info->bytes_acked,
			(unsigned long long)info->bytes_sent);
}

static void op_info(int s)
{
	struct vtcp_info info;
	unsigned long cmd;
	size_t used;
	int valid = 1, ret;
	void *arg;

	cmd = rnd_size(VTCP_IOC_INFO, sizeof(info), &used);
	arg = chance(85) ? stage(&info, 0, used) : rnd_ptr(used, &valid);
	ret = ioctl(fds[s].fd, cmd, arg);
	if (ret > 0)
		problem("INFO returned %d", ret);
	if (ret < 0) {
		check_errno("INFO", errno);
		if (errno == ENOTCONN && fds[s].kind != K_UNBOUND)
			problem("INFO: ENOTCONN on kind %d", fds[s].kind);
		return;
	}
	if (fds[s].kind == K_UNBOUND)
		problem("INFO succeeded on an unbound handle");
	if (valid && used >= sizeof(info)) {
		memcpy(&info, arg, sizeof(info));
		check_info(&info, s);
	}
}

static void op_opt(int s, int set)
{
	struct vtcp_opt opt = { .name = rnd_below(VTCP_OPT_MAX + 2) };
	static const unsigned long long edges[] = {
		0, 1, 2, 88, 4095, 4096, 65535, 65536, 32767, 32768, 600000,
		0x7fffffff, 0x80000000, ~0ULL, 1ULL << 40,
	};
	unsigned long cmd;
	size_t used;
	int valid = 1, ret;
	void *arg;

	opt.value = chance(70) ? edges[rnd_below(15)] : rnd();
	if (set && opt.name == VTCP_OPT_SNDBUF && opt.value > (1 << 20))
		opt.value = 1 << 20;	/* keep memory reasonable */
	if (opt.name == VTCP_OPT_CONGESTION && chance(70))
		strcpy(opt.str, chance(80) ? "newreno" : "cubic");
	if (chance(3))
		opt.__reserved = 1;
	cmd = rnd_size(set ? VTCP_IOC_SETOPT : VTCP_IOC_GETOPT, sizeof(opt),
		       &used);
	arg = chance(90) ? stage(&opt, sizeof(opt), used) : rnd_ptr(used, &valid);
	ret = ioctl(fds[s].fd, cmd, arg);
	if (ret > 0)
		problem("%sOPT returned %d", set ? "SET" : "GET", ret);
	if (ret < 0) {
		check_errno(set ? "SETOPT" : "GETOPT", errno);
		if (errno == EAGAIN || errno == EINPROGRESS)
			problem("%sOPT: %m", set ? "SET" : "GET");
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
				problem("GETOPT %u = %llu", o->name,
					(unsigned long long)o->value);
			break;
		case VTCP_OPT_CONGESTION:
			if (!memchr(o->str, 0, sizeof(o->str)))
				problem("GETOPT CONGESTION unterminated");
			break;
		case VTCP_OPT_ERROR:
			if ((long long)o->value > 0 || (long long)o->value < -4095)
				problem("GETOPT ERROR = %lld",
					(long long)o->value);
			else if (o->value)
				check_errno("OPT_ERROR", -(int)(long long)o->value);
			break;
		}
	}
}

static void op_shutdown(int s)
{
	__u32 how = chance(90) ? rnd_below(3) : rnd();
	int valid = 1;
	void *arg = chance(90) ? &how : rnd_ptr(4, &valid);
	int ret = ioctl(fds[s].fd, VTCP_IOC_SHUTDOWN, arg);

	if (ret < 0) {
		check_errno("SHUTDOWN", errno);
		if (errno != EINVAL && errno != ENOTCONN && errno != EFAULT)
			problem("SHUTDOWN: %m");
	} else if (valid && arg == &how && how > 2) {
		problem("SHUTDOWN accepted how %u", how);
	}
}

static void op_abort(int s)
{
	if (ioctl(fds[s].fd, VTCP_IOC_ABORT) < 0) {
		check_errno("ABORT", errno);
		if (errno != ENOTCONN)
			problem("ABORT: %m");
		else if (fds[s].kind == K_CONN)
			problem("ABORT: ENOTCONN on a connection");
	}
}

static void op_bad_ioctl(int s)
{
	unsigned long cmd;

	if (chance(50))
		cmd = _IOC(rnd_below(4), VTCP_IOC_MAGIC, 9 + rnd_below(247),
			   rnd_below(512));
	else
		cmd = _IOC(rnd_below(4), rnd_below(256), rnd_below(256),
			   rnd_below(512));
	if (_IOC_TYPE(cmd) == VTCP_IOC_MAGIC && _IOC_NR(cmd) <= 8)
		return;
	/* Types the VFS answers itself (FIONBIO, FIGETBSZ, FICLONE...). */
	switch (_IOC_TYPE(cmd)) {
	case 0: case 'T': case 'X': case 'f': case 0x94: case 0x15:
		return;
	}
	if (ioctl(fds[s].fd, cmd, buf) != -1 || errno != ENOTTY)
		problem("ioctl %#lx: not ENOTTY (%m)", cmd);
}

/* One to four buffers of random sizes and places; their total in *len. */
static int rnd_iov(struct iovec iov[4], size_t *len)
{
	int i, valid, cnt = 1 + rnd_below(4);

	*len = 0;
	for (i = 0; i < cnt; i++) {
		iov[i].iov_len = rnd_below(BUF_SIZE / 4);
		iov[i].iov_base = rnd_ptr(iov[i].iov_len, &valid);
		*len += iov[i].iov_len;
	}
	return cnt;
}

static void op_read(int s)
{
	size_t len = chance(30) ? rnd_below(16) : rnd_below(BUF_SIZE + 1);
	int valid;
	void *p = rnd_ptr(len, &valid);
	ssize_t n;

	if (chance(20)) {
		struct iovec iov[4];
		int cnt = rnd_iov(iov, &len);

		n = readv(fds[s].fd, iov, cnt);
	} else {
		n = read(fds[s].fd, p, len);
	}
	if (n > (ssize_t)len)
		problem("read %zd > %zu asked", n, len);
	if (n < 0) {
		check_errno("read", errno);
		if (errno == ENOTCONN && fds[s].kind == K_CONN)
			problem("read: ENOTCONN on a connection");
	} else if (n > 0 && fds[s].kind != K_CONN) {
		problem("read %zd bytes from kind %d", n, fds[s].kind);
	} else {
		bytes_in += n;
	}
}

static void op_write(int s)
{
	size_t len = chance(30) ? rnd_below(16) : rnd_below(BUF_SIZE + 1);
	int valid;
	void *p = rnd_ptr(len, &valid);
	ssize_t n;

	if (chance(20)) {
		struct iovec iov[4];
		int cnt = rnd_iov(iov, &len);

		n = writev(fds[s].fd, iov, cnt);
	} else {
		n = write(fds[s].fd, p, len);
	}
	if (n > (ssize_t)len)
		problem("write %zd > %zu given", n, len);
	if (n < 0) {
		check_errno("write", errno);
		if (errno == ENOTCONN && fds[s].kind == K_CONN)
			problem("write: ENOTCONN on a connection");
	} else {
		bytes_out += n;
	}
}

static void op_poll(void)
{
	struct pollfd pfd[8];
	int i, n = 1 + rnd_below(8), ret;

	for (i = 0; i < n; i++) {
		int s = pick();

		pfd[i].fd = s < 0 ? -1 : fds[s].fd;
		pfd[i].events = rnd() & (POLLIN | POLLOUT | POLLRDHUP | POLLPRI);
		pfd[i].revents = 0;
	}
	ret = poll(pfd, n, rnd_below(3));
	if (ret < 0) {
		check_errno("poll", errno);
		return;
	}
	for (i = 0; i < n; i++)
		if (pfd[i].revents & ~(pfd[i].events | POLLERR | POLLHUP |
				       POLLNVAL | POLLRDNORM | POLLWRNORM))
			problem("poll: revents %#x for events %#x",
				pfd[i].revents, pfd[i].events);
}

static void op_epoll(int s)
{
	struct epoll_event ev = { .events = rnd() & (EPOLLIN | EPOLLOUT |
				  EPOLLRDHUP | EPOLLET | EPOLLONESHOT) };
	struct epoll_event out[8];

	if (chance(50))
		epoll_ctl(epfd, EPOLL_CTL_ADD, fds[s].fd, &ev);
	else
		epoll_ctl(epfd, EPOLL_CTL_DEL, fds[s].fd, NULL);
	if (epoll_wait(epfd, out, 8, 0) < 0)
		check_errno("epoll_wait", errno);
}

static void op_splice(int s)
{
	int p[2];
	ssize_t n;

	if (pipe2(p, O_NONBLOCK | O_CLOEXEC))
		return;
	n = splice(fds[s].fd, NULL, p[1], NULL, rnd_below(BUF_SIZE),
		   SPLICE_F_NONBLOCK);
	if (n < 0 && errno != EINVAL)
		check_errno("splice", errno);
	close(p[0]);
	close(p[1]);
}

static void op_dup(int s)
{
	int d;

	if (nr_fds() >= MAX_HANDLES)
		return;
	d = dup(fds[s].fd);
	if (d >= 0)
		add_fd(d, fds[s].kind, fds[s].file);
}

static volatile sig_atomic_t alarms;

static void on_alarm(int sig)
{
	alarms++;
}

/* A blocking call, ended by a signal if nothing else ends it. */
static void op_blocking(int s)
{
	struct itimerval it = { .it_value = { .tv_usec = 20000 } };
	int fl = fcntl(fds[s].fd, F_GETFL);

	fcntl(fds[s].fd, F_SETFL, fl & ~O_NONBLOCK);
	setitimer(ITIMER_REAL, &it, NULL);
	switch (rnd_below(4)) {
	case 0:
		op_read(s);
		break;
	case 1:
		op_write(s);
		break;
	case 2:
		op_accept(s);
		break;
	default:
		op_connect(s);
		break;
	}
	memset(&it, 0, sizeof(it));
	setitimer(ITIMER_REAL, &it, NULL);
	/* Dup'ed descriptors share the flag: set it back. */
	fcntl(fds[s].fd, F_SETFL, fl | O_NONBLOCK);
}

static void one_op(void);

/* A child runs a few calls on the descriptors it inherited, then exits. */
static void op_fork(void)
{
	pid_t pid = fork();
	int status, i;

	if (pid < 0)
		return;
	if (pid == 0) {
		rng_state ^= 0x5bd1e995ULL * getpid();
		for (i = 0; i < 20; i++)
			one_op();
		_exit(impossible ? 1 : 0);
	}
	if (waitpid(pid, &status, 0) != pid)
		return;
	if (!WIFEXITED(status) || WEXITSTATUS(status))
		problem("forked child: status %#x", status);
	for (i = 0; i < MAX_FDS; i++)
		if (fds[i].kind != K_NONE)
			refresh_kind(i);
}

static void op_setopt(int s)
{
	op_opt(s, 1);
}

static void op_getopt(int s)
{
	op_opt(s, 0);
}

static void op_poll_all(int s)
{
	op_poll();
}

static void op_fork_child(int s)
{
	op_fork();
}

/*
 * The operations on a handle, each with the end of its share of 100 (the
 * first 6 open a handle); their counts go to ops[1..].
 */
static const struct {
	unsigned int end;
	void (*fn)(int s);
} op_table[] = {
	{ 10, op_close }, { 16, op_listen }, { 22, op_connect },
	{ 32, op_accept }, { 37, op_info }, { 43, op_setopt },
	{ 47, op_getopt }, { 49, op_shutdown }, { 50, op_abort },
	{ 52, op_bad_ioctl }, { 66, op_read }, { 78, op_write },
	{ 84, op_poll_all }, { 87, op_epoll }, { 89, op_splice },
	{ 91, op_dup }, { 94, op_blocking }, { 95, op_fork_child },
	{ 100, op_read },
};

static void one_op(void)
{
	unsigned int i, r = rnd_below(100);
	int s = pick();

	if (s < 0 || r < 6) {
		ops[0]++;
		op_open();
		return;
	}
	for (i = 0; r >= op_table[i].end; i++)
		;
	ops[i + 1]++;
	op_table[i].fn(s);
}

/* The host's side: connect to vtcp's listeners, talk a little, go away. */
static void *host_client(void *arg)
{
	unsigned long long st = (unsigned long long)(long)arg * 0x9E3779B97F4A7C15ULL + 1;
	char data[4096];

	memset(data, 'h', sizeof(data));
	while (!stop) {
		const char *addr = (st & 1) ? VTCP_ADDR4 : VTCP_ADDR6;
		struct sockaddr_storage ss;
		socklen_t len;
		int fd, i;

		st ^= st << 13;
		st ^= st >> 7;
		st ^= st << 17;
		len = vtcp_host_sockaddr(&ss, addr, LPORT_BASE + st % NLPORTS);
		fd = socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
		if (fd < 0)
			continue;
		if (connect(fd, (void *)&ss, len) && errno != EINPROGRESS) {
			close(fd);
			usleep(1000);
			continue;
		}
		for (i = 0; i < 20 && !stop; i++) {
			char in[4096];

			if (vtcp_poll1(fd, POLLIN | POLLOUT, 5) <= 0)
				continue;
			if (write(fd, data, 1 + (st >> 8) % sizeof(data)) < 0 &&
			    errno != EAGAIN)
				break;
			if (read(fd, in, sizeof(in)) == 0)
				break;
			if ((st >> 20) % 16 == 0)
				shutdown(fd, SHUT_WR);
		}
		if ((st >> 24) % 4 == 0)
			vtcp_host_abort(fd);
		else
			close(fd);
	}
	return NULL;
}

/* The host's listeners that vtcp's CONNECTs reach; echo, then drop. */
static void *host_server(void *arg)
{
	struct pollfd pfd[NHPORTS * 2 + 32];
	int nl = 0, n, i;

	for (i = 0; i < NHPORTS; i++) {
		int a = vtcp_host_listen(VTCP_HOST4, HPORT_BASE + i);
		int b = vtcp_host_listen(VTCP_HOST6, HPORT_BASE + i);

		if (a >= 0)
			pfd[nl++] = (struct pollfd){ .fd = a, .events = POLLIN };
		if (b >= 0)
			pfd[nl++] = (struct pollfd){ .fd = b, .events = POLLIN };
	}
	n = nl;
	while (!stop) {
		if (poll(pfd, n, 20) <= 0)
			continue;
		for (i = 0; i < n; i++) {
			char in[4096];
			ssize_t r;

			if (!pfd[i].revents)
				continue;
			if (i < nl) {
				int c = accept4(pfd[i].fd, NULL, NULL,
						SOCK_NONBLOCK | SOCK_CLOEXEC);

				if (c >= 0 && n < (int)ARRAY_SIZE(pfd))
					pfd[n++] = (struct pollfd){ .fd = c,
								    .events = POLLIN };
				else if (c >= 0)
					close(c);
				continue;
			}
			r = read(pfd[i].fd, in, sizeof(in));
			if (r > 0 && write(pfd[i].fd, in, r) >= 0 && r % 7)
				continue;
			if (r < 0 && errno == EAGAIN)
				continue;
			if (r % 2)
				vtcp_host_abort(pfd[i].fd);
			else
				close(pfd[i].fd);
			pfd[i--] = pfd[--n];
		}
	}
	for (i = 0; i < n; i++)
		close(pfd[i].fd);
	return NULL;
}

FIXTURE(fuzz) {};

FIXTURE_SETUP(fuzz)
{
	ASSERT_EQ(0, vtcp_module_ensure());
	ASSERT_EQ(0, vtcp_net_up("vtcp0"));
}

FIXTURE_TEARDOWN(fuzz) {}

TEST_F_TIMEOUT(fuzz, random_calls_on_many_handles_stay_sane, 1200)
{
	const char *seed_env = getenv("VTCP_SEED");
	const char *secs_env = getenv("VTCP_FUZZ_SECONDS");
	int secs = getenv("VTCP_LONG") ? 300 : 20;
	struct sigaction sa = { .sa_handler = on_alarm };
	unsigned long long seed, total = 0;
	pthread_t clients[2], server;
	long long end;
	struct vtcp_pair p;
	char check[5];
	int i;

	seed = seed_env ? strtoull(seed_env, NULL, 0) :
	       (unsigned long long)time(NULL) ^ ((unsigned long long)getpid() << 32);
	if (secs_env)
		secs = atoi(secs_env);
	printf("# seed %llu (VTCP_SEED=%llu replays it), %d s\n", seed, seed,
	       secs);
	fflush(stdout);
	rng_state = seed ? seed : 1;

	buf = mmap(NULL, BUF_SIZE + 8192, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, buf);
	ro_page = buf + BUF_SIZE;
	unmapped = ro_page + 4096;
	ASSERT_EQ(0, mprotect(ro_page, 4096, PROT_READ));
	ASSERT_EQ(0, munmap(unmapped, 4096));
	ifindex = if_nametoindex("vtcp0");
	epfd = epoll_create1(EPOLL_CLOEXEC);
	ASSERT_LE(0, epfd);
	signal(SIGPIPE, SIG_IGN);
	sigemptyset(&sa.sa_mask);
	sigaction(SIGALRM, &sa, NULL);

	ASSERT_EQ(0, pthread_create(&server, NULL, host_server, NULL));
	for (i = 0; i < 2; i++)
		ASSERT_EQ(0, pthread_create(&clients[i], NULL, host_client,
					    (void *)(long)(seed + i)));
	end = vtcp_now_ms() + secs * 1000LL;
	while (vtcp_now_ms() < end && impossible < 10) {
		for (i = 0; i < 100; i++)
			one_op();
		total += 100;
	}
	stop = 1;
	for (i = 0; i < 2; i++)
		pthread_join(clients[i], NULL);
	pthread_join(server, NULL);
	for (i = 0; i < MAX_FDS; i++)
		if (fds[i].kind != K_NONE)
			op_close(i);
	close(epfd);

	printf("# %llu calls:", total);
	for (i = 0; i <= (int)ARRAY_SIZE(op_table); i++)
		printf(" %ld", ops[i]);
	printf("; %d signals\n", (int)alarms);
	printf("# %ld listens, %ld connects, %ld accepts, %ld bytes read, %ld written\n",
	       listened, connected, accepted, bytes_in, bytes_out);
	EXPECT_EQ(0, impossible) TH_LOG("first: %s", first_problem);

	/* Still a working TCP endpoint. */
	ASSERT_EQ(0, vtcp_pair_open(&p, VTCP_ADDR4, 12500));
	EXPECT_EQ(0, vtcp_write_all(p.hfd, "after", 5));
	EXPECT_EQ(0, vtcp_read_all(p.vfd, check, 5));
	EXPECT_EQ(0, memcmp(check, "after", 5));
	vtcp_pair_close(&p);
}

TEST_HARNESS_MAIN
