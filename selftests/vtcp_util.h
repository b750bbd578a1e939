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

/* A host TCP socket connected (blocking) to @addr:@port, or -errno. */
static inline int vtcp_host_connect(const char *addr, unsigned short port)
{
	struct sockaddr_storage ss = {};
	socklen_t len;
	int fd;

	if (strchr(addr, ':')) {
		struct sockaddr_in6 *s6 = (void *)&ss;

		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(port);
		inet_pton(AF_INET6, addr, &s6->sin6_addr);
		len = sizeof(*s6);
	} else {
		struct sockaddr_in *s4 = (void *)&ss;

		s4->sin_family = AF_INET;
		s4->sin_port = htons(port);
		inet_pton(AF_INET, addr, &s4->sin_addr);
		len = sizeof(*s4);
	}
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
	struct sockaddr_storage ss = {};
	socklen_t len;
	int fd, one = 1;

	if (strchr(addr, ':')) {
		struct sockaddr_in6 *s6 = (void *)&ss;

		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(port);
		inet_pton(AF_INET6, addr, &s6->sin6_addr);
		len = sizeof(*s6);
	} else {
		struct sockaddr_in *s4 = (void *)&ss;

		s4->sin_family = AF_INET;
		s4->sin_port = htons(port);
		inet_pton(AF_INET, addr, &s4->sin_addr);
		len = sizeof(*s4);
	}
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

#endif /* _VTCP_SELFTEST_UTIL_H */
