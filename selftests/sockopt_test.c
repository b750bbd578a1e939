// SPDX-License-Identifier: GPL-2.0
/*
 * VTCP_IOC_SETOPT, VTCP_IOC_GETOPT and VTCP_IOC_INFO: every option round
 * trips on every kind of handle and refuses what is out of range; options
 * flow from an unbound handle into its connection and from a listener
 * into the connections it accepts; the options that shape the handshake
 * do shape it; INFO tells the truth during a transfer.
 */
#include <netinet/tcp.h>
#include <pthread.h>
#include "kselftest_harness.h"
#include "vtcp_util.h"

struct vtcp_opt_case {
	__u32 name;
	const char *what;
	__u64 good[4];		/* values that round-trip; the rest 0s */
	int ngood;
	__u64 bad[4];		/* values refused with -EINVAL */
	int nbad;
	int handshake;		/* refused (-EISCONN) once connected */
};

#define B(x)	((__u64)(x))
static const struct vtcp_opt_case vtcp_opts[] = {
	{ VTCP_OPT_KEEPALIVE, "KEEPALIVE", { 1, 0 }, 2, { 2, B(1) << 32 }, 2 },
	{ VTCP_OPT_KEEPIDLE, "KEEPIDLE", { 1, 60, 32767 }, 3,
	  { 0, 32768, B(1) << 40 }, 3 },
	{ VTCP_OPT_KEEPINTVL, "KEEPINTVL", { 1, 75, 32767 }, 3,
	  { 0, 32768, ~B(0) }, 3 },
	{ VTCP_OPT_KEEPCNT, "KEEPCNT", { 1, 9, 127 }, 3, { 0, 128, 256 }, 3 },
	{ VTCP_OPT_NODELAY, "NODELAY", { 1, 0 }, 2, { 2, ~B(0) }, 2 },
	{ VTCP_OPT_CORK, "CORK", { 1, 0 }, 2, { 3 }, 1 },
	{ VTCP_OPT_USER_TIMEOUT, "USER_TIMEOUT", { 1, 30000, 0x7fffffff, 0 }, 4,
	  { B(0x80000000), ~B(0) }, 2 },
	{ VTCP_OPT_SNDBUF, "SNDBUF", { 4096, 1 << 20, 64 << 20 }, 3,
	  { 0, 4095, (64 << 20) + 1, B(1) << 33 }, 4 },
	{ VTCP_OPT_RCVBUF, "RCVBUF", { 4096, 1 << 20, 64 << 20 }, 3,
	  { 0, 4095, (64 << 20) + 1, B(1) << 33 }, 4 },
	{ VTCP_OPT_MAXSEG, "MAXSEG", { 88, 1400, 65495, 0 }, 4,
	  { 1, 87, 65496, B(1) << 32 }, 4, 1 },
	{ VTCP_OPT_LINGER_ABORT, "LINGER_ABORT", { 1, 0 }, 2, { 2 }, 1 },
	{ VTCP_OPT_SACK, "SACK", { 0, 1 }, 2, { 2 }, 1, 1 },
	{ VTCP_OPT_TIMESTAMPS, "TIMESTAMPS", { 0, 1 }, 2, { 2 }, 1, 1 },
	{ VTCP_OPT_WINDOW_SCALING, "WINDOW_SCALING", { 0, 1 }, 2, { 2 }, 1, 1 },
	{ VTCP_OPT_TIME_WAIT, "TIME_WAIT", { 1, 600000, 60000 }, 3,
	  { 0, 600001, ~B(0) }, 3 },
	{ VTCP_OPT_NOSIGPIPE, "NOSIGPIPE", { 1, 0 }, 2, { 2 }, 1 },
};

#define VTCP_NOPTS	ARRAY_SIZE(vtcp_opts)

FIXTURE(opt) {
	struct vtcp_pair p;
	int unbound;
};

