/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by vtcp's selftests: the module, devices and commands.
 * The guest job passes VTCP_DIR, the directory holding vtcp.ko.
 */
#ifndef _VTCP_SELFTEST_UTIL_H
#define _VTCP_SELFTEST_UTIL_H

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <pthread.h>
#include <time.h>
#include <sys/wait.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/vtcp.h>

#define VTCP_DEV_PATH "/dev/vtcp"

static inline int vtcp_module_load(const char *params)
{
	char path[4096];
	const char *dir = getenv("VTCP_DIR");
	int fd, ret;

	snprintf(path, sizeof(path), "%s/vtcp.ko", dir ? dir : ".");
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ret = syscall(__NR_finit_module, fd, params ? params : "", 0);
	ret = ret ? -errno : 0;
	close(fd);
	return ret;
}

static inline int vtcp_module_unload(void)
{
	return syscall(__NR_delete_module, "vtcp", O_NONBLOCK) ? -errno : 0;
}

static inline int vtcp_module_loaded(void)
{
	return access("/sys/module/vtcp", F_OK) == 0;
}

/* Make sure vtcp is loaded with default parameters. */
static inline int vtcp_module_ensure(void)
{
	int ret;

	if (vtcp_module_loaded())
		return 0;
	ret = vtcp_module_load(NULL);
	return ret == -EEXIST ? 0 : ret;
}

/* Run a shell command built with printf; returns its exit status. */
static inline int vtcp_sh(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));
static inline int vtcp_sh(const char *fmt, ...)
{
	char cmd[4096];
	va_list ap;
	int st;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	st = system(cmd);
	if (st == -1 || !WIFEXITED(st))
		return -1;
	return WEXITSTATUS(st);
}

/* Read a decimal number from a sysfs or procfs file; -1 if unreadable. */
static inline long long vtcp_read_num(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));
static inline long long vtcp_read_num(const char *fmt, ...)
{
	char path[512];
	long long v = -1;
	va_list ap;
	FILE *f;

	va_start(ap, fmt);
	vsnprintf(path, sizeof(path), fmt, ap);
	va_end(ap);
	f = fopen(path, "r");
	if (!f)
		return -1;
	if (fscanf(f, "%lli", &v) != 1)
		v = -1;
	fclose(f);
	return v;
}

