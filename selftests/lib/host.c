// SPDX-License-Identifier: GPL-2.0
/*
 * The host's own TCP sockets, and connected pairs of a host socket and a
 * vtcp connection on vtcp0.
 */
#include "vtcp_util.h"

/* @addr (IPv4 or IPv6, numeric) and @port as a sockaddr; its length. */
socklen_t vtcp_host_sockaddr(struct sockaddr_storage *ss, const char *addr,
			     unsigned short port)
{
	struct sockaddr_in6 *s6 = (void *)ss;
	struct sockaddr_in *s4 = (void *)ss;

	memset(ss, 0, sizeof(*ss));
	if (strchr(addr, ':')) {
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(port);
		inet_pton(AF_INET6, addr, &s6->sin6_addr);
		return sizeof(*s6);
	}
	s4->sin_family = AF_INET;
	s4->sin_port = htons(port);
	inet_pton(AF_INET, addr, &s4->sin_addr);
	return sizeof(*s4);
}

/* A host TCP socket connected (blocking) to @addr:@port, or -errno. */
int vtcp_host_connect(const char *addr, unsigned short port)
{
	struct sockaddr_storage ss;
	socklen_t len;
	int fd;

	len = vtcp_host_sockaddr(&ss, addr, port);
	fd = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (connect(fd, (void *)&ss, len)) {
		int err = -errno;

		close(fd);
		return err;
	}
	return fd;
}

/* A host TCP listener on @addr:@port, or -errno. */
int vtcp_host_listen(const char *addr, unsigned short port)
{
	struct sockaddr_storage ss;
	int fd, one = 1;
	socklen_t len;

	len = vtcp_host_sockaddr(&ss, addr, port);
	fd = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (void *)&ss, len) || listen(fd, 128)) {
		int err = -errno;

		close(fd);
		return err;
	}
	return fd;
}

/* Close a host socket with a RST (SO_LINGER with a zero timeout). */
int vtcp_host_abort(int fd)
{
	struct linger lg = { .l_onoff = 1, .l_linger = 0 };

	if (setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg)))
		return -errno;
	return close(fd) ? -errno : 0;
}

/* The host connects to a vtcp listener on @addr:@port; vtcp accepts. */
int vtcp_pair_open(struct vtcp_pair *p, const char *addr, unsigned short port)
{
	p->hfd = -1;
	p->vfd = -1;
	p->lfd = vtcp_listen_on("vtcp0", addr, port, 16);
	if (p->lfd < 0)
		return p->lfd;
	p->hfd = vtcp_host_connect(addr, port);
	if (p->hfd < 0)
		return p->hfd;
	p->vfd = vtcp_accept_on(p->lfd, 0, NULL);
	return p->vfd < 0 ? p->vfd : 0;
}

/* vtcp connects from @laddr to a host listener on @raddr:@port. */
int vtcp_pair_connect(struct vtcp_pair *p, const char *laddr,
		      const char *raddr, unsigned short port)
{
	int hl = vtcp_host_listen(raddr, port);

	p->lfd = -1;
	p->hfd = -1;
	p->vfd = -1;
	if (hl < 0)
		return hl;
	p->vfd = vtcp_connect_to("vtcp0", laddr, 0, raddr, port, 0);
	if (p->vfd >= 0)
		p->hfd = accept4(hl, NULL, NULL, SOCK_CLOEXEC);
	close(hl);
	if (p->vfd < 0)
		return p->vfd;
	return p->hfd < 0 ? -errno : 0;
}

void vtcp_pair_close(struct vtcp_pair *p)
{
	if (p->vfd >= 0)
		close(p->vfd);
	if (p->hfd >= 0)
		close(p->hfd);
	if (p->lfd >= 0)
		close(p->lfd);
	p->lfd = -1;
	p->hfd = -1;
	p->vfd = -1;
}
