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

void vtcp_trace_unlock(struct vtcp_conn *conn);

#endif /* _VTCP_TRACE_HELPERS */

/* Where a connection is: every event has these first. */
#define VTCP_TP_CONN_ENTRY			\
	__array(char, dev, IFNAMSIZ)		\
	__field(u16, family)			\
	__field(u16, sport)			\
	__field(u16, dport)			\
	__array(u8, saddr, 4)			\
	__array(u8, daddr, 4)			\
	__array(u8, saddr_v6, 16)		\
	__array(u8, daddr_v6, 16)

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

#define VTCP_TP_CONN_FMT						\
	"dev=%s sport=%u dport=%u saddr=%pI4 daddr=%pI4 saddrv6=%pI6c daddrv6=%pI6c"

#define VTCP_TP_CONN_ARGS						\
	__entry->dev, __entry->sport, __entry->dport, __entry->saddr,	\
	__entry->daddr, __entry->saddr_v6, __entry->daddr_v6

/* The enums printed by name, for the tools that read the format files. */
#define vtcp_trace_states				\
	EM(VTCP_CLOSED,		"CLOSED")		\
	EM(VTCP_LISTEN,		"LISTEN")		\
	EM(VTCP_SYN_SENT,	"SYN_SENT")		\
	EM(VTCP_SYN_RECEIVED,	"SYN_RECEIVED")		\
	EM(VTCP_ESTABLISHED,	"ESTABLISHED")		\
	EM(VTCP_FIN_WAIT_1,	"FIN_WAIT_1")		\
	EM(VTCP_FIN_WAIT_2,	"FIN_WAIT_2")		\
	EM(VTCP_CLOSE_WAIT,	"CLOSE_WAIT")		\
	EM(VTCP_CLOSING,	"CLOSING")		\
	EM(VTCP_LAST_ACK,	"LAST_ACK")		\
	EMe(VTCP_TIME_WAIT,	"TIME_WAIT")

#define vtcp_trace_retrans				\
	EM(VTCP_RETRANS_NONE,	"NONE")			\
	EM(VTCP_RETRANS_RTO,	"RTO")			\
	EM(VTCP_RETRANS_FAST,	"FAST")			\
	EM(VTCP_RETRANS_RACK,	"RACK")			\
	EMe(VTCP_RETRANS_TLP,	"TLP")

#define vtcp_trace_ca_states				\
	EM(VTCP_CA_STATE_OPEN,		"OPEN")		\
	EM(VTCP_CA_STATE_DISORDER,	"DISORDER")	\
	EM(VTCP_CA_STATE_RECOVERY,	"RECOVERY")	\
	EMe(VTCP_CA_STATE_LOSS,		"LOSS")

#define vtcp_trace_cookies				\
	EM(VTCP_TRACE_COOKIE_SENT,	"SENT")		\
	EMe(VTCP_TRACE_COOKIE_VALID,	"VALID")

#undef EM
#undef EMe
#define EM(a, b)	TRACE_DEFINE_ENUM(a);
#define EMe(a, b)	TRACE_DEFINE_ENUM(a);

vtcp_trace_states
vtcp_trace_retrans
vtcp_trace_ca_states
vtcp_trace_cookies

#undef EM
#undef EMe
#define EM(a, b)	{ a, b },
#define EMe(a, b)	{ a, b }

/* A state change, each one the engine made (the state log, tcb.h). */
TRACE_EVENT(vtcp_state,
	TP_PROTO(const struct vtcp_conn *conn, u8 oldstate, u8 newstate),
	TP_ARGS(conn, oldstate, newstate),
	TP_STRUCT__entry(
		VTCP_TP_CONN_ENTRY
		__field(u8, oldstate)
		__field(u8, newstate)
		__field(s16, err)
	),
	TP_fast_assign(
		VTCP_TP_CONN_STORE(conn->vd->dev, &conn->tuple);
		__entry->oldstate = oldstate;
		__entry->newstate = newstate;
		__entry->err = conn->tcb.err;
	),
	TP_printk(VTCP_TP_CONN_FMT " oldstate=%s newstate=%s err=%d",
		  VTCP_TP_CONN_ARGS,
		  __print_symbolic(__entry->oldstate, vtcp_trace_states),
		  __print_symbolic(__entry->newstate, vtcp_trace_states),
		  __entry->err)
);