/* A count from /sys/kernel/debug/vtcp/objects ("connections", ...), or -1. */
static inline long vtcp_objects(const char *what)
{
	char line[128], name[64];
	long v = -1, n;
	FILE *f = fopen("/sys/kernel/debug/vtcp/objects", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%63s %ld", name, &n) == 2 && !strcmp(name, what))
			v = n;
	fclose(f);
	return v;
}

static inline int vtcp_netdev_exists(const char *name)
{
	char path[256];

	snprintf(path, sizeof(path), "/sys/class/net/%s", name);
	return access(path, F_OK) == 0;
}

/* Fill a vtcp endpoint from a textual address ("" or NULL: any). */
static inline void vtcp_ep(struct vtcp_endpoint *ep, const char *addr,
			   unsigned short port)
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
static inline int vtcp_listen_on(const char *dev, const char *addr,
				 unsigned short port, int backlog)
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
static inline int vtcp_accept_on(int lfd, unsigned int flags,
				 struct vtcp_accept *out)
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
static inline int vtcp_connect_to(const char *dev, const char *laddr,
				  unsigned short lport, const char *raddr,
				  unsigned short rport, int flags)
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

/* @addr (IPv4 or IPv6, numeric) and @port as a sockaddr; its length. */
static inline socklen_t vtcp_host_sockaddr(struct sockaddr_storage *ss,
					   const char *addr,
					   unsigned short port)
{
	memset(ss, 0, sizeof(*ss));
	if (strchr(addr, ':')) {
		struct sockaddr_in6 *s6 = (void *)ss;

		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(port);
		inet_pton(AF_INET6, addr, &s6->sin6_addr);
		return sizeof(*s6);
	} else {
		struct sockaddr_in *s4 = (void *)ss;

		s4->sin_family = AF_INET;
		s4->sin_port = htons(port);
		inet_pton(AF_INET, addr, &s4->sin_addr);
		return sizeof(*s4);
	}
}

/* A host TCP socket connected (blocking) to @addr:@port, or -errno. */
static inline int vtcp_host_connect(const char *addr, unsigned short port)
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
static inline int vtcp_host_listen(const char *addr, unsigned short port)
{
	struct sockaddr_storage ss;
	socklen_t len;
	int fd, one = 1;

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

/* Half-close for writing: a host socket or a vtcp connection. */
static inline int vtcp_shut_wr(int fd)
{
	__u32 how = VTCP_SHUT_WR;

	if (!shutdown(fd, SHUT_WR))
		return 0;
	if (errno != ENOTSOCK)
		return -errno;
	return ioctl(fd, VTCP_IOC_SHUTDOWN, &how) ? -errno : 0;
}

/* Write all of @len bytes; returns 0 or -errno. */
static inline int vtcp_write_all(int fd, const void *buf, size_t len)
{
	while (len) {
		ssize_t n = write(fd, buf, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		buf = (const char *)buf + n;
		len -= n;
	}
	return 0;
}

/* Read exactly @len bytes; returns 0, -errno, or -EPIPE at early EOF. */
static inline int vtcp_read_all(int fd, void *buf, size_t len)
{
	while (len) {
		ssize_t n = read(fd, buf, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (!n)
			return -EPIPE;
		buf = (char *)buf + n;
		len -= n;
	}
	return 0;
}

struct vtcp_writer {
	int fd;
	const void *buf;
	size_t len;
	int ret;
};

static inline void *vtcp_writer_main(void *arg)
{
	struct vtcp_writer *w = arg;

	w->ret = vtcp_write_all(w->fd, w->buf, w->len);
	return NULL;
}

/*
 * Move @len bytes of @in from @wfd to @rfd into @out, writing from a
 * thread while reading: more than the buffers between the two ends hold
 * (receive buffers start small and grow as the reader reads, as Linux's).
 * Returns 0 or -errno.
 */
static inline int vtcp_pass(int wfd, int rfd, const void *in, void *out,
				size_t len)
{
	struct vtcp_writer w = { .fd = wfd, .buf = in, .len = len };
	pthread_t t;
	int ret;

	ret = pthread_create(&t, NULL, vtcp_writer_main, &w);
	if (ret)
		return -ret;
	ret = vtcp_read_all(rfd, out, len);
	if (ret)
		/* Unblock the writer: nobody reads any more. */
		shutdown(wfd, SHUT_RDWR);
	pthread_join(t, NULL);
	return ret ?: w.ret;
}

/* A reproducible byte stream: byte @off of stream @seed. */
static inline unsigned char vtcp_pattern(unsigned int seed, unsigned long off)
{
	unsigned long x = (off / 8 + 1) * 0x9E3779B97F4A7C15UL ^ seed;

	x ^= x >> 29;
	x *= 0xBF58476D1CE4E5B9UL;
	x ^= x >> 32;
	return (unsigned char)(x >> ((off % 8) * 8));
}

static inline void vtcp_fill(unsigned char *buf, size_t len, unsigned int seed,
			     unsigned long off)
{
	size_t i;

	for (i = 0; i < len; i++)
		buf[i] = vtcp_pattern(seed, off + i);
}

/* Offset of the first byte that differs from the pattern, or -1. */
static inline long vtcp_check(const unsigned char *buf, size_t len,
			      unsigned int seed, unsigned long off)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (buf[i] != vtcp_pattern(seed, off + i))
			return off + i;
	return -1;
}

/*
 * The addresses most tests use: the host owns .1 of each prefix on vtcp0,
 * and every other address of the prefix is routed into the device, where
 * vtcp answers.
 */
#define VTCP_HOST4	"192.0.2.1"
#define VTCP_ADDR4	"192.0.2.2"
#define VTCP_HOST6	"2001:db8::1"
#define VTCP_ADDR6	"2001:db8::2"

/* Bring @dev up with the host's addresses on it; returns 0 on success. */
static inline int vtcp_net_up(const char *dev)
{
	return vtcp_sh("ip link set %s up && "
		       "ip addr replace " VTCP_HOST4 "/24 dev %s && "
		       "ip -6 addr replace " VTCP_HOST6 "/64 dev %s nodad",
		       dev, dev, dev);
}

/* A connection between a host socket and vtcp, and the listener it came from. */
struct vtcp_pair {
	int lfd;	/* the vtcp listener (-1 for an active open) */
	int hfd;	/* the host's socket */
	int vfd;	/* vtcp's end */
};

/* The host connects to a vtcp listener on @addr:@port; vtcp accepts. */
static inline int vtcp_pair_open(struct vtcp_pair *p, const char *addr,
				 unsigned short port)
{
	p->hfd = p->vfd = -1;
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
static inline int vtcp_pair_connect(struct vtcp_pair *p, const char *laddr,
				    const char *raddr, unsigned short port)
{
	int hl = vtcp_host_listen(raddr, port);

	p->lfd = p->hfd = p->vfd = -1;
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

static inline void vtcp_pair_close(struct vtcp_pair *p)
{
	if (p->vfd >= 0)
		close(p->vfd);
	if (p->hfd >= 0)
		close(p->hfd);
	if (p->lfd >= 0)
		close(p->lfd);
	p->lfd = p->hfd = p->vfd = -1;
}

/* Close a host socket with a RST (SO_LINGER with a zero timeout). */
static inline int vtcp_host_abort(int fd)
{
	struct linger lg = { .l_onoff = 1, .l_linger = 0 };

	if (setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg)))
		return -errno;
	return close(fd) ? -errno : 0;
}

static inline int vtcp_set_opt(int fd, __u32 name, __u64 value)
{
	struct vtcp_opt opt = { .name = name, .value = value };

	return ioctl(fd, VTCP_IOC_SETOPT, &opt) ? -errno : 0;
}

/* Get a numeric option into *@value; returns 0 or -errno. */
static inline int vtcp_get_opt(int fd, __u32 name, __u64 *value)
{
	struct vtcp_opt opt = { .name = name };

	if (ioctl(fd, VTCP_IOC_GETOPT, &opt))
		return -errno;
	*value = opt.value;
	return 0;
}

/* VTCP_OPT_ERROR as an int: the pending error (-errno), cleared; or -errno. */
static inline int vtcp_so_error(int fd)
{
	__u64 v = 0;
	int ret = vtcp_get_opt(fd, VTCP_OPT_ERROR, &v);

	return ret ? ret : (int)(__s64)v;
}

static inline int vtcp_get_info(int fd, struct vtcp_info *info)
{
	memset(info, 0, sizeof(*info));
	return ioctl(fd, VTCP_IOC_INFO, info) ? -errno : 0;
}

/* The connection's state (enum vtcp_state), or -errno. */
static inline int vtcp_state_of(int fd)
{
	struct vtcp_info info;
	int ret = vtcp_get_info(fd, &info);

	return ret ? ret : info.state;
}

static inline long long vtcp_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

/* Wait up to @ms for the connection to reach @state; returns it or the last. */
static inline int vtcp_wait_state(int fd, int state, int ms)
{
	long long end = vtcp_now_ms() + ms;
	int st;

	while ((st = vtcp_state_of(fd)) != state && vtcp_now_ms() < end)
		usleep(2000);
	return st;
}

/* poll() one fd for @events for up to @ms; returns revents (0: timeout). */
static inline int vtcp_poll1(int fd, short events, int ms)
{
	struct pollfd pfd = { .fd = fd, .events = events };
	int n = poll(&pfd, 1, ms);

	return n < 0 ? -errno : n ? pfd.revents : 0;
}

/* Bytes of @fd's receive queue ready to read (vtcp_info.rcv_queued). */
static inline int vtcp_rcv_queued(int fd)
{
	struct vtcp_info info;
	int ret = vtcp_get_info(fd, &info);

	return ret ? ret : (int)info.rcv_queued;
}

/* Wait up to @ms until @fd (vtcp) has at least @bytes ready to read. */
static inline int vtcp_wait_queued(int fd, int bytes, int ms)
{
	long long end = vtcp_now_ms() + ms;
	int q;

	while ((q = vtcp_rcv_queued(fd)) >= 0 && q < bytes &&
	       vtcp_now_ms() < end)
		usleep(2000);
	return q;
}

/* The lowest free descriptor number: a new fd would get this one. */
static inline int vtcp_next_fd(void)
{
	int fd = open("/dev/null", O_RDONLY);

	if (fd >= 0)
		close(fd);
	return fd;
}

#endif /* _VTCP_SELFTEST_UTIL_H */
