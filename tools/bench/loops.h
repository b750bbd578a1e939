/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The measuring loops, shared by the server and the client: whichever end
 * receives the bulk stream, or drives the request/response, measures.
 */
#ifndef _VTCP_BENCH_LOOPS_H
#define _VTCP_BENCH_LOOPS_H

#include <stddef.h>
#include <stdint.h>

#include "bench.h"

struct bench_opts {
	unsigned int warm_ms;		/* run before measuring */
	unsigned int dur_ms;		/* measured */
	size_t bufsize;			/* bytes per read() and write() */
	int info;			/* print VTCP_IOC_INFO of vtcp fds */
	int relay;			/* enum bench_relay, for bench_recv_run() */
};

/*
 * What a receiver does with the bytes: drop them, or relay them to a host
 * socket as a network helper does, by read() and write() or by splice()
 * through a pipe.
 */
enum bench_relay { BENCH_RELAY_NONE, BENCH_RELAY_RW, BENCH_RELAY_SPLICE };

/* The command line both ends take: -k -d -p -m -n -w -t -B -i. */
struct bench_args {
	struct bench_opts o;
	enum bench_kind kind;
	const char *dev, *mode;
	int port, streams;
};

#define BENCH_ARGS_INIT { .o = { .warm_ms = 300, .dur_ms = 2000, \
				 .bufsize = 128 << 10 }, \
			  .kind = BENCH_HOST, .dev = "vtcp0", .streams = 1 }
#define BENCH_COMMON_OPTS "k:d:p:m:n:w:t:B:i"

/* Take option @opt if it is a common one: 1, else 0. */
static inline int bench_common_opt(struct bench_args *a, int opt,
				   const char *arg)
{
	switch (opt) {
	case 'k':
		a->kind = bench_kind_parse(arg);
		return 1;
	case 'd':
		a->dev = arg;
		return 1;
	case 'p':
		a->port = atoi(arg);
		return 1;
	case 'm':
		a->mode = arg;
		return 1;
	case 'n':
		a->streams = atoi(arg);
		return 1;
	case 'w':
		a->o.warm_ms = atoi(arg);
		return 1;
	case 't':
		a->o.dur_ms = atoi(arg);
		return 1;
	case 'B':
		a->o.bufsize = strtoul(arg, NULL, 0);
		return 1;
	case 'i':
		a->o.info = 1;
		return 1;
	}
	return 0;
}

/* Whether the common options make sense, with at most @max streams. */
static inline int bench_args_ok(const struct bench_args *a, int max)
{
	return a->mode && a->port && a->streams >= 1 &&
	       a->streams <= max && a->o.bufsize;
}

/*
 * Bulk receiver: read all @n fds at once (a thread each) and count bytes
 * in a window of dur_ms that starts warm_ms after the first byte. Prints
 * one JSON line, then closes the fds (unread data resets the senders).
 */
int bench_recv_run(const int *fds, int n, const struct bench_opts *o);

/*
 * As bench_recv_run(), relaying what fds[i] receives to a host TCP
 * connection over lo whose far end a thread reads and drops.
 */
int bench_relay_run(const int *fds, int n, const struct bench_opts *o);

/* Bulk sender: write all @n fds until the receiver resets them. */
int bench_send_run(const int *fds, int n, const struct bench_opts *o);

/* Request/response server: echo one byte per read until EOF. */
int bench_rr_serve(int fd);

/* Request/response client: 1-byte transactions; prints one JSON line. */
int bench_rr_run(int fd, const struct bench_opts *o);

/* Latency samples, for the percentiles. */
struct bench_lat {
	uint32_t *ns;
	size_t n, cap;
};

void bench_lat_add(struct bench_lat *l, uint64_t ns);
int bench_cmp_u32(const void *a, const void *b);
void bench_lat_print(FILE *f, struct bench_lat *l);

#endif /* _VTCP_BENCH_LOOPS_H */
