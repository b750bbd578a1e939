// SPDX-License-Identifier: GPL-2.0
/*
 * The commands: vtcp's side of the script's connection, through
 * /dev/vtcp. Each checks its result (0, or what the line's "-> RESULT"
 * says) and fails the script on anything else.
 */
#include <stddef.h>
#include "pd.h"

#define PD_RESULT_LEN	32

static const struct pd_name pd_states[] = {
	{ "CLOSED", VTCP_CLOSED }, { "LISTEN", VTCP_LISTEN },
	{ "SYN_SENT", VTCP_SYN_SENT }, { "SYN_RECEIVED", VTCP_SYN_RECEIVED },
	{ "ESTABLISHED", VTCP_ESTABLISHED }, { "FIN_WAIT_1", VTCP_FIN_WAIT_1 },
	{ "FIN_WAIT_2", VTCP_FIN_WAIT_2 }, { "CLOSE_WAIT", VTCP_CLOSE_WAIT },
	{ "CLOSING", VTCP_CLOSING }, { "LAST_ACK", VTCP_LAST_ACK },
	{ "TIME_WAIT", VTCP_TIME_WAIT }, { NULL, 0 }
};

static const struct pd_name pd_optnames[] = {
	{ "KEEPALIVE", VTCP_OPT_KEEPALIVE }, { "KEEPIDLE", VTCP_OPT_KEEPIDLE },
	{ "KEEPINTVL", VTCP_OPT_KEEPINTVL }, { "KEEPCNT", VTCP_OPT_KEEPCNT },
	{ "NODELAY", VTCP_OPT_NODELAY }, { "CORK", VTCP_OPT_CORK },
	{ "USER_TIMEOUT", VTCP_OPT_USER_TIMEOUT }, { "SNDBUF", VTCP_OPT_SNDBUF },
	{ "RCVBUF", VTCP_OPT_RCVBUF }, { "CONGESTION", VTCP_OPT_CONGESTION },
	{ "MAXSEG", VTCP_OPT_MAXSEG }, { "LINGER_ABORT", VTCP_OPT_LINGER_ABORT },
	{ "SACK", VTCP_OPT_SACK }, { "TIMESTAMPS", VTCP_OPT_TIMESTAMPS },
	{ "WINDOW_SCALING", VTCP_OPT_WINDOW_SCALING },
	{ "TIME_WAIT", VTCP_OPT_TIME_WAIT }, { "NOSIGPIPE", VTCP_OPT_NOSIGPIPE },
	{ "ECN", VTCP_OPT_ECN }, { "RACK", VTCP_OPT_RACK },
	{ NULL, 0 }
};

#define PD_INFO(f) { #f, offsetof(struct vtcp_info, f), \
		     sizeof(((struct vtcp_info *)0)->f) }

static const struct pd_info_field {
	const char *name;
	size_t off, size;
} pd_info_fields[] = {
	PD_INFO(state), PD_INFO(ca_state), PD_INFO(options),
	PD_INFO(snd_wscale), PD_INFO(rcv_wscale), PD_INFO(backoff),
	PD_INFO(probes), PD_INFO(rto), PD_INFO(snd_mss), PD_INFO(rcv_mss),
	PD_INFO(snd_cwnd), PD_INFO(snd_wnd), PD_INFO(rcv_wnd),
	PD_INFO(unacked), PD_INFO(notsent), PD_INFO(rcv_queued),
	PD_INFO(total_retrans), PD_INFO(rto_expirations), PD_INFO(dsacks),
	PD_INFO(ooo_segs), PD_INFO(challenge_acks),
	PD_INFO(zero_window_probes), PD_INFO(keepalive_probes),
	PD_INFO(bytes_received), PD_INFO(bytes_acked), PD_INFO(segs_in),
	PD_INFO(segs_out), PD_INFO(data_segs_in), PD_INFO(data_segs_out),
	{ NULL, 0, 0 }
};

/* A result as a script writes it: "ECONNRESET" for -ECONNRESET, or "0". */
static const char *pd_result_str(long v, char buf[PD_RESULT_LEN])
{
	if (v < 0)
		snprintf(buf, PD_RESULT_LEN, "%s", pd_name_of(pd_errnos, -v));
	else
		snprintf(buf, PD_RESULT_LEN, "%ld", v);
	return buf;
}