FIXTURE_SETUP(opt)
{
	ASSERT_EQ(0, vtcp_module_ensure());
	ASSERT_EQ(0, vtcp_net_up("vtcp0"));
	ASSERT_EQ(0, vtcp_pair_open(&self->p, VTCP_ADDR4, 8000));
	self->unbound = open(VTCP_DEV_PATH, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, self->unbound);
}

FIXTURE_TEARDOWN(opt)
{
	vtcp_pair_close(&self->p);
	close(self->unbound);
	vtcp_sh("tc qdisc del dev vtcp0 root 2>/dev/null");
}

TEST_F(opt, every_option_round_trips_on_every_kind_of_handle)
{
	int fds[] = { self->unbound, self->p.lfd, self->p.vfd };
	const char *kind[] = { "unbound", "listener", "connection" };
	unsigned int i, k;
	int j;

	for (k = 0; k < 3; k++) {
		for (i = 0; i < VTCP_NOPTS; i++) {
			const struct vtcp_opt_case *c = &vtcp_opts[i];

			for (j = 0; j < c->ngood; j++) {
				__u64 got = ~0ULL;
				int want = k == 2 && c->handshake ? -EISCONN : 0;

				EXPECT_EQ(want, vtcp_set_opt(fds[k], c->name,
							     c->good[j]))
					TH_LOG("%s %s=%llu", kind[k], c->what,
					       (unsigned long long)c->good[j]);
				if (want)
					continue;
				EXPECT_EQ(0, vtcp_get_opt(fds[k], c->name, &got));
				EXPECT_EQ(c->good[j], got)
					TH_LOG("%s %s", kind[k], c->what);
			}
		}
	}
}

TEST_F(opt, out_of_range_values_are_einval_and_change_nothing)
{
	int fds[] = { self->unbound, self->p.lfd, self->p.vfd };
	unsigned int i, k;
	int j;

	for (k = 0; k < 3; k++) {
		for (i = 0; i < VTCP_NOPTS; i++) {
			const struct vtcp_opt_case *c = &vtcp_opts[i];
			__u64 before = 0, after = 1;

			if (k == 2 && c->handshake)
				continue;
			ASSERT_EQ(0, vtcp_get_opt(fds[k], c->name, &before));
			for (j = 0; j < c->nbad; j++)
				EXPECT_EQ(-EINVAL, vtcp_set_opt(fds[k], c->name,
								c->bad[j]))
					TH_LOG("%s=%#llx", c->what,
					       (unsigned long long)c->bad[j]);
			ASSERT_EQ(0, vtcp_get_opt(fds[k], c->name, &after));
			EXPECT_EQ(before, after) TH_LOG("%s", c->what);
		}
	}
}

TEST_F(opt, defaults_are_documented_ones)
{
	static const struct { __u32 name; __u64 value; } d[] = {
		{ VTCP_OPT_KEEPALIVE, 0 }, { VTCP_OPT_KEEPIDLE, 7200 },
		{ VTCP_OPT_KEEPINTVL, 75 }, { VTCP_OPT_KEEPCNT, 9 },
		{ VTCP_OPT_NODELAY, 0 }, { VTCP_OPT_CORK, 0 },
		{ VTCP_OPT_USER_TIMEOUT, 0 }, { VTCP_OPT_SNDBUF, 4 << 20 },
		{ VTCP_OPT_RCVBUF, 4 << 20 }, { VTCP_OPT_MAXSEG, 0 },
		{ VTCP_OPT_LINGER_ABORT, 0 }, { VTCP_OPT_SACK, 1 },
		{ VTCP_OPT_TIMESTAMPS, 1 }, { VTCP_OPT_WINDOW_SCALING, 1 },
		{ VTCP_OPT_TIME_WAIT, 60000 }, { VTCP_OPT_NOSIGPIPE, 0 },
		{ VTCP_OPT_ERROR, 0 },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(d); i++) {
		__u64 v = ~0ULL;

		EXPECT_EQ(0, vtcp_get_opt(self->unbound, d[i].name, &v));
		EXPECT_EQ(d[i].value, v) TH_LOG("option %u", d[i].name);
	}
}

