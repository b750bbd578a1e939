/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The helpers vtcp's selftests share, defined in selftests/lib/ and linked
 * into every test (libvtcp.a): each group below names the file that
 * defines it, and the comment at each definition says what it does. The
 * includes are the ones every test needs.
 */
#ifndef _VTCP_SELFTEST_UTIL_H
#define _VTCP_SELFTEST_UTIL_H

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
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

#ifndef ARRAY_SIZE	/* as kselftest.h has it */
#define ARRAY_SIZE(arr) (sizeof(arr) / sizeof((arr)[0]))
#endif

/*
 * The addresses most tests use: the host owns .1 of each prefix on vtcp0,
 * and every other address of the prefix is routed into the device, where
 * vtcp answers.
 */
#define VTCP_HOST4	"192.0.2.1"
#define VTCP_ADDR4	"192.0.2.2"
#define VTCP_HOST6	"2001:db8::1"
#define VTCP_ADDR6	"2001:db8::2"

/* module.c: vtcp.ko (from $VTCP_DIR) and its debugfs object counts. */
int vtcp_module_load(const char *params);
int vtcp_module_unload(void);
int vtcp_module_loaded(void);
int vtcp_module_ensure(void);
long vtcp_objects(const char *what);

/* sys.c: shell commands, files, the clock, descriptors. */
int vtcp_sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
long long vtcp_read_num(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));
int vtcp_write_file(const char *path, const char *s);
long long vtcp_now_ms(void);
int vtcp_next_fd(void);

/* net.c: devices and namespaces. */
int vtcp_netdev_exists(const char *name);
int vtcp_net_up(const char *dev);
int vtcp_net_up4(const char *dev);
int vtcp_setns(const char *name);

/* ns.c: users, namespaces, rtnetlink links, descriptors over AF_UNIX. */
int vtcp_become_user(uid_t uid);
int vtcp_own_namespaces(void);
int vtcp_link_add(const char *name, int ifindex, const char *kind, int nsfd);
int vtcp_link_move(int ifindex, int nsfd);
int vtcp_send_fds(int sock, const int *fds, int n);
int vtcp_recv_fds(int sock, int *fds, int n);

/* api.c: vtcp's side, through /dev/vtcp. */
void vtcp_ep(struct vtcp_endpoint *ep, const char *addr, unsigned short port);
int vtcp_listen_on(const char *dev, const char *addr, unsigned short port,
		   int backlog);
int vtcp_accept_on(int lfd, unsigned int flags, struct vtcp_accept *out);
int vtcp_connect_to(const char *dev, const char *laddr, unsigned short lport,
		    const char *raddr, unsigned short rport, int flags);
int vtcp_set_opt(int fd, __u32 name, __u64 value);
int vtcp_get_opt(int fd, __u32 name, __u64 *value);
int vtcp_so_error(int fd);
int vtcp_get_info(int fd, struct vtcp_info *info);
int vtcp_state_of(int fd);
int vtcp_wait_state(int fd, int state, int ms);
int vtcp_rcv_queued(int fd);
int vtcp_wait_queued(int fd, int bytes, int ms);

/* host.c: the host's TCP sockets, and host-vtcp pairs on vtcp0. */
struct vtcp_pair {
	int lfd;	/* the vtcp listener (-1 for an active open) */
	int hfd;	/* the host's socket */
	int vfd;	/* vtcp's end */
};

socklen_t vtcp_host_sockaddr(struct sockaddr_storage *ss, const char *addr,
			     unsigned short port);
int vtcp_host_connect(const char *addr, unsigned short port);
int vtcp_host_listen(const char *addr, unsigned short port);
int vtcp_host_abort(int fd);
int vtcp_pair_open(struct vtcp_pair *p, const char *addr, unsigned short port);
int vtcp_pair_connect(struct vtcp_pair *p, const char *laddr,
		      const char *raddr, unsigned short port);
void vtcp_pair_close(struct vtcp_pair *p);

/* io.c: whole reads and writes, patterns, a writer thread. */

/* A thread that writes @len bytes to @fd: @buf, else stream @seed. */
struct vtcp_writer {
	int fd;
	const void *buf;	/* NULL: vtcp_write_pattern(fd, len, seed) */
	unsigned int seed;
	size_t len;
	bool shut_wr;		/* then half-close */
	int ret;		/* 0 or -errno, once joined */
	pthread_t thread;
};

int vtcp_shut_wr(int fd);
int vtcp_write_all(int fd, const void *buf, size_t len);
int vtcp_read_all(int fd, void *buf, size_t len);
int vtcp_poll1(int fd, short events, int ms);
void vtcp_fill(unsigned char *buf, size_t len, unsigned int seed,
	       unsigned long off);
long vtcp_check(const unsigned char *buf, size_t len, unsigned int seed,
		unsigned long off);
int vtcp_write_pattern(int fd, size_t len, unsigned int seed);
int vtcp_writer_start(struct vtcp_writer *w);
int vtcp_writer_join(struct vtcp_writer *w);
int vtcp_pass(int wfd, int rfd, const void *in, void *out, size_t len);

/*
 * A reproducible byte stream: byte @off of stream @seed. Inline, as
 * checking a transfer calls it for every byte.
 */
static inline unsigned char vtcp_pattern(unsigned int seed, unsigned long off)
{
	unsigned long x = (off / 8 + 1) * 0x9E3779B97F4A7C15UL ^ seed;

	x ^= x >> 29;
	x *= 0xBF58476D1CE4E5B9UL;
	x ^= x >> 32;
	return (unsigned char)(x >> ((off % 8) * 8));
}

#endif /* _VTCP_SELFTEST_UTIL_H */
