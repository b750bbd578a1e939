/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What vtcp's load generators share: endpoints of either kind, clocks,
 * CPU counters and JSON output.
 *
 * An endpoint is a host socket ("host") or a /dev/vtcp handle ("vtcp").
 * Only opening differs: socket()+bind()+listen()+accept() or socket()+
 * connect() for a host socket, open()+VTCP_IOC_LISTEN+VTCP_IOC_ACCEPT or
 * open()+VTCP_IOC_CONNECT for vtcp, the same number of calls. Everything
 * after that is read(), write() and close() on a file descriptor, with the
 * same buffer sizes, whatever the kind: the syscalls measured are the same.
 */
#ifndef _VTCP_BENCH_H
#define _VTCP_BENCH_H

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <linux/vtcp.h>

#define BENCH_DEV_PATH	"/dev/vtcp"

enum bench_kind { BENCH_HOST, BENCH_VTCP };

static inline void bench_die(const char *fmt, ...)
	__attribute__((format(printf, 1, 2), noreturn));
static inline void bench_die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "bench: ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\n");
	va_end(ap);
	exit(1);
}

static inline enum bench_kind bench_kind_parse(const char *s)
{
	if (!strcmp(s, "host"))
		return BENCH_HOST;
	if (!strcmp(s, "vtcp"))
		return BENCH_VTCP;
	bench_die("unknown endpoint kind '%s' (host or vtcp)", s);
}

static inline uint64_t bench_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static inline void bench_sleep_until(uint64_t when_ns)
{
	struct timespec ts = {
		.tv_sec = when_ns / 1000000000ULL,
		.tv_nsec = when_ns % 1000000000ULL,
	};

	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR)
		;
}

/* An IPv4 address, in network byte order, plus @step (rotation). */
static inline in_addr_t bench_addr4(const char *s, unsigned int step)
{
	struct in_addr a;

	if (inet_pton(AF_INET, s, &a) != 1)
		bench_die("not an IPv4 address: %s", s);
	return htonl(ntohl(a.s_addr) + step);
}

/* Room for every fd the caller may hold. */
static inline void bench_raise_nofile(unsigned long want)
{
	struct rlimit rl = { want, want };

	if (setrlimit(RLIMIT_NOFILE, &rl))
		bench_die("setrlimit(NOFILE, %lu): %s", want, strerror(errno));
}

/* A listener: host socket on @addr (NULL: any) or vtcp handle on @dev. */
static inline int bench_listen(enum bench_kind kind, const char *dev,
			       const char *addr, unsigned short port,
			       int backlog)
{
	int fd, one = 1;

	if (kind == BENCH_VTCP) {
		struct vtcp_listen req = { .backlog = backlog };

		req.ifindex = if_nametoindex(dev);
		if (!req.ifindex)
			bench_die("no device %s", dev);
		req.local.port = htons(port);
		if (addr) {
			req.local.family = AF_INET;
			req.local.addr4 = bench_addr4(addr, 0);
		}
		fd = open(BENCH_DEV_PATH, O_RDWR | O_CLOEXEC);
		if (fd < 0)
			bench_die("open %s: %s", BENCH_DEV_PATH, strerror(errno));
		if (ioctl(fd, VTCP_IOC_LISTEN, &req))
			bench_die("VTCP_IOC_LISTEN: %s", strerror(errno));
		return fd;
	}

	struct sockaddr_in sin = {
		.sin_family = AF_INET,
		.sin_port = htons(port),
		.sin_addr.s_addr = addr ? bench_addr4(addr, 0) : htonl(INADDR_ANY),
	};

	fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		bench_die("socket: %s", strerror(errno));
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&sin, sizeof(sin)))
		bench_die("bind port %u: %s", port, strerror(errno));
	if (listen(fd, backlog))
		bench_die("listen: %s", strerror(errno));
	return fd;
}

/* The next connection of a listener; -errno on failure. */
static inline int bench_accept(enum bench_kind kind, int lfd)
{
	int fd;

	if (kind == BENCH_VTCP) {
		struct vtcp_accept req = { .flags = VTCP_ACCEPT_CLOEXEC };

		fd = ioctl(lfd, VTCP_IOC_ACCEPT, &req);
	} else {
		fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
	}
	return fd < 0 ? -errno : fd;
}

