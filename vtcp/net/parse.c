// SPDX-License-Identifier: GPL-2.0
/*
 * Parsing and validating what the host sends into a vtcp device.
 *
 * The skb may be a clone of the host's retransmit queue, so nothing here
 * writes to it: headers are read with skb_header_pointer(), which copies
 * only when they are not linear. Every failure names its drop reason.
 *
 * Checksums: the host leaves TCP's to the device (CHECKSUM_PARTIAL) for
 * what it generates itself, which is trusted as loopback trusts it; any
 * other packet (one written to an AF_PACKET socket, say) is verified.
 */

#include <kunit/visibility.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <net/ip.h>
#include <net/ip6_checksum.h>
#include <net/ipv6.h>
#include <net/tcp.h>

#include "net/parse.h"
#include "engine/proto.h"

/* The longest IPv4 header: ihl is 4 bits, in 32-bit words. */
#define VTCP_PARSE_IPV4_HDR_MAX	(15 * 4)

static enum vtcp_drop_reason vtcp_parse_ipv4(const struct sk_buff *skb,
					     struct vtcp_pkt *pkt,
					     unsigned int *thoff,
					     unsigned int *len)
{
	const struct iphdr *iph;
	unsigned int ihl, tot;
	struct iphdr _iph;

	iph = skb_header_pointer(skb, 0, sizeof(_iph), &_iph);
	if (!iph)
		return VTCP_DROP_TRUNCATED;
	ihl = iph->ihl * 4;
	if (iph->version != 4 || ihl < sizeof(*iph))
		return VTCP_DROP_BAD_IP_HEADER;
	tot = ntohs(iph->tot_len);
	if (tot < ihl || tot > skb->len)
		return VTCP_DROP_BAD_IP_LENGTH;
	if (ihl > sizeof(*iph)) {
		/* Options: the checksum covers them too. */
		u8 _hdr[VTCP_PARSE_IPV4_HDR_MAX];
		const void *hdr = skb_header_pointer(skb, 0, ihl, _hdr);

		if (!hdr)
			return VTCP_DROP_TRUNCATED;
		if (ip_fast_csum(hdr, iph->ihl))
			return VTCP_DROP_BAD_CHECKSUM;
	} else if (ip_fast_csum(iph, iph->ihl)) {
		return VTCP_DROP_BAD_CHECKSUM;
	}
	if (ip_is_fragment(iph))
		return VTCP_DROP_FRAGMENT;
	if (iph->protocol != IPPROTO_TCP)
		return VTCP_DROP_NOT_TCP;
	if (ipv4_is_multicast(iph->daddr) || ipv4_is_lbcast(iph->daddr) ||
	    ipv4_is_zeronet(iph->daddr) || ipv4_is_multicast(iph->saddr) ||
	    ipv4_is_lbcast(iph->saddr))
		return VTCP_DROP_BAD_ADDRESS;

	pkt->tuple.family = AF_INET;
	pkt->tuple.local.ip = iph->daddr;
	pkt->tuple.remote.ip = iph->saddr;
	pkt->seg.ecn = iph->tos & VTCP_ECN_MASK;
	*thoff = ihl;
	*len = tot - ihl;
	return VTCP_DROP_NONE;
}

static enum vtcp_drop_reason vtcp_parse_ipv6(const struct sk_buff *skb,
					     struct vtcp_pkt *pkt,
					     unsigned int *thoff,
					     unsigned int *len)
{
	const struct ipv6hdr *ip6h;
	struct ipv6hdr _ip6h;
	unsigned int plen;
	__be16 frag_off;
	u8 nexthdr;
	int off;

	ip6h = skb_header_pointer(skb, 0, sizeof(_ip6h), &_ip6h);
	if (!ip6h)
		return VTCP_DROP_TRUNCATED;
	if (ip6h->version != 6)
		return VTCP_DROP_BAD_IP_HEADER;
	plen = ntohs(ip6h->payload_len);
	/* A zero payload length would be a jumbogram: not on this device. */
	if (!plen || sizeof(*ip6h) + plen > skb->len)
		return VTCP_DROP_BAD_IP_LENGTH;
	if (ipv6_addr_is_multicast(&ip6h->daddr) ||
	    ipv6_addr_is_multicast(&ip6h->saddr) ||
	    ipv6_addr_any(&ip6h->daddr))
		return VTCP_DROP_BAD_ADDRESS;

	nexthdr = ip6h->nexthdr;
	off = ipv6_skip_exthdr(skb, sizeof(*ip6h), &nexthdr, &frag_off);
	if (off < 0 || off > sizeof(*ip6h) + plen)
		return VTCP_DROP_BAD_IP_HEADER;
	if (frag_off)
		return VTCP_DROP_FRAGMENT;
	if (nexthdr != IPPROTO_TCP)
		return VTCP_DROP_NOT_TCP;

	pkt->tuple.family = AF_INET6;
	pkt->tuple.local.ip6 = ip6h->daddr;
	pkt->tuple.remote.ip6 = ip6h->saddr;
	pkt->seg.ecn = ipv6_get_dsfield(ip6h) & VTCP_ECN_MASK;
	*thoff = off;
	*len = sizeof(*ip6h) + plen - off;
	return VTCP_DROP_NONE;
}

