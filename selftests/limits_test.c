// SPDX-License-Identifier: GPL-2.0
/*
 * Resource bounds (Documentation/vtcp.rst, "Resource bounds"): each flood
 * a peer or a user can aim at vtcp (SYNs, connections up to the limit,
 * TIME-WAIT churn, out-of-order segments, full receive queues, writes
 * against a zero window) stops at its bound, the counters say why, and a
 * connection that has nothing to do with it keeps moving data. The bounds
 * hold per network namespace: one at its limit leaves another its share.
 *
 * The limits are module parameters, set here and restored afterwards. The
 * floods are short; VTCP_LONG=1 makes them ten times longer.
 */
#include <sched.h>
#include <sys/resource.h>
#include "kselftest_harness.h"
#include "vtcp_util.h"
#include "vtcp_pkt.h"

#define LPORT	7100
#define PEER4	"198.51.100.7"	/* not the host's: answers go nowhere */

static const char *const vtcp_limit_params[] = {
	"max_conns", "max_conns_per_netns", "max_time_wait",
	"max_time_wait_per_netns", "rcv_mem_kb", "rcv_mem_kb_per_netns",
	"snd_mem_kb", "snd_mem_kb_per_netns",
};

static int vtcp_scale(void)
{
	return getenv("VTCP_LONG") ? 10 : 1;
}

static int vtcp_param_set(const char *name, long long v)
{
	char path[128], val[32];

	snprintf(path, sizeof(path), "/sys/module/vtcp/parameters/%s", name);
	snprintf(val, sizeof(val), "%lld", v);
	return vtcp_write_file(path, val);
}

static long long vtcp_param_get(const char *name)
{
	return vtcp_read_num("/sys/module/vtcp/parameters/%s", name);
}

/*
 * A figure of /proc/net/vtcp_limits (this namespace's): "used", or with
 * @limit "limit", of @name in @scope ("netns" or "all"); -1 if absent.
 */
static long long vtcp_limit(const char *scope, const char *name, bool limit)
{
	FILE *f = fopen("/proc/net/vtcp_limits", "r");
	char line[256], s[32], n[64];
	long long l, u, v = -1;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%31s %63s %lld %lld", s, n, &l, &u) == 4 &&
		    !strcmp(s, scope) && !strcmp(n, name))
			v = limit ? l : u;
	fclose(f);
	return v;
}

static long long vtcp_used(const char *scope, const char *name)
{
	return vtcp_limit(scope, name, false);
}

/* Connections vtcp holds in all: the budget's, else the object count. */
static long long vtcp_conns_now(void)
{
	long long n = vtcp_used("all", "conns");

	return n >= 0 ? n : vtcp_objects("connections");
}

/* A non-blocking host connection attempt to @addr:@port; the fd. */
static int vtcp_host_connect_nb(const char *addr, unsigned short port)
{
	struct sockaddr_storage ss;
	socklen_t len = vtcp_host_sockaddr(&ss, addr, port);
	int fd = socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
			0);

	if (fd < 0)
		return -errno;
	if (connect(fd, (void *)&ss, len) && errno != EINPROGRESS) {
		close(fd);
		return -errno;
	}
	return fd;
}

/* Read exactly @len bytes from @fd within @ms; 0, or -1 on timeout/error. */
static int vtcp_read_within(int fd, void *buf, size_t len, int ms)
{
	long long end = vtcp_now_ms() + ms;
	size_t got = 0;

	while (got < len) {
		int left = end - vtcp_now_ms();
		ssize_t n;

		if (left <= 0 || vtcp_poll1(fd, POLLIN, left) <= 0)
			return -1;
		n = read(fd, (char *)buf + got, len - got);
		if (n <= 0 && !(n < 0 && errno == EAGAIN))
			return -1;
		if (n > 0)
			got += n;
	}
	return 0;
}

/* @ms at most for @stat of @dev to pass @than; its last value. */
static long long vtcp_wait_stat(const char *dev, const char *stat,
				long long than, int ms)
{
	long long end = vtcp_now_ms() + ms, v;

	while ((v = vtcp_dev_stat(dev, stat)) <= than && vtcp_now_ms() < end)
		usleep(10000);
	return v;
}

