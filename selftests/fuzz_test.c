// SPDX-License-Identifier: GPL-2.0
/*
 * A packet fuzzer: random and mutated segments sent into vtcp0 at a
 * listener, at closed ports and at a live connection (with its real
 * addresses, and sequence numbers near the real ones), for a bounded time.
 * Seeded and reproducible: VTCP_SEED=<n> replays a run; the seed is
 * printed. It passes if the kernel stays sanitizer-clean (the guest judges
 * that) and the live connection still carries data intact afterwards.
 * VTCP_FUZZ_SECONDS sets the duration (default 20; VTCP_LONG=1: 300).
 */
#include <time.h>
#include "kselftest_harness.h"
#include "vtcp_util.h"
#include "vtcp_pkt.h"

#define LPORT	9100

static uint64_t vtcp_rng;

static uint32_t vtcp_rand(void)
{
	/* xorshift64*: small, good enough, and the same everywhere. */
	vtcp_rng ^= vtcp_rng >> 12;
	vtcp_rng ^= vtcp_rng << 25;
	vtcp_rng ^= vtcp_rng >> 27;
	return (vtcp_rng * 0x2545F4914F6CDD1DULL) >> 32;
}

static uint32_t vtcp_pick(uint32_t n)
{
	return n ? vtcp_rand() % n : 0;
}

/* Options: mostly well-formed, sometimes anything. */
static void vtcp_fuzz_options(struct vtcp_seg_desc *d)
{
	static const uint8_t good[][8] = {
		{ 2, 4, 5, 0xb4 }, { 1, 3, 3, 7 }, { 4, 2, 1, 1 },
		{ 1, 1, 8, 10 }, { 5, 10 }, { 0 },
	};
	int i, n = vtcp_pick(4);

	d->optlen = 0;
	for (i = 0; i < n && d->optlen <= 32; i++) {
		if (vtcp_pick(4)) {
			memcpy(d->opts + d->optlen, good[vtcp_pick(6)], 4);
		} else {
			uint32_t r = vtcp_rand();

			memcpy(d->opts + d->optlen, &r, 4);
		}
		d->optlen += 4;
	}
	if (d->optlen && d->opts[d->optlen - 4] == 8 && d->optlen <= 28) {
		/* A timestamp option needs its ten bytes. */
		uint32_t ts[2] = { vtcp_rand(), vtcp_rand() };

		memcpy(d->opts + d->optlen, ts, 8);
		d->optlen += 8;
	}
}

/* A segment aimed at @port from the host's @sport, near @seq/@ack. */
static void vtcp_fuzz_seg(struct vtcp_seg_desc *d, uint16_t sport,
			  uint16_t dport, uint32_t seq, uint32_t ack)
{
	static uint8_t payload[2048];
	static const uint8_t common[] = {
		VTCP_TH_SYN, VTCP_TH_ACK, VTCP_TH_ACK | VTCP_TH_PSH,
		VTCP_TH_RST, VTCP_TH_RST | VTCP_TH_ACK, VTCP_TH_FIN | VTCP_TH_ACK,
		VTCP_TH_SYN | VTCP_TH_ACK,
	};

	memset(d, 0, sizeof(*d));
	d->family = AF_INET;
	snprintf(d->src, sizeof(d->src), "%s", VTCP_HOST4);
	snprintf(d->dst, sizeof(d->dst), "%s", VTCP_ADDR4);
	d->sport = sport;
	d->dport = dport;
	d->flags = vtcp_pick(5) ? common[vtcp_pick(sizeof(common))] : vtcp_rand();
	d->seq = vtcp_pick(3) ? seq + vtcp_pick(200000) - 100000 : vtcp_rand();
	d->ack = vtcp_pick(3) ? ack + vtcp_pick(200000) - 100000 : vtcp_rand();
	d->win = vtcp_pick(4) ? 65535 : vtcp_rand();
	d->urg = vtcp_pick(8) ? 0 : vtcp_rand();
	d->tos = vtcp_pick(4) ? 0 : vtcp_rand();
	vtcp_fuzz_options(d);
	if (!vtcp_pick(3)) {
		payload[0] = vtcp_rand();
		d->payload = payload;
		d->len = vtcp_pick(sizeof(payload));
	}
}

