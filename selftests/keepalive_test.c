// SPDX-License-Identifier: GPL-2.0
/*
 * Keepalive end to end (RFC 1122 4.2.3.6): with keepalive on and a path
 * that drops everything, vtcp declares the peer dead within
 * idle + count * interval (plus a stated tolerance), frees the connection
 * and the reader sees ETIMEDOUT; with keepalive off the connection stays;
 * on a live path the probes keep an idle connection up.
 */
#include <time.h>
#include "kselftest_harness.h"
#include "vtcp_util.h"

#define PORT	7500
#define IDLE	2	/* seconds */
#define INTVL	1
#define CNT	3
/* Timers fire on time in the guest; the tolerance covers a slow guest. */
#define TOLERANCE_MS	1500

FIXTURE(keepalive) {
	int lfd, hfd, vfd;
};

FIXTURE_VARIANT(keepalive) {
	bool on;
};

FIXTURE_VARIANT_ADD(keepalive, on) { .on = true };
FIXTURE_VARIANT_ADD(keepalive, off) { .on = false };

FIXTURE_SETUP(keepalive)
{
	ASSERT_EQ(0, vtcp_module_ensure());
	ASSERT_EQ(0, vtcp_net_up4("vtcp0"));
	self->lfd = vtcp_listen_on("vtcp0", VTCP_ADDR4, PORT, 4);
	ASSERT_LE(0, self->lfd);
	/* Set on the listener, inherited by what it accepts. */
	ASSERT_EQ(0, vtcp_set_opt(self->lfd, VTCP_OPT_KEEPALIVE, variant->on));
	ASSERT_EQ(0, vtcp_set_opt(self->lfd, VTCP_OPT_KEEPIDLE, IDLE));
	ASSERT_EQ(0, vtcp_set_opt(self->lfd, VTCP_OPT_KEEPINTVL, INTVL));
	ASSERT_EQ(0, vtcp_set_opt(self->lfd, VTCP_OPT_KEEPCNT, CNT));
	self->hfd = vtcp_host_connect(VTCP_ADDR4, PORT);
	ASSERT_LE(0, self->hfd);
	self->vfd = vtcp_accept_on(self->lfd, 0, NULL);
	ASSERT_LE(0, self->vfd);
}

FIXTURE_TEARDOWN(keepalive)
{
	vtcp_sh("tc qdisc del dev vtcp0 root 2>/dev/null");
	close(self->vfd);
	close(self->hfd);
	close(self->lfd);
}

static long vtcp_ms_since(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (t.tv_sec - t0->tv_sec) * 1000 + (t.tv_nsec - t0->tv_nsec) / 1000000;
}

TEST_F_TIMEOUT(keepalive, silent_peer, 60)
{
	struct vtcp_info info = {};
	struct timespec t0;
	ssize_t n;
	char c;

	/* From now on nothing from the host reaches vtcp. */
	ASSERT_EQ(0, vtcp_sh("tc qdisc replace dev vtcp0 root netem loss 100%%"));
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (variant->on) {
		long ms, due = (IDLE + CNT * INTVL) * 1000;

		n = read(self->vfd, &c, 1);
		ms = vtcp_ms_since(&t0);
		EXPECT_EQ(-1, n);
		EXPECT_EQ(ETIMEDOUT, errno);
		EXPECT_LE(due - TOLERANCE_MS, ms);
		EXPECT_GE(due + TOLERANCE_MS, ms);
		ksft_print_msg("keepalive: dead after %ld ms (idle %d s + %d x %d s)\n",
			       ms, IDLE, CNT, INTVL);
		ASSERT_EQ(0, ioctl(self->vfd, VTCP_IOC_INFO, &info));
		EXPECT_EQ(VTCP_CLOSED, info.state);
		EXPECT_EQ(CNT, info.keepalive_probes);
	} else {
		sleep(IDLE + CNT * INTVL + 2);
		ASSERT_EQ(0, ioctl(self->vfd, VTCP_IOC_INFO, &info));
		EXPECT_EQ(VTCP_ESTABLISHED, info.state);
		EXPECT_EQ(0, info.keepalive_probes);
		/* The path comes back: the connection still works. */
		ASSERT_EQ(0, vtcp_sh("tc qdisc del dev vtcp0 root"));
		EXPECT_EQ(0, vtcp_write_all(self->hfd, "k", 1));
		EXPECT_EQ(0, vtcp_read_all(self->vfd, &c, 1));
	}
}

TEST_F_TIMEOUT(keepalive, live_peer_answers_the_probes, 60)
{
	struct vtcp_info info = {};
	char c;

	sleep(IDLE + CNT * INTVL + 2);
	ASSERT_EQ(0, ioctl(self->vfd, VTCP_IOC_INFO, &info));
	EXPECT_EQ(VTCP_ESTABLISHED, info.state);
	/* Answered probes go on every IDLE seconds, one more each time. */
	EXPECT_EQ(variant->on ? 1 : 0, info.keepalive_probes >= CNT);
	EXPECT_EQ(0, vtcp_write_all(self->hfd, "k", 1));
	EXPECT_EQ(0, vtcp_read_all(self->vfd, &c, 1));
}

TEST_HARNESS_MAIN