TEST_F(opt, congestion_control_is_chosen_by_name)
{
	struct vtcp_opt o = { .name = VTCP_OPT_CONGESTION };
	unsigned int i;
	int fds[] = { self->unbound, self->p.lfd, self->p.vfd };

	for (i = 0; i < 3; i++) {
		memset(o.str, 0x55, sizeof(o.str));
		ASSERT_EQ(0, ioctl(fds[i], VTCP_IOC_GETOPT, &o));
		EXPECT_STREQ("cubic", o.str);	/* the default */
		/* Padded with zeros, not left as passed. */
		EXPECT_EQ(0, o.str[15]);
		snprintf(o.str, sizeof(o.str), "newreno");
		EXPECT_EQ(0, ioctl(fds[i], VTCP_IOC_SETOPT, &o));
		memset(o.str, 0x55, sizeof(o.str));
		ASSERT_EQ(0, ioctl(fds[i], VTCP_IOC_GETOPT, &o));
		EXPECT_STREQ("newreno", o.str);
		snprintf(o.str, sizeof(o.str), "cubic");
		EXPECT_EQ(0, ioctl(fds[i], VTCP_IOC_SETOPT, &o));
		snprintf(o.str, sizeof(o.str), "no-such-algo");
		EXPECT_EQ(-1, ioctl(fds[i], VTCP_IOC_SETOPT, &o));
		EXPECT_EQ(ENOENT, errno);
		memset(o.str, 0, sizeof(o.str));
		EXPECT_EQ(-1, ioctl(fds[i], VTCP_IOC_SETOPT, &o));
		EXPECT_EQ(ENOENT, errno);
		/* No NUL in the 16 bytes. */
		memset(o.str, 'a', sizeof(o.str));
		EXPECT_EQ(-1, ioctl(fds[i], VTCP_IOC_SETOPT, &o));
		EXPECT_EQ(EINVAL, errno);
	}
}

TEST_F(opt, numeric_getopt_zeroes_the_rest_of_the_union)
{
	struct vtcp_opt o = { .name = VTCP_OPT_SNDBUF };

	memset(o.str, 0x55, sizeof(o.str));
	ASSERT_EQ(0, ioctl(self->p.vfd, VTCP_IOC_GETOPT, &o));
	EXPECT_EQ(4 << 20, o.value);
	EXPECT_EQ(0, o.str[8]);
	EXPECT_EQ(0, o.str[15]);
}

TEST_F(opt, error_option_is_read_only)
{
	EXPECT_EQ(-EINVAL, vtcp_set_opt(self->p.vfd, VTCP_OPT_ERROR, 0));
	EXPECT_EQ(-EINVAL, vtcp_set_opt(self->p.lfd, VTCP_OPT_ERROR, 0));
	EXPECT_EQ(0, vtcp_so_error(self->p.vfd));
	EXPECT_EQ(0, vtcp_so_error(self->p.lfd));
	EXPECT_EQ(0, vtcp_so_error(self->unbound));
}

TEST_F(opt, unknown_option_is_enoprotoopt)
{
	__u32 names[] = { 0, VTCP_OPT_MAX, 1000, ~0U };
	unsigned int i;
	__u64 v;

	for (i = 0; i < 4; i++) {
		EXPECT_EQ(-ENOPROTOOPT, vtcp_set_opt(self->p.vfd, names[i], 0));
		EXPECT_EQ(-ENOPROTOOPT, vtcp_get_opt(self->p.vfd, names[i], &v));
		EXPECT_EQ(-ENOPROTOOPT, vtcp_set_opt(self->unbound, names[i], 0));
		EXPECT_EQ(-ENOPROTOOPT, vtcp_get_opt(self->p.lfd, names[i], &v));
	}
}

