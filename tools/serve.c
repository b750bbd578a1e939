// SPDX-License-Identifier: GPL-2.0
/*
 * listen and connect: open a /dev/vtcp handle, then run every connection
 * in one poll() loop as a cat, echo, discard or HTTP server. Connection
 * files are non-blocking; a connection's output waits in its buffer until
 * poll() says it is writable, and an echo connection reads no more while
 * its buffer is full, so a slow peer slows only itself.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "vtcpctl.h"

#define BUF_SIZE	65536
#define MAX_CONNS	128

struct conn {
	int fd;
	char name[136];		/* "local <- remote", "local -> remote" */
	char *buf;		/* output waiting for the connection */
	size_t off, len;
	bool rd_eof;		/* the peer's FIN was read */
	bool want_shut;		/* send our FIN once buf is out */
	bool shut_wr;		/* FIN sent */
	bool replied;		/* http: response queued */
	bool failed;
	bool hup;		/* hung up while we waited for stdin */
	unsigned int hdr_match;	/* http: how much of CRLF CRLF was seen */
};

struct server {
	const struct vtcpctl_opts *o;
	int lfd;			/* the listener, or -1 (connect) */
	struct conn *conns[MAX_CONNS];
	unsigned int nconns;
	unsigned long accepted, closed;
	bool stdin_eof;
	int status;
};

static volatile sig_atomic_t stopping;
static char scratch[BUF_SIZE];

static void on_signal(int sig)
{
	(void)sig;
	stopping = 1;
}

static void setup_signals(void)
{
	struct sigaction sa = { .sa_handler = on_signal };

	/* No SA_RESTART: poll() and a blocking connect return EINTR. */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	/* A write to a closed connection or stdout is an error, not a death. */
	signal(SIGPIPE, SIG_IGN);
}

static const char *opt_flag(unsigned int name)
{
	switch (name) {
	case VTCP_OPT_NODELAY:		return "--nodelay";
	case VTCP_OPT_SNDBUF:		return "--sndbuf";
	case VTCP_OPT_RCVBUF:		return "--rcvbuf";
	case VTCP_OPT_CONGESTION:	return "--cc";
	case VTCP_OPT_USER_TIMEOUT:	return "--user-timeout";
	default:			return "--keepalive";
	}
}

/* A /dev/vtcp handle with the command line's options set, or -1. */
static int open_handle(const struct vtcpctl_opts *o)
{
	unsigned int i;
	int fd;

	fd = open("/dev/vtcp", O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		vtcpctl_err(errno, "open /dev/vtcp");
		if (errno == ENOENT || errno == ENODEV)
			vtcpctl_warn("(is vtcp loaded? insmod vtcp.ko)");
		return -1;
	}
	for (i = 0; i < o->nr_setopts; i++) {
		if (!ioctl(fd, VTCP_IOC_SETOPT, &o->setopts[i]))
			continue;
		vtcpctl_err(errno, "%s", opt_flag(o->setopts[i].name));
		if (o->setopts[i].name == VTCP_OPT_CONGESTION && errno == ENOENT)
			vtcpctl_warn("(vtcp has no congestion control '%s')",
				     o->setopts[i].str);
		close(fd);
		return -1;
	}
	return fd;
}

static void no_vtcp_device(int err, const char *dev)
{
	if (err == ENODEV)
		vtcpctl_warn("(%s is not a vtcp device of this network namespace)",
			     dev);
}

static const char *const mode_names[] = {
	[MODE_CAT] = "cat", [MODE_ECHO] = "echo",
	[MODE_DISCARD] = "discard", [MODE_HTTP] = "http",
};

/* @active: vtcp opened it (connect), rather than the peer (accept). */
static struct conn *conn_new(struct server *s, int fd,
			     const struct vtcp_endpoint *local,
			     const struct vtcp_endpoint *remote, bool active)
{
	char l[64], r[64];
	struct conn *c;

	c = calloc(1, sizeof(*c));
	if (c)
		c->buf = malloc(BUF_SIZE);
	if (!c || !c->buf) {
		vtcpctl_err(ENOMEM, "a new connection");
		free(c);
		close(fd);
		return NULL;
	}
	c->fd = fd;
	vtcpctl_format_ep(local, l, sizeof(l));
	vtcpctl_format_ep(remote, r, sizeof(r));
	snprintf(c->name, sizeof(c->name), "%s %s %s", l, active ? "->" : "<-", r);
	/* --cat with stdin already at its end: nothing to send. */
	c->want_shut = s->o->mode == MODE_CAT && s->stdin_eof;
	s->conns[s->nconns++] = c;
	return c;
}