/* When bench_connect() had its fd, before connecting: for profiles. */
static uint64_t bench_connect_mid_ns;

/* TIME-WAIT length for vtcp handles bench_connect() opens; 0: default. */
static unsigned int bench_vtcp_time_wait_ms;

/*
 * A connection to @raddr:@port. A vtcp handle needs its own address
 * @laddr (the host's peer); a host socket takes what the route gives.
 * Returns the fd or -errno.
 */
static inline int bench_connect(enum bench_kind kind, const char *dev,
				in_addr_t laddr, in_addr_t raddr,
				unsigned short port)
{
	int fd, err;

	if (kind == BENCH_VTCP) {
		struct vtcp_connect req = {};

		req.ifindex = if_nametoindex(dev);
		req.local.family = AF_INET;
		req.local.addr4 = laddr;
		req.remote.family = AF_INET;
		req.remote.addr4 = raddr;
		req.remote.port = htons(port);
		fd = open(BENCH_DEV_PATH, O_RDWR | O_CLOEXEC);
		if (fd < 0)
			return -errno;
		if (bench_vtcp_time_wait_ms) {
			struct vtcp_opt opt = { .name = VTCP_OPT_TIME_WAIT,
						.value = bench_vtcp_time_wait_ms };

			if (ioctl(fd, VTCP_IOC_SETOPT, &opt))
				goto err_close;
		}
		bench_connect_mid_ns = bench_now_ns();
		if (ioctl(fd, VTCP_IOC_CONNECT, &req))
			goto err_close;
		return fd;
	}

	struct sockaddr_in sin = {
		.sin_family = AF_INET,
		.sin_port = htons(port),
		.sin_addr.s_addr = raddr,
	};

	fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	bench_connect_mid_ns = bench_now_ns();
	if (connect(fd, (struct sockaddr *)&sin, sizeof(sin)))
		goto err_close;
	return fd;

err_close:
	err = -errno;
	close(fd);
	return err;
}

/*
 * A vtcp listener on @dev at @laddr:@port that the connections of
 * bench_connect_fd() come from (it accepts nothing: nobody connects to
 * that port), with the TIME-WAIT length its connections start with.
 * Returns its fd or -errno.
 */
