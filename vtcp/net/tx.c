// SPDX-License-Identifier: GPL-2.0
/*
 * What vtcp sends, injected into the host as received on the device.
 *
 * Payload is never copied but for small segments: the skb's fragments
 * reference the send queue's pages (a retransmission takes new references
 * to the same bytes). A segment larger than the MSS leaves as one GSO
 * train, which the host's receive path takes whole, as it does from
 * loopback. Such segments carry CHECKSUM_PARTIAL with the pseudo-header
 * sum, like loopback's, so the payload is never summed here, and a host
 * that forwards them computes the sum where it must. Small linear segments
 * get a full checksum and CHECKSUM_UNNECESSARY. With the device's
 * rx-checksumming off, every segment gets a full checksum the host then
 * verifies (CHECKSUM_NONE).
 */

#include <linux/icmp.h>
#include <linux/icmpv6.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <net/ip.h>
#include <net/ip6_checksum.h>
#include <net/ipv6.h>
#include <net/tcp.h>

#include "compat.h"
#include "net/conn.h"
#include "net/device.h"
#include "engine/proto.h"
#include "engine/sndq.h"
#include "net/trace.h"
#include "net/tx.h"

/* Payloads this small are copied into the skb: cheaper than page refs. */
#define VTCP_TX_COPY_MAX	256

static unsigned int vtcp_tx_iphdr_len(u8 family)
{
	return family == AF_INET6 ? sizeof(struct ipv6hdr) :
				    sizeof(struct iphdr);
}

/* The MSS the device's MTU allows. */
u16 vtcp_tx_mss(const struct net_device *dev, u8 family)
{
	unsigned int hdr = vtcp_tx_iphdr_len(family) + sizeof(struct tcphdr);
	unsigned int mtu = READ_ONCE(dev->mtu);

	return clamp_t(unsigned int, mtu > hdr ? mtu - hdr : 0, VTCP_MSS_MIN,
		       VTCP_IP_MAX_LEN - hdr);
}

/* The largest segment that leaves as one GSO train. */
u16 vtcp_tx_gso_max(u8 family)
{
	return VTCP_IP_MAX_LEN - vtcp_tx_iphdr_len(family) -
	       sizeof(struct tcphdr) - VTCP_MAX_OPTION_SPACE;
}

static int vtcp_tx_add_frag(void *arg, struct page *page, u32 off, u32 len)
{
	struct sk_buff *skb = arg;
	int i = skb_shinfo(skb)->nr_frags;

	if (i == MAX_SKB_FRAGS)
		return -EMSGSIZE;
	get_page(page);
	skb_fill_page_desc(skb, i, page, off, len);
	skb->len += len;
	skb->data_len += len;
	skb->truesize += len;
	return 0;
}

/* The full TCP checksum of the segment at the transport header. */
static __sum16 vtcp_tx_csum(struct sk_buff *skb, const struct vtcp_tuple *t,
			    unsigned int tcplen)
{
	__wsum csum = skb_checksum(skb, skb_transport_offset(skb), tcplen, 0);

	if (t->family == AF_INET)
		return tcp_v4_check(tcplen, t->local.ip, t->remote.ip, csum);
	return tcp_v6_check(tcplen, &t->local.ip6, &t->remote.ip6, csum);
}

/* An skb with room for the headers, holding the payload (copied or not). */
static struct sk_buff *vtcp_tx_alloc(const struct vtcp_out *out,
				     const struct vtcp_sndq *q,
				     unsigned int hdrlen)
{
	bool copy = out->len <= VTCP_TX_COPY_MAX;
	struct sk_buff *skb;

	skb = alloc_skb(NET_SKB_PAD + hdrlen + (copy ? out->len : 0),
			GFP_ATOMIC | __GFP_NOWARN);
	if (!skb)
		return NULL;
	skb_reserve(skb, NET_SKB_PAD + hdrlen);
	if (!out->len)
		return skb;
	if (copy) {
		vtcp_sndq_copy(q, out->data_seq, out->len,
			       skb_put(skb, out->len));
		return skb;
	}
	if (vtcp_sndq_for_each(q, out->data_seq, out->len, vtcp_tx_add_frag,
			       skb))
		goto err_free_skb;
	return skb;

err_free_skb:
	kfree_skb_reason(skb, SKB_DROP_REASON_NOMEM);
	return NULL;
}