static void conn_close(struct server *s, unsigned int i)
{
	struct conn *c = s->conns[i];

	if (s->o->verbose)
		vtcpctl_print_info(c->fd, c->name);
	close(c->fd);
	free(c->buf);
	free(c);
	s->conns[i] = s->conns[--s->nconns];
	s->closed++;
}

static void conn_fail(struct server *s, struct conn *c, int err,
		      const char *what)
{
	vtcpctl_err(err, "%s: %s", c->name, what);
	c->failed = true;
	s->status = EXIT_FAIL;
}

static void http_reply(struct server *s, struct conn *c)
{
	char body[BUF_SIZE / 2];
	int n;

	if (s->o->http_body)
		n = snprintf(body, sizeof(body), "%s\n", s->o->http_body);
	else
		n = snprintf(body, sizeof(body),
			     "Hello from vtcp!\n"
			     "This page was written to /dev/vtcp by vtcpctl, and vtcp sent it\n"
			     "to you as TCP segments from inside the kernel.\n"
			     "connection: %s\n", c->name);
	if (n >= (int)sizeof(body))
		n = sizeof(body) - 1;
	c->len = snprintf(c->buf, BUF_SIZE,
			  "HTTP/1.1 200 OK\r\n"
			  "Server: vtcpctl\r\n"
			  "Content-Type: text/plain\r\n"
			  "Content-Length: %d\r\n"
			  "Connection: close\r\n\r\n%s", n, body);
	c->off = 0;
	c->replied = true;
	c->want_shut = true;
}

/* http: has the end of the request's header (CRLF CRLF) gone by? */
static bool http_header_end(struct conn *c, const char *p, size_t n)
{
	static const char end[] = "\r\n\r\n";
	size_t i;

	for (i = 0; i < n && c->hdr_match < 4; i++) {
		if (p[i] == end[c->hdr_match])
			c->hdr_match++;
		else
			c->hdr_match = p[i] == '\r';
	}
	return c->hdr_match == 4;
}

static int write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -1;
		p += w;
		n -= w;
	}
	return 0;
}

/* The connection is readable (or at its end, or failed). */
static void conn_input(struct server *s, struct conn *c)
{
	bool echo = s->o->mode == MODE_ECHO;
	char *dst = echo ? c->buf : scratch;
	ssize_t n;

	n = read(c->fd, dst, BUF_SIZE);
	if (n < 0) {
		if (errno != EAGAIN && errno != EINTR)
			conn_fail(s, c, errno, "read");
		return;
	}
	if (!n) {
		c->rd_eof = true;
		if (echo || (s->o->mode == MODE_HTTP && !c->replied))
			c->want_shut = true;
		return;
	}
	switch (s->o->mode) {
	case MODE_ECHO:
		c->off = 0;
		c->len = n;
		break;
	case MODE_HTTP:
		if (!c->replied && http_header_end(c, dst, n))
			http_reply(s, c);
		break;
	case MODE_CAT:
		if (write_all(STDOUT_FILENO, dst, n)) {
			vtcpctl_err(errno, "write to stdout");
			s->status = EXIT_FAIL;
			stopping = 1;
		}
		break;
	case MODE_DISCARD:
		break;
	}
}

/* Send what waits in the buffer, then our FIN if it is due. */
static void conn_output(struct server *s, struct conn *c)
{
	__u32 how = VTCP_SHUT_WR;

	while (c->off < c->len) {
		ssize_t n = write(c->fd, c->buf + c->off, c->len - c->off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			if (errno != EAGAIN)
				conn_fail(s, c, errno, "write");
			return;
		}
		c->off += n;
	}
	c->off = 0;
	c->len = 0;
	if (c->want_shut && !c->shut_wr) {
		c->shut_wr = true;
		if (ioctl(c->fd, VTCP_IOC_SHUTDOWN, &how) && errno != ENOTCONN)
			conn_fail(s, c, errno, "shutdown");
	}
}