/*
 * The unrelated connection still carries data both ways, within seconds:
 * what a global gate used to stop.
 */
static int vtcp_pair_moves(struct vtcp_pair *p)
{
	char out[4096], in[4096];

	vtcp_fill((unsigned char *)out, sizeof(out), 3, 0);
	if (vtcp_write_all(p->hfd, out, sizeof(out)) ||
	    vtcp_read_within(p->vfd, in, sizeof(in), 5000) ||
	    memcmp(in, out, sizeof(in)))
		return -1;
	if (vtcp_write_all(p->vfd, out, sizeof(out)) ||
	    vtcp_read_within(p->hfd, in, sizeof(in), 5000) ||
	    memcmp(in, out, sizeof(in)))
		return -2;
	return 0;
}

FIXTURE(limits) {
	long long saved[ARRAY_SIZE(vtcp_limit_params)];
	struct vtcp_pair p;	/* the unrelated connection */
	int lfd;
};

FIXTURE_SETUP(limits)
{
	size_t i;

	ASSERT_EQ(0, vtcp_module_ensure());
	ASSERT_EQ(0, vtcp_net_up4("vtcp0"));
	for (i = 0; i < ARRAY_SIZE(vtcp_limit_params); i++)
		self->saved[i] = vtcp_param_get(vtcp_limit_params[i]);
	self->lfd = vtcp_listen_on("vtcp0", VTCP_ADDR4, LPORT, 1024);
	ASSERT_LE(0, self->lfd);
	ASSERT_EQ(0, vtcp_pair_open(&self->p, VTCP_ADDR4, LPORT + 1));
}

FIXTURE_TEARDOWN(limits)
{
	size_t i;

	vtcp_pair_close(&self->p);
	close(self->lfd);
	for (i = 0; i < ARRAY_SIZE(vtcp_limit_params); i++)
		if (self->saved[i] >= 0)
			vtcp_param_set(vtcp_limit_params[i], self->saved[i]);
}

/*
 * Review item 6a: at max_conns every connection's payload was dropped.
 * Now only new connections are refused (no SYN-ACK, drop_conn_limit; a
 * CONNECT gets ENOBUFS) and established ones go on.
 */
TEST_F(limits, conn_limit_refuses_new_connections_only)
{
	long long base = vtcp_conns_now(), max = base + 2;
	long long drop0 = vtcp_dev_stat("vtcp0", "drop_conn_limit");
	int fds[16], i, n = 8 * vtcp_scale();

	ASSERT_LT(0, base);
	ASSERT_EQ(0, vtcp_param_set("max_conns", max));
	for (i = 0; i < n && i < (int)ARRAY_SIZE(fds); i++)
		fds[i] = vtcp_host_connect_nb(VTCP_ADDR4, LPORT);
	EXPECT_LT(drop0, vtcp_wait_stat("vtcp0", "drop_conn_limit", drop0,
					 3000));
	EXPECT_GE(max, vtcp_conns_now());
	EXPECT_EQ(-ENOBUFS, vtcp_connect_to("vtcp0", VTCP_ADDR4, 0,
					    VTCP_HOST4, 9, O_NONBLOCK));
	EXPECT_EQ(0, vtcp_pair_moves(&self->p));
	for (i = 0; i < n && i < (int)ARRAY_SIZE(fds); i++)
		if (fds[i] >= 0)
			close(fds[i]);
}