/* A segment sent again, and why (enum vtcp_retrans_reason). */
TRACE_EVENT(vtcp_retransmit,
	TP_PROTO(const struct vtcp_conn *conn, const struct vtcp_out *out),
	TP_ARGS(conn, out),
	TP_STRUCT__entry(
		VTCP_TP_CONN_ENTRY
		__field(u8, reason)
		__field(u8, state)
		__field(u8, flags)
		__field(u8, backoff)
		__field(u32, seq)
		__field(u32, len)
		__field(u32, snd_una)
		__field(u32, snd_nxt)
		__field(u32, cwnd)
		__field(u32, ssthresh)
		__field(u32, srtt)
		__field(u32, rto)
	),
	TP_fast_assign(
		const struct vtcp_tcb *tcb = &conn->tcb;

		VTCP_TP_CONN_STORE(conn->vd->dev, &conn->tuple);
		__entry->reason = out->retrans;
		__entry->state = tcb->state;
		__entry->flags = out->flags;
		__entry->backoff = tcb->backoff;
		__entry->seq = out->seq;
		__entry->len = out->len;
		__entry->snd_una = tcb->snd_una;
		__entry->snd_nxt = tcb->snd_nxt;
		__entry->cwnd = tcb->cwnd;
		__entry->ssthresh = tcb->ssthresh;
		__entry->srtt = tcb->srtt_us;
		__entry->rto = tcb->rto_us;
	),
	TP_printk(VTCP_TP_CONN_FMT " reason=%s state=%s flags=%#x seq=%u len=%u snd_una=%u snd_nxt=%u cwnd=%u ssthresh=%u srtt=%u rto=%u backoff=%u",
		  VTCP_TP_CONN_ARGS,
		  __print_symbolic(__entry->reason, vtcp_trace_retrans),
		  __print_symbolic(__entry->state, vtcp_trace_states),
		  __entry->flags, __entry->seq, __entry->len, __entry->snd_una,
		  __entry->snd_nxt, __entry->cwnd, __entry->ssthresh,
		  __entry->srtt, __entry->rto, __entry->backoff)
);

/* cwnd, ssthresh or the recovery state moved (seen at the unlock). */
TRACE_EVENT(vtcp_cwnd,
	TP_PROTO(const struct vtcp_conn *conn, u32 old_cwnd, u32 old_ssthresh,
		 u8 old_ca_state),
	TP_ARGS(conn, old_cwnd, old_ssthresh, old_ca_state),
	TP_STRUCT__entry(
		VTCP_TP_CONN_ENTRY
		__field(u8, state)
		__field(u8, old_ca_state)
		__field(u8, ca_state)
		__field(u32, old_cwnd)
		__field(u32, cwnd)
		__field(u32, old_ssthresh)
		__field(u32, ssthresh)
		__field(u32, srtt)
		__field(u32, snd_una)
		__field(u32, snd_nxt)
	),
	TP_fast_assign(
		const struct vtcp_tcb *tcb = &conn->tcb;

		VTCP_TP_CONN_STORE(conn->vd->dev, &conn->tuple);
		__entry->state = tcb->state;
		__entry->old_ca_state = old_ca_state;
		__entry->ca_state = tcb->ca_state;
		__entry->old_cwnd = old_cwnd;
		__entry->cwnd = tcb->cwnd;
		__entry->old_ssthresh = old_ssthresh;
		__entry->ssthresh = tcb->ssthresh;
		__entry->srtt = tcb->srtt_us;
		__entry->snd_una = tcb->snd_una;
		__entry->snd_nxt = tcb->snd_nxt;
	),
	TP_printk(VTCP_TP_CONN_FMT " state=%s ca_state=%s->%s cwnd=%u->%u ssthresh=%u->%u srtt=%u snd_una=%u snd_nxt=%u",
		  VTCP_TP_CONN_ARGS,
		  __print_symbolic(__entry->state, vtcp_trace_states),
		  __print_symbolic(__entry->old_ca_state, vtcp_trace_ca_states),
		  __print_symbolic(__entry->ca_state, vtcp_trace_ca_states),
		  __entry->old_cwnd, __entry->cwnd, __entry->old_ssthresh,
		  __entry->ssthresh, __entry->srtt, __entry->snd_una,
		  __entry->snd_nxt)
);

