// SPDX-License-Identifier: GPL-2.0
/*
 * Parsing what the host sends (parse.c): well-formed and malformed IPv4
 * and IPv6 TCP packets built here with correct checksums unless the case
 * breaks them, each with the drop reason it must get. The skb is never
 * written to: the parser runs on clones of the host's retransmit queue.
 */
#include <kunit/test.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/skbuff.h>
#include <net/ip.h>
#include <net/ip6_checksum.h>
#include <net/ipv6.h>
#include <net/tcp.h>

#include "net/parse.h"

enum {
	MUT_NONE,
	MUT_TRUNCATE,		/* only 10 bytes */
	MUT_IP_VERSION,
	MUT_IHL_SMALL,
	MUT_TOTLEN_LONG,
	MUT_TOTLEN_SHORT,
	MUT_TRAILER,		/* bytes after tot_len: ignored */
	MUT_IP_CSUM,
	MUT_FRAG_MF,
	MUT_FRAG_OFFSET,
	MUT_UDP,
	MUT_DST_MULTICAST,
	MUT_DST_BROADCAST,
	MUT_SRC_PORT_ZERO,
	MUT_DOFF_SMALL,
	MUT_DOFF_PAST_END,
	MUT_TCP_CSUM,
	MUT_TCP_CSUM_PARTIAL,	/* bad sum, but left to the device */
	MUT_FLAGS_NONE,
	MUT_SYN_FIN,
	MUT_SYN_RST,
	MUT_RST_PAYLOAD,
	MUT_OPT_LEN0,
	MUT_IP_OPTIONS,		/* IPv4 options: skipped */
	MUT_V6_EXTHDRS,		/* hop-by-hop and destination options */
	MUT_V6_FRAGMENT,
	MUT_V6_PLEN_ZERO,
	MUT_V6_EXT_TRUNCATED,
	MUT_NONLINEAR,		/* payload in a page fragment */
};

struct vtcp_parse_case {
	const char *name;
	bool v6;
	int mut;
	enum vtcp_drop_reason drop;
};

