// SPDX-License-Identifier: GPL-2.0
/*
 * A SACK flood (CVE-2019-11478 class): a peer crafted through an AF_PACKET
 * socket keeps SND.UNA behind a hole and SACKs every other single byte
 * above it, four blocks an ACK. Each block edge would split a record of
 * vtcp's send scoreboard: vtcp must keep the records, and the records one
 * ACK makes it walk, within 2 * sndbuf / MSS + 32 (VTCP_IOC_INFO counts
 * both), and once the peer behaves the transfer completes byte for byte.
 * The attack is counted in ACKs, never timed.
 */
#include <fcntl.h>
#include "kselftest_harness.h"
#include "vtcp_util.h"
#include "vtcp_pkt.h"

#define PEER4		"192.0.2.78"	/* not the host's: answers go nowhere */
#define LPORT		5100
#define PPORT		41000
#define PEER_ISN	7000U
#define MSS		1000U
#define SNDBUF		(64U << 10)
#define TOTAL		(512U << 10)
#define ATTACK_ACKS	4000
/* The cap vtcp applies (engine/sack.c), and what one ACK may walk. */
#define RECORDS_MAX	(2 * SNDBUF / MSS + 32)
/*
 * Per ACK: the cumulative clean-up, the SACK tagging, RACK's loss walk and
 * NextSeg each visit a record about once.
 */
#define WALKED_MAX	(4 * RECORDS_MAX)

FIXTURE(sack_flood) {
	int pfd;
	int lfd;
};

FIXTURE_SETUP(sack_flood)
{
	ASSERT_EQ(0, vtcp_module_ensure());
	ASSERT_EQ(0, vtcp_net_up4("vtcp0"));
	self->lfd = vtcp_listen_on("vtcp0", "", LPORT, 16);
	ASSERT_LE(0, self->lfd);
	self->pfd = vtcp_pkt_open("vtcp0");
	ASSERT_LE(0, self->pfd);
	vtcp_pkt_flush(self->pfd);
}

FIXTURE_TEARDOWN(sack_flood)
{
	close(self->pfd);
	close(self->lfd);
}

/* A segment vtcp sent to the peer, with its payload. */
struct vtcp_rx {
	uint32_t seq, ack;
	uint8_t flags;
	const uint8_t *data;
	uint32_t len;
};

static int vtcp_rx_one(int pfd, uint8_t *buf, size_t size, struct vtcp_rx *r,
		       int ms)
{
	for (;;) {
		struct pollfd p = { .fd = pfd, .events = POLLIN };
		struct sockaddr_ll from;
		socklen_t flen = sizeof(from);
		const struct iphdr *iph = (const void *)buf;
		const uint8_t *th;
		ssize_t n;

		if (poll(&p, 1, ms) <= 0)
			return -1;
		n = recvfrom(pfd, buf, size, 0, (void *)&from, &flen);
		if (n < 40 || from.sll_pkttype == PACKET_OUTGOING ||
		    (buf[0] >> 4) != 4 || iph->protocol != IPPROTO_TCP)
			continue;
		th = buf + iph->ihl * 4;
		if ((th[0] << 8 | th[1]) != LPORT ||
		    (th[2] << 8 | th[3]) != PPORT)
			continue;
		r->seq = ntohl(*(const uint32_t *)(th + 4));
		r->ack = ntohl(*(const uint32_t *)(th + 8));
		r->flags = th[13];
		r->data = th + (th[12] >> 4) * 4;
		r->len = ntohs(iph->tot_len) - iph->ihl * 4 - (th[12] >> 4) * 4;
		return 0;
	}
}

static void vtcp_peer_desc(struct vtcp_seg_desc *d, uint8_t flags,
			   uint32_t seq, uint32_t ack)
{
	memset(d, 0, sizeof(*d));
	d->family = AF_INET;
	snprintf(d->src, sizeof(d->src), "%s", PEER4);
	snprintf(d->dst, sizeof(d->dst), "%s", VTCP_ADDR4);
	d->sport = PPORT;
	d->dport = LPORT;
	d->seq = seq;
	d->ack = ack;
	d->flags = flags;
	d->win = 65535;
}

/* NOP NOP SACK with @n blocks, offsets from @base. */
static void vtcp_sack_opt(struct vtcp_seg_desc *d, uint32_t base,
			  const uint32_t *blk, int n)
{
	uint8_t *o = d->opts;
	int i;

	o[0] = 1;
	o[1] = 1;
	o[2] = 5;
	o[3] = 2 + 8 * n;
	for (i = 0; i < 2 * n; i++) {
		uint32_t v = htonl(base + blk[i]);

		memcpy(o + 4 + 4 * i, &v, 4);
	}
	d->optlen = 4 + 8 * n;
}

