// SPDX-License-Identifier: GPL-2.0
/*
 * A SYN flood against a listener: once its SYN queue is full, vtcp answers
 * with SYN cookies and keeps no state, and the host's own connections
 * still complete and carry data.
 */
#include "kselftest_harness.h"
#include "vtcp_util.h"
#include "vtcp_pkt.h"

#define LPORT	6000

FIXTURE(flood) {
	int pfd;
	int lfd;
};

FIXTURE_SETUP(flood)
{
	ASSERT_EQ(0, vtcp_module_ensure());
	ASSERT_EQ(0, vtcp_net_up4("vtcp0"));
	/* A backlog of 16 makes a SYN queue of 64 (listen.c). */
	self->lfd = vtcp_listen_on("vtcp0", VTCP_ADDR4, LPORT, 16);
	ASSERT_LE(0, self->lfd);
	self->pfd = vtcp_pkt_open("vtcp0");
	ASSERT_LE(0, self->pfd);
}

FIXTURE_TEARDOWN(flood)
{
	close(self->pfd);
	close(self->lfd);
}

static void vtcp_flood(struct __test_metadata *_metadata, int pfd, int n)
{
	int i;

	for (i = 0; i < n; i++) {
		struct vtcp_seg_desc d = {
			.family = AF_INET, .dst = VTCP_ADDR4, .dport = LPORT,
			.sport = 1024 + i % 60000, .seq = rand(),
			.flags = VTCP_TH_SYN, .win = 65535,
			.opts = { 2, 4, 0x05, 0xb4 }, .optlen = 4,
		};

		/* Spoofed sources the host does not own. */
		snprintf(d.src, sizeof(d.src), "198.51.100.%d", 1 + i % 250);
		ASSERT_EQ(0, vtcp_pkt_send(pfd, "vtcp0", &d));
	}
}

TEST_F(flood, syn_cookies_let_real_connections_through)
{
	long long sent0 = vtcp_dev_stat("vtcp0", "syncookies_sent");
	long long valid0 = vtcp_dev_stat("vtcp0", "syncookies_valid");
	int i;

	vtcp_flood(_metadata, self->pfd, 2000);
	EXPECT_LT(sent0 + 1000, vtcp_dev_stat("vtcp0", "syncookies_sent"));

	/* The host's own connections, made while the queue is full. */
	for (i = 0; i < 10; i++) {
		char buf[16] = {};
		int hfd, vfd;

		vtcp_flood(_metadata, self->pfd, 100);
		hfd = vtcp_host_connect(VTCP_ADDR4, LPORT);
		ASSERT_LE(0, hfd);
		vfd = vtcp_accept_on(self->lfd, 0, NULL);
		ASSERT_LE(0, vfd);
		EXPECT_EQ(0, vtcp_write_all(hfd, "through the flood", 16));
		EXPECT_EQ(0, vtcp_read_all(vfd, buf, 16));
		EXPECT_EQ(0, memcmp(buf, "through the flood", 16));
		EXPECT_EQ(0, vtcp_write_all(vfd, "answer", 6));
		EXPECT_EQ(0, vtcp_read_all(hfd, buf, 6));
		close(hfd);
		close(vfd);
	}
	EXPECT_LT(valid0, vtcp_dev_stat("vtcp0", "syncookies_valid"));
}

/* A forged cookie ACK is answered with a RST and counted. */
TEST_F(flood, forged_cookie_is_refused)
{
	long long bad0;
	struct vtcp_seg_desc d = {
		.family = AF_INET, .src = "198.51.100.9", .dst = VTCP_ADDR4,
		.sport = 999, .dport = LPORT, .seq = 5001, .ack = 0x12345678,
		.flags = VTCP_TH_ACK, .win = 65535,
	};
	struct vtcp_seg_seen s;

	vtcp_flood(_metadata, self->pfd, 200);	/* cookies are in use */
	vtcp_pkt_flush(self->pfd);
	bad0 = vtcp_dev_stat("vtcp0", "drop_bad_cookie");
	ASSERT_EQ(0, vtcp_pkt_send(self->pfd, "vtcp0", &d));
	EXPECT_EQ(bad0 + 1, vtcp_dev_stat("vtcp0", "drop_bad_cookie"));
	/*
	 * SYN-ACKs for the flood, resent ones too, may come first (on an
	 * SMP guest they still trickle out after the flush): skip them.
	 */
	do {
		ASSERT_EQ(0, vtcp_pkt_recv(self->pfd, &s, 1000));
	} while (s.dport != d.sport);
	EXPECT_EQ(VTCP_TH_RST, s.flags);
	EXPECT_EQ(0x12345678u, s.seq);
}

TEST_HARNESS_MAIN
