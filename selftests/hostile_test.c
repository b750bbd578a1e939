// SPDX-License-Identifier: GPL-2.0
/*
 * Hostile input (DESIGN.md): every malformed class sent through an
 * AF_PACKET socket into vtcp0, at a listener and at a live connection.
 * Each is dropped and counted under its reason (ethtool -S vtcp0) or
 * answered as the RFC says, and the live connection still carries data
 * correctly afterwards.
 */
#include <pthread.h>
#include <sys/wait.h>
#include "kselftest_harness.h"
#include "vtcp_util.h"
#include "vtcp_pkt.h"

#define PEER4	"192.0.2.77"	/* not the host's: vtcp's answers go nowhere */
#define LPORT	5000

FIXTURE(hostile) {
	int pfd;
	int lfd;
};

FIXTURE_SETUP(hostile)
{
	ASSERT_EQ(0, vtcp_module_ensure());
	ASSERT_EQ(0, vtcp_net_up4("vtcp0"));
	self->lfd = vtcp_listen_on("vtcp0", "", LPORT, 64);
	ASSERT_LE(0, self->lfd);
	self->pfd = vtcp_pkt_open("vtcp0");
	ASSERT_LE(0, self->pfd);
	vtcp_pkt_flush(self->pfd);
}

FIXTURE_TEARDOWN(hostile)
{
	close(self->pfd);
	close(self->lfd);
}

static void vtcp_syn_desc(struct vtcp_seg_desc *d, uint16_t sport)
{
	memset(d, 0, sizeof(*d));
	d->family = AF_INET;
	snprintf(d->src, sizeof(d->src), "%s", PEER4);
	snprintf(d->dst, sizeof(d->dst), "%s", VTCP_ADDR4);
	d->sport = sport;
	d->dport = LPORT;
	d->seq = 1000;
	d->flags = VTCP_TH_SYN;
	d->win = 65535;
	d->opts[0] = 2;		/* MSS 1460 */
	d->opts[1] = 4;
	d->opts[2] = 0x05;
	d->opts[3] = 0xb4;
	d->optlen = 4;
}

struct vtcp_malformed {
	const char *name;
	const char *counter;	/* ethtool -S name that must go up by one */
	void (*make)(struct vtcp_seg_desc *d);
	/* Raw mutation after building (IP-level breakage); NULL: none. */
	size_t (*mangle)(uint8_t *buf, size_t len);
	uint8_t reply;		/* flags of the expected answer; 0: none */
};

static void m_opt_len0(struct vtcp_seg_desc *d)
{
	d->opts[1] = 0;
}

static void m_opt_len1(struct vtcp_seg_desc *d)
{
	d->opts[1] = 1;
}

static void m_opt_no_len(struct vtcp_seg_desc *d)
{
	memcpy(d->opts, "\x01\x01\x01\x1e", 4);	/* NOP NOP NOP kind */
}

static void m_opt_dup(struct vtcp_seg_desc *d)
{
	memcpy(d->opts + 4, "\x02\x04\x05\xb4", 4);
	d->optlen = 8;
}

static void m_mss0(struct vtcp_seg_desc *d)
{
	d->opts[2] = 0;
	d->opts[3] = 0;
}

static void m_sack_bad(struct vtcp_seg_desc *d)
{
	memcpy(d->opts + 4, "\x01\x01\x05\x06\0\0\0\x01", 8);	/* 6-byte SACK */
	d->optlen = 12;
}

static void m_no_flags(struct vtcp_seg_desc *d)
{
	d->flags = 0;
}

static void m_syn_fin(struct vtcp_seg_desc *d)
{
	d->flags |= VTCP_TH_FIN;
}

static void m_syn_rst(struct vtcp_seg_desc *d)
{
	d->flags |= VTCP_TH_RST;
}

static void m_rst_payload(struct vtcp_seg_desc *d)
{
	static const uint8_t why[] = "diagnostic";

	d->flags = VTCP_TH_RST;
	d->payload = why;
	d->len = sizeof(why);
}

static void m_ack(struct vtcp_seg_desc *d)
{
	d->flags = VTCP_TH_ACK;
	d->ack = 4242;
}

static void m_closed_port(struct vtcp_seg_desc *d)
{
	d->dport = LPORT + 1;
}