/* A SYN flood stops at the namespace's connection bound, counted. */
TEST_F(limits, syn_flood_stops_at_the_conn_limit)
{
	long long base = vtcp_used("netns", "conns"), max = base + 32;
	long long drop0 = vtcp_dev_stat("vtcp0", "drop_conn_limit");
	int pfd = vtcp_pkt_open("vtcp0"), i;

	ASSERT_LE(0, pfd);
	ASSERT_LE(0, base);
	ASSERT_EQ(0, vtcp_param_set("max_conns_per_netns", max));
	for (i = 0; i < 500 * vtcp_scale(); i++) {
		struct vtcp_seg_desc d = {
			.family = AF_INET, .dst = VTCP_ADDR4, .dport = LPORT,
			.sport = 1024 + i % 60000, .seq = rand(),
			.flags = VTCP_TH_SYN, .win = 65535,
			.opts = { 2, 4, 0x05, 0xb4 }, .optlen = 4,
		};

		snprintf(d.src, sizeof(d.src), "198.51.100.%d", 1 + i % 250);
		ASSERT_EQ(0, vtcp_pkt_send(pfd, "vtcp0", &d));
	}
	EXPECT_GE(max, vtcp_used("netns", "conns"));
	EXPECT_LT(drop0, vtcp_dev_stat("vtcp0", "drop_conn_limit"));
	EXPECT_EQ(0, vtcp_pair_moves(&self->p));
	close(pfd);
}

/*
 * Review item 10: TIME-WAIT entries had no bound. Past it an orphan
 * closes without TIME-WAIT, counted as tw_overflow.
 */
TEST_F(limits, time_wait_churn_stops_at_the_cap)
{
	long long tw0 = vtcp_objects("time_wait");
	long long over0 = vtcp_dev_stat("vtcp0", "tw_overflow");
	int i, n = 24 * vtcp_scale(), cap = 8;
	long long end;

	ASSERT_LE(0, tw0);
	EXPECT_EQ(0, vtcp_param_set("max_time_wait_per_netns",
				    vtcp_used("netns", "time_wait") + cap));
	for (i = 0; i < n; i++) {
		int hfd = vtcp_host_connect(VTCP_ADDR4, LPORT), vfd;
		char c;

		ASSERT_LE(0, hfd);
		vfd = vtcp_accept_on(self->lfd, 0, NULL);
		ASSERT_LE(0, vfd);
		close(vfd);			/* vtcp closes first */
		EXPECT_EQ(0, read(hfd, &c, 1));	/* its FIN */
		close(hfd);
	}
	/* The last FINs' ACKs settle. */
	end = vtcp_now_ms() + 3000;
	while (vtcp_objects("time_wait") - tw0 < cap && vtcp_now_ms() < end)
		usleep(10000);
	usleep(100000);
	EXPECT_GE(cap, vtcp_objects("time_wait") - tw0);
	EXPECT_LE(n - cap, vtcp_dev_stat("vtcp0", "tw_overflow") - over0);
	EXPECT_EQ(0, vtcp_pair_moves(&self->p));
}

/*
 * Review item 6c: past the receive budget, whole segments were dropped
 * with the ACKs riding on them. Now the payload goes (drop_rcv_budget)
 * and the ACK acts: data vtcp sends on a connection whose peer's data is
 * being trimmed still gets through, and the trimmed data comes once the
 * budget frees.
 */
TEST_F(limits, receive_budget_trims_payload_keeps_acks)
{
	static char big[1 << 20], back[256 << 10];
	long long drop0 = vtcp_dev_stat("vtcp0", "drop_rcv_budget");
	struct vtcp_writer w = { .len = sizeof(back), .seed = 5 };
	struct vtcp_pair a;
	long long limit, end;
	ssize_t n;

	ASSERT_EQ(0, vtcp_param_set("rcv_mem_kb_per_netns", 64));
	limit = vtcp_limit("netns", "rcv_mem_bytes", true);
	EXPECT_EQ(64 << 10, limit);
	ASSERT_EQ(0, vtcp_pair_open(&a, VTCP_ADDR4, LPORT + 2));
	/* a's reader sleeps: its queue fills the namespace's budget. */
	fcntl(a.hfd, F_SETFL, O_NONBLOCK);
	end = vtcp_now_ms() + 3000;
	do {
		n = write(a.hfd, big, sizeof(big));
		usleep(20000);
	} while (vtcp_used("netns", "rcv_mem_bytes") < limit &&
		 vtcp_now_ms() < end);
	ASSERT_LE(limit, vtcp_used("netns", "rcv_mem_bytes"));

	/* p: the host sends data (trimmed) with its ACKs, vtcp sends back. */
	w.fd = self->p.vfd;
	ASSERT_EQ(0, vtcp_writer_start(&w));
	fcntl(self->p.hfd, F_SETFL, O_NONBLOCK);
	n = write(self->p.hfd, big, 64 << 10);
	EXPECT_LT(0, n);
	EXPECT_EQ(0, vtcp_read_within(self->p.hfd, back, sizeof(back), 10000));
	EXPECT_EQ(-1, vtcp_check((unsigned char *)back, sizeof(back), 5, 0));
	EXPECT_EQ(0, vtcp_writer_join(&w));
	EXPECT_LT(drop0, vtcp_dev_stat("vtcp0", "drop_rcv_budget"));
	/* The bound held, within the segment that crossed it. */
	EXPECT_GE(limit + (256 << 10), vtcp_used("netns", "rcv_mem_bytes"));

	/* a drains: the host's trimmed data on p arrives after all. */
	fcntl(a.vfd, F_SETFL, O_NONBLOCK);
	while (read(a.vfd, big, sizeof(big)) > 0)
		;
	vtcp_pair_close(&a);
	EXPECT_EQ(0, vtcp_read_within(self->p.vfd, back, n > 0 ? n : 1,
				      10000));
}

