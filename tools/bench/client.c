// SPDX-License-Identifier: GPL-2.0
/*
 * vtcp-bench-client: the connecting end of vtcp's benchmarks, a host
 * socket or a /dev/vtcp handle (VTCP_IOC_CONNECT).
 *
 *   vtcp-bench-client -k host|vtcp [-d DEV] [-l LADDR] -c ADDR -p PORT
 *                     -m send|recv|rr|crr [-n STREAMS] [-w MS] [-t MS]
 *                     [-B BYTES] [-r EVERY] [-T MS] [-L LPORT] [-i]
 *
 * A vtcp handle needs its own address LADDR. With -L, vtcp connections
 * come from one listener on LADDR:LPORT (VTCP_IOC_CONNECT_FD), not from a
 * /dev/vtcp handle opened for each. send/recv: open STREAMS
 * connections and send, or receive (and measure), the bulk stream. rr:
 * 1-byte transactions on one connection. crr: connect, one transaction,
 * close, again and again; every EVERY connections the address that picks
 * the 4-tuple (ADDR for a host socket, LADDR for vtcp) moves up by one, so
 * that the ends in TIME-WAIT never exhaust the ports. -T sets the TIME-WAIT
 * length of vtcp handles (an experiment: what TIME-WAIT costs). The
 * measuring end prints its result as one JSON line.
 */
#include <getopt.h>
#include <signal.h>

#include "loops.h"

static void usage(void)
{
	fprintf(stderr,
		"usage: vtcp-bench-client -k host|vtcp [-d DEV] [-l LADDR] -c ADDR -p PORT\n"
		"       -m send|recv|rr|crr [-n STREAMS] [-w MS] [-t MS] [-B BYTES]\n"
		"       [-r EVERY] [-T MS] [-L LPORT] [-i]\n");
	exit(2);
}

struct crr {
	enum bench_kind kind;
	const char *dev, *laddr, *raddr;
	int port;
	int lfd;		/* -L: the listener connections come from */
	unsigned int every;
	unsigned long count;
	/* Where each connection's time goes, while measuring. */
	struct bench_lat *open, *conn, *xchg, *close;
};

/* One connection: connect, a byte there and back, close. */
static int crr_once(struct crr *c, char req)
{
	unsigned int step = c->every ? (c->count / c->every) % 128 : 0;
	in_addr_t l = 0, r;
	uint64_t t0, t1, t2, t3;
	int fd;

	if (c->kind == BENCH_VTCP) {
		l = bench_addr4(c->laddr, step);
		r = bench_addr4(c->raddr, 0);
	} else {
		r = bench_addr4(c->raddr, step);
	}
	t0 = bench_now_ns();
	if (c->lfd >= 0)
		fd = bench_connect_fd(c->lfd, l, r, c->port);
	else
		fd = bench_connect(c->kind, c->dev, l, r, c->port);
	if (fd < 0)
		bench_die("connection %lu: %s", c->count, strerror(-fd));
	c->count++;
	t1 = bench_now_ns();
	if (write(fd, &req, 1) != 1 || read(fd, &req, 1) != 1)
		bench_die("connection %lu: no answer", c->count);
	t2 = bench_now_ns();
	close(fd);
	t3 = bench_now_ns();
	if (c->open) {
		bench_lat_add(c->open, bench_connect_mid_ns - t0);
		bench_lat_add(c->conn, t1 - bench_connect_mid_ns);
		bench_lat_add(c->xchg, t2 - t1);
		bench_lat_add(c->close, t3 - t2);
	}
	return 0;
}

/* A phase's median and p99 as a JSON object. */
static void crr_print_phase(const char *name, struct bench_lat *l)
{
	printf(", \"%s\": {\"n\": %zu", name, l->n);
	bench_lat_print(stdout, l);
	printf("}");
}

