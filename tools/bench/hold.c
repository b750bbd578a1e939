// SPDX-License-Identifier: GPL-2.0
/*
 * vtcp-bench-hold: open K connections, hold them idle, and snapshot the
 * kernel's memory at each phase, for the memory figures.
 *
 *   vtcp-bench-hold -c host|vtcp -s host|vtcp -n K -p PORT -a ADDR
 *                   [-l LADDR] [-d DEV] -o DIR [-T TW_MS]
 *
 * The client end is a host socket connecting to ADDR (rotated, see below)
 * or a vtcp handle connecting from LADDR to ADDR; the server end is a host
 * listener or a vtcp listener on any address. Every 8192 connections the
 * address that picks the 4-tuple moves up by one: ports never run out, and
 * Linux's connect() finds a free one at once (past half of its range, where
 * its search for an even port fails, it slows down a hundredfold).
 *
 * Phases, each with /proc/meminfo and /proc/slabinfo copied to DIR:
 *   base     the listener exists, no connection yet;
 *   est      K connections established and idle (a moment later);
 * then, without -T, every connection is reset (SO_LINGER 0 on host
 * sockets, VTCP_OPT_LINGER_ABORT on vtcp handles): nothing lingers for the
 * next run. With -T, the connections close in order: the vtcp ends first
 * if there are any (they end in TIME-WAIT, which lasts TW_MS), else the
 * clients; then the other ends, and
 *   tw       K connections in TIME-WAIT (a moment later).
 * One JSON line reports the times taken.
 */
#include <getopt.h>
#include <signal.h>

#include "loops.h"

#define HOLD_ROTATE	8192

static void usage(void)
{
	fprintf(stderr, "usage: vtcp-bench-hold -c host|vtcp -s host|vtcp -n K -p PORT -a ADDR\n"
		"       [-l LADDR] [-d DEV] -o DIR [-T TW_MS]\n");
	exit(2);
}

static void copy_file(const char *from, const char *dir, const char *name)
{
	char path[4096], buf[65536];
	FILE *in, *out;
	size_t n;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	in = fopen(from, "r");
	out = fopen(path, "w");
	if (!in || !out)
		bench_die("snapshot %s to %s: %s", from, path, strerror(errno));
	while ((n = fread(buf, 1, sizeof(buf), in)) > 0)
		fwrite(buf, 1, n, out);
	fclose(in);
	fclose(out);
}

static void snapshot(const char *dir, const char *phase)
{
	char name[64];

	snprintf(name, sizeof(name), "%s.meminfo", phase);
	copy_file("/proc/meminfo", dir, name);
	snprintf(name, sizeof(name), "%s.slabinfo", phase);
	copy_file("/proc/slabinfo", dir, name);
}

static int vtcp_setopt(int fd, __u32 name, __u64 value)
{
	struct vtcp_opt opt = { .name = name, .value = value };

	return ioctl(fd, VTCP_IOC_SETOPT, &opt);
}

/* Close so that nothing lingers: RST for a host socket or a vtcp handle. */
static void close_abort(enum bench_kind kind, int fd)
{
	struct linger lg = { .l_onoff = 1, .l_linger = 0 };

	if (kind == BENCH_HOST)
		setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
	else
		vtcp_setopt(fd, VTCP_OPT_LINGER_ABORT, 1);
	close(fd);
}