static size_t m_truncate(uint8_t *buf, size_t len)
{
	return 10;
}

static size_t m_ihl4(uint8_t *buf, size_t len)
{
	buf[0] = 0x44;
	return len;
}

static size_t m_totlen(uint8_t *buf, size_t len)
{
	buf[2] = 0xff;	/* tot_len past the frame; header sum fixed below */
	return len;
}

static size_t m_fragment(uint8_t *buf, size_t len)
{
	buf[6] = 0x20;	/* MF */
	return len;
}

static size_t m_doff4(uint8_t *buf, size_t len)
{
	buf[20 + 12] = 4 << 4;
	return len;
}

static size_t m_tcp_csum(uint8_t *buf, size_t len)
{
	buf[20 + 16] ^= 0x55;
	return len;
}

static size_t m_udp(uint8_t *buf, size_t len)
{
	buf[9] = IPPROTO_UDP;
	return len;
}

static size_t m_icmp(uint8_t *buf, size_t len)
{
	buf[9] = IPPROTO_ICMP;
	return len;
}

static const struct vtcp_malformed vtcp_malformed[] = {
	{ "truncated frame", "drop_truncated", NULL, m_truncate, 0 },
	{ "IP header length 4", "drop_bad_ip_header", NULL, m_ihl4, 0 },
	{ "IP total length past the frame", "drop_bad_ip_length", NULL, m_totlen, 0 },
	{ "IP fragment", "drop_fragment", NULL, m_fragment, 0 },
	{ "TCP data offset 4", "drop_bad_tcp_header", NULL, m_doff4, 0 },
	{ "bad TCP checksum", "drop_bad_checksum", NULL, m_tcp_csum, 0 },
	{ "UDP", "drop_not_tcp", NULL, m_udp, 0 },
	{ "ICMP", "drop_not_tcp", NULL, m_icmp, 0 },
	{ "option length 0", "drop_bad_options", m_opt_len0, NULL, 0 },
	{ "option length 1", "drop_bad_options", m_opt_len1, NULL, 0 },
	{ "option kind without length", "drop_bad_options", m_opt_no_len, NULL, 0 },
	{ "duplicated MSS", "drop_bad_options", m_opt_dup, NULL, 0 },
	{ "MSS 0", "drop_bad_options", m_mss0, NULL, 0 },
	{ "malformed SACK", "drop_bad_options", m_sack_bad, NULL, 0 },
	{ "no flags", "drop_bad_flags", m_no_flags, NULL, 0 },
	{ "SYN+FIN", "drop_bad_flags", m_syn_fin, NULL, 0 },
	{ "SYN+RST", "drop_bad_flags", m_syn_rst, NULL, 0 },
	{ "RST with payload at a listener", "drop_state", m_rst_payload, NULL, 0 },
	{ "ACK at a listener", "drop_no_socket", m_ack, NULL, VTCP_TH_RST },
	{ "SYN to a closed port", "drop_no_socket", m_closed_port, NULL,
	  VTCP_TH_RST | VTCP_TH_ACK },
};

/* Recompute the IPv4 header checksum after a mangle. */
static void vtcp_fix_ip_csum(uint8_t *buf)
{
	int ihl = (buf[0] & 0xf) * 4;

	if ((buf[0] >> 4) != 4 || ihl < 20)
		return;
	buf[10] = 0;
	buf[11] = 0;
	*(uint16_t *)(buf + 10) = htons(vtcp_csum_fold(vtcp_csum_add(0, buf, ihl)));
}

TEST_F(hostile, each_malformed_class_is_dropped_and_counted)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(vtcp_malformed); i++) {
		const struct vtcp_malformed *m = &vtcp_malformed[i];
		struct vtcp_seg_desc d;
		struct vtcp_seg_seen s;
		long long before, after;
		uint8_t buf[2048];
		size_t len;

		vtcp_syn_desc(&d, 41000 + i);
		if (m->make)
			m->make(&d);
		len = vtcp_pkt_build(&d, buf);
		if (m->mangle) {
			len = m->mangle(buf, len);
			if (len >= 20)
				vtcp_fix_ip_csum(buf);
		}
		before = vtcp_dev_stat("vtcp0", m->counter);
		ASSERT_LE(0, before) TH_LOG("no counter %s", m->counter);
		ASSERT_EQ(0, vtcp_pkt_send_raw(self->pfd, "vtcp0", buf, len));
		after = vtcp_dev_stat("vtcp0", m->counter);
		EXPECT_EQ(before + 1, after) TH_LOG("%s: %s", m->name, m->counter);
		if (m->reply) {
			ASSERT_EQ(0, vtcp_pkt_recv(self->pfd, &s, 1000)) TH_LOG("%s", m->name);
			EXPECT_EQ(m->reply, s.flags) TH_LOG("%s", m->name);
		} else {
			EXPECT_EQ(-ETIMEDOUT, vtcp_pkt_recv(self->pfd, &s, 100))
				TH_LOG("%s got an answer", m->name);
		}
	}
}

