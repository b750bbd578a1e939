// SPDX-License-Identifier: GPL-2.0
/* vtcp's side through /dev/vtcp: endpoints, listeners, options, info. */
#include "vtcp_util.h"

/* Fill a vtcp endpoint from a textual address ("" or NULL: any). */
void vtcp_ep(struct vtcp_endpoint *ep, const char *addr, unsigned short port)
{
	memset(ep, 0, sizeof(*ep));
	ep->port = htons(port);
	if (!addr || !*addr) {
		ep->family = AF_UNSPEC;
	} else if (strchr(addr, ':')) {
		ep->family = AF_INET6;
		inet_pton(AF_INET6, addr, ep->addr6);
	} else {
		ep->family = AF_INET;
		inet_pton(AF_INET, addr, &ep->addr4);
	}
}

/* A /dev/vtcp listener on @dev; returns its fd or -errno. */
int vtcp_listen_on(const char *dev, const char *addr, unsigned short port,
		   int backlog)
{
	struct vtcp_listen req = { .ifindex = if_nametoindex(dev),
				   .backlog = backlog };
	int fd = open(VTCP_DEV_PATH, O_RDWR | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	vtcp_ep(&req.local, addr, port);
	if (ioctl(fd, VTCP_IOC_LISTEN, &req)) {
		int err = -errno;

		close(fd);
		return err;
	}
	return fd;
}

/* Accept on a listener; returns the connection's fd or -errno. */
int vtcp_accept_on(int lfd, unsigned int flags, struct vtcp_accept *out)
{
	struct vtcp_accept req = { .flags = flags };
	int fd = ioctl(lfd, VTCP_IOC_ACCEPT, &req);

	if (fd < 0)
		return -errno;
	if (out)
		*out = req;
	return fd;
}

/* vtcp opens a connection from @laddr to the host at @raddr:@rport. */
int vtcp_connect_to(const char *dev, const char *laddr, unsigned short lport,
		    const char *raddr, unsigned short rport, int flags)
{
	struct vtcp_connect req = { .ifindex = if_nametoindex(dev) };
	int fd = open(VTCP_DEV_PATH, O_RDWR | O_CLOEXEC | flags);

	if (fd < 0)
		return -errno;
	vtcp_ep(&req.local, laddr, lport);
	vtcp_ep(&req.remote, raddr, rport);
	if (ioctl(fd, VTCP_IOC_CONNECT, &req) && errno != EINPROGRESS) {
		int err = -errno;

		close(fd);
		return err;
	}
	return fd;
}

int vtcp_set_opt(int fd, __u32 name, __u64 value)
{
	struct vtcp_opt opt = { .name = name, .value = value };

	return ioctl(fd, VTCP_IOC_SETOPT, &opt) ? -errno : 0;
}

/* Get a numeric option into *@value; returns 0 or -errno. */
int vtcp_get_opt(int fd, __u32 name, __u64 *value)
{
	struct vtcp_opt opt = { .name = name };

	if (ioctl(fd, VTCP_IOC_GETOPT, &opt))
		return -errno;
	*value = opt.value;
	return 0;
}

/* VTCP_OPT_ERROR as an int: the pending error (-errno), cleared; or -errno. */
int vtcp_so_error(int fd)
{
	__u64 v = 0;
	int ret = vtcp_get_opt(fd, VTCP_OPT_ERROR, &v);

	return ret ? ret : (int)(__s64)v;
}

int vtcp_get_info(int fd, struct vtcp_info *info)
{
	memset(info, 0, sizeof(*info));
	return ioctl(fd, VTCP_IOC_INFO, info) ? -errno : 0;
}

/* The connection's state (enum vtcp_state), or -errno. */
int vtcp_state_of(int fd)
{
	struct vtcp_info info;
	int ret = vtcp_get_info(fd, &info);

	return ret ? ret : info.state;
}

/* Wait up to @ms for the connection to reach @state; returns it or the last. */
int vtcp_wait_state(int fd, int state, int ms)
{
	long long end = vtcp_now_ms() + ms;
	int st;

	while ((st = vtcp_state_of(fd)) != state && vtcp_now_ms() < end)
		usleep(2000);
	return st;
}

/* Bytes of @fd's receive queue ready to read (vtcp_info.rcv_queued). */
int vtcp_rcv_queued(int fd)
{
	struct vtcp_info info;
	int ret = vtcp_get_info(fd, &info);

	return ret ? ret : (int)info.rcv_queued;
}

/* Wait up to @ms until @fd (vtcp) has at least @bytes ready to read. */
int vtcp_wait_queued(int fd, int bytes, int ms)
{
	long long end = vtcp_now_ms() + ms;
	int q;

	while ((q = vtcp_rcv_queued(fd)) >= 0 && q < bytes &&
	       vtcp_now_ms() < end)
		usleep(2000);
	return q;
}