/* The TCP header and its options, @thlen bytes in all. */
static struct tcphdr *vtcp_tx_push_tcp(struct sk_buff *skb,
				       const struct vtcp_tuple *t,
				       const struct vtcp_out *out,
				       unsigned int thlen)
{
	unsigned int optlen = thlen - sizeof(struct tcphdr);
	struct tcphdr *th = skb_push(skb, thlen);

	skb_reset_transport_header(skb);
	memset(th, 0, sizeof(*th));
	th->source = t->lport;
	th->dest = t->rport;
	th->seq = htonl(out->seq);
	th->ack_seq = htonl(out->ack);
	th->doff = thlen / 4;
	tcp_flag_byte(th) = out->flags;
	th->window = htons(out->wnd);
	if (optlen)
		vtcp_opts_write((u8 *)(th + 1), &out->opt, optlen);
	return th;
}

static void vtcp_tx_push_ipv4(struct sk_buff *skb, const struct vtcp_tuple *t,
			      const struct vtcp_out *out, unsigned int tcplen)
{
	struct iphdr *iph = skb_push(skb, sizeof(*iph));

	iph->version = 4;
	iph->ihl = sizeof(*iph) / 4;
	iph->tos = out->ecn;
	iph->tot_len = htons(sizeof(*iph) + tcplen);
	/* Atomic datagrams: DF set, the ID need not vary (RFC 6864). */
	iph->id = 0;
	iph->frag_off = htons(IP_DF);
	iph->ttl = VTCP_IP_TTL;
	iph->protocol = IPPROTO_TCP;
	iph->saddr = t->local.ip;
	iph->daddr = t->remote.ip;
	ip_send_check(iph);
	skb->protocol = htons(ETH_P_IP);
}

static void vtcp_tx_push_ipv6(struct sk_buff *skb, const struct vtcp_tuple *t,
			      const struct vtcp_out *out, unsigned int tcplen)
{
	struct ipv6hdr *ip6h = skb_push(skb, sizeof(*ip6h));

	ip6_flow_hdr(ip6h, out->ecn, 0);
	ip6h->payload_len = htons(tcplen);
	ip6h->nexthdr = IPPROTO_TCP;
	ip6h->hop_limit = VTCP_IP_TTL;
	ip6h->saddr = t->local.ip6;
	ip6h->daddr = t->remote.ip6;
	skb->protocol = htons(ETH_P_IPV6);
}

/*
 * The TCP checksum, as the head comment says: none left to the host with
 * rx-checksumming off, the pseudo-header's for GSO trains and fragments,
 * the full sum for small linear segments.
 */
static void vtcp_tx_checksum(struct sk_buff *skb, const struct net_device *dev,
			     const struct vtcp_tuple *t,
			     const struct vtcp_out *out, struct tcphdr *th,
			     unsigned int tcplen)
{
	if (!(READ_ONCE(dev->features) & NETIF_F_RXCSUM)) {
		th->check = vtcp_tx_csum(skb, t, tcplen);
		skb->ip_summed = CHECKSUM_NONE;
	} else if (out->gso_size || skb_is_nonlinear(skb)) {
		skb->ip_summed = CHECKSUM_PARTIAL;
		skb->csum_start = skb_transport_header(skb) - skb->head;
		skb->csum_offset = offsetof(struct tcphdr, check);
		if (t->family == AF_INET)
			th->check = ~tcp_v4_check(tcplen, t->local.ip,
						  t->remote.ip, 0);
		else
			th->check = ~tcp_v6_check(tcplen, &t->local.ip6,
						  &t->remote.ip6, 0);
	} else {
		th->check = vtcp_tx_csum(skb, t, tcplen);
		skb->ip_summed = CHECKSUM_UNNECESSARY;
	}
}