/* The retransmission timer fired with something outstanding. */
TRACE_EVENT(vtcp_rto,
	TP_PROTO(const struct vtcp_conn *conn),
	TP_ARGS(conn),
	TP_STRUCT__entry(
		VTCP_TP_CONN_ENTRY
		__field(u8, state)
		__field(u8, backoff)
		__field(u32, rto)
		__field(u32, srtt)
		__field(u32, rttvar)
		__field(u32, snd_una)
		__field(u32, snd_nxt)
		__field(u32, cwnd)
		__field(u32, ssthresh)
		__field(u32, expirations)
	),
	TP_fast_assign(
		const struct vtcp_tcb *tcb = &conn->tcb;

		VTCP_TP_CONN_STORE(conn->vd->dev, &conn->tuple);
		__entry->state = tcb->state;
		__entry->backoff = tcb->backoff;
		__entry->rto = tcb->rto_us;
		__entry->srtt = tcb->srtt_us;
		__entry->rttvar = tcb->rttvar_us;
		__entry->snd_una = tcb->snd_una;
		__entry->snd_nxt = tcb->snd_nxt;
		__entry->cwnd = tcb->cwnd;
		__entry->ssthresh = tcb->ssthresh;
		__entry->expirations = tcb->stats.rto_expirations;
	),
	TP_printk(VTCP_TP_CONN_FMT " state=%s backoff=%u rto=%u srtt=%u rttvar=%u snd_una=%u snd_nxt=%u cwnd=%u ssthresh=%u expirations=%u",
		  VTCP_TP_CONN_ARGS,
		  __print_symbolic(__entry->state, vtcp_trace_states),
		  __entry->backoff, __entry->rto, __entry->srtt,
		  __entry->rttvar, __entry->snd_una, __entry->snd_nxt,
		  __entry->cwnd, __entry->ssthresh, __entry->expirations)
);

/* A listener whose SYN queue is full answered with, or took, a cookie. */
TRACE_EVENT(vtcp_syncookie,
	TP_PROTO(const struct net_device *dev, const struct vtcp_tuple *tuple,
		 u8 what, u16 mss),
	TP_ARGS(dev, tuple, what, mss),
	TP_STRUCT__entry(
		VTCP_TP_CONN_ENTRY
		__field(u8, what)
		__field(u16, mss)
	),
	TP_fast_assign(
		VTCP_TP_CONN_STORE(dev, tuple);
		__entry->what = what;
		__entry->mss = mss;
	),
	TP_printk(VTCP_TP_CONN_FMT " cookie=%s mss=%u",
		  VTCP_TP_CONN_ARGS,
		  __print_symbolic(__entry->what, vtcp_trace_cookies),
		  __entry->mss)
);

/*
 * A drop whose core reason (skb:kfree_skb, same skbaddr, next) says less
 * than vtcp's: vtcp's reason by its ethtool -S name (discard.c).
 */
TRACE_EVENT(vtcp_drop,
	TP_PROTO(const struct net_device *dev, const struct sk_buff *skb,
		 const struct vtcp_tuple *tuple, u8 reason),
	TP_ARGS(dev, skb, tuple, reason),
	TP_STRUCT__entry(
		VTCP_TP_CONN_ENTRY
		__field(const void *, skbaddr)
		__field(u8, code)
		__array(char, reason, 32)
	),
	TP_fast_assign(
		VTCP_TP_CONN_STORE(dev, tuple);
		__entry->skbaddr = skb;
		__entry->code = reason;
		strscpy(__entry->reason, vtcp_discard_name(reason),
			sizeof(__entry->reason));
	),
	TP_printk(VTCP_TP_CONN_FMT " skbaddr=%p reason=%s",
		  VTCP_TP_CONN_ARGS, __entry->skbaddr, __entry->reason)
);

#endif /* _VTCP_TRACE_H */

/* Out of tree: Kbuild adds this directory to trace.o's include path. */
#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE trace
#include <trace/define_trace.h>