TEST_F(opt, listener_options_are_inherited_by_accepted_connections)
{
	static const struct { __u32 name; __u64 value; } s[] = {
		{ VTCP_OPT_NODELAY, 1 }, { VTCP_OPT_KEEPALIVE, 1 },
		{ VTCP_OPT_KEEPIDLE, 30 }, { VTCP_OPT_KEEPINTVL, 5 },
		{ VTCP_OPT_KEEPCNT, 3 }, { VTCP_OPT_USER_TIMEOUT, 5000 },
		{ VTCP_OPT_SNDBUF, 65536 }, { VTCP_OPT_NOSIGPIPE, 1 },
		{ VTCP_OPT_TIME_WAIT, 1000 }, { VTCP_OPT_LINGER_ABORT, 1 },
		{ VTCP_OPT_MAXSEG, 1000 },
	};
	unsigned int i;
	int h, v;

	for (i = 0; i < ARRAY_SIZE(s); i++)
		ASSERT_EQ(0, vtcp_set_opt(self->p.lfd, s[i].name, s[i].value));
	h = vtcp_host_connect(VTCP_ADDR4, 8000);
	ASSERT_LE(0, h);
	v = vtcp_accept_on(self->p.lfd, 0, NULL);
	ASSERT_LE(0, v);
	for (i = 0; i < ARRAY_SIZE(s); i++) {
		__u64 got = 0, old = 7;

		EXPECT_EQ(0, vtcp_get_opt(v, s[i].name, &got));
		EXPECT_EQ(s[i].value, got) TH_LOG("option %u", s[i].name);
		/* Accepted before: untouched. */
		EXPECT_EQ(0, vtcp_get_opt(self->p.vfd, s[i].name, &old));
		EXPECT_NE(s[i].value, old) TH_LOG("option %u", s[i].name);
	}
	close(v);
	close(h);
}

TEST_F(opt, unbound_handle_options_carry_into_its_connection)
{
	struct vtcp_connect req = { .ifindex = if_nametoindex("vtcp0") };
	struct vtcp_info info;
	int hl = vtcp_host_listen(VTCP_HOST4, 8100);
	int h, mss = 0;
	socklen_t len = sizeof(mss);
	__u64 v = 0;

	ASSERT_LE(0, hl);
	ASSERT_EQ(0, vtcp_set_opt(self->unbound, VTCP_OPT_MAXSEG, 536));
	ASSERT_EQ(0, vtcp_set_opt(self->unbound, VTCP_OPT_NODELAY, 1));
	vtcp_ep(&req.local, VTCP_ADDR4, 0);
	vtcp_ep(&req.remote, VTCP_HOST4, 8100);
	ASSERT_EQ(0, ioctl(self->unbound, VTCP_IOC_CONNECT, &req));
	EXPECT_EQ(0, vtcp_get_opt(self->unbound, VTCP_OPT_NODELAY, &v));
	EXPECT_EQ(1, v);
	EXPECT_EQ(0, vtcp_get_opt(self->unbound, VTCP_OPT_MAXSEG, &v));
	EXPECT_EQ(536, v);
	ASSERT_EQ(0, vtcp_get_info(self->unbound, &info));
	EXPECT_GE(536, info.snd_mss);
	EXPECT_LT(0, info.snd_mss);
	/* The host was told: its MSS towards vtcp is clamped too. */
	h = accept(hl, NULL, NULL);
	ASSERT_LE(0, h);
	ASSERT_EQ(0, getsockopt(h, IPPROTO_TCP, TCP_MAXSEG, &mss, &len));
	EXPECT_GE(536, mss);
	close(h);
	close(hl);
}

