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
};

/*
 * Bulk receiver: read all @n fds at once (a thread each) and count bytes
 * in a window of dur_ms that starts warm_ms after the first byte. Prints
 * one JSON line, then closes the fds (unread data resets the senders).
 */
int bench_recv_run(const int *fds, int n, const struct bench_opts *o);

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