/* Break what was built: flip bits, cut, or extend with junk. */
static size_t vtcp_mangle(uint8_t *buf, size_t len)
{
	int i, n;

	switch (vtcp_pick(6)) {
	case 0:
		n = 1 + vtcp_pick(8);
		for (i = 0; i < n; i++)
			buf[vtcp_pick(len)] ^= 1 << vtcp_pick(8);
		return len;
	case 1:
		return 1 + vtcp_pick(len);
	case 2:
		n = vtcp_pick(64);
		for (i = 0; i < n; i++)
			buf[len + i] = vtcp_rand();
		return len + n;
	default:
		return len;	/* well-formed */
	}
}

FIXTURE(fuzz) {
	int pfd, lfd;
};

FIXTURE_SETUP(fuzz)
{
	ASSERT_EQ(0, vtcp_module_ensure());
	ASSERT_EQ(0, vtcp_net_up4("vtcp0"));
	self->lfd = vtcp_listen_on("vtcp0", VTCP_ADDR4, LPORT, 64);
	ASSERT_LE(0, self->lfd);
	self->pfd = vtcp_pkt_open("vtcp0");
	ASSERT_LE(0, self->pfd);
}

FIXTURE_TEARDOWN(fuzz)
{
	close(self->pfd);
	close(self->lfd);
}

TEST_F_TIMEOUT(fuzz, random_and_mutated_segments, 900)
{
	const char *env = getenv("VTCP_FUZZ_SECONDS");
	int seconds = env ? atoi(env) : getenv("VTCP_LONG") ? 300 : 20;
	struct sockaddr_in hs;
	socklen_t hl = sizeof(hs);
	unsigned char *big;
	uint8_t buf[4096];
	unsigned long sent = 0;
	time_t end;
	int hfd, vfd;

	env = getenv("VTCP_SEED");
	vtcp_rng = env ? strtoull(env, NULL, 0) : (uint64_t)time(NULL) * 2654435761u;
	ksft_print_msg("fuzz: seed %llu (VTCP_SEED reproduces), %d s\n",
		       (unsigned long long)vtcp_rng, seconds);
	if (!vtcp_rng)
		vtcp_rng = 1;

	hfd = vtcp_host_connect(VTCP_ADDR4, LPORT);
	ASSERT_LE(0, hfd);
	vfd = vtcp_accept_on(self->lfd, 0, NULL);
	ASSERT_LE(0, vfd);
	ASSERT_EQ(0, getsockname(hfd, (void *)&hs, &hl));

	end = time(NULL) + seconds;
	while (time(NULL) < end) {
		struct vtcp_seg_desc d;
		uint16_t dport, sport;
		size_t len;
		int i;

		for (i = 0; i < 100; i++) {
			switch (vtcp_pick(3)) {
			case 0:	/* the live connection */
				sport = ntohs(hs.sin_port);
				dport = LPORT;
				break;
			case 1:	/* the listener, from anywhere */
				sport = 1024 + vtcp_pick(60000);
				dport = LPORT;
				break;
			default: /* anything */
				sport = vtcp_rand();
				dport = vtcp_rand();
				break;
			}
			vtcp_fuzz_seg(&d, sport, dport, vtcp_rand(), vtcp_rand());
			len = vtcp_mangle(buf, vtcp_pkt_build(&d, buf));
			if (!vtcp_pkt_send_raw(self->pfd, "vtcp0", buf, len))
				sent++;
		}
		/* Let the answers drain so the socket does not fill. */
		vtcp_pkt_flush(self->pfd);
	}
	ksft_print_msg("fuzz: %lu packets sent\n", sent);
	EXPECT_LT(0, sent);

	/*
	 * The live connection may have been reset by a lucky RST: if it is
	 * still up, it must carry data intact.
	 */
	big = malloc(2 << 18);
	ASSERT_NE(NULL, big);
	vtcp_fill(big, 1 << 18, 3, 0);
	if (!vtcp_pass(hfd, vfd, big, big + (1 << 18), 1 << 18))
		EXPECT_EQ(-1, vtcp_check(big + (1 << 18), 1 << 18, 3, 0));
	free(big);
	close(hfd);
	close(vfd);

	/* A fresh connection works after the storm. */
	hfd = vtcp_host_connect(VTCP_ADDR4, LPORT);
	ASSERT_LE(0, hfd);
	vfd = vtcp_accept_on(self->lfd, 0, NULL);
	ASSERT_LE(0, vfd);
	EXPECT_EQ(0, vtcp_write_all(hfd, "after", 5));
	EXPECT_EQ(0, vtcp_read_all(vfd, buf, 5));
	EXPECT_EQ(0, memcmp(buf, "after", 5));
	close(hfd);
	close(vfd);
}

TEST_HARNESS_MAIN
