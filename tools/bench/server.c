// SPDX-License-Identifier: GPL-2.0
/*
 * vtcp-bench-server: the listening end of vtcp's benchmarks, a host socket
 * or a /dev/vtcp listener.
 *
 *   vtcp-bench-server -k host|vtcp [-d DEV] [-b ADDR] -p PORT
 *                     -m recv|send|rr|crr [-n STREAMS] [-w MS] [-t MS]
 *                     [-B BYTES] [-i]
 *
 * recv/send: accept STREAMS connections, then receive (and measure) or
 * send the bulk stream. rr: echo one byte per request on one connection.
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
		"       -m recv|send|rr|crr [-n STREAMS] [-w MS] [-t MS] [-B BYTES] [-i]\n");
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
	struct bench_opts o = { .warm_ms = 300, .dur_ms = 2000,
				.bufsize = 128 << 10 };
	const char *dev = "vtcp0", *bind_addr = NULL, *mode = NULL;
	enum bench_kind kind = BENCH_HOST;
	int port = 0, streams = 1, lfd, i, opt;
	int fds[64];

	while ((opt = getopt(argc, argv, "k:d:b:p:m:n:w:t:B:i")) != -1) {
		switch (opt) {
		case 'k':
			kind = bench_kind_parse(optarg);
			break;
		case 'd':
			dev = optarg;
			break;
		case 'b':
			bind_addr = optarg;
			break;
		case 'p':
			port = atoi(optarg);
			break;
		case 'm':
			mode = optarg;
			break;
		case 'n':
			streams = atoi(optarg);
			break;
		case 'w':
			o.warm_ms = atoi(optarg);
			break;
		case 't':
			o.dur_ms = atoi(optarg);
			break;
		case 'B':
			o.bufsize = strtoul(optarg, NULL, 0);
			break;
		case 'i':
			o.info = 1;
			break;
		default:
			usage();
		}
	}
	if (!mode || !port || streams < 1 || streams > 64 || !o.bufsize)
		usage();
	signal(SIGPIPE, SIG_IGN);

	lfd = bench_listen(kind, dev, bind_addr, port, 1024);
	printf("ready\n");
	fflush(stdout);

	if (!strcmp(mode, "crr"))
		return crr_serve(kind, lfd);
	if (!strcmp(mode, "rr"))
		streams = 1;
	for (i = 0; i < streams; i++) {
		fds[i] = bench_accept(kind, lfd);
		if (fds[i] < 0)
			bench_die("accept: %s", strerror(-fds[i]));
	}
	close(lfd);
	if (!strcmp(mode, "recv"))
		return bench_recv_run(fds, streams, &o);
	if (!strcmp(mode, "send"))
		return bench_send_run(fds, streams, &o);
	if (!strcmp(mode, "rr"))
		return bench_rr_serve(fds[0]);
	usage();
}