/* --cat: stdin is readable; its bytes go to the connection. */
static void stdin_input(struct server *s, struct conn *c)
{
	ssize_t n = read(STDIN_FILENO, c->buf, BUF_SIZE);

	if (n < 0) {
		if (errno == EAGAIN || errno == EINTR)
			return;
		vtcpctl_err(errno, "read stdin");
		s->status = EXIT_FAIL;
		n = 0;
	}
	if (!n) {
		s->stdin_eof = true;
		c->want_shut = true;
	}
	c->off = 0;
	c->len = n;
	conn_output(s, c);
}

/*
 * A connection we neither read nor write (--cat, waiting for stdin after
 * the peer's FIN) hung up or failed: it is over.
 */
static void conn_hangup(struct server *s, struct conn *c)
{
	struct vtcp_opt opt = { .name = VTCP_OPT_ERROR };

	if (!ioctl(c->fd, VTCP_IOC_GETOPT, &opt) && opt.value)
		conn_fail(s, c, -(int)(__s64)opt.value, "connection");
	c->hup = true;
}

static bool conn_done(const struct server *s, const struct conn *c)
{
	if (c->failed || c->hup)
		return true;
	switch (s->o->mode) {
	case MODE_ECHO:
		return c->rd_eof && c->shut_wr;
	case MODE_HTTP:
		return c->rd_eof && c->off == c->len;
	case MODE_CAT:
		/* Both ways done, as nc -N: what stdin still has goes out. */
		return c->rd_eof && s->stdin_eof;
	default:
		return c->rd_eof;
	}
}

static void do_accept(struct server *s)
{
	struct vtcp_accept acc = {
		.flags = VTCP_ACCEPT_CLOEXEC | VTCP_ACCEPT_NONBLOCK,
	};
	struct conn *c;
	int fd;

	fd = ioctl(s->lfd, VTCP_IOC_ACCEPT, &acc);
	if (fd < 0) {
		if (errno == EAGAIN || errno == EINTR || errno == ECONNABORTED)
			return;
		vtcpctl_err(errno, "accept");
		s->status = EXIT_FAIL;
		stopping = 1;
		return;
	}
	s->accepted++;
	c = conn_new(s, fd, &acc.local, &acc.remote, false);
	if (!c)
		return;
	if (s->o->verbose)
		vtcpctl_warn("accepted %s", c->name);
	conn_output(s, c);	/* the FIN, if --cat has no stdin left */
}

static bool can_accept(const struct server *s)
{
	const struct vtcpctl_opts *o = s->o;

	return s->lfd >= 0 && s->nconns < MAX_CONNS &&
	       (!o->count || s->accepted < o->count) &&
	       (o->mode != MODE_CAT || !s->nconns);
}

static bool finished(const struct server *s)
{
	if (s->lfd < 0)
		return !s->nconns;
	return s->o->count && s->closed >= s->o->count;
}

/* Poll the listener, stdin and every connection until done or a signal. */
static int serve(struct server *s)
{
	struct pollfd pfd[MAX_CONNS + 2];
	struct conn *who[MAX_CONNS + 2];
	unsigned int i, n;
	bool cat = s->o->mode == MODE_CAT;

	while (!stopping && !finished(s)) {
		n = 0;
		if (can_accept(s)) {
			pfd[n] = (struct pollfd){ .fd = s->lfd, .events = POLLIN };
			who[n++] = NULL;
		}
		if (cat && s->nconns && !s->stdin_eof && !s->conns[0]->len) {
			pfd[n] = (struct pollfd){ .fd = STDIN_FILENO, .events = POLLIN };
			who[n++] = s->conns[0];
		}
		for (i = 0; i < s->nconns; i++) {
			struct conn *c = s->conns[i];
			short ev = 0;

			if (!c->rd_eof && !(s->o->mode == MODE_ECHO && c->len))
				ev |= POLLIN;
			if (c->len)
				ev |= POLLOUT;
			pfd[n] = (struct pollfd){ .fd = c->fd, .events = ev };
			who[n++] = c;
		}
		if (poll(pfd, n, -1) < 0) {
			if (errno == EINTR)
				continue;
			vtcpctl_err(errno, "poll");
			return EXIT_FAIL;
		}
		for (i = 0; i < n; i++) {
			short re = pfd[i].revents;

			if (!re)
				continue;
			if (!who[i]) {
				do_accept(s);
				continue;
			}
			if (pfd[i].fd == STDIN_FILENO) {
				stdin_input(s, who[i]);
				continue;
			}
			/*
			 * An echo connection with output waiting is not read
			 * (its buffer is in use): a pending error then shows
			 * up on the write.
			 */
			if ((pfd[i].events & POLLIN) &&
			    (re & (POLLIN | POLLHUP | POLLERR)))
				conn_input(s, who[i]);
			else if (!pfd[i].events)
				conn_hangup(s, who[i]);
			if (!who[i]->failed)
				conn_output(s, who[i]);
		}
		for (i = s->nconns; i-- > 0;)
			if (conn_done(s, s->conns[i]))
				conn_close(s, i);
	}
	while (s->nconns)
		conn_close(s, s->nconns - 1);
	return s->status;
}

