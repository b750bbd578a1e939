// SPDX-License-Identifier: GPL-2.0
/*
 * Checking what a packet channel's reader writes (pktcheck.c): packets
 * the host takes are accepted, whatever it would drop is -EINVAL. Each
 * case starts from a valid packet built here and changes one thing; the
 * selftests (packet_test) write the common faults through the file.
 */
#include <kunit/test.h>
#include <linux/icmp.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/skbuff.h>
#include <linux/udp.h>
#include <net/ip.h>
#include <net/ip6_checksum.h>
#include <net/ipv6.h>

#include "net/pktcheck.h"

enum {
	PC_NONE,
	PC_UDP4_NO_CSUM,	/* 0: none, allowed over IPv4 */
	PC_IP_OPTIONS,		/* IPv4 options, covered by the sum */
	PC_IP_OPTIONS_BAD_CSUM,
	PC_FRAGMENT,		/* L4 left to the host, after reassembly */
	PC_OTHER_PROTO,		/* e.g. GRE: the host's to check */
	PC_ICMP_IN_V6,		/* protocol 1 over IPv6: not ICMP there */
	PC_V6_HOPOPTS,		/* a hop-by-hop header, then UDP */
	PC_V6_FRAGMENT,
	PC_V6_NO_NEXT,		/* "no next header": the host's, as others */
	PC_NONLINEAR,		/* the UDP payload in a page fragment */
	PC_UDP_BAD_CSUM_NONLINEAR,
};

struct vtcp_pktcheck_case {
	const char *name;
	bool v6;
	int mut;
	int ret;
};

/* A checksum made wrong by one bit: what the check must catch. */
static void pc_spoil(__sum16 *sum)
{
	*sum = (__force __sum16)((__force u16)*sum ^ (__force u16)htons(1));
}

static const struct vtcp_pktcheck_case vtcp_pktcheck_cases[] = {
	{ "v4_udp_ok", false, PC_NONE, 0 },
	{ "v4_udp_without_checksum_ok", false, PC_UDP4_NO_CSUM, 0 },
	{ "v4_options_ok", false, PC_IP_OPTIONS, 0 },
	{ "v4_options_bad_header_checksum", false, PC_IP_OPTIONS_BAD_CSUM,
	  -EINVAL },
	{ "v4_fragment_ok", false, PC_FRAGMENT, 0 },
	{ "v4_other_protocol_ok", false, PC_OTHER_PROTO, 0 },
	{ "v4_nonlinear_ok", false, PC_NONLINEAR, 0 },
	{ "v4_nonlinear_bad_udp_checksum", false, PC_UDP_BAD_CSUM_NONLINEAR,
	  -EINVAL },
	{ "v6_udp_ok", true, PC_NONE, 0 },
	{ "v6_protocol_1_is_not_icmp_ok", true, PC_ICMP_IN_V6, 0 },
	{ "v6_hop_by_hop_then_udp_ok", true, PC_V6_HOPOPTS, 0 },
	{ "v6_fragment_ok", true, PC_V6_FRAGMENT, 0 },
	{ "v6_no_next_header_ok", true, PC_V6_NO_NEXT, 0 },
	{ "v6_nonlinear_ok", true, PC_NONLINEAR, 0 },
};