/*
 * Review item 6b: send-queue bytes counted against the receive gate, so
 * one user's writes against a zero window stopped everyone's incoming
 * data. The send budget is apart: such writes wait (EAGAIN here), a
 * connection with nothing queued gets ENOBUFS, and data still comes in.
 */
TEST_F(limits, zero_window_writes_stop_at_the_send_budget)
{
	static char buf[64 << 10], in[4096];
	long long limit;
	struct vtcp_pair a, c;
	int small = 4096, i;
	ssize_t n;

	ASSERT_EQ(0, vtcp_param_set("snd_mem_kb_per_netns", 64));
	limit = vtcp_limit("netns", "snd_mem_bytes", true);
	EXPECT_EQ(64 << 10, limit);
	ASSERT_EQ(0, vtcp_pair_open(&a, VTCP_ADDR4, LPORT + 3));
	ASSERT_EQ(0, vtcp_pair_open(&c, VTCP_ADDR4, LPORT + 4));
	/* a's host end never reads: its window closes. */
	setsockopt(a.hfd, SOL_SOCKET, SO_RCVBUF, &small, sizeof(small));
	fcntl(a.vfd, F_SETFL, O_NONBLOCK);
	for (i = 0; i < 64 * vtcp_scale(); i++) {
		n = write(a.vfd, buf, sizeof(buf));
		if (n < 0)
			break;
	}
	EXPECT_EQ(-1, n);
	EXPECT_EQ(EAGAIN, errno);
	EXPECT_LE(limit, vtcp_used("netns", "snd_mem_bytes"));
	EXPECT_GE(limit + sizeof(buf), vtcp_used("netns", "snd_mem_bytes"));
	/* Nothing of c's own to wait for. */
	fcntl(c.vfd, F_SETFL, O_NONBLOCK);
	EXPECT_EQ(-1, write(c.vfd, buf, 100));
	EXPECT_EQ(ENOBUFS, errno);
	/* Receiving is not the send budget's business. */
	EXPECT_EQ(0, vtcp_write_all(c.hfd, buf, sizeof(in)));
	EXPECT_EQ(0, vtcp_read_within(c.vfd, in, sizeof(in), 5000));
	EXPECT_EQ(0, vtcp_write_all(self->p.hfd, buf, sizeof(in)));
	EXPECT_EQ(0, vtcp_read_within(self->p.vfd, in, sizeof(in), 5000));
	vtcp_host_abort(a.hfd);
	a.hfd = -1;
	vtcp_pair_close(&a);
	vtcp_pair_close(&c);
}

/*
 * Learn the host's next sequence number and vtcp's (the ACK the host
 * sends) by watching the host send a byte on @hfd.
 */