TEST_F(opt, handshake_options_are_refused_once_connected)
{
	EXPECT_EQ(-EISCONN, vtcp_set_opt(self->p.vfd, VTCP_OPT_MAXSEG, 1000));
	EXPECT_EQ(-EISCONN, vtcp_set_opt(self->p.vfd, VTCP_OPT_SACK, 0));
	EXPECT_EQ(-EISCONN, vtcp_set_opt(self->p.vfd, VTCP_OPT_TIMESTAMPS, 0));
	EXPECT_EQ(-EISCONN, vtcp_set_opt(self->p.vfd, VTCP_OPT_WINDOW_SCALING, 0));
	/* A listener's apply to the connections it accepts from now on. */
	EXPECT_EQ(0, vtcp_set_opt(self->p.lfd, VTCP_OPT_MAXSEG, 1000));
}

/* The options a host socket sees in use (struct tcp_info). */
static int vtcp_host_options(int fd)
{
	struct tcp_info ti;
	socklen_t len = sizeof(ti);

	memset(&ti, 0, sizeof(ti));
	if (getsockopt(fd, IPPROTO_TCP, TCP_INFO, &ti, &len))
		return -errno;
	return ti.tcpi_options;
}

TEST_F(opt, sack_timestamps_and_window_scaling_are_used_by_default)
{
	struct vtcp_info info;
	int o = vtcp_host_options(self->p.hfd);

	ASSERT_EQ(0, vtcp_get_info(self->p.vfd, &info));
	EXPECT_EQ(VTCP_INFO_OPT_TIMESTAMPS | VTCP_INFO_OPT_SACK |
		  VTCP_INFO_OPT_WSCALE, info.options);
	EXPECT_TRUE(o & TCPI_OPT_SACK);
	EXPECT_TRUE(o & TCPI_OPT_TIMESTAMPS);
	EXPECT_TRUE(o & TCPI_OPT_WSCALE);
	EXPECT_LT(0, info.rcv_wscale);
	EXPECT_GE(14, info.rcv_wscale);
	EXPECT_GE(14, info.snd_wscale);
}

TEST_F(opt, sack_timestamps_and_window_scaling_off_are_not_negotiated)
{
	struct vtcp_info info;
	int h, v, o;

	ASSERT_EQ(0, vtcp_set_opt(self->p.lfd, VTCP_OPT_SACK, 0));
	ASSERT_EQ(0, vtcp_set_opt(self->p.lfd, VTCP_OPT_TIMESTAMPS, 0));
	ASSERT_EQ(0, vtcp_set_opt(self->p.lfd, VTCP_OPT_WINDOW_SCALING, 0));
	h = vtcp_host_connect(VTCP_ADDR4, 8000);
	ASSERT_LE(0, h);
	v = vtcp_accept_on(self->p.lfd, 0, NULL);
	ASSERT_LE(0, v);
	ASSERT_EQ(0, vtcp_get_info(v, &info));
	EXPECT_EQ(0, info.options);
	EXPECT_EQ(0, info.snd_wscale);
	EXPECT_EQ(0, info.rcv_wscale);
	o = vtcp_host_options(h);
	EXPECT_FALSE(o & TCPI_OPT_SACK);
	EXPECT_FALSE(o & TCPI_OPT_TIMESTAMPS);
	EXPECT_FALSE(o & TCPI_OPT_WSCALE);
	close(v);
	close(h);
}

TEST_F(opt, corked_bytes_wait_until_uncorked)
{
	struct vtcp_info info;
	char buf[16];

	ASSERT_EQ(0, vtcp_set_opt(self->p.vfd, VTCP_OPT_CORK, 1));
	ASSERT_EQ(0, vtcp_write_all(self->p.vfd, "corked", 6));
	EXPECT_EQ(0, vtcp_poll1(self->p.hfd, POLLIN, 300));
	ASSERT_EQ(0, vtcp_get_info(self->p.vfd, &info));
	EXPECT_EQ(6, info.notsent);
	ASSERT_EQ(0, vtcp_set_opt(self->p.vfd, VTCP_OPT_CORK, 0));
	EXPECT_EQ(0, vtcp_read_all(self->p.hfd, buf, 6));
	EXPECT_EQ(0, memcmp(buf, "corked", 6));
}