int main(int argc, char **argv)
{
	enum bench_kind ckind = BENCH_HOST, skind = BENCH_VTCP;
	const char *dev = "vtcp0", *addr = NULL, *laddr = NULL, *dir = NULL;
	unsigned long k = 0, i, tw_ms = 0;
	uint64_t t0, t1, t2, t3, marks[16];
	unsigned int nmarks = 0;
	int port = 0, lfd, opt;
	int *cfd, *sfd;

	while ((opt = getopt(argc, argv, "c:s:n:p:a:l:d:o:T:")) != -1) {
		switch (opt) {
		case 'c':
			ckind = bench_kind_parse(optarg);
			break;
		case 's':
			skind = bench_kind_parse(optarg);
			break;
		case 'n':
			k = strtoul(optarg, NULL, 0);
			break;
		case 'p':
			port = atoi(optarg);
			break;
		case 'a':
			addr = optarg;
			break;
		case 'l':
			laddr = optarg;
			break;
		case 'd':
			dev = optarg;
			break;
		case 'o':
			dir = optarg;
			break;
		case 'T':
			tw_ms = strtoul(optarg, NULL, 0);
			break;
		default:
			usage();
		}
	}
	if (!k || !port || !addr || !dir || (ckind == BENCH_VTCP && !laddr))
		usage();
	signal(SIGPIPE, SIG_IGN);
	bench_raise_nofile(2 * k + 64);
	cfd = calloc(k, sizeof(*cfd));
	sfd = calloc(k, sizeof(*sfd));
	if (!cfd || !sfd)
		bench_die("out of memory");

	lfd = bench_listen(skind, dev, NULL, port, 4096);
	if (tw_ms && skind == BENCH_VTCP && vtcp_setopt(lfd, VTCP_OPT_TIME_WAIT, tw_ms))
		bench_die("VTCP_OPT_TIME_WAIT: %s", strerror(errno));
	usleep(200000);
	snapshot(dir, "base");

	t0 = bench_now_ns();
	for (i = 0; i < k; i++) {
		unsigned int step = i / HOLD_ROTATE;
		in_addr_t l = 0, r;

		if (ckind == BENCH_VTCP) {
			l = bench_addr4(laddr, step);
			r = bench_addr4(addr, 0);
		} else {
			r = bench_addr4(addr, step);
		}
		cfd[i] = bench_connect(ckind, dev, l, r, port);
		if (cfd[i] < 0)
			bench_die("connection %lu: %s", i, strerror(-cfd[i]));
		if (tw_ms && ckind == BENCH_VTCP &&
		    vtcp_setopt(cfd[i], VTCP_OPT_TIME_WAIT, tw_ms))
			bench_die("VTCP_OPT_TIME_WAIT: %s", strerror(errno));
		sfd[i] = bench_accept(skind, lfd);
		if (sfd[i] < 0)
			bench_die("accept %lu: %s", i, strerror(-sfd[i]));
		/* Time at each tenth: does opening slow down as they add up? */
		if (k >= 10 && (i + 1) % (k / 10) == 0 && nmarks < 16)
			marks[nmarks++] = bench_now_ns() - t0;
	}
	t1 = bench_now_ns();
	usleep(200000);
	snapshot(dir, "est");

	t2 = bench_now_ns();
	if (!tw_ms) {
		for (i = 0; i < k; i++)
			close_abort(ckind, cfd[i]);
		for (i = 0; i < k; i++)
			close_abort(skind, sfd[i]);
	} else {
		/* The vtcp end (else the client) closes first: TIME-WAIT. */
		int *first = skind == BENCH_VTCP && ckind != BENCH_VTCP ? sfd : cfd;
		int *second = first == sfd ? cfd : sfd;

		for (i = 0; i < k; i++)
			close(first[i]);
		for (i = 0; i < k; i++)
			close(second[i]);
	}
	t3 = bench_now_ns();
	close(lfd);
	if (tw_ms) {
		usleep(200000);
		snapshot(dir, "tw");
	}
	printf("{\"role\": \"hold\", \"connections\": %lu, \"open_s\": %.3f, "
	       "\"close_s\": %.3f, \"cps\": %.1f, \"open_tenths_s\": [", k,
	       (t1 - t0) / 1e9, (t3 - t2) / 1e9, k * 1e9 / (t1 - t0));
	for (i = 0; i < nmarks; i++)
		printf("%s%.3f", i ? ", " : "", marks[i] / 1e9);
	printf("]}\n");
	return 0;
}