static bool vtcp_parse_csum_ok(struct sk_buff *skb, const struct vtcp_pkt *pkt,
			       unsigned int thoff, unsigned int len)
{
	const struct vtcp_tuple *t = &pkt->tuple;
	__wsum csum;

	switch (skb->ip_summed) {
	case CHECKSUM_PARTIAL:
	case CHECKSUM_UNNECESSARY:
		return true;
	case CHECKSUM_COMPLETE:
		/* skb->csum covers all of skb->data: take the TCP part. */
		if (thoff + len == skb->len) {
			csum = csum_sub(skb->csum,
					skb_checksum(skb, 0, thoff, 0));
			break;
		}
		fallthrough;
	default:
		csum = skb_checksum(skb, thoff, len, 0);
		break;
	}
	if (t->family == AF_INET)
		return !csum_tcpudp_magic(t->remote.ip, t->local.ip, len,
					  IPPROTO_TCP, csum);
	return !csum_ipv6_magic(&t->remote.ip6, &t->local.ip6, len,
				IPPROTO_TCP, csum);
}

/*
 * Parse an IPv4 or IPv6 TCP segment at skb->data. On success @pkt holds
 * the tuple and the segment (whose payload stays in @skb).
 */
enum vtcp_drop_reason vtcp_parse(struct sk_buff *skb, struct vtcp_pkt *pkt)
{
	u8 _opts[VTCP_MAX_OPTION_SPACE];
	unsigned int thoff, len, doff;
	enum vtcp_drop_reason drop;
	const struct tcphdr *th;
	struct tcphdr _th;
	const u8 *opts;
	u8 version;

	memset(pkt, 0, sizeof(*pkt));
	if (skb_copy_bits(skb, 0, &version, 1))
		return VTCP_DROP_TRUNCATED;
	switch (version >> 4) {
	case 4:
		drop = vtcp_parse_ipv4(skb, pkt, &thoff, &len);
		break;
	case 6:
		drop = vtcp_parse_ipv6(skb, pkt, &thoff, &len);
		break;
	default:
		return VTCP_DROP_NOT_IP;
	}
	if (drop)
		return drop;

	th = skb_header_pointer(skb, thoff, sizeof(_th), &_th);
	if (!th || len < sizeof(*th))
		return VTCP_DROP_TRUNCATED;
	doff = th->doff * 4;
	if (doff < sizeof(*th) || doff > len)
		return VTCP_DROP_BAD_TCP_HEADER;
	if (!th->source || !th->dest)
		return VTCP_DROP_BAD_ADDRESS;
	/* Known from here on, for a drop's tracepoint too. */
	pkt->tuple.lport = th->dest;
	pkt->tuple.rport = th->source;
	if (!vtcp_parse_csum_ok(skb, pkt, thoff, len))
		return VTCP_DROP_BAD_CHECKSUM;

	pkt->seg.flags = tcp_flag_byte(th);
	/*
	 * SYN with FIN or RST: contradictions, dropped as Linux does. A
	 * segment with none of SYN, ACK and RST goes on: a closed port must
	 * answer it with a RST (RFC 9293 3.10.7.1); a listener and a
	 * connection drop it.
	 */
	if ((pkt->seg.flags & VTCP_TH_SYN) &&
	    (pkt->seg.flags & (VTCP_TH_FIN | VTCP_TH_RST)))
		return VTCP_DROP_BAD_FLAGS;

	if (doff > sizeof(*th)) {
		opts = skb_header_pointer(skb, thoff + sizeof(*th),
					  doff - sizeof(*th), _opts);
		if (!opts)
			return VTCP_DROP_TRUNCATED;
		if (vtcp_opts_parse(opts, doff - sizeof(*th), &pkt->seg.opt))
			return VTCP_DROP_BAD_OPTIONS;
	}

	pkt->seg.seq = ntohl(th->seq);
	pkt->seg.ack = ntohl(th->ack_seq);
	pkt->seg.wnd = ntohs(th->window);
	pkt->seg.urg = ntohs(th->urg_ptr);
	pkt->seg.len = len - doff;
	pkt->seg.skb = skb;
	pkt->seg.data_off = thoff + doff;
	return VTCP_DROP_NONE;
}
EXPORT_SYMBOL_IF_KUNIT(vtcp_parse);