int vtcpctl_listen(const struct vtcpctl_opts *o, const char *addr)
{
	struct server s = { .o = o, .lfd = -1 };
	struct vtcp_listen req = { .backlog = 128 };
	char name[64];
	int ret;

	const char *dev = o->dev ?: "vtcp0";

	if (vtcpctl_parse_ep(addr, &req.local, false, false))
		return EXIT_USAGE;
	req.ifindex = vtcpctl_ifindex(dev);
	if (!req.ifindex)
		return EXIT_FAIL;
	setup_signals();
	s.lfd = open_handle(o);
	if (s.lfd < 0)
		return EXIT_FAIL;
	vtcpctl_format_ep(&req.local, name, sizeof(name));
	if (ioctl(s.lfd, VTCP_IOC_LISTEN, &req)) {
		vtcpctl_err(errno, "listen on %s %s", dev, name);
		no_vtcp_device(errno, dev);
		close(s.lfd);
		return EXIT_FAIL;
	}
	if (o->verbose)
		vtcpctl_warn("listening on %s %s (%s)", dev, name,
			     mode_names[o->mode]);
	ret = serve(&s);
	close(s.lfd);
	return ret;
}

int vtcpctl_connect(const struct vtcpctl_opts *o, const char *local,
		    const char *remote)
{
	struct server s = { .o = o, .lfd = -1 };
	struct vtcp_connect req = { 0 };
	struct vtcp_info info;
	char l[64], r[64];
	int fd;

	const char *dev = o->dev ?: "vtcp0";

	if (vtcpctl_parse_ep(local, &req.local, true, false) ||
	    vtcpctl_parse_ep(remote, &req.remote, true, true))
		return EXIT_USAGE;
	if (req.local.family != req.remote.family) {
		vtcpctl_warn("%s and %s are not of one family", local, remote);
		return EXIT_USAGE;
	}
	req.ifindex = vtcpctl_ifindex(dev);
	if (!req.ifindex)
		return EXIT_FAIL;
	setup_signals();
	fd = open_handle(o);
	if (fd < 0)
		return EXIT_FAIL;
	vtcpctl_format_ep(&req.local, l, sizeof(l));
	vtcpctl_format_ep(&req.remote, r, sizeof(r));
	if (ioctl(fd, VTCP_IOC_CONNECT, &req)) {
		vtcpctl_err(errno, "connect from %s to %s on %s", l, r, dev);
		no_vtcp_device(errno, dev);
		close(fd);
		return EXIT_FAIL;
	}
	/* The port vtcp picked, if we let it. */
	memset(&info, 0, sizeof(info));
	if (!ioctl(fd, VTCP_IOC_INFO, &info))
		req.local = info.local;
	if (fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)) {
		vtcpctl_err(errno, "fcntl O_NONBLOCK");
		close(fd);
		return EXIT_FAIL;
	}
	if (!conn_new(&s, fd, &req.local, &req.remote, true))
		return EXIT_FAIL;
	if (o->verbose)
		vtcpctl_warn("connected %s", s.conns[0]->name);
	conn_output(&s, s.conns[0]);
	return serve(&s);
}