static const struct vtcp_parse_case vtcp_parse_cases[] = {
	{ "v4_syn_ok", false, MUT_NONE, VTCP_DROP_NONE },
	{ "v4_truncated", false, MUT_TRUNCATE, VTCP_DROP_TRUNCATED },
	{ "v4_version_5", false, MUT_IP_VERSION, VTCP_DROP_NOT_IP },
	{ "v4_ihl_below_5", false, MUT_IHL_SMALL, VTCP_DROP_BAD_IP_HEADER },
	{ "v4_tot_len_past_frame", false, MUT_TOTLEN_LONG, VTCP_DROP_BAD_IP_LENGTH },
	{ "v4_tot_len_below_header", false, MUT_TOTLEN_SHORT, VTCP_DROP_BAD_IP_LENGTH },
	{ "v4_trailer_ignored", false, MUT_TRAILER, VTCP_DROP_NONE },
	{ "v4_bad_header_checksum", false, MUT_IP_CSUM, VTCP_DROP_BAD_CHECKSUM },
	{ "v4_more_fragments", false, MUT_FRAG_MF, VTCP_DROP_FRAGMENT },
	{ "v4_fragment_offset", false, MUT_FRAG_OFFSET, VTCP_DROP_FRAGMENT },
	{ "v4_udp", false, MUT_UDP, VTCP_DROP_NOT_TCP },
	{ "v4_multicast_dst", false, MUT_DST_MULTICAST, VTCP_DROP_BAD_ADDRESS },
	{ "v4_broadcast_dst", false, MUT_DST_BROADCAST, VTCP_DROP_BAD_ADDRESS },
	{ "v4_source_port_zero", false, MUT_SRC_PORT_ZERO, VTCP_DROP_BAD_ADDRESS },
	{ "v4_data_offset_below_5", false, MUT_DOFF_SMALL, VTCP_DROP_BAD_TCP_HEADER },
	{ "v4_data_offset_past_end", false, MUT_DOFF_PAST_END, VTCP_DROP_BAD_TCP_HEADER },
	{ "v4_bad_tcp_checksum", false, MUT_TCP_CSUM, VTCP_DROP_BAD_CHECKSUM },
	{ "v4_checksum_left_to_device", false, MUT_TCP_CSUM_PARTIAL, VTCP_DROP_NONE },
	/* For demux to answer: a closed port owes it a RST (RFC 9293). */
	{ "v4_no_flags_goes_on", false, MUT_FLAGS_NONE, VTCP_DROP_NONE },
	{ "v4_syn_fin", false, MUT_SYN_FIN, VTCP_DROP_BAD_FLAGS },
	{ "v4_syn_rst", false, MUT_SYN_RST, VTCP_DROP_BAD_FLAGS },
	{ "v4_rst_with_payload", false, MUT_RST_PAYLOAD, VTCP_DROP_NONE },
	{ "v4_option_length_zero", false, MUT_OPT_LEN0, VTCP_DROP_BAD_OPTIONS },
	{ "v4_ip_options_skipped", false, MUT_IP_OPTIONS, VTCP_DROP_NONE },
	{ "v4_nonlinear_payload", false, MUT_NONLINEAR, VTCP_DROP_NONE },
	{ "v6_syn_ok", true, MUT_NONE, VTCP_DROP_NONE },
	{ "v6_truncated", true, MUT_TRUNCATE, VTCP_DROP_TRUNCATED },
	{ "v6_extension_headers_walked", true, MUT_V6_EXTHDRS, VTCP_DROP_NONE },
	{ "v6_fragment_header", true, MUT_V6_FRAGMENT, VTCP_DROP_FRAGMENT },
	{ "v6_payload_length_zero", true, MUT_V6_PLEN_ZERO, VTCP_DROP_BAD_IP_LENGTH },
	{ "v6_payload_past_frame", true, MUT_TOTLEN_LONG, VTCP_DROP_BAD_IP_LENGTH },
	{ "v6_extension_header_truncated", true, MUT_V6_EXT_TRUNCATED, VTCP_DROP_BAD_IP_HEADER },
	{ "v6_udp", true, MUT_UDP, VTCP_DROP_NOT_TCP },
	{ "v6_multicast_dst", true, MUT_DST_MULTICAST, VTCP_DROP_BAD_ADDRESS },
	{ "v6_bad_tcp_checksum", true, MUT_TCP_CSUM, VTCP_DROP_BAD_CHECKSUM },
	{ "v6_data_offset_past_end", true, MUT_DOFF_PAST_END, VTCP_DROP_BAD_TCP_HEADER },
	{ "v6_nonlinear_payload", true, MUT_NONLINEAR, VTCP_DROP_NONE },
};