TEST_F(opt, time_wait_option_sets_how_long_time_wait_lasts)
{
	__u32 how = VTCP_SHUT_WR;
	char buf[4];
	long long t0;

	ASSERT_EQ(0, vtcp_set_opt(self->p.vfd, VTCP_OPT_TIME_WAIT, 300));
	ASSERT_EQ(0, ioctl(self->p.vfd, VTCP_IOC_SHUTDOWN, &how));
	EXPECT_EQ(0, read(self->p.hfd, buf, sizeof(buf)));
	/* TIME-WAIT begins when the host's FIN arrives, after t0. */
	t0 = vtcp_now_ms();
	ASSERT_EQ(0, close(self->p.hfd));
	self->p.hfd = -1;
	EXPECT_EQ(0, read(self->p.vfd, buf, sizeof(buf)));
	/* In TIME-WAIT for 300 ms at least, not the default 60 s. */
	EXPECT_EQ(VTCP_CLOSED, vtcp_wait_state(self->p.vfd, VTCP_CLOSED, 10000));
	EXPECT_LE(300, vtcp_now_ms() - t0);
	EXPECT_GE(5000, vtcp_now_ms() - t0);
}

TEST_F(opt, receive_buffer_bounds_the_window)
{
	struct vtcp_info info;
	int h, v;

	ASSERT_EQ(0, vtcp_set_opt(self->p.lfd, VTCP_OPT_RCVBUF, 8192));
	h = vtcp_host_connect(VTCP_ADDR4, 8000);
	ASSERT_LE(0, h);
	v = vtcp_accept_on(self->p.lfd, 0, NULL);
	ASSERT_LE(0, v);
	ASSERT_EQ(0, vtcp_get_info(v, &info));
	EXPECT_GE(8192, info.rcv_wnd);
	EXPECT_LT(0, info.rcv_wnd);
	close(v);
	close(h);
}

/* The host reads @len bytes in a thread, checking the pattern. */
struct vtcp_sink {
	int fd;
	size_t len;
	int ret;
};

static void *vtcp_sink_fn(void *arg)
{
	struct vtcp_sink *s = arg;
	static unsigned char buf[65536];
	size_t off = 0;

	while (off < s->len) {
		ssize_t n = read(s->fd, buf, sizeof(buf));

		if (n <= 0) {
			s->ret = -1;
			return NULL;
		}
		if (vtcp_check(buf, n, 5, off) >= 0) {
			s->ret = -2;
			return NULL;
		}
		off += n;
	}
	s->ret = 0;
	return NULL;
}

