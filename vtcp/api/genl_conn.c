// SPDX-License-Identifier: GPL-2.0
/*
 * conn-get of the vtcp family: its filter (of dumps, and the name of the
 * connection a do asks for), what each listener, connection and
 * TIME-WAIT entry reports, and the do. What a connection reports is what
 * VTCP_IOC_INFO does, from the same vtcp_info_conn().
 */

#include <linux/netdevice.h>
#include <linux/rcupdate.h>
#include <net/genetlink.h>
#include <net/netlink.h>
#include <net/sock.h>

#include "compat.h"
#include "tuple.h"
#include "api/genl-gen.h"
#include "api/genl.h"
#include "api/info.h"
#include "net/conn.h"
#include "net/device.h"

static int vtcp_genl_parse_ep(const struct nlattr *nest,
			      struct vtcp_genl_ep *ep,
			      struct netlink_ext_ack *extack)
{
	struct nlattr *tb[VTCP_A_ENDPOINT_MAX + 1];
	const struct nlattr *a;
	u8 family = 0;
	int ret;

	memset(ep, 0, sizeof(*ep));
	ret = nla_parse_nested(tb, VTCP_A_ENDPOINT_MAX, nest,
			       vtcp_endpoint_nl_policy, extack);
	if (ret)
		return ret;
	if (tb[VTCP_A_ENDPOINT_FAMILY]) {
		family = nla_get_u16(tb[VTCP_A_ENDPOINT_FAMILY]);
		if (family != AF_UNSPEC && family != AF_INET &&
		    family != AF_INET6) {
			NL_SET_ERR_MSG_ATTR(extack, tb[VTCP_A_ENDPOINT_FAMILY],
					    "family is AF_INET or AF_INET6");
			return -EAFNOSUPPORT;
		}
	}
	if (tb[VTCP_A_ENDPOINT_PORT])
		ep->port = nla_get_be16(tb[VTCP_A_ENDPOINT_PORT]);
	a = tb[VTCP_A_ENDPOINT_ADDR];
	if (a) {
		u8 afamily = nla_len(a) == 4 ? AF_INET :
			     nla_len(a) == 16 ? AF_INET6 : 0;

		if (!afamily || (family && family != afamily)) {
			NL_SET_ERR_MSG_ATTR(extack, a,
					    "addr is 4 bytes for AF_INET, 16 for AF_INET6");
			return -EINVAL;
		}
		family = afamily;
		nla_memcpy(&ep->addr, a, sizeof(ep->addr));
		ep->has_addr = !!memchr_inv(&ep->addr, 0, sizeof(ep->addr));
	}
	ep->family = family;
	return 0;
}

int vtcp_genl_parse_filter(struct nlattr **attrs, struct vtcp_genl_filter *f,
			   struct netlink_ext_ack *extack)
{
	int ret;

	memset(f, 0, sizeof(*f));
	if (attrs[VTCP_A_CONN_IFINDEX])
		f->ifindex = nla_get_u32(attrs[VTCP_A_CONN_IFINDEX]);
	if (attrs[VTCP_A_CONN_STATE_MASK])
		f->state_mask = nla_get_u32(attrs[VTCP_A_CONN_STATE_MASK]);
	if (attrs[VTCP_A_CONN_LOCAL]) {
		f->has_local = true;
		ret = vtcp_genl_parse_ep(attrs[VTCP_A_CONN_LOCAL], &f->local,
					 extack);
		if (ret)
			return ret;
	}
	if (attrs[VTCP_A_CONN_REMOTE]) {
		f->has_remote = true;
		ret = vtcp_genl_parse_ep(attrs[VTCP_A_CONN_REMOTE], &f->remote,
					 extack);
		if (ret)
			return ret;
	}
	return 0;
}

bool vtcp_genl_ep_match(const struct vtcp_genl_ep *ep, u8 family,
			const union vtcp_addr *addr, __be16 port)
{
	size_t len = family == AF_INET ? sizeof(addr->ip) : sizeof(addr->ip6);

	if (ep->family && ep->family != family)
		return false;
	if (ep->port && ep->port != port)
		return false;
	return !ep->has_addr || !memcmp(&ep->addr, addr, len);
}

bool vtcp_genl_tuple_match(const struct vtcp_genl_filter *f,
			   const struct vtcp_tuple *t)
{
	return (!f->has_local || vtcp_genl_ep_match(&f->local, t->family,
						    &t->local, t->lport)) &&
	       (!f->has_remote || vtcp_genl_ep_match(&f->remote, t->family,
						     &t->remote, t->rport));
}

