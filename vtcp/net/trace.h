/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vtcp's tracepoints (Documentation/tracing.rst). The engine stays I/O-free
 * and knows no device or address: every event fires on the datapath's side,
 * from what the engine reports: the state log and the counters it keeps,
 * read where the connection is unlocked (trace.c), and the reason it puts
 * on every segment it sends again (vtcp_out.retrans, in tx.c).
 *
 * Connection fields are those of the sock and tcp events: "s" is vtcp's own
 * end (the connection's local address and port), "d" the host's; IPv4
 * addresses are also stored v4-mapped in the _v6 fields.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM vtcp

#if !defined(_VTCP_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _VTCP_TRACE_H

#include <linux/netdevice.h>
#include <linux/tracepoint.h>

#include "net/conn.h"
#include "net/device.h"
#include "net/discard.h"

#ifndef _VTCP_TRACE_HELPERS
#define _VTCP_TRACE_HELPERS

/* What a vtcp_syncookie event reports. */
enum vtcp_trace_cookie {
	VTCP_TRACE_COOKIE_SENT,		/* a SYN-ACK carries one */
	VTCP_TRACE_COOKIE_VALID,	/* an ACK returned one: a connection */
};

static inline void vtcp_trace_addrs(const struct vtcp_tuple *t, u8 *saddr,
				    u8 *daddr, u8 *saddr_v6, u8 *daddr_v6)
{
	memset(saddr, 0, 4);
	memset(daddr, 0, 4);
	memset(saddr_v6, 0, 16);
	memset(daddr_v6, 0, 16);
	if (t && t->family == AF_INET) {
		memcpy(saddr, &t->local.ip, 4);
		memcpy(daddr, &t->remote.ip, 4);
		/* ::ffff:a.b.c.d */
		saddr_v6[10] = 0xff;
		saddr_v6[11] = 0xff;
		memcpy(saddr_v6 + 12, &t->local.ip, 4);
		daddr_v6[10] = 0xff;
		daddr_v6[11] = 0xff;
		memcpy(daddr_v6 + 12, &t->remote.ip, 4);
	} else if (t && t->family == AF_INET6) {
		memcpy(saddr_v6, &t->local.ip6, 16);
		memcpy(daddr_v6, &t->remote.ip6, 16);
	}
}

/*
 * Room for the names the events store (states, reasons): char arrays,
 * which filters compare as strings.
 */
#define VTCP_TRACE_NAME	24

static inline const char *vtcp_trace_state(u8 state)
{
	static const char *const names[VTCP_NR_STATES] = {
		[VTCP_CLOSED]		= "CLOSED",
		[VTCP_LISTEN]		= "LISTEN",
		[VTCP_SYN_SENT]		= "SYN_SENT",
		[VTCP_SYN_RECEIVED]	= "SYN_RECEIVED",
		[VTCP_ESTABLISHED]	= "ESTABLISHED",
		[VTCP_FIN_WAIT_1]	= "FIN_WAIT_1",
		[VTCP_FIN_WAIT_2]	= "FIN_WAIT_2",
		[VTCP_CLOSE_WAIT]	= "CLOSE_WAIT",
		[VTCP_CLOSING]		= "CLOSING",
		[VTCP_LAST_ACK]		= "LAST_ACK",
		[VTCP_TIME_WAIT]	= "TIME_WAIT",
	};

	return state < VTCP_NR_STATES ? names[state] : "?";
}

static inline const char *vtcp_trace_retrans(u8 why)
{
	static const char *const names[VTCP_RETRANS_MAX] = {
		[VTCP_RETRANS_NONE]	= "NONE",
		[VTCP_RETRANS_RTO]	= "RTO",
		[VTCP_RETRANS_FAST]	= "FAST",
		[VTCP_RETRANS_RACK]	= "RACK",
		[VTCP_RETRANS_TLP]	= "TLP",
	};

	return why < VTCP_RETRANS_MAX ? names[why] : "?";
}

static inline const char *vtcp_trace_ca(u8 ca_state)
{
	static const char *const names[] = {
		[VTCP_CA_STATE_OPEN]		= "OPEN",
		[VTCP_CA_STATE_DISORDER]	= "DISORDER",
		[VTCP_CA_STATE_RECOVERY]	= "RECOVERY",
		[VTCP_CA_STATE_LOSS]		= "LOSS",
	};

	return ca_state < ARRAY_SIZE(names) ? names[ca_state] : "?";
}

void vtcp_trace_unlock(struct vtcp_conn *conn);

#endif /* _VTCP_TRACE_HELPERS */

/* @t may be NULL (a packet dropped before parsing reached its ports). */
#define VTCP_TP_CONN_STORE(ndev, t)					\
	do {								\
		const struct vtcp_tuple *__t = (t);			\
									\
		memcpy(__entry->dev, (ndev)->name, IFNAMSIZ);		\
		__entry->family = __t ? __t->family : 0;		\
		__entry->sport = __t ? ntohs(__t->lport) : 0;		\
		__entry->dport = __t ? ntohs(__t->rport) : 0;		\
		vtcp_trace_addrs(__t, __entry->saddr, __entry->daddr,	\
				 __entry->saddr_v6, __entry->daddr_v6);	\
	} while (0)

/* Every event starts with the connection's fields, printed so. */
#define VTCP_TP_CONN_FMT						\
	"dev=%s sport=%u dport=%u saddr=%pI4 daddr=%pI4 saddrv6=%pI6c daddrv6=%pI6c"

/* A state change, each one the engine made (the state log, tcb.h). */
TRACE_EVENT(vtcp_state,
	    TP_PROTO(const struct vtcp_conn *conn, u8 oldstate, u8 newstate),
	    TP_ARGS(conn, oldstate, newstate),
	    TP_STRUCT__entry(__array(char, dev, IFNAMSIZ)
			     __field(u16, family)
			     __field(u16, sport)
			     __field(u16, dport)
			     __array(u8, saddr, 4)
			     __array(u8, daddr, 4)
			     __array(u8, saddr_v6, 16)
			     __array(u8, daddr_v6, 16)
			     __array(char, oldstate, VTCP_TRACE_NAME)
			     __array(char, newstate, VTCP_TRACE_NAME)
			     __field(s16, err)),
	    TP_fast_assign(VTCP_TP_CONN_STORE(conn->vd->dev, &conn->tuple);
			   strscpy(__entry->oldstate,
				   vtcp_trace_state(oldstate),
				   VTCP_TRACE_NAME);
			   strscpy(__entry->newstate,
				   vtcp_trace_state(newstate),
				   VTCP_TRACE_NAME);
			   __entry->err = conn->tcb.err;),
	    TP_printk(VTCP_TP_CONN_FMT " oldstate=%s newstate=%s err=%d",
		      __entry->dev, __entry->sport, __entry->dport,
		      __entry->saddr, __entry->daddr, __entry->saddr_v6,
		      __entry->daddr_v6, __entry->oldstate, __entry->newstate,
		      __entry->err)
);

/* A segment sent again, and why (enum vtcp_retrans_reason). */
TRACE_EVENT(vtcp_retransmit,
	    TP_PROTO(const struct vtcp_conn *conn, const struct vtcp_out *out),
	    TP_ARGS(conn, out),
	    TP_STRUCT__entry(__array(char, dev, IFNAMSIZ)
			     __field(u16, family)
			     __field(u16, sport)
			     __field(u16, dport)
			     __array(u8, saddr, 4)
			     __array(u8, daddr, 4)
			     __array(u8, saddr_v6, 16)
			     __array(u8, daddr_v6, 16)
			     __array(char, reason, VTCP_TRACE_NAME)
			     __array(char, state, VTCP_TRACE_NAME)
			     __field(u8, flags)
			     __field(u8, backoff)
			     __field(u32, seq)
			     __field(u32, len)
			     __field(u32, snd_una)
			     __field(u32, snd_nxt)
			     __field(u32, cwnd)
			     __field(u32, ssthresh)
			     __field(u32, srtt)
			     __field(u32, rto)),
	    TP_fast_assign(VTCP_TP_CONN_STORE(conn->vd->dev, &conn->tuple);
			   strscpy(__entry->reason,
				   vtcp_trace_retrans(out->retrans),
				   VTCP_TRACE_NAME);
			   strscpy(__entry->state,
				   vtcp_trace_state(conn->tcb.state),
				   VTCP_TRACE_NAME);
			   __entry->flags = out->flags;
			   __entry->backoff = conn->tcb.backoff;
			   __entry->seq = out->seq;
			   __entry->len = out->len;
			   __entry->snd_una = conn->tcb.snd_una;
			   __entry->snd_nxt = conn->tcb.snd_nxt;
			   __entry->cwnd = conn->tcb.cwnd;
			   __entry->ssthresh = conn->tcb.ssthresh;
			   __entry->srtt = conn->tcb.srtt_us;
			   __entry->rto = conn->tcb.rto_us;),
	    TP_printk(VTCP_TP_CONN_FMT " reason=%s state=%s flags=%#x seq=%u len=%u snd_una=%u snd_nxt=%u cwnd=%u ssthresh=%u srtt=%u rto=%u backoff=%u",
		      __entry->dev, __entry->sport, __entry->dport,
		      __entry->saddr, __entry->daddr, __entry->saddr_v6,
		      __entry->daddr_v6, __entry->reason, __entry->state,
		      __entry->flags, __entry->seq, __entry->len,
		      __entry->snd_una, __entry->snd_nxt, __entry->cwnd,
		      __entry->ssthresh, __entry->srtt, __entry->rto,
		      __entry->backoff)
);

/* cwnd, ssthresh or the recovery state moved (seen at the unlock). */
TRACE_EVENT(vtcp_cwnd,
	    TP_PROTO(const struct vtcp_conn *conn, u32 old_cwnd,
		     u32 old_ssthresh, u8 old_ca_state),
	    TP_ARGS(conn, old_cwnd, old_ssthresh, old_ca_state),
	    TP_STRUCT__entry(__array(char, dev, IFNAMSIZ)
			     __field(u16, family)
			     __field(u16, sport)
			     __field(u16, dport)
			     __array(u8, saddr, 4)
			     __array(u8, daddr, 4)
			     __array(u8, saddr_v6, 16)
			     __array(u8, daddr_v6, 16)
			     __array(char, state, VTCP_TRACE_NAME)
			     __array(char, old_ca_state, VTCP_TRACE_NAME)
			     __array(char, ca_state, VTCP_TRACE_NAME)
			     __field(u32, old_cwnd)
			     __field(u32, cwnd)
			     __field(u32, old_ssthresh)
			     __field(u32, ssthresh)
			     __field(u32, srtt)
			     __field(u32, snd_una)
			     __field(u32, snd_nxt)),
	    TP_fast_assign(VTCP_TP_CONN_STORE(conn->vd->dev, &conn->tuple);
			   strscpy(__entry->state,
				   vtcp_trace_state(conn->tcb.state),
				   VTCP_TRACE_NAME);
			   strscpy(__entry->old_ca_state,
				   vtcp_trace_ca(old_ca_state),
				   VTCP_TRACE_NAME);
			   strscpy(__entry->ca_state,
				   vtcp_trace_ca(conn->tcb.ca_state),
				   VTCP_TRACE_NAME);
			   __entry->old_cwnd = old_cwnd;
			   __entry->cwnd = conn->tcb.cwnd;
			   __entry->old_ssthresh = old_ssthresh;
			   __entry->ssthresh = conn->tcb.ssthresh;
			   __entry->srtt = conn->tcb.srtt_us;
			   __entry->snd_una = conn->tcb.snd_una;
			   __entry->snd_nxt = conn->tcb.snd_nxt;),
	    TP_printk(VTCP_TP_CONN_FMT " state=%s ca_state=%s->%s cwnd=%u->%u ssthresh=%u->%u srtt=%u snd_una=%u snd_nxt=%u",
		      __entry->dev, __entry->sport, __entry->dport,
		      __entry->saddr, __entry->daddr, __entry->saddr_v6,
		      __entry->daddr_v6, __entry->state, __entry->old_ca_state,
		      __entry->ca_state, __entry->old_cwnd, __entry->cwnd,
		      __entry->old_ssthresh, __entry->ssthresh, __entry->srtt,
		      __entry->snd_una, __entry->snd_nxt)
);

/* The retransmission timer fired with something outstanding. */
TRACE_EVENT(vtcp_rto,
	    TP_PROTO(const struct vtcp_conn *conn),
	    TP_ARGS(conn),
	    TP_STRUCT__entry(__array(char, dev, IFNAMSIZ)
			     __field(u16, family)
			     __field(u16, sport)
			     __field(u16, dport)
			     __array(u8, saddr, 4)
			     __array(u8, daddr, 4)
			     __array(u8, saddr_v6, 16)
			     __array(u8, daddr_v6, 16)
			     __array(char, state, VTCP_TRACE_NAME)
			     __field(u8, backoff)
			     __field(u32, rto)
			     __field(u32, srtt)
			     __field(u32, rttvar)
			     __field(u32, snd_una)
			     __field(u32, snd_nxt)
			     __field(u32, cwnd)
			     __field(u32, ssthresh)
			     __field(u32, expirations)),
	    TP_fast_assign(VTCP_TP_CONN_STORE(conn->vd->dev, &conn->tuple);
			   strscpy(__entry->state,
				   vtcp_trace_state(conn->tcb.state),
				   VTCP_TRACE_NAME);
			   __entry->backoff = conn->tcb.backoff;
			   __entry->rto = conn->tcb.rto_us;
			   __entry->srtt = conn->tcb.srtt_us;
			   __entry->rttvar = conn->tcb.rttvar_us;
			   __entry->snd_una = conn->tcb.snd_una;
			   __entry->snd_nxt = conn->tcb.snd_nxt;
			   __entry->cwnd = conn->tcb.cwnd;
			   __entry->ssthresh = conn->tcb.ssthresh;
			   __entry->expirations = conn->tcb.stats.rto_expirations;),
	    TP_printk(VTCP_TP_CONN_FMT " state=%s backoff=%u rto=%u srtt=%u rttvar=%u snd_una=%u snd_nxt=%u cwnd=%u ssthresh=%u expirations=%u",
		      __entry->dev, __entry->sport, __entry->dport,
		      __entry->saddr, __entry->daddr, __entry->saddr_v6,
		      __entry->daddr_v6, __entry->state, __entry->backoff,
		      __entry->rto, __entry->srtt, __entry->rttvar,
		      __entry->snd_una, __entry->snd_nxt, __entry->cwnd,
		      __entry->ssthresh, __entry->expirations)
);

/* A listener whose SYN queue is full answered with, or took, a cookie. */
TRACE_EVENT(vtcp_syncookie,
	    TP_PROTO(const struct net_device *dev,
		     const struct vtcp_tuple *tuple, u8 what, u16 mss),
	    TP_ARGS(dev, tuple, what, mss),
	    TP_STRUCT__entry(__array(char, dev, IFNAMSIZ)
			     __field(u16, family)
			     __field(u16, sport)
			     __field(u16, dport)
			     __array(u8, saddr, 4)
			     __array(u8, daddr, 4)
			     __array(u8, saddr_v6, 16)
			     __array(u8, daddr_v6, 16)
			     __array(char, cookie, VTCP_TRACE_NAME)
			     __field(u16, mss)),
	    TP_fast_assign(VTCP_TP_CONN_STORE(dev, tuple);
			   strscpy(__entry->cookie,
				   what == VTCP_TRACE_COOKIE_SENT ? "SENT" : "VALID",
				   VTCP_TRACE_NAME);
			   __entry->mss = mss;),
	    TP_printk(VTCP_TP_CONN_FMT " cookie=%s mss=%u",
		      __entry->dev, __entry->sport, __entry->dport,
		      __entry->saddr, __entry->daddr, __entry->saddr_v6,
		      __entry->daddr_v6, __entry->cookie, __entry->mss)
);

/*
 * A drop whose core reason (skb:kfree_skb, same skbaddr, next) says less
 * than vtcp's: vtcp's reason by its ethtool -S name (discard.c).
 */
TRACE_EVENT(vtcp_drop,
	    TP_PROTO(const struct net_device *dev, const struct sk_buff *skb,
		     const struct vtcp_tuple *tuple, u8 reason),
	    TP_ARGS(dev, skb, tuple, reason),
	    TP_STRUCT__entry(__array(char, dev, IFNAMSIZ)
			     __field(u16, family)
			     __field(u16, sport)
			     __field(u16, dport)
			     __array(u8, saddr, 4)
			     __array(u8, daddr, 4)
			     __array(u8, saddr_v6, 16)
			     __array(u8, daddr_v6, 16)
			     __field(const void *, skbaddr)
			     __field(u8, code)
			     __array(char, reason, VTCP_TRACE_NAME)),
	    TP_fast_assign(VTCP_TP_CONN_STORE(dev, tuple);
			   __entry->skbaddr = skb;
			   __entry->code = reason;
			   strscpy(__entry->reason, vtcp_discard_name(reason),
				   VTCP_TRACE_NAME);),
	    TP_printk(VTCP_TP_CONN_FMT " skbaddr=%p reason=%s",
		      __entry->dev, __entry->sport, __entry->dport,
		      __entry->saddr, __entry->daddr, __entry->saddr_v6,
		      __entry->daddr_v6, __entry->skbaddr, __entry->reason)
);

#endif /* _VTCP_TRACE_H */

/* Out of tree: Kbuild adds this directory to trace.o's include path. */
#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE trace
#include <trace/define_trace.h>