/* RFC 7323 2.3: a window scale above 14 is used as 14, and counted. */
TEST_F(hostile, wscale_above_14_is_clamped_and_counted)
{
	struct vtcp_seg_desc d;
	struct vtcp_seg_seen s;
	long long before = vtcp_dev_stat("vtcp0", "wscale_clamped");

	vtcp_syn_desc(&d, 42000);
	memcpy(d.opts + 4, "\x01\x03\x03\x0f", 4);	/* NOP, WS 15 */
	d.optlen = 8;
	ASSERT_EQ(0, vtcp_pkt_send(self->pfd, "vtcp0", &d));
	ASSERT_EQ(0, vtcp_pkt_recv(self->pfd, &s, 1000));
	EXPECT_EQ(VTCP_TH_SYN | VTCP_TH_ACK, s.flags);
	EXPECT_EQ(before + 1, vtcp_dev_stat("vtcp0", "wscale_clamped"));
}

/*
 * Learn the host's next sequence number, and the acknowledgment it sends
 * (vtcp's next), by watching it send a byte.
 */
static uint32_t vtcp_host_next_seq(struct __test_metadata *_metadata, int pfd,
				   int hfd, uint16_t hport, uint32_t *ack)
{
	uint8_t buf[65536];

	ASSERT_EQ(1, write(hfd, "x", 1));
	for (;;) {
		struct pollfd p = { .fd = pfd, .events = POLLIN };
		struct sockaddr_ll from;
		socklen_t flen = sizeof(from);
		ssize_t n;

		ASSERT_LT(0, poll(&p, 1, 2000));
		n = recvfrom(pfd, buf, sizeof(buf), 0, (void *)&from, &flen);
		if (n < 40 || from.sll_pkttype != PACKET_OUTGOING || buf[9] != 6)
			continue;
		if ((buf[20] << 8 | buf[21]) != hport || n <= 20 + (buf[32] >> 4) * 4)
			continue;
		*ack = ntohl(*(uint32_t *)(buf + 28));
		return ntohl(*(uint32_t *)(buf + 24)) + 1;
	}
}

