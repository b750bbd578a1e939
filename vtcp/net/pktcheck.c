// SPDX-License-Identifier: GPL-2.0
/*
 * Checking a packet the packet channel's reader writes, before any of it
 * reaches the host: one whole IPv4 or IPv6 packet, its lengths agreeing
 * with what was written, and every checksum the host would verify on
 * receive correct, so that what is injected is what the host takes. The
 * answer is 0 or -EINVAL, and never a partial injection.
 *
 * What is checked, as ip_rcv_core(), ipv6_rcv() and the transport
 * protocols' receive functions check it:
 * - IPv4: version, header length, total length equal to the write's, the
 *   header checksum;
 * - IPv6: version, payload length (no jumbograms) equal to the write's
 *   less the header, extension headers that parse within the packet;
 * - TCP: a header that fits, data offset in range, the checksum;
 * - UDP: a header that fits, its length equal to the datagram's, the
 *   checksum (which IPv4 alone may leave out as 0);
 * - ICMP and ICMPv6: a header that fits, the checksum.
 * Other protocols are the host's to check. A fragment's transport header
 * and checksum are checked by the host once it is reassembled.
 */

#include <kunit/visibility.h>
#include <linux/icmp.h>
#include <linux/icmpv6.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <net/ip.h>
#include <net/ip6_checksum.h>
#include <net/ipv6.h>

#include "net/pktcheck.h"

/* The longest IPv4 header: ihl is 4 bits, in 32-bit words. */
#define VTCP_PKTCHECK_IPV4_HDR_MAX	(15 * 4)

/* Where the pseudo-header comes from. */
struct vtcp_pktcheck_ip {
	u8 family;
	__be32 saddr, daddr;
	const struct in6_addr *saddr6, *daddr6;
};

static __sum16 vtcp_pktcheck_pseudo(const struct vtcp_pktcheck_ip *ip,
				    unsigned int len, u8 proto, __wsum csum)
{
	if (ip->family == AF_INET)
		return csum_tcpudp_magic(ip->saddr, ip->daddr, len, proto,
					 csum);
	return csum_ipv6_magic(ip->saddr6, ip->daddr6, len, proto, csum);
}

static int vtcp_pktcheck_l4(const struct sk_buff *skb, u8 proto,
			    unsigned int off, const struct vtcp_pktcheck_ip *ip)
{
	unsigned int len = skb->len - off;
	const struct udphdr *uh;
	const struct tcphdr *th;
	struct udphdr _uh;
	struct tcphdr _th;
	__wsum csum;

	switch (proto) {
	case IPPROTO_TCP:
		th = skb_header_pointer(skb, off, sizeof(_th), &_th);
		if (!th || th->doff * 4 < sizeof(*th) || th->doff * 4 > len)
			return -EINVAL;
		break;
	case IPPROTO_UDP:
		uh = skb_header_pointer(skb, off, sizeof(_uh), &_uh);
		if (!uh || ntohs(uh->len) != len)
			return -EINVAL;
		/* No checksum: allowed over IPv4 only (RFC 768, RFC 8200). */
		if (!uh->check)
			return ip->family == AF_INET ? 0 : -EINVAL;
		break;
	case IPPROTO_ICMP:
	case IPPROTO_ICMPV6:
		/* Each is the other family's unknown protocol. */
		if (ip->family != (proto == IPPROTO_ICMP ? AF_INET : AF_INET6))
			return 0;
		/* Both headers are 8 bytes: type, code, sum, 4 more. */
		if (len < sizeof(struct icmphdr))
			return -EINVAL;
		break;
	default:
		return 0;
	}
	csum = skb_checksum(skb, off, len, 0);
	if (proto == IPPROTO_ICMP)
		return csum_fold(csum) ? -EINVAL : 0;
	return vtcp_pktcheck_pseudo(ip, len, proto, csum) ? -EINVAL : 0;
}

static int vtcp_pktcheck_ipv4(const struct sk_buff *skb)
{
	u8 _hdr[VTCP_PKTCHECK_IPV4_HDR_MAX];
	struct vtcp_pktcheck_ip ip = {};
	const struct iphdr *iph;
	unsigned int ihl;

	iph = skb_header_pointer(skb, 0, sizeof(struct iphdr), _hdr);
	if (!iph)
		return -EINVAL;
	ihl = iph->ihl * 4;
	if (ihl < sizeof(*iph) || ntohs(iph->tot_len) != skb->len ||
	    ihl > skb->len)
		return -EINVAL;
	iph = skb_header_pointer(skb, 0, ihl, _hdr);
	if (!iph || ip_fast_csum(iph, iph->ihl))
		return -EINVAL;
	if (ip_is_fragment(iph))
		return 0;
	ip.family = AF_INET;
	ip.saddr = iph->saddr;
	ip.daddr = iph->daddr;
	return vtcp_pktcheck_l4(skb, iph->protocol, ihl, &ip);
}

static int vtcp_pktcheck_ipv6(const struct sk_buff *skb)
{
	struct vtcp_pktcheck_ip ip = {};
	const struct ipv6hdr *ip6h;
	unsigned int off = 0;
	int proto, flags = 0;

	/* ipv6_find_hdr() reads the fixed header at the network header. */
	if (skb_headlen(skb) < sizeof(*ip6h) || skb_network_offset(skb))
		return -EINVAL;
	ip6h = ipv6_hdr(skb);
	if (!ip6h->payload_len ||
	    sizeof(*ip6h) + ntohs(ip6h->payload_len) != skb->len)
		return -EINVAL;
	proto = ipv6_find_hdr(skb, &off, -1, NULL, &flags);
	if (proto < 0)
		return -EINVAL;
	if (flags & IP6_FH_F_FRAG)
		return 0;
	ip.family = AF_INET6;
	ip.saddr6 = &ip6h->saddr;
	ip.daddr6 = &ip6h->daddr;
	return vtcp_pktcheck_l4(skb, proto, off, &ip);
}

/*
 * 0 if @skb (the packet at its network header, which is skb->data) is one
 * whole packet the host will take as it is, else -EINVAL.
 */
int vtcp_pktcheck(const struct sk_buff *skb)
{
	u8 version;

	if (skb->len > VTCP_PKTCHECK_MAX_LEN ||
	    skb_copy_bits(skb, 0, &version, 1))
		return -EINVAL;
	switch (version >> 4) {
	case 4:
		return vtcp_pktcheck_ipv4(skb);
	case 6:
		return vtcp_pktcheck_ipv6(skb);
	}
	return -EINVAL;
}
EXPORT_SYMBOL_IF_KUNIT(vtcp_pktcheck);