TEST_F_TIMEOUT(sack_flood, one_byte_sack_blocks_leave_the_scoreboard_bounded,
	       600)
{
	static uint8_t in[TOTAL], out[TOTAL], have[TOTAL], pkt[65536];
	uint32_t base, rcv = 0, high = 0, cursor = 1, written = 0;
	int vfd, attack = 0, loops = 0, fin = 0, flags;
	struct vtcp_seg_desc d;
	struct vtcp_info info;
	struct vtcp_rx r;

	/* The handshake: MSS 1000 and SACK, no timestamps (four blocks). */
	vtcp_peer_desc(&d, VTCP_TH_SYN, PEER_ISN, 0);
	memcpy(d.opts, (uint8_t[]){ 2, 4, MSS >> 8, MSS & 0xff, 1, 1, 4, 2 },
	       8);
	d.optlen = 8;
	ASSERT_EQ(0, vtcp_pkt_send(self->pfd, "vtcp0", &d));
	do {
		ASSERT_EQ(0, vtcp_rx_one(self->pfd, pkt, sizeof(pkt), &r, 2000));
	} while (r.flags != (VTCP_TH_SYN | VTCP_TH_ACK));
	base = r.seq + 1;
	vtcp_peer_desc(&d, VTCP_TH_ACK, PEER_ISN + 1, base);
	ASSERT_EQ(0, vtcp_pkt_send(self->pfd, "vtcp0", &d));
	vfd = vtcp_accept_on(self->lfd, 0, NULL);
	ASSERT_LE(0, vfd);
	ASSERT_EQ(0, vtcp_set_opt(vfd, VTCP_OPT_SNDBUF, SNDBUF));
	flags = fcntl(vfd, F_GETFL);
	ASSERT_EQ(0, fcntl(vfd, F_SETFL, flags | O_NONBLOCK));
	vtcp_fill(in, TOTAL, 11, 0);

	while (!fin || rcv < TOTAL) {
		uint32_t blk[8];
		int i;

		ASSERT_GT(400000, ++loops) TH_LOG("stuck at %u of %u", rcv,
						  TOTAL);
		if (written < TOTAL) {
			ssize_t n = write(vfd, in + written, TOTAL - written);

			if (n > 0)
				written += n;
			if (written == TOTAL)
				ASSERT_EQ(0, vtcp_shut_wr(vfd));
		}
		/* Take in what vtcp sent, wait a little only for nothing. */
		for (i = 0; !vtcp_rx_one(self->pfd, pkt, sizeof(pkt), &r,
					 i ? 0 : 2); i++) {
			uint32_t off = r.seq - base, k;

			if (r.flags & VTCP_TH_FIN && off + r.len == TOTAL)
				fin = 1;
			for (k = 0; k < r.len && off + k < TOTAL; k++) {
				out[off + k] = r.data[k];
				have[off + k] = 1;
			}
			if (r.len && off + r.len > high)
				high = off + r.len;
		}
		while (rcv < TOTAL && have[rcv])
			rcv++;

		if (attack < ATTACK_ACKS && high > 9) {
			/* The hole at the first byte, and single bytes. */
			if (cursor + 8 > high)
				cursor = 1;
			for (i = 0; i < 4; i++) {
				blk[2 * i] = cursor + 2 * i;
				blk[2 * i + 1] = cursor + 2 * i + 1;
			}
			cursor += 8;
			vtcp_peer_desc(&d, VTCP_TH_ACK, PEER_ISN + 1, base);
			vtcp_sack_opt(&d, base, blk, 4);
			ASSERT_EQ(0, vtcp_pkt_send(self->pfd, "vtcp0", &d));
			if (++attack == ATTACK_ACKS) {
				ASSERT_EQ(0, vtcp_get_info(vfd, &info));
				TH_LOG("after the attack: records %u (at most %u), walked %u, refused %u",
				       info.snd_records, info.snd_records_max,
				       info.records_walked_max,
				       info.sack_splits_refused);
				EXPECT_GE(RECORDS_MAX, info.snd_records_max);
				EXPECT_GE(WALKED_MAX, info.records_walked_max);
			}
			continue;
		}
		if (attack < ATTACK_ACKS)
			continue;
		vtcp_peer_desc(&d, VTCP_TH_ACK, PEER_ISN + 1,
			       base + rcv + (fin && rcv == TOTAL));
		ASSERT_EQ(0, vtcp_pkt_send(self->pfd, "vtcp0", &d));
	}
	vtcp_peer_desc(&d, VTCP_TH_ACK, PEER_ISN + 1, base + TOTAL + 1);
	ASSERT_EQ(0, vtcp_pkt_send(self->pfd, "vtcp0", &d));
	ASSERT_EQ(0, vtcp_get_info(vfd, &info));
	TH_LOG("at the end: records %u (at most %u), walked %u, refused %u",
	       info.snd_records, info.snd_records_max,
	       info.records_walked_max, info.sack_splits_refused);
	EXPECT_GE(RECORDS_MAX, info.snd_records_max);
	EXPECT_GE(WALKED_MAX, info.records_walked_max);
	EXPECT_EQ(ATTACK_ACKS, attack);
	EXPECT_EQ(-1, vtcp_check(out, TOTAL, 11, 0));
	close(vfd);
}

TEST_HARNESS_MAIN