static void vtcp_pktcheck_case_desc(const struct vtcp_pktcheck_case *c,
				    char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(vtcp_pktcheck, vtcp_pktcheck_cases, vtcp_pktcheck_case_desc);

#define PC_SADDR4	htonl(0xc6336402)	/* 198.51.100.2 */
#define PC_DADDR4	htonl(0xc6336401)
#define PC_PAYLOAD	16

static const struct in6_addr pc_saddr6 = {
	{ { 0x20, 0x01, 0x0d, 0xb8, [15] = 2 } } };
static const struct in6_addr pc_daddr6 = {
	{ { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 } } };

/* The UDP sum over the datagram at @uh, @len bytes, linear. */
static __sum16 pc_udp_csum(bool v6, struct udphdr *uh, unsigned int len)
{
	__sum16 sum;
	__wsum csum;

	uh->check = 0;
	csum = csum_partial(uh, len, 0);
	sum = v6 ? csum_ipv6_magic(&pc_saddr6, &pc_daddr6, len, IPPROTO_UDP,
				   csum) :
		   csum_tcpudp_magic(PC_SADDR4, PC_DADDR4, len, IPPROTO_UDP,
				     csum);
	return sum ?: CSUM_MANGLED_0;
}

/* Build the case's packet: IP, extension or options, UDP, payload. */
static struct sk_buff *pc_build(struct kunit *test,
				const struct vtcp_pktcheck_case *c)
{
	unsigned int iplen = c->v6 ? sizeof(struct ipv6hdr) : sizeof(struct iphdr);
	unsigned int ext = 0, l4len = sizeof(struct udphdr) + PC_PAYLOAD;
	u8 proto = IPPROTO_UDP, *p;
	struct sk_buff *skb;
	struct udphdr *uh;

	if (c->mut == PC_IP_OPTIONS || c->mut == PC_IP_OPTIONS_BAD_CSUM ||
	    c->mut == PC_V6_HOPOPTS || c->mut == PC_V6_FRAGMENT)
		ext = 8;
	skb = alloc_skb(256, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, skb);
	p = skb_put_zero(skb, iplen + ext + l4len);
	skb_reset_network_header(skb);
	uh = (struct udphdr *)(p + iplen + ext);
	uh->source = htons(53);
	uh->dest = htons(5353);
	uh->len = htons(l4len);
	memset(uh + 1, 0xa5, PC_PAYLOAD);
	uh->check = pc_udp_csum(c->v6, uh, l4len);
	if (c->mut == PC_UDP4_NO_CSUM)
		uh->check = 0;
	if (c->mut == PC_OTHER_PROTO || c->mut == PC_ICMP_IN_V6) {
		/* Junk for UDP or ICMP: not looked at. */
		proto = c->mut == PC_OTHER_PROTO ? IPPROTO_GRE : IPPROTO_ICMP;
		pc_spoil(&uh->check);
	}

	if (c->v6) {
		struct ipv6hdr *ip6h = (struct ipv6hdr *)p;

		ip6h->version = 6;
		ip6h->payload_len = htons(ext + l4len);
		ip6h->nexthdr = proto;
		ip6h->hop_limit = 64;
		ip6h->saddr = pc_saddr6;
		ip6h->daddr = pc_daddr6;
		if (ext) {
			/* Hop-by-hop: PadN fills it; fragment: MF, offset 0. */
			ip6h->nexthdr = c->mut == PC_V6_HOPOPTS ?
					NEXTHDR_HOP : NEXTHDR_FRAGMENT;
			p[iplen] = proto;
			if (c->mut == PC_V6_HOPOPTS) {
				p[iplen + 2] = IPV6_TLV_PADN;
				p[iplen + 3] = 4;
			} else {
				p[iplen + 3] = 1;	/* M */
				/* A first fragment: the sum is the whole's. */
				pc_spoil(&uh->check);
			}
		}
		if (c->mut == PC_V6_NO_NEXT)
			ip6h->nexthdr = NEXTHDR_NONE;
	} else {
		struct iphdr *iph = (struct iphdr *)p;

		iph->version = 4;
		iph->ihl = (iplen + ext) / 4;
		iph->tot_len = htons(iplen + ext + l4len);
		iph->ttl = 64;
		iph->protocol = proto;
		iph->saddr = PC_SADDR4;
		iph->daddr = PC_DADDR4;
		if (ext)	/* no-operation options */
			memset(p + iplen, IPOPT_NOOP, ext);
		if (c->mut == PC_FRAGMENT) {
			iph->frag_off = htons(IP_MF);
			pc_spoil(&uh->check);
		}
		ip_send_check(iph);
		if (c->mut == PC_IP_OPTIONS_BAD_CSUM)
			p[iplen] = IPOPT_END;	/* after the sum was made */
	}
	if (c->mut == PC_UDP_BAD_CSUM_NONLINEAR)
		pc_spoil(&uh->check);
	return skb;
}

/* Move the payload's last bytes into a page fragment. */
static void pc_make_nonlinear(struct kunit *test, struct sk_buff *skb)
{
	struct page *page = alloc_page(GFP_KERNEL);
	unsigned int n = PC_PAYLOAD / 2;

	KUNIT_ASSERT_NOT_NULL(test, page);
	memcpy(page_address(page), skb_tail_pointer(skb) - n, n);
	skb_trim(skb, skb->len - n);
	skb_add_rx_frag(skb, 0, page, 0, n, PAGE_SIZE);
}

static void vtcp_pktcheck_test(struct kunit *test)
{
	const struct vtcp_pktcheck_case *c = test->param_value;
	struct sk_buff *skb = pc_build(test, c);

	if (c->mut == PC_NONLINEAR || c->mut == PC_UDP_BAD_CSUM_NONLINEAR)
		pc_make_nonlinear(test, skb);
	KUNIT_EXPECT_EQ(test, c->ret, vtcp_pktcheck(skb));
	kfree_skb(skb);
}

static struct kunit_case vtcp_pktcheck_test_cases[] = {
	KUNIT_CASE_PARAM(vtcp_pktcheck_test, vtcp_pktcheck_gen_params),
	{}
};

static struct kunit_suite vtcp_pktcheck_suite = {
	.name = "vtcp_pktcheck",
	.test_cases = vtcp_pktcheck_test_cases,
};

kunit_test_suite(vtcp_pktcheck_suite);
