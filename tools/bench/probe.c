// SPDX-License-Identifier: GPL-2.0
/*
 * vtcp-bench-probe: what opening an endpoint costs, for the profile of the
 * connection figures. Median of N rounds each of
 *
 *   socket    socket(AF_INET, SOCK_STREAM) + close()
 *   vtcp      open("/dev/vtcp") + close()
 *   vtcp_at   openat(fd of /dev, "vtcp") + close() (no walk from /)
 *   null      open("/dev/null") + close() (another character device)
 *
 * printed as one JSON line, in microseconds.
 */
#include "loops.h"

#define ROUNDS	20000

static double probe(int (*fn)(int), int arg)
{
	struct bench_lat l = {};
	double med;
	int i;

	for (i = 0; i < ROUNDS; i++) {
		uint64_t t = bench_now_ns();
		int fd = fn(arg);

		if (fd < 0)
			bench_die("probe: %s", strerror(errno));
		close(fd);
		bench_lat_add(&l, bench_now_ns() - t);
	}
	qsort(l.ns, l.n, sizeof(*l.ns), bench_cmp_u32);
	med = l.ns[l.n / 2] / 1e3;
	free(l.ns);
	return med;
}

static int do_socket(int unused)
{
	(void)unused;
	return socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
}

static int do_vtcp(int unused)
{
	(void)unused;
	return open(BENCH_DEV_PATH, O_RDWR | O_CLOEXEC);
}

static int do_vtcp_at(int dirfd)
{
	return openat(dirfd, "vtcp", O_RDWR | O_CLOEXEC);
}

static int do_null(int unused)
{
	(void)unused;
	return open("/dev/null", O_RDWR | O_CLOEXEC);
}

int main(void)
{
	int dirfd = open("/dev", O_PATH | O_DIRECTORY | O_CLOEXEC);

	if (dirfd < 0)
		bench_die("/dev: %s", strerror(errno));
	printf("{\"role\": \"probe\", \"rounds\": %d, \"socket_us\": %.2f, "
	       "\"vtcp_us\": %.2f, \"vtcp_at_us\": %.2f, \"null_us\": %.2f}\n",
	       ROUNDS, probe(do_socket, 0), probe(do_vtcp, 0),
	       probe(do_vtcp_at, dirfd), probe(do_null, 0));
	return 0;
}