/* The handle a listen or connect will bind, opened when first needed. */
static int pd_handle(struct pd_run *r)
{
	if (r->hfd < 0) {
		r->hfd = open(VTCP_DEV_PATH, O_RDWR | O_NONBLOCK | O_CLOEXEC);
		if (r->hfd < 0)
			pd_fail(r, "open " VTCP_DEV_PATH ": %s", strerror(errno));
	}
	return r->hfd;
}

static void pd_need_conn(struct pd_run *r)
{
	if (r->cfd < 0)
		pd_fail(r, "no connection (listen and accept, or connect, first)");
}

/* VTCP_IOC_INFO of the connection, else of the listener. */
static void pd_info(struct pd_run *r, struct vtcp_info *info)
{
	int fd = r->cfd >= 0 ? r->cfd : r->lfd;

	if (fd < 0)
		pd_fail(r, "no connection or listener to ask");
	if (ioctl(fd, VTCP_IOC_INFO, info))
		pd_fail(r, "VTCP_IOC_INFO: %s", strerror(errno));
}

/* Field @f of @info. */
static long pd_info_get(const struct vtcp_info *info,
			const struct pd_info_field *f)
{
	const uint8_t *p = (const uint8_t *)info + f->off;

	switch (f->size) {
	case 1:
		return *p;
	case 4:
		return *(const uint32_t *)p;
	default:
		return (long)*(const uint64_t *)p;
	}
}