static int crr_run(struct crr *c, const struct bench_opts *o)
{
	struct bench_lat lat = {}, open = {}, conn = {}, xchg = {}, cl = {};
	struct bench_cpu c0, c1;
	uint64_t t, t0, t1, end;
	unsigned long n0;

	end = bench_now_ns() + o->warm_ms * 1000000ULL;
	while (bench_now_ns() < end)
		crr_once(c, 'c');
	bench_cpu_read(&c0);
	t0 = bench_now_ns();
	n0 = c->count;
	c->open = &open;
	c->conn = &conn;
	c->xchg = &xchg;
	c->close = &cl;
	end = t0 + o->dur_ms * 1000000ULL;
	for (t = t0; t < end;) {
		uint64_t done;

		crr_once(c, 'c');
		done = bench_now_ns();
		bench_lat_add(&lat, done - t);
		t = done;
	}
	t1 = t;
	bench_cpu_read(&c1);
	c->open = NULL;
	printf("{\"role\": \"crr\", \"connections\": %lu, \"secs\": %.6f, "
	       "\"cps\": %.1f", c->count - n0, (t1 - t0) / 1e9,
	       (c->count - n0) * 1e9 / (t1 - t0));
	bench_lat_print(stdout, &lat);
	bench_print_cpu(stdout, &c0, &c1);
	crr_print_phase("open", &open);
	crr_print_phase("connect", &conn);
	crr_print_phase("exchange", &xchg);
	crr_print_phase("close", &cl);
	printf("}\n");
	fflush(stdout);
	crr_once(c, 'q');
	free(lat.ns);
	free(open.ns);
	free(conn.ns);
	free(xchg.ns);
	free(cl.ns);
	return 0;
}

int main(int argc, char **argv)
{
	struct bench_args a = BENCH_ARGS_INIT;
	struct crr c = { .lfd = -1 };
	int streams, i, opt, lport = 0;
	int fds[64];

	while ((opt = getopt(argc, argv, BENCH_COMMON_OPTS "l:c:r:T:L:")) != -1) {
		if (bench_common_opt(&a, opt, optarg))
			continue;
		switch (opt) {
		case 'l':
			c.laddr = optarg;
			break;
		case 'c':
			c.raddr = optarg;
			break;
		case 'r':
			c.every = atoi(optarg);
			break;
		case 'T':
			bench_vtcp_time_wait_ms = atoi(optarg);
			break;
		case 'L':
			lport = atoi(optarg);
			break;
		default:
			usage();
		}
	}
	if (!bench_args_ok(&a, 64) || !c.raddr ||
	    (a.kind == BENCH_VTCP && !c.laddr) ||
	    (lport && (a.kind != BENCH_VTCP || lport > 65535)))
		usage();
	c.kind = a.kind;
	c.dev = a.dev;
	c.port = a.port;
	streams = a.streams;
	signal(SIGPIPE, SIG_IGN);
	if (lport) {
		c.lfd = bench_connect_fd_listener(c.dev, bench_addr4(c.laddr, 0),
						  lport);
		if (c.lfd < 0)
			bench_die("listen %s:%d: %s", c.laddr, lport,
				  strerror(-c.lfd));
	}

	if (!strcmp(a.mode, "crr"))
		return crr_run(&c, &a.o);
	if (!strcmp(a.mode, "rr"))
		streams = 1;
	for (i = 0; i < streams; i++) {
		in_addr_t l = c.laddr ? bench_addr4(c.laddr, 0) : 0;

		fds[i] = c.lfd >= 0 ?
			 bench_connect_fd(c.lfd, l, bench_addr4(c.raddr, 0),
					  c.port) :
			 bench_connect(c.kind, c.dev, l, bench_addr4(c.raddr, 0),
				       c.port);
		if (fds[i] < 0)
			bench_die("connect %s:%d: %s", c.raddr, c.port,
				  strerror(-fds[i]));
	}
	if (!strcmp(a.mode, "send"))
		return bench_send_run(fds, streams, &a.o);
	if (!strcmp(a.mode, "recv"))
		return bench_recv_run(fds, streams, &a.o);
	if (!strcmp(a.mode, "rr"))
		return bench_rr_run(fds[0], &a.o);
	usage();
}