TEST_F(opt, info_is_consistent_during_a_transfer)
{
	size_t len = 4 << 20, off = 0;
	struct vtcp_sink sink = { .fd = self->p.hfd, .len = len };
	static unsigned char buf[65536];
	struct vtcp_info info, first = {};
	struct vtcp_accept acc;
	pthread_t t;
	int samples = 0, v;

	ASSERT_EQ(0, ioctl(self->p.vfd, VTCP_IOC_INFO, &info));
	ASSERT_EQ(0, pthread_create(&t, NULL, vtcp_sink_fn, &sink));
	while (off < len) {
		vtcp_fill(buf, sizeof(buf), 5, off);
		ASSERT_EQ(0, vtcp_write_all(self->p.vfd, buf, sizeof(buf)));
		off += sizeof(buf);
		ASSERT_EQ(0, vtcp_get_info(self->p.vfd, &info));
		if (!samples++)
			first = info;
		EXPECT_EQ(VTCP_ESTABLISHED, info.state);
		EXPECT_GE(info.bytes_sent, info.bytes_acked);
		EXPECT_GE(off, info.bytes_sent);
		EXPECT_GE(4U << 20, info.unacked + info.notsent);
		EXPECT_LE(first.bytes_acked, info.bytes_acked);
		EXPECT_LT(0, info.snd_cwnd);
		EXPECT_LE(200000, info.rto);
		EXPECT_GE(120000000, info.rto);
		EXPECT_EQ(0, info.error);
	}
	ASSERT_EQ(0, pthread_join(t, NULL));
	EXPECT_EQ(0, sink.ret);

	/* All read by the host: all acknowledged, soon. */
	for (samples = 0; samples < 500; samples++) {
		ASSERT_EQ(0, vtcp_get_info(self->p.vfd, &info));
		if (info.bytes_acked == len)
			break;
		usleep(10000);
	}
	EXPECT_EQ(len, info.bytes_acked);
	EXPECT_LE(len, info.bytes_sent);
	EXPECT_EQ(0, info.unacked);
	EXPECT_EQ(0, info.notsent);
	EXPECT_LT(0, info.srtt);
	EXPECT_LE(info.rtt_min, info.srtt);
	EXPECT_LT(0, info.snd_mss);
	EXPECT_GE(1460, info.snd_mss);
	EXPECT_LT(0, info.rcv_mss);
	EXPECT_LT(0, info.snd_ssthresh);
	EXPECT_LT(0, info.snd_wnd);
	EXPECT_LE(len / 65536, info.data_segs_out);
	EXPECT_LE(info.data_segs_out, info.segs_out);
	EXPECT_LT(0, info.segs_in);
	EXPECT_EQ(VTCP_CA_STATE_OPEN, info.ca_state);
	EXPECT_STREQ("cubic", info.congestion);
	EXPECT_EQ(if_nametoindex("vtcp0"), info.ifindex);
	EXPECT_EQ(0, info.rcv_queued);
	/* The endpoints are those ACCEPT reported. */
	ASSERT_LE(0, vtcp_host_connect(VTCP_ADDR4, 8000));
	v = vtcp_accept_on(self->p.lfd, 0, &acc);
	ASSERT_LE(0, v);
	ASSERT_EQ(0, vtcp_get_info(v, &info));
	EXPECT_EQ(0, memcmp(&acc.local, &info.local, sizeof(acc.local)));
	EXPECT_EQ(0, memcmp(&acc.remote, &info.remote, sizeof(acc.remote)));
	EXPECT_EQ(AF_INET, info.local.family);
	EXPECT_EQ(htons(8000), info.local.port);
	close(v);
}

TEST_F(opt, info_counts_bytes_received_and_queued)
{
	struct vtcp_info info;
	char buf[1000];

	memset(buf, 'r', sizeof(buf));
	ASSERT_EQ(0, vtcp_write_all(self->p.hfd, buf, 1000));
	ASSERT_EQ(1000, vtcp_wait_queued(self->p.vfd, 1000, 5000));
	ASSERT_EQ(300, read(self->p.vfd, buf, 300));
	ASSERT_EQ(0, vtcp_get_info(self->p.vfd, &info));
	EXPECT_EQ(700, info.rcv_queued);
	EXPECT_EQ(1000, info.bytes_received);
	EXPECT_LE(1, info.data_segs_in);
}

TEST_F(opt, info_on_a_listener_tells_what_it_listens_on)
{
	struct vtcp_info info;
	int h = vtcp_host_connect(VTCP_ADDR4, 8000);

	ASSERT_LE(0, h);
	ASSERT_EQ(1, vtcp_wait_queued(self->p.lfd, 1, 5000));
	ASSERT_EQ(0, vtcp_get_info(self->p.lfd, &info));
	EXPECT_EQ(VTCP_LISTEN, info.state);
	EXPECT_EQ(1, info.rcv_queued);
	EXPECT_EQ(AF_INET, info.local.family);
	EXPECT_EQ(htons(8000), info.local.port);
	EXPECT_EQ(inet_addr(VTCP_ADDR4), info.local.addr4);
	EXPECT_EQ(if_nametoindex("vtcp0"), info.ifindex);
	EXPECT_STREQ("cubic", info.congestion);
	EXPECT_EQ(0, info.remote.family);
	close(h);
}

TEST_HARNESS_MAIN