/* The value @s that expect-info gives for @field. */
static long pd_parse_info_value(struct pd_run *r, const char *field,
				const char *s)
{
	struct pd_parser p = {};
	int64_t v;
	long st;

	if (!strcmp(field, "options")) {
		char tmp[64], *tok, *save = NULL;

		snprintf(tmp, sizeof(tmp), "%s", s);
		v = 0;
		if (!strcmp(s, "none"))
			return 0;
		for (tok = strtok_r(tmp, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
			if (!strcmp(tok, "ts"))
				v |= VTCP_INFO_OPT_TIMESTAMPS;
			else if (!strcmp(tok, "sack"))
				v |= VTCP_INFO_OPT_SACK;
			else if (!strcmp(tok, "ws"))
				v |= VTCP_INFO_OPT_WSCALE;
			else if (!strcmp(tok, "ecn"))
				v |= VTCP_INFO_OPT_ECN;
			else
				pd_fail(r, "options are ts, sack, ws, ecn or none, not '%s'", tok);
		}
		return v;
	}
	if (!strcmp(field, "state") && pd_lookup(pd_states, s, &st))
		return st;
	if (pd_parse_num(&p, s, false, &v))
		pd_fail(r, "%s", p.err);
	return v;
}

/* Poll field @f of the info until it is @want or @deadline passes. */
static bool pd_poll_info(struct pd_run *r, const struct pd_info_field *f,
			 long want, long *got, int64_t deadline)
{
	struct vtcp_info info;

	for (;;) {
		pd_info(r, &info);
		*got = pd_info_get(&info, f);
		if (*got == want || pd_now() >= deadline)
			return *got == want;
		usleep(2000);
	}
}

/* The vtcp_info field called @name, or NULL. */
static const struct pd_info_field *pd_info_field(const char *name)
{
	const struct pd_info_field *f;

	for (f = pd_info_fields; f->name; f++)
		if (!strcmp(f->name, name))
			return f;
	return NULL;
}

/* The command's result @got must be @want, or the line's "-> RESULT". */
static void pd_check_result(struct pd_run *r, const struct pd_line *l,
			    long want, long got)
{
	char g[PD_RESULT_LEN], w[PD_RESULT_LEN];

	if (l->has_result)
		want = l->result;
	if (want == got)
		return;
	pd_fail(r, "%s returned %s, expected %s", l->cmd, pd_result_str(got, g),
		pd_result_str(want, w));
}

/*
 * read N: exactly N bytes, each checked against what the peer sent, by
 * @deadline; read eof: the end of the stream.
 */
static void pd_cmd_read(struct pd_run *r, const struct pd_line *l,
			int64_t deadline)
{
	bool eof = l->nargs == 1 && !strcmp(l->args[0], "eof");
	static uint8_t buf[1 << 20];
	char res[PD_RESULT_LEN];
	struct pd_parser p = {};
	int64_t want = 0;
	size_t got = 0;
	ssize_t n;
	size_t i;

	pd_need_conn(r);
	if (!eof && (l->nargs != 1 || pd_parse_num(&p, l->args[0], false, &want) ||
		     want <= 0 || want > (int64_t)sizeof(buf)))
		pd_fail(r, "read N (1 to %zu) or read eof", sizeof(buf));
	if (l->has_result && l->result == -EAGAIN) {
		/* Nothing to read now: no waiting. */
		n = read(r->cfd, buf, eof ? 1 : want);
		pd_check_result(r, l, 0, n < 0 ? -errno : n);
		return;
	}
	for (;;) {
		struct pollfd pfd = { .fd = r->cfd, .events = POLLIN };
		int64_t now;

		n = read(r->cfd, buf + got, eof ? 1 : want - got);
		if (n > 0) {
			got += n;
			if (eof)
				pd_fail(r, "read %zd bytes, expected end of file", n);
			if ((int64_t)got == want)
				break;
			continue;
		}
		if (n == 0) {
			if (eof)
				break;
			pd_fail(r, "end of file after %zu bytes, expected %lld",
				got, (long long)want);
		}
		if (errno != EAGAIN) {
			if (!l->has_result || l->result != -errno)
				pd_fail(r, "read: %s after %zu bytes", strerror(errno), got);
			pd_trace(r, "read -> %s", pd_result_str(-errno, res));
			return;
		}
		now = pd_now();
		if (now >= deadline)
			pd_fail(r, "read %zu bytes by the deadline, expected %s", got,
				eof ? "end of file" : l->args[0]);
		poll(&pfd, 1, (deadline - now + 999999) / 1000000);
	}
	if (l->has_result)
		pd_fail(r, "read succeeded, expected %s",
			pd_result_str(l->result, res));
	for (i = 0; i < got; i++) {
		uint64_t rel = r->rx_base + r->rx_off + i;

		if (buf[i] != pd_byte(1, rel))
			pd_fail(r, "byte %zu read (relative sequence %llu) differs "
				"from what the peer sent", i, (unsigned long long)rel);
	}
	r->rx_off += got;
	pd_trace(r, "read %s", eof ? "eof" : l->args[0]);
}

/* setopt [conn|listener|handle] NAME VALUE */
static void pd_cmd_setopt(struct pd_run *r, const struct pd_line *l,
			  int64_t deadline)
{
	struct vtcp_opt opt = {};
	struct pd_parser p = {};
	int a = 0, fd;
	long name;
	int64_t v;

	if (l->nargs == 3) {
		a = 1;
		if (!strcmp(l->args[0], "conn"))
			fd = r->cfd;
		else if (!strcmp(l->args[0], "listener"))
			fd = r->lfd;
		else if (!strcmp(l->args[0], "handle"))
			fd = pd_handle(r);
		else
			pd_fail(r, "setopt [conn|listener|handle] NAME VALUE");
	} else if (l->nargs == 2) {
		fd = r->cfd >= 0 ? r->cfd : r->lfd >= 0 ? r->lfd : pd_handle(r);
	} else {
		pd_fail(r, "setopt [conn|listener|handle] NAME VALUE");
	}
	if (fd < 0)
		pd_fail(r, "setopt: no such fd");
	if (!pd_lookup(pd_optnames, l->args[a], &name))
		pd_fail(r, "unknown option '%s'", l->args[a]);
	opt.name = name;
	if (name == VTCP_OPT_CONGESTION) {
		snprintf(opt.str, sizeof(opt.str), "%s", l->args[a + 1]);
	} else {
		if (pd_parse_num(&p, l->args[a + 1], false, &v))
			pd_fail(r, "%s", p.err);
		opt.value = v;
	}
	pd_check_result(r, l, 0, ioctl(fd, VTCP_IOC_SETOPT, &opt) ? -errno : 0);
}

static void pd_cmd_listen(struct pd_run *r, const struct pd_line *l,
			  int64_t deadline)
{
	struct vtcp_listen req = {
		.ifindex = if_nametoindex(PD_DEV), .backlog = 16,
	};
	int ret;

	vtcp_ep(&req.local, r->vaddr, r->s->vport);
	ret = ioctl(pd_handle(r), VTCP_IOC_LISTEN, &req) ? -errno : 0;
	if (!ret) {
		r->lfd = r->hfd;
		r->hfd = -1;
	}
	pd_check_result(r, l, 0, ret);
}

/* Waits up to @deadline for a connection, unless a result is expected. */
static void pd_cmd_accept(struct pd_run *r, const struct pd_line *l,
			  int64_t deadline)
{
	struct vtcp_accept req = {
		.flags = VTCP_ACCEPT_NONBLOCK | VTCP_ACCEPT_CLOEXEC,
	};
	char res[PD_RESULT_LEN];
	int ret;

	if (r->lfd < 0)
		pd_fail(r, "accept without a listener");
	if (!l->has_result) {
		struct pollfd pfd = { .fd = r->lfd, .events = POLLIN };
		int64_t now = pd_now();

		poll(&pfd, 1, now < deadline ? (deadline - now) / 1000000 : 0);
	}
	ret = ioctl(r->lfd, VTCP_IOC_ACCEPT, &req);
	if (ret < 0) {
		pd_check_result(r, l, 0, -errno);
		return;
	}
	if (l->has_result)
		pd_fail(r, "accept succeeded, expected %s",
			pd_result_str(l->result, res));
	if (r->cfd >= 0 && r->nretired < 16)
		r->retired[r->nretired++] = r->cfd;
	r->cfd = ret;
	r->rx_off = 0;
	r->tx_off = 0;
	r->rx_base = r->last_syn_rel + 1;
}

static void pd_cmd_connect(struct pd_run *r, const struct pd_line *l,
			   int64_t deadline)
{
	struct vtcp_connect req = { .ifindex = if_nametoindex(PD_DEV) };
	int ret;

	if (r->cfd >= 0)
		pd_fail(r, "connect: there is a connection already");
	vtcp_ep(&req.local, r->vaddr, r->s->vport);
	vtcp_ep(&req.remote, r->raddr, r->s->rport);
	ret = ioctl(pd_handle(r), VTCP_IOC_CONNECT, &req) ? -errno : 0;
	if (ret == -EINPROGRESS || !ret) {
		r->cfd = r->hfd;
		r->hfd = -1;
		r->rx_off = 0;
		r->tx_off = 0;
		r->rx_base_next_syn = true;
	}
	pd_check_result(r, l, -EINPROGRESS, ret);
}

/* write N: N bytes of vtcp's stream, from where the last write ended. */
static void pd_cmd_write(struct pd_run *r, const struct pd_line *l,
			 int64_t deadline)
{
	static uint8_t buf[1 << 20];
	struct pd_parser p = {};
	int64_t n;
	int i, ret;

	pd_need_conn(r);
	if (l->nargs != 1 || pd_parse_num(&p, l->args[0], false, &n) ||
	    n <= 0 || n > (int64_t)sizeof(buf))
		pd_fail(r, "write N (1 to %zu)", sizeof(buf));
	for (i = 0; i < n; i++)
		buf[i] = pd_byte(2, r->tx_off + i);
	ret = write(r->cfd, buf, n);
	if (ret > 0)
		r->tx_off += ret;
	pd_check_result(r, l, n, ret < 0 ? -errno : ret);
}

static void pd_cmd_shutdown(struct pd_run *r, const struct pd_line *l,
			    int64_t deadline)
{
	__u32 how;

	pd_need_conn(r);
	if (l->nargs == 1 && !strcmp(l->args[0], "rd"))
		how = VTCP_SHUT_RD;
	else if (l->nargs == 1 && !strcmp(l->args[0], "wr"))
		how = VTCP_SHUT_WR;
	else if (l->nargs == 1 && !strcmp(l->args[0], "rdwr"))
		how = VTCP_SHUT_RDWR;
	else
		pd_fail(r, "shutdown rd|wr|rdwr");
	pd_check_result(r, l, 0,
			ioctl(r->cfd, VTCP_IOC_SHUTDOWN, &how) ? -errno : 0);
}

static void pd_cmd_close(struct pd_run *r, const struct pd_line *l,
			 int64_t deadline)
{
	int ret;

	pd_need_conn(r);
	ret = close(r->cfd) ? -errno : 0;
	r->cfd = -1;
	pd_check_result(r, l, 0, ret);
}

static void pd_cmd_close_listener(struct pd_run *r, const struct pd_line *l,
				  int64_t deadline)
{
	int ret;

	if (r->lfd < 0)
		pd_fail(r, "no listener");
	ret = close(r->lfd) ? -errno : 0;
	r->lfd = -1;
	pd_check_result(r, l, 0, ret);
}

static void pd_cmd_abort(struct pd_run *r, const struct pd_line *l,
			 int64_t deadline)
{
	pd_need_conn(r);
	pd_check_result(r, l, 0, ioctl(r->cfd, VTCP_IOC_ABORT) ? -errno : 0);
}

/* expect-state STATE, expect-info FIELD VALUE: by @deadline. */
static void pd_cmd_expect(struct pd_run *r, const struct pd_line *l,
			  int64_t deadline)
{
	bool state = !strcmp(l->cmd, "expect-state");
	const struct pd_info_field *f;
	long want, got;

	if (l->nargs != (state ? 1 : 2))
		pd_fail(r, state ? "expect-state STATE" : "expect-info FIELD VALUE");
	f = pd_info_field(state ? "state" : l->args[0]);
	if (!f)
		pd_fail(r, "no field '%s' in vtcp_info", l->args[0]);
	if (state && !pd_lookup(pd_states, l->args[0], &want))
		pd_fail(r, "unknown state '%s'", l->args[0]);
	if (!state)
		want = pd_parse_info_value(r, l->args[0], l->args[1]);
	if (pd_poll_info(r, f, want, &got, deadline))
		return;
	if (state)
		pd_fail(r, "state %s, expected %s", pd_name_of(pd_states, got),
			l->args[0]);
	pd_fail(r, "%s is %ld, expected %ld", f->name, got, want);
}

/* expect-errno ERRNO|0: the pending error, which reading it clears. */
static void pd_cmd_expect_errno(struct pd_run *r, const struct pd_line *l,
				int64_t deadline)
{
	struct vtcp_opt opt = { .name = VTCP_OPT_ERROR };
	char g[PD_RESULT_LEN], w[PD_RESULT_LEN];
	long v;

	pd_need_conn(r);
	if (l->nargs != 1)
		pd_fail(r, "expect-errno ERRNO|0");
	if (!strcmp(l->args[0], "0"))
		v = 0;
	else if (pd_lookup(pd_errnos, l->args[0], &v))
		v = -v;
	else
		pd_fail(r, "unknown errno '%s'", l->args[0]);
	if (ioctl(r->cfd, VTCP_IOC_GETOPT, &opt))
		pd_fail(r, "VTCP_OPT_ERROR: %s", strerror(errno));
	if ((long)(int64_t)opt.value != v)
		pd_fail(r, "pending error %s, expected %s",
			pd_result_str((long)(int64_t)opt.value, g),
			pd_result_str(v, w));
}

/* wait: a point in time, nothing more. */
static void pd_cmd_wait(struct pd_run *r, const struct pd_line *l,
			int64_t deadline)
{
}

static const struct pd_command pd_commands[] = {
	{ "listen", pd_cmd_listen },
	{ "accept", pd_cmd_accept },
	{ "connect", pd_cmd_connect },
	{ "write", pd_cmd_write },
	{ "read", pd_cmd_read },
	{ "shutdown", pd_cmd_shutdown },
	{ "close", pd_cmd_close },
	{ "close-listener", pd_cmd_close_listener },
	{ "abort", pd_cmd_abort },
	{ "setopt", pd_cmd_setopt },
	{ "expect-state", pd_cmd_expect },
	{ "expect-errno", pd_cmd_expect_errno },
	{ "expect-info", pd_cmd_expect },
	{ "wait", pd_cmd_wait },
	{ NULL, NULL }
};

/* The command called @name, or NULL: the parser checks every line with it. */
const struct pd_command *pd_command_find(const char *name)
{
	const struct pd_command *c;

	for (c = pd_commands; c->name; c++)
		if (!strcmp(c->name, name))
			return c;
	return NULL;
}

/* Run command line @l; what waits (accept, read, expect-*) waits until @deadline. */
void pd_cmd(struct pd_run *r, const struct pd_line *l, int64_t deadline)
{
	l->command->run(r, l, deadline);
	/* read traces what it read itself. */
	if (l->command->run != pd_cmd_read)
		pd_trace(r, "%s", l->text);
}