static int vtcp_learn_seq(int pfd, int hfd, uint16_t hport, uint32_t *seq,
			  uint32_t *ack)
{
	static uint8_t buf[65536];

	if (write(hfd, "x", 1) != 1)
		return -1;
	for (;;) {
		struct pollfd p = { .fd = pfd, .events = POLLIN };
		struct sockaddr_ll from;
		socklen_t flen = sizeof(from);
		ssize_t n;

		if (poll(&p, 1, 2000) <= 0)
			return -1;
		n = recvfrom(pfd, buf, sizeof(buf), 0, (void *)&from, &flen);
		if (n < 40 || from.sll_pkttype != PACKET_OUTGOING || buf[9] != 6)
			continue;
		if ((buf[20] << 8 | buf[21]) != hport ||
		    n <= 20 + (buf[32] >> 4) * 4)
			continue;
		*ack = ntohl(*(uint32_t *)(buf + 28));
		*seq = ntohl(*(uint32_t *)(buf + 24)) + 1;
		return 0;
	}
}

/*
 * Out-of-order segments stop at the connection's own bound
 * (drop_ooo_limit); the namespace's receive bytes stay within it; the
 * unrelated connection goes on.
 */
TEST_F(limits, out_of_order_flood_stays_in_its_connection)
{
	static unsigned char one[1] = { 'o' };
	long long lim0 = vtcp_dev_stat("vtcp0", "drop_ooo_limit");
	long long rcv0 = vtcp_used("netns", "rcv_mem_bytes");
	int pfd = vtcp_pkt_open("vtcp0");
	struct sockaddr_in hs;
	socklen_t hl = sizeof(hs);
	uint32_t seq, ack, off;
	struct vtcp_pair a;
	char c;

	ASSERT_LE(0, pfd);
	ASSERT_EQ(0, vtcp_pair_open(&a, VTCP_ADDR4, LPORT + 5));
	ASSERT_EQ(0, getsockname(a.hfd, (void *)&hs, &hl));
	vtcp_pkt_flush(pfd);
	ASSERT_EQ(0, vtcp_learn_seq(pfd, a.hfd, ntohs(hs.sin_port), &seq,
				    &ack));
	ASSERT_EQ(1, read(a.vfd, &c, 1));
	for (off = 128; off < (uint32_t)(1 << 20) * vtcp_scale(); off += 128) {
		struct vtcp_seg_desc d = {
			.family = AF_INET, .src = VTCP_HOST4, .dst = VTCP_ADDR4,
			.sport = ntohs(hs.sin_port), .dport = LPORT + 5,
			.flags = VTCP_TH_ACK, .win = 65535, .ack = ack,
			.seq = seq + off, .payload = one, .len = 1,
		};

		ASSERT_EQ(0, vtcp_pkt_send(pfd, "vtcp0", &d));
	}
	EXPECT_LT(lim0, vtcp_dev_stat("vtcp0", "drop_ooo_limit"));
	/* vtcp_rcvq_mem_limit(): 3 * rcvbuf at most, 256 KiB at least. */
	EXPECT_GE(rcv0 + (4 << 20), vtcp_used("netns", "rcv_mem_bytes"));
	EXPECT_EQ(0, vtcp_pair_moves(&self->p));
	vtcp_host_abort(a.hfd);
	a.hfd = -1;
	vtcp_pair_close(&a);
	close(pfd);
}

#define NS_A	"vtcp_lim_a"
#define NS_B	"vtcp_lim_b"

/* A namespace with a vtcp device "vtcpns" whose host end is 192.0.2.1. */
static int vtcp_ns_make(const char *ns)
{
	vtcp_sh("ip netns del %s 2>/dev/null", ns);
	/* Made inside: a vtcp device never changes namespace. */
	return vtcp_sh("ip netns add %s && "
		       "ip -n %s link add vtcpns type vtcp && "
		       "ip -n %s link set lo up && "
		       "ip -n %s link set vtcpns up && "
		       "ip -n %s addr add 192.0.2.1/24 dev vtcpns",
		       ns, ns, ns, ns, ns);
}

/*
 * In a child: namespace A at its connection bound refuses more, counted
 * there and shown in its /proc/net/vtcp_limits; B still accepts and
 * moves data. Exit status: the step that failed, 0 for none.
 */