/* A live connection: blind RST, SYN, data and garbage change nothing. */
TEST_F(hostile, live_connection_survives_blind_attacks)
{
	struct sockaddr_in hs;
	socklen_t hl = sizeof(hs);
	unsigned char *big;
	long long rst0, syn0, oow0;
	uint32_t seq, ack;
	int hfd, vfd, i;
	char c;

	hfd = vtcp_host_connect(VTCP_ADDR4, LPORT);
	ASSERT_LE(0, hfd);
	vfd = vtcp_accept_on(self->lfd, 0, NULL);
	ASSERT_LE(0, vfd);
	ASSERT_EQ(0, getsockname(hfd, (void *)&hs, &hl));
	seq = vtcp_host_next_seq(_metadata, self->pfd, hfd, ntohs(hs.sin_port),
				 &ack);
	ASSERT_EQ(1, read(vfd, &c, 1));

	rst0 = vtcp_dev_stat("vtcp0", "drop_rst_challenged");
	syn0 = vtcp_dev_stat("vtcp0", "drop_syn_challenged");
	oow0 = vtcp_dev_stat("vtcp0", "drop_out_of_window");
	for (i = 0; i < 200; i++) {
		struct vtcp_seg_desc d = {
			.family = AF_INET, .src = VTCP_HOST4, .dst = VTCP_ADDR4,
			.sport = ntohs(hs.sin_port), .dport = LPORT,
			.win = 65535,
		};
		static const uint8_t junk[64] = { 0xde, 0xad };

		switch (i % 4) {
		case 0:	/* RST in the window, not exact: challenged */
			d.flags = VTCP_TH_RST;
			d.seq = seq + 1 + i;
			break;
		case 1:	/* SYN in the window: challenged (RFC 5961 4.2) */
			d.flags = VTCP_TH_SYN;
			d.seq = seq + 1000 + i;
			break;
		case 2:	/* data far outside the window */
			d.flags = VTCP_TH_ACK | VTCP_TH_PSH;
			d.ack = ack;
			d.seq = seq + 0x40000000 + i * 64;
			d.payload = junk;
			d.len = sizeof(junk);
			break;
		case 3:	/* RST far outside the window */
			d.flags = VTCP_TH_RST;
			d.seq = seq - 0x40000000;
			break;
		}
		ASSERT_EQ(0, vtcp_pkt_send(self->pfd, "vtcp0", &d));
	}
	EXPECT_LT(rst0, vtcp_dev_stat("vtcp0", "drop_rst_challenged"));
	EXPECT_LT(syn0, vtcp_dev_stat("vtcp0", "drop_syn_challenged"));
	EXPECT_LT(oow0, vtcp_dev_stat("vtcp0", "drop_out_of_window"));

	/* Still a working connection, both ways, every byte right. */
	big = malloc(2 << 20);
	ASSERT_NE(NULL, big);
	vtcp_fill(big, 1 << 20, 7, 0);
	ASSERT_EQ(0, vtcp_pass(hfd, vfd, big, big + (1 << 20), 1 << 20));
	EXPECT_EQ(-1, vtcp_check(big + (1 << 20), 1 << 20, 7, 0));
	vtcp_fill(big, 1 << 20, 8, 0);
	ASSERT_EQ(0, vtcp_pass(vfd, hfd, big, big + (1 << 20), 1 << 20));
	EXPECT_EQ(-1, vtcp_check(big + (1 << 20), 1 << 20, 8, 0));
	free(big);
	close(hfd);
	close(vfd);
}

/*
 * A flood of small out-of-order segments in the window (carrying the bytes
 * the host will send, so only memory is at stake) is bounded: the excess
 * is dropped and counted, and the stream arrives intact.
 */
/* 16,000 packets: minutes under software-emulated SMP. */
TEST_F_TIMEOUT(hostile, out_of_order_flood_is_bounded, 600)
{
	const size_t total = 2 << 20;
	struct sockaddr_in hs;
	socklen_t hl = sizeof(hs);
	unsigned char *big;
	long long lim0;
	uint32_t seq, ack, off;
	int hfd, vfd;
	char c;

	hfd = vtcp_host_connect(VTCP_ADDR4, LPORT);
	ASSERT_LE(0, hfd);
	vfd = vtcp_accept_on(self->lfd, 0, NULL);
	ASSERT_LE(0, vfd);
	ASSERT_EQ(0, getsockname(hfd, (void *)&hs, &hl));
	seq = vtcp_host_next_seq(_metadata, self->pfd, hfd, ntohs(hs.sin_port),
				 &ack);
	ASSERT_EQ(1, read(vfd, &c, 1));

	big = malloc(2 * total);
	ASSERT_NE(NULL, big);
	vtcp_fill(big, total, 9, 0);
	lim0 = vtcp_dev_stat("vtcp0", "drop_ooo_limit");
	/* One byte in every 128 of the first 2 MiB, none at the start. */
	for (off = 128; off < total; off += 128) {
		struct vtcp_seg_desc d = {
			.family = AF_INET, .src = VTCP_HOST4, .dst = VTCP_ADDR4,
			.sport = ntohs(hs.sin_port), .dport = LPORT,
			.flags = VTCP_TH_ACK, .win = 65535, .ack = ack,
			.seq = seq + off, .payload = big + off, .len = 1,
		};

		ASSERT_EQ(0, vtcp_pkt_send(self->pfd, "vtcp0", &d));
	}
	EXPECT_LT(lim0, vtcp_dev_stat("vtcp0", "drop_ooo_limit"));
	ASSERT_EQ(0, vtcp_pass(hfd, vfd, big, big + total, total));
	EXPECT_EQ(-1, vtcp_check(big + total, total, 9, 0));
	free(big);
	close(hfd);
	close(vfd);
}

TEST_HARNESS_MAIN