static int vtcp_genl_put_ep(struct sk_buff *skb, int type,
			    const struct vtcp_endpoint *ep)
{
	struct nlattr *nest = nla_nest_start(skb, type);

	if (!nest ||
	    nla_put_u16(skb, VTCP_A_ENDPOINT_FAMILY, ep->family) ||
	    nla_put_be16(skb, VTCP_A_ENDPOINT_PORT, ep->port) ||
	    (ep->family == AF_INET &&
	     nla_put(skb, VTCP_A_ENDPOINT_ADDR, 4, &ep->addr4)) ||
	    (ep->family == AF_INET6 &&
	     nla_put(skb, VTCP_A_ENDPOINT_ADDR, 16, ep->addr6)))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

/* What a connection reports: every field of struct vtcp_info. */
static int vtcp_genl_put_conn_info(struct sk_buff *skb,
				   const struct vtcp_info *i)
{
	if (nla_put_u8(skb, VTCP_A_CONN_CA_STATE, i->ca_state) ||
	    nla_put_u8(skb, VTCP_A_CONN_OPTIONS, i->options) ||
	    nla_put_u8(skb, VTCP_A_CONN_SND_WSCALE, i->snd_wscale) ||
	    nla_put_u8(skb, VTCP_A_CONN_RCV_WSCALE, i->rcv_wscale) ||
	    nla_put_u8(skb, VTCP_A_CONN_BACKOFF, i->backoff) ||
	    nla_put_u8(skb, VTCP_A_CONN_PROBES, i->probes) ||
	    nla_put_u32(skb, VTCP_A_CONN_RTO, i->rto) ||
	    nla_put_u32(skb, VTCP_A_CONN_SRTT, i->srtt) ||
	    nla_put_u32(skb, VTCP_A_CONN_RTTVAR, i->rttvar) ||
	    nla_put_u32(skb, VTCP_A_CONN_RTT_MIN, i->rtt_min) ||
	    nla_put_u32(skb, VTCP_A_CONN_SND_MSS, i->snd_mss) ||
	    nla_put_u32(skb, VTCP_A_CONN_RCV_MSS, i->rcv_mss) ||
	    nla_put_u32(skb, VTCP_A_CONN_SND_CWND, i->snd_cwnd) ||
	    nla_put_u32(skb, VTCP_A_CONN_SND_SSTHRESH, i->snd_ssthresh) ||
	    nla_put_u32(skb, VTCP_A_CONN_SND_WND, i->snd_wnd) ||
	    nla_put_u32(skb, VTCP_A_CONN_RCV_WND, i->rcv_wnd) ||
	    nla_put_u32(skb, VTCP_A_CONN_UNACKED, i->unacked) ||
	    nla_put_u32(skb, VTCP_A_CONN_SACKED, i->sacked) ||
	    nla_put_u32(skb, VTCP_A_CONN_LOST, i->lost) ||
	    nla_put_u32(skb, VTCP_A_CONN_RETRANS, i->retrans) ||
	    nla_put_u32(skb, VTCP_A_CONN_REORDERING, i->reordering) ||
	    nla_put_u32(skb, VTCP_A_CONN_NOTSENT, i->notsent) ||
	    nla_put_s32(skb, VTCP_A_CONN_ERROR, i->error) ||
	    nla_put_uint(skb, VTCP_A_CONN_BYTES_SENT, i->bytes_sent) ||
	    nla_put_uint(skb, VTCP_A_CONN_BYTES_RETRANS, i->bytes_retrans) ||
	    nla_put_uint(skb, VTCP_A_CONN_BYTES_ACKED, i->bytes_acked) ||
	    nla_put_uint(skb, VTCP_A_CONN_BYTES_RECEIVED, i->bytes_received) ||
	    nla_put_u32(skb, VTCP_A_CONN_SEGS_OUT, i->segs_out) ||
	    nla_put_u32(skb, VTCP_A_CONN_SEGS_IN, i->segs_in) ||
	    nla_put_u32(skb, VTCP_A_CONN_DATA_SEGS_OUT, i->data_segs_out) ||
	    nla_put_u32(skb, VTCP_A_CONN_DATA_SEGS_IN, i->data_segs_in) ||
	    nla_put_u32(skb, VTCP_A_CONN_TOTAL_RETRANS, i->total_retrans) ||
	    nla_put_u32(skb, VTCP_A_CONN_RTO_EXPIRATIONS,
			i->rto_expirations) ||
	    nla_put_u32(skb, VTCP_A_CONN_FAST_RETRANS, i->fast_retrans) ||
	    nla_put_u32(skb, VTCP_A_CONN_DSACKS, i->dsacks) ||
	    nla_put_u32(skb, VTCP_A_CONN_OOO_SEGS, i->ooo_segs) ||
	    nla_put_u32(skb, VTCP_A_CONN_CHALLENGE_ACKS, i->challenge_acks) ||
	    nla_put_u32(skb, VTCP_A_CONN_ZERO_WINDOW_PROBES,
			i->zero_window_probes) ||
	    nla_put_u32(skb, VTCP_A_CONN_KEEPALIVE_PROBES,
			i->keepalive_probes) ||
	    nla_put_u32(skb, VTCP_A_CONN_SND_RECORDS, i->snd_records) ||
	    nla_put_u32(skb, VTCP_A_CONN_SND_RECORDS_MAX, i->snd_records_max) ||
	    nla_put_u32(skb, VTCP_A_CONN_RECORDS_WALKED_MAX,
			i->records_walked_max) ||
	    nla_put_u32(skb, VTCP_A_CONN_SACK_SPLITS_REFUSED,
			i->sack_splits_refused))
		return -EMSGSIZE;
	return 0;
}

/* One object's attributes: what @kind has of struct vtcp_info. */
int vtcp_genl_put_info(struct sk_buff *skb, const struct vtcp_info *i,
		       enum vtcp_genl_kind kind)
{
	if (nla_put_u32(skb, VTCP_A_CONN_IFINDEX, i->ifindex) ||
	    nla_put_u8(skb, VTCP_A_CONN_STATE, i->state) ||
	    vtcp_genl_put_ep(skb, VTCP_A_CONN_LOCAL, &i->local))
		return -EMSGSIZE;
	if (kind == VTCP_GENL_LISTENER)
		return nla_put_u32(skb, VTCP_A_CONN_RCV_QUEUED, i->rcv_queued) ?:
		       nla_put_string(skb, VTCP_A_CONN_CONGESTION,
				      i->congestion);
	if (vtcp_genl_put_ep(skb, VTCP_A_CONN_REMOTE, &i->remote))
		return -EMSGSIZE;
	if (kind == VTCP_GENL_TW)
		return 0;
	if (nla_put_u32(skb, VTCP_A_CONN_RCV_QUEUED, i->rcv_queued) ||
	    nla_put_string(skb, VTCP_A_CONN_CONGESTION, i->congestion))
		return -EMSGSIZE;
	return vtcp_genl_put_conn_info(skb, i);
}

/* One connection, named by its device and both ends. */
static int vtcp_genl_conn_tuple(struct genl_info *info,
				const struct vtcp_genl_filter *f,
				struct vtcp_tuple *t)
{
	const struct vtcp_genl_ep *l = &f->local, *r = &f->remote;

	if (!l->family || l->family != r->family || !l->port || !r->port ||
	    !l->has_addr || !r->has_addr) {
		NL_SET_ERR_MSG(info->extack,
			       "a connection is named by the family, address and port of both ends");
		return -EINVAL;
	}
	memset(t, 0, sizeof(*t));
	t->family = l->family;
	t->local = l->addr;
	t->remote = r->addr;
	t->lport = l->port;
	t->rport = r->port;
	return 0;
}

int vtcp_nl_conn_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct net *net = genl_info_net(info);
	struct vtcp_genl_filter f;
	struct vtcp_info vinfo;
	struct vtcp_device *vd;
	struct vtcp_conn *conn;
	struct vtcp_tuple t;
	struct sk_buff *msg;
	void *hdr;
	int ret;

	ret = vtcp_genl_may(skb, net, info->extack);
	if (ret)
		return ret;
	if (GENL_REQ_ATTR_CHECK(info, VTCP_A_CONN_IFINDEX) ||
	    GENL_REQ_ATTR_CHECK(info, VTCP_A_CONN_LOCAL) ||
	    GENL_REQ_ATTR_CHECK(info, VTCP_A_CONN_REMOTE))
		return -EINVAL;
	ret = vtcp_genl_parse_filter(info->attrs, &f, info->extack) ?:
	      vtcp_genl_conn_tuple(info, &f, &t);
	if (ret)
		return ret;
	vd = vtcp_device_get(net, f.ifindex);
	if (!vd) {
		NL_SET_ERR_MSG_ATTR(info->extack,
				    info->attrs[VTCP_A_CONN_IFINDEX],
				    "no vtcp device of that index here");
		return -ENODEV;
	}
	rcu_read_lock();
	conn = vtcp_conn_lookup(vd, &t);
	if (conn && !refcount_inc_not_zero(&conn->refs))
		conn = NULL;
	rcu_read_unlock();
	vtcp_device_put(vd);
	if (!conn)
		return -ENOENT;
	vtcp_info_conn(conn, &vinfo);
	vtcp_conn_put(conn);
	if (!vtcp_genl_state_match(&f, vinfo.state))
		return -ENOENT;

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &vtcp_nl_family, 0,
				VTCP_CMD_CONN_GET);
	if (!hdr || vtcp_genl_put_info(msg, &vinfo, VTCP_GENL_CONN)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