/* A segment larger than the MSS leaves as one GSO train. */
static void vtcp_tx_gso(struct sk_buff *skb, const struct vtcp_tuple *t,
			const struct vtcp_out *out)
{
	struct skb_shared_info *shinfo = skb_shinfo(skb);

	shinfo->gso_size = out->gso_size;
	shinfo->gso_segs = DIV_ROUND_UP(out->len, out->gso_size);
	shinfo->gso_type = t->family == AF_INET ?
			   SKB_GSO_TCPV4 | SKB_GSO_TCP_FIXEDID : SKB_GSO_TCPV6;
}

static struct sk_buff *vtcp_tx_build(struct net_device *dev,
				     const struct vtcp_tuple *t,
				     const struct vtcp_out *out,
				     const struct vtcp_sndq *q)
{
	unsigned int thlen = sizeof(struct tcphdr) + vtcp_opts_size(&out->opt);
	unsigned int iplen = vtcp_tx_iphdr_len(t->family);
	unsigned int tcplen = thlen + out->len;
	struct sk_buff *skb;
	struct tcphdr *th;

	/* The 16-bit length field would wrap (vtcp_mss_less_options()). */
	if (WARN_ON_ONCE((t->family == AF_INET ? iplen : 0) + tcplen >
			 IP_MAX_MTU))
		return NULL;
	skb = vtcp_tx_alloc(out, q, iplen + thlen);
	if (!skb)
		return NULL;
	th = vtcp_tx_push_tcp(skb, t, out, thlen);
	if (t->family == AF_INET)
		vtcp_tx_push_ipv4(skb, t, out, tcplen);
	else
		vtcp_tx_push_ipv6(skb, t, out, tcplen);
	skb_reset_network_header(skb);
	skb_reset_mac_header(skb);
	vtcp_tx_checksum(skb, dev, t, out, th, tcplen);
	if (out->gso_size)
		vtcp_tx_gso(skb, t, out);
	skb->dev = dev;
	skb->pkt_type = PACKET_HOST;
	return skb;
}

/* Hand @skb to the host as received on the device; consumes it. */
int vtcp_tx_inject(struct vtcp_device *vd, struct sk_buff *skb)
{
	unsigned int len = skb->len;

	if (unlikely(!netif_running(vd->dev))) {
		kfree_skb_reason(skb, SKB_DROP_REASON_DEV_READY);
		vtcp_dev_count(vd, VTCP_CNT_TX_DROPPED);
		return -ENETDOWN;
	}
	if (netif_rx(skb) == NET_RX_DROP) {
		vtcp_dev_count(vd, VTCP_CNT_TX_DROPPED);
		return -ENOBUFS;
	}
	vtcp_dev_tx_stats(vd, len);
	return 0;
}

/* The engine's transmit op: the engine runs under the connection's lock. */
int vtcp_tx_xmit(struct vtcp_tcb *tcb, const struct vtcp_out *out)
	__must_hold(&tcb->lock)
{
	struct vtcp_conn *conn = vtcp_conn_of(tcb);
	struct vtcp_device *vd = conn->vd;
	struct sk_buff *skb;

	lockdep_assert_held(&tcb->lock);
	if (conn->dead)
		return -ENODEV;
	skb = vtcp_tx_build(vd->dev, &conn->tuple, out, &tcb->sndq);
	if (!skb) {
		vtcp_dev_count(vd, VTCP_CNT_TX_DROPPED);
		return -ENOMEM;
	}
	if (out->flags & VTCP_TH_RST)
		vtcp_dev_count(vd, VTCP_CNT_RESETS_SENT);
	if (out->retrans)
		trace_vtcp_retransmit(conn, out);
	return vtcp_tx_inject(vd, skb);
}