static void vtcp_parse_case_desc(const struct vtcp_parse_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(vtcp_parse, vtcp_parse_cases, vtcp_parse_case_desc);

#define PAYLOAD_LEN	100

/* Build the packet @c describes: a SYN with an MSS option and payload. */
static struct sk_buff *vtcp_parse_build(struct kunit *test,
					const struct vtcp_parse_case *c)
{
	/* Hop-by-hop, then destination options, each 8 bytes of PadN. */
	u8 ext[16] = { IPPROTO_DSTOPTS, 0, 1, 4, 0, 0, 0, 0,
		       IPPROTO_TCP, 0, 1, 4, 0, 0, 0, 0 };
	unsigned int iplen = c->v6 ? sizeof(struct ipv6hdr) : sizeof(struct iphdr);
	unsigned int extlen = 0, optlen = 4, payload = PAYLOAD_LEN;
	unsigned int thlen, tcplen;
	struct sk_buff *skb;
	struct tcphdr *th;
	u8 *opt;

	if (c->mut == MUT_V6_EXTHDRS || c->mut == MUT_V6_EXT_TRUNCATED)
		extlen = sizeof(ext);
	if (c->mut == MUT_V6_FRAGMENT)
		extlen = 8;
	if (c->mut == MUT_IP_OPTIONS)
		iplen += 4;
	if (c->mut == MUT_DOFF_PAST_END)
		payload = 0;	/* 24 bytes of TCP, a header claiming 60 */
	thlen = sizeof(*th) + optlen;
	tcplen = thlen + payload;

	skb = alloc_skb(256 + iplen + extlen + tcplen, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, skb);
	skb_reserve(skb, 64);
	skb_put_zero(skb, iplen + extlen + tcplen);

	th = (struct tcphdr *)(skb->data + iplen + extlen);
	th->source = htons(40000);
	th->dest = htons(80);
	th->seq = htonl(12345);
	th->doff = thlen / 4;
	th->syn = 1;
	th->window = htons(1000);
	opt = (u8 *)(th + 1);
	opt[0] = VTCP_OPTKIND_MSS;
	opt[1] = c->mut == MUT_OPT_LEN0 ? 0 : VTCP_OPTLEN_MSS;
	opt[2] = 0x05;
	opt[3] = 0xb4;
	memset(opt + optlen, 0xab, payload);

	switch (c->mut) {
	case MUT_SRC_PORT_ZERO:
		th->source = 0;
		break;
	case MUT_DOFF_SMALL:
		th->doff = 4;
		break;
	case MUT_DOFF_PAST_END:
		th->doff = 15;
		th->syn = 0;
		th->ack = 1;
		break;
	case MUT_FLAGS_NONE:
		th->syn = 0;
		break;
	case MUT_SYN_FIN:
		th->fin = 1;
		break;
	case MUT_SYN_RST:
		th->rst = 1;
		break;
	case MUT_RST_PAYLOAD:
		th->syn = 0;
		th->rst = 1;
		break;
	}

	if (!c->v6) {
		struct iphdr *iph = (struct iphdr *)skb->data;

		iph->version = 4;
		iph->ihl = iplen / 4;
		iph->tot_len = htons(iplen + tcplen);
		iph->ttl = 64;
		iph->protocol = IPPROTO_TCP;
		iph->saddr = htonl(0xc0000201);	/* 192.0.2.1 */
		iph->daddr = htonl(0xc0000202);
		if (c->mut == MUT_IP_OPTIONS)
			memset(iph + 1, IPOPT_NOP, 4);
		switch (c->mut) {
		case MUT_IP_VERSION:
			iph->version = 5;
			break;
		case MUT_IHL_SMALL:
			iph->ihl = 4;
			break;
		case MUT_TOTLEN_LONG:
			iph->tot_len = htons(iplen + tcplen + 1);
			break;
		case MUT_TOTLEN_SHORT:
			iph->tot_len = htons(iplen - 1);
			break;
		case MUT_FRAG_MF:
			iph->frag_off = htons(IP_MF);
			break;
		case MUT_FRAG_OFFSET:
			iph->frag_off = htons(8);
			break;
		case MUT_UDP:
			iph->protocol = IPPROTO_UDP;
			break;
		case MUT_DST_MULTICAST:
			iph->daddr = htonl(0xe0000001);
			break;
		case MUT_DST_BROADCAST:
			iph->daddr = htonl(0xffffffff);
			break;
		}
		th->check = tcp_v4_check(tcplen, iph->saddr, iph->daddr,
					 csum_partial(th, tcplen, 0));
		ip_send_check(iph);
		if (c->mut == MUT_IP_CSUM)
			iph->check = ~iph->check;
		skb->protocol = htons(ETH_P_IP);
	} else {
		struct ipv6hdr *ip6h = (struct ipv6hdr *)skb->data;

		ip6h->version = 6;
		ip6h->payload_len = htons(extlen + tcplen);
		ip6h->nexthdr = IPPROTO_TCP;
		ip6h->hop_limit = 64;
		ipv6_addr_set(&ip6h->saddr, htonl(0x20010db8), 0, 0, htonl(1));
		ipv6_addr_set(&ip6h->daddr, htonl(0x20010db8), 0, 0, htonl(2));
		if (extlen == sizeof(ext)) {
			ip6h->nexthdr = IPPROTO_HOPOPTS;
			memcpy(ip6h + 1, ext, sizeof(ext));
		}
		switch (c->mut) {
		case MUT_V6_FRAGMENT: {
			u8 *fh = (u8 *)(ip6h + 1);

			ip6h->nexthdr = NEXTHDR_FRAGMENT;
			fh[0] = IPPROTO_TCP;
			fh[3] = 1;	/* more fragments */
			break;
		}
		case MUT_V6_PLEN_ZERO:
			ip6h->payload_len = 0;
			break;
		case MUT_TOTLEN_LONG:
			ip6h->payload_len = htons(extlen + tcplen + 1);
			break;
		case MUT_V6_EXT_TRUNCATED:
			/* The destination options claim 200 bytes. */
			((u8 *)(ip6h + 1))[9] = 25;
			break;
		case MUT_UDP:
			ip6h->nexthdr = IPPROTO_UDP;
			break;
		case MUT_DST_MULTICAST:
			ip6h->daddr.s6_addr[0] = 0xff;
			break;
		}
		th->check = tcp_v6_check(tcplen, &ip6h->saddr, &ip6h->daddr,
					 csum_partial(th, tcplen, 0));
		skb->protocol = htons(ETH_P_IPV6);
	}
	if (c->mut == MUT_TCP_CSUM || c->mut == MUT_TCP_CSUM_PARTIAL)
		th->check = ~th->check;
	if (c->mut == MUT_TCP_CSUM_PARTIAL)
		skb->ip_summed = CHECKSUM_PARTIAL;
	if (c->mut == MUT_TRAILER)
		skb_put_zero(skb, 7);
	if (c->mut == MUT_TRUNCATE)
		skb_trim(skb, 10);
	if (c->mut == MUT_NONLINEAR) {
		/* Move the payload into a page fragment. */
		struct page *page = alloc_page(GFP_KERNEL);

		KUNIT_ASSERT_NOT_NULL(test, page);
		memcpy_to_page(page, 0, skb_tail_pointer(skb) - payload, payload);
		skb_trim(skb, skb->len - payload);
		skb_add_rx_frag(skb, 0, page, 0, payload, PAGE_SIZE);
	}
	return skb;
}

static void vtcp_parse_table(struct kunit *test)
{
	const struct vtcp_parse_case *c = test->param_value;
	struct sk_buff *skb = vtcp_parse_build(test, c);
	struct sk_buff *clone = skb_clone(skb, GFP_KERNEL);
	unsigned int headlen = skb_headlen(skb);
	struct vtcp_pkt pkt;
	u8 *before;

	KUNIT_ASSERT_NOT_NULL(test, clone);
	before = kunit_kmalloc(test, headlen, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, before);
	memcpy(before, skb->data, headlen);

	/* Parse the clone, as the host hands clones to the device. */
	KUNIT_EXPECT_EQ(test, c->drop, vtcp_parse(clone, &pkt));
	KUNIT_EXPECT_EQ(test, 0, memcmp(before, skb->data, headlen));
	if (c->drop == VTCP_DROP_NONE) {
		KUNIT_EXPECT_EQ(test, pkt.tuple.family, c->v6 ? AF_INET6 : AF_INET);
		KUNIT_EXPECT_EQ(test, ntohs(pkt.tuple.lport), 80);
		KUNIT_EXPECT_EQ(test, ntohs(pkt.tuple.rport), 40000);
		KUNIT_EXPECT_EQ(test, pkt.seg.seq, 12345U);
		KUNIT_EXPECT_EQ(test, pkt.seg.wnd, 1000U);
		KUNIT_EXPECT_EQ(test, pkt.seg.len, (u32)PAYLOAD_LEN);
		KUNIT_EXPECT_PTR_EQ(test, pkt.seg.skb, clone);
		if (c->mut != MUT_RST_PAYLOAD) {
			u8 b;

			KUNIT_EXPECT_TRUE(test, pkt.seg.opt.present & VTCP_TCPOPT_MSS);
			KUNIT_EXPECT_EQ(test, pkt.seg.opt.mss, 1460);
			KUNIT_ASSERT_EQ(test, 0,
					skb_copy_bits(clone, pkt.seg.data_off +
						      PAYLOAD_LEN - 1, &b, 1));
			KUNIT_EXPECT_EQ(test, b, 0xab);
		}
	}
	kfree_skb(clone);
	kfree_skb(skb);
}

static struct kunit_case vtcp_parse_test_cases[] = {
	KUNIT_CASE_PARAM(vtcp_parse_table, vtcp_parse_gen_params),
	{}
};

static struct kunit_suite vtcp_parse_suite = {
	.name = "vtcp_parse",
	.test_cases = vtcp_parse_test_cases,
};

kunit_test_suite(vtcp_parse_suite);