static inline int bench_connect_fd_listener(const char *dev, in_addr_t laddr,
					    unsigned short port)
{
	struct vtcp_listen req = { .ifindex = if_nametoindex(dev) };
	int fd, err;

	req.local.family = AF_INET;
	req.local.addr4 = laddr;
	req.local.port = htons(port);
	fd = open(BENCH_DEV_PATH, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (bench_vtcp_time_wait_ms) {
		struct vtcp_opt opt = { .name = VTCP_OPT_TIME_WAIT,
					.value = bench_vtcp_time_wait_ms };

		if (ioctl(fd, VTCP_IOC_SETOPT, &opt))
			goto err_close;
	}
	if (ioctl(fd, VTCP_IOC_LISTEN, &req))
		goto err_close;
	return fd;

err_close:
	err = -errno;
	close(fd);
	return err;
}

/*
 * A vtcp connection from listener @lfd (VTCP_IOC_CONNECT_FD: no open() of
 * /dev/vtcp) at @laddr to @raddr:@port. Returns the fd or -errno.
 */
static inline int bench_connect_fd(int lfd, in_addr_t laddr, in_addr_t raddr,
				   unsigned short port)
{
	struct vtcp_connect_fd req = { .fd_flags = VTCP_ACCEPT_CLOEXEC };
	int fd;

	req.connect.local.family = AF_INET;
	req.connect.local.addr4 = laddr;
	req.connect.remote.family = AF_INET;
	req.connect.remote.addr4 = raddr;
	req.connect.remote.port = htons(port);
	bench_connect_mid_ns = bench_now_ns();
	fd = ioctl(lfd, VTCP_IOC_CONNECT_FD, &req);
	return fd < 0 ? -errno : fd;
}

/* VTCP_IOC_INFO of a vtcp fd as one JSON object; nothing for a socket. */
static inline void bench_print_info(FILE *f, const char *key, int fd)
{
	struct vtcp_info i;

	if (ioctl(fd, VTCP_IOC_INFO, &i))
		return;
	fprintf(f, ", \"%s\": {\"state\": %u, \"ca_state\": %u, \"mss\": %u, "
		"\"rcv_mss\": %u, \"cwnd\": %u, \"ssthresh\": %u, \"snd_wnd\": %u, "
		"\"rcv_wnd\": %u, \"srtt_us\": %u, \"rto_us\": %u, "
		"\"snd_wscale\": %u, \"rcv_wscale\": %u, \"options\": %u, "
		"\"bytes_sent\": %llu, \"bytes_retrans\": %llu, "
		"\"bytes_received\": %llu, \"segs_out\": %u, \"segs_in\": %u, "
		"\"data_segs_out\": %u, \"data_segs_in\": %u, "
		"\"total_retrans\": %u, \"rto_expirations\": %u, "
		"\"fast_retrans\": %u, \"ooo_segs\": %u, "
		"\"zero_window_probes\": %u, \"unacked\": %u, \"rcv_queued\": %u}",
		key, i.state, i.ca_state, i.snd_mss, i.rcv_mss, i.snd_cwnd,
		i.snd_ssthresh, i.snd_wnd, i.rcv_wnd, i.srtt, i.rto,
		i.snd_wscale, i.rcv_wscale, i.options,
		(unsigned long long)i.bytes_sent,
		(unsigned long long)i.bytes_retrans,
		(unsigned long long)i.bytes_received, i.segs_out, i.segs_in,
		i.data_segs_out, i.data_segs_in, i.total_retrans,
		i.rto_expirations, i.fast_retrans, i.ooo_segs,
		i.zero_window_probes, i.unacked, i.rcv_queued);
}

/* CPU time of the whole guest, from /proc/stat's first line, in ticks. */
struct bench_cpu {
	unsigned long long user, nice, system, idle, iowait, irq, softirq, steal;
	unsigned long long ctxt;	/* context switches */
};

static inline void bench_cpu_read(struct bench_cpu *c)
{
	FILE *f = fopen("/proc/stat", "r");
	char line[512];

	memset(c, 0, sizeof(*c));
	if (!f)
		return;
	if (fscanf(f, "cpu %llu %llu %llu %llu %llu %llu %llu %llu", &c->user,
		   &c->nice, &c->system, &c->idle, &c->iowait, &c->irq,
		   &c->softirq, &c->steal) < 7)
		memset(c, 0, sizeof(*c));
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "ctxt %llu", &c->ctxt) == 1)
			break;
	fclose(f);
}

/* The CPU time between two readings, in seconds, as JSON fields. */
static inline void bench_print_cpu(FILE *f, const struct bench_cpu *a,
				   const struct bench_cpu *b)
{
	double hz = sysconf(_SC_CLK_TCK);
	double user = (b->user + b->nice - a->user - a->nice) / hz;
	double sys = (b->system - a->system) / hz;
	double irq = (b->irq - a->irq) / hz;
	double softirq = (b->softirq - a->softirq) / hz;
	double idle = (b->idle + b->iowait - a->idle - a->iowait) / hz;

	fprintf(f, ", \"cpu\": {\"user_s\": %.3f, \"sys_s\": %.3f, "
		"\"irq_s\": %.3f, \"softirq_s\": %.3f, \"idle_s\": %.3f, "
		"\"busy_s\": %.3f, \"ctxt\": %llu}", user, sys, irq, softirq, idle,
		user + sys + irq + softirq, b->ctxt - a->ctxt);
}

/* getrusage() of this process, as JSON fields. */
static inline void bench_print_rusage(FILE *f)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	fprintf(f, ", \"proc_user_s\": %.3f, \"proc_sys_s\": %.3f",
		ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6,
		ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6);
}

#endif /* _VTCP_BENCH_H */