/* A segment from no connection: a RST, or a SYN cookie's SYN-ACK. */
void vtcp_tx_reply(struct vtcp_device *vd, const struct vtcp_tuple *tuple,
		   const struct vtcp_out *out)
{
	struct sk_buff *skb;

	WARN_ON_ONCE(out->len);
	skb = vtcp_tx_build(vd->dev, tuple, out, NULL);
	if (!skb) {
		vtcp_dev_count(vd, VTCP_CNT_TX_DROPPED);
		return;
	}
	if (out->flags & VTCP_TH_RST)
		vtcp_dev_count(vd, VTCP_CNT_RESETS_SENT);
	vtcp_tx_inject(vd, skb);
}

/*
 * An ICMP or ICMPv6 error of @type and @code from vtcp's end of @tuple to
 * the peer, quoting @qlen bytes of the packet it answers. Its checksum is
 * left for the host to check.
 */
void vtcp_tx_icmp(struct vtcp_device *vd, const struct vtcp_tuple *t,
		  u8 type, u8 code, const void *quote, unsigned int qlen)
{
	unsigned int iplen = vtcp_tx_iphdr_len(t->family);
	unsigned int len = sizeof(struct icmphdr) + qlen;
	struct sk_buff *skb;
	u8 *msg;

	BUILD_BUG_ON(sizeof(struct icmphdr) != sizeof(struct icmp6hdr));
	skb = alloc_skb(NET_SKB_PAD + iplen + len, GFP_ATOMIC | __GFP_NOWARN);
	if (!skb) {
		vtcp_dev_count(vd, VTCP_CNT_TX_DROPPED);
		return;
	}
	skb_reserve(skb, NET_SKB_PAD + iplen);
	msg = skb_put_zero(skb, len);
	skb_reset_transport_header(skb);
	msg[0] = type;
	msg[1] = code;
	memcpy(msg + sizeof(struct icmphdr), quote, qlen);
	if (t->family == AF_INET) {
		struct icmphdr *icmph = (struct icmphdr *)msg;
		struct iphdr *iph;

		icmph->checksum = ip_compute_csum(msg, len);
		iph = skb_push(skb, sizeof(*iph));
		memset(iph, 0, sizeof(*iph));
		iph->version = 4;
		iph->ihl = sizeof(*iph) / 4;
		iph->tot_len = htons(sizeof(*iph) + len);
		iph->ttl = VTCP_IP_TTL;
		iph->protocol = IPPROTO_ICMP;
		iph->saddr = t->local.ip;
		iph->daddr = t->remote.ip;
		ip_send_check(iph);
		skb->protocol = htons(ETH_P_IP);
	} else {
		struct icmp6hdr *icmp6h = (struct icmp6hdr *)msg;
		struct ipv6hdr *ip6h;

		icmp6h->icmp6_cksum = csum_ipv6_magic(&t->local.ip6,
						      &t->remote.ip6, len,
						      IPPROTO_ICMPV6,
						      csum_partial(msg, len, 0));
		ip6h = skb_push(skb, sizeof(*ip6h));
		ip6_flow_hdr(ip6h, 0, 0);
		ip6h->payload_len = htons(len);
		ip6h->nexthdr = IPPROTO_ICMPV6;
		ip6h->hop_limit = VTCP_IP_TTL;
		ip6h->saddr = t->local.ip6;
		ip6h->daddr = t->remote.ip6;
		skb->protocol = htons(ETH_P_IPV6);
	}
	skb_reset_network_header(skb);
	skb_reset_mac_header(skb);
	skb->ip_summed = CHECKSUM_NONE;
	skb->dev = vd->dev;
	skb->pkt_type = PACKET_HOST;
	vtcp_tx_inject(vd, skb);
}