static int vtcp_two_namespaces(int max)
{
	struct vtcp_pair b;
	long long drop0, end;
	int lfd, i, fds[8];

	if (vtcp_setns(NS_A))
		return 10;
	lfd = vtcp_listen_on("vtcpns", "", 80, 64);
	if (lfd < 0)
		return 11;
	drop0 = vtcp_dev_stat("vtcpns", "drop_conn_limit");
	for (i = 0; i < (int)ARRAY_SIZE(fds); i++)
		fds[i] = vtcp_host_connect_nb("192.0.2.2", 80);
	end = vtcp_now_ms() + 3000;
	while (vtcp_used("netns", "conns") < max && vtcp_now_ms() < end)
		usleep(10000);
	if (vtcp_used("netns", "conns") != max)
		return 12;
	if (vtcp_limit("netns", "conns", true) != max)
		return 13;
	if (vtcp_wait_stat("vtcpns", "drop_conn_limit", drop0, 3000) <= drop0)
		return 14;

	if (vtcp_setns(NS_B))
		return 20;
	if (vtcp_used("netns", "conns"))
		return 21;
	b.lfd = vtcp_listen_on("vtcpns", "", 80, 64);
	if (b.lfd < 0)
		return 22;
	b.hfd = vtcp_host_connect("192.0.2.2", 80);
	b.vfd = b.hfd < 0 ? -1 : vtcp_accept_on(b.lfd, 0, NULL);
	if (b.vfd < 0)
		return 23;
	if (vtcp_pair_moves(&b))
		return 24;
	vtcp_pair_close(&b);
	for (i = 0; i < (int)ARRAY_SIZE(fds); i++)
		close(fds[i]);
	close(lfd);
	return 0;
}

TEST_F(limits, one_namespace_at_its_limit_another_still_accepts)
{
	int max = 3, status;
	pid_t pid;

	ASSERT_EQ(0, vtcp_ns_make(NS_A));
	ASSERT_EQ(0, vtcp_ns_make(NS_B));
	ASSERT_EQ(0, vtcp_param_set("max_conns_per_netns", max));
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid)
		_exit(vtcp_two_namespaces(max));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
	vtcp_sh("ip netns del " NS_A);
	vtcp_sh("ip netns del " NS_B);
}

/*
 * Review item 12: /proc/net/vtcp was one walk of everything under one
 * RCU read section. Now each RCU section takes a bounded number of steps
 * (debugfs proc_rcu_steps_max), whatever the number of connections, and
 * the listing is still whole.
 */
TEST_F(limits, proc_listing_work_per_rcu_section_is_bounded)
{
	int n = 300 * vtcp_scale(), i, lines = 0;
	struct vtcp_pair *pairs = calloc(n, sizeof(*pairs));
	struct rlimit rl = { 4 * n + 64, 4 * n + 64 };
	char line[256];
	FILE *f;

	ASSERT_NE(NULL, pairs);
	setrlimit(RLIMIT_NOFILE, &rl);
	for (i = 0; i < n; i++) {
		pairs[i].lfd = -1;
		pairs[i].hfd = vtcp_host_connect(VTCP_ADDR4, LPORT);
		ASSERT_LE(0, pairs[i].hfd);
		pairs[i].vfd = vtcp_accept_on(self->lfd, 0, NULL);
		ASSERT_LE(0, pairs[i].vfd);
	}
	/* stdio reads it a page at a time, as a reader paging through. */
	f = fopen("/proc/net/vtcp", "r");
	ASSERT_NE(NULL, f);
	while (fgets(line, sizeof(line), f))
		if (strstr(line, " ESTABLISHED "))
			lines++;
	fclose(f);
	EXPECT_LE(n, lines);
	EXPECT_LE(0, vtcp_objects("proc_rcu_steps_max"));
	EXPECT_GE(64, vtcp_objects("proc_rcu_steps_max"));
	TH_LOG("%d connections listed, at most %ld steps per RCU section",
	       lines, vtcp_objects("proc_rcu_steps_max"));
	for (i = 0; i < n; i++)
		vtcp_pair_close(&pairs[i]);
	free(pairs);
}

TEST_HARNESS_MAIN
