// SPDX-License-Identifier: GPL-2.0
/*
 * vtcp-bench-server: the listening end of vtcp's benchmarks, a host socket
 * or a /dev/vtcp listener.
 *
 *   vtcp-bench-server -k host|vtcp [-d DEV] [-b ADDR] -p PORT
 *                     -m recv|relay|splice|send|rr|crr [-n STREAMS]
 *                     [-w MS] [-t MS]
 *                     [-B BYTES] [-i]
 *
 * recv/send: accept STREAMS connections, then receive (and measure) or
 * send the bulk stream. relay/splice: receive and measure as recv, passing
 * the bytes on to a host socket over lo by read()/write() or by splice()
 * through a pipe, as a network helper does. rr: echo one byte per request on one connection.
 * crr: for each connection, read the request byte, answer it, read to EOF
 * and close; a request of 'q' ends the server. It prints "ready" once it
 * listens, and the receiver's or driver's result as one JSON line.
 */
#include <getopt.h>
#include <signal.h>

#include "loops.h"

static void usage(void)
{
	fprintf(stderr, "usage: vtcp-bench-server -k host|vtcp [-d DEV] [-b ADDR] -p PORT\n"
		"       -m recv|relay|splice|send|rr|crr [-n STREAMS] [-w MS] [-t MS] [-B BYTES] [-i]\n");
	exit(2);
}

static int crr_serve(enum bench_kind kind, int lfd)
{
	unsigned long conns = 0;

	for (;;) {
		char c = 0, junk;
		int fd = bench_accept(kind, lfd);

		if (fd < 0)
			bench_die("accept: %s", strerror(-fd));
		if (read(fd, &c, 1) == 1 && write(fd, &c, 1) == 1)
			while (read(fd, &junk, 1) > 0)
				;
		close(fd);
		conns++;
		if (c == 'q')
			break;
	}
	printf("{\"role\": \"crr-server\", \"connections\": %lu}\n", conns);
	return 0;
}

int main(int argc, char **argv)
{
	struct bench_args a = BENCH_ARGS_INIT;
	const char *bind_addr = NULL;
	int streams, lfd, i, opt;
	int fds[64];

	while ((opt = getopt(argc, argv, BENCH_COMMON_OPTS "b:")) != -1) {
		if (bench_common_opt(&a, opt, optarg))
			continue;
		if (opt != 'b')
			usage();
		bind_addr = optarg;
	}
	if (!bench_args_ok(&a, 64))
		usage();
	streams = a.streams;
	signal(SIGPIPE, SIG_IGN);

	lfd = bench_listen(a.kind, a.dev, bind_addr, a.port, 1024);
	printf("ready\n");
	fflush(stdout);

	if (!strcmp(a.mode, "crr"))
		return crr_serve(a.kind, lfd);
	if (!strcmp(a.mode, "rr"))
		streams = 1;
	for (i = 0; i < streams; i++) {
		fds[i] = bench_accept(a.kind, lfd);
		if (fds[i] < 0)
			bench_die("accept: %s", strerror(-fds[i]));
	}
	close(lfd);
	if (!strcmp(a.mode, "recv"))
		return bench_recv_run(fds, streams, &a.o);
	if (!strcmp(a.mode, "relay") || !strcmp(a.mode, "splice")) {
		a.o.relay = !strcmp(a.mode, "relay") ? BENCH_RELAY_RW :
						       BENCH_RELAY_SPLICE;
		return bench_relay_run(fds, streams, &a.o);
	}
	if (!strcmp(a.mode, "send"))
		return bench_send_run(fds, streams, &a.o);
	if (!strcmp(a.mode, "rr"))
		return bench_rr_serve(fds[0]);
	usage();
}
