/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The TCP engine's interface.
 *
 * The engine is I/O-free: it is handed a parsed segment (or a user call, or
 * a timer expiry) and the current time, and it answers by calling
 * ops->xmit() for every segment to send, by setting deadlines in
 * tcb->deadline[] and by raising tcb->events. It knows nothing of devices,
 * files or clocks, so KUnit drives it with a fake clock and a capture of what
 * it sends. Every entry point is called with tcb->lock held.
 */
#ifndef _VTCP_TCB_H
#define _VTCP_TCB_H

#include <linux/math64.h>
#include <linux/skbuff.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <uapi/linux/vtcp.h>

#include "drop.h"
#include "engine/options.h"
#include "engine/proto.h"
#include "engine/rcvq.h"
#include "engine/sndq.h"

struct vtcp_tcb;
struct vtcp_cc_ops;

/* A received segment, parsed and validated by the datapath. */
struct vtcp_seg {
	u32 seq;
	u32 ack;
	u32 len;		/* payload bytes (SYN and FIN not counted) */
	u32 wnd;		/* window field as received, not yet scaled */
	u16 urg;
	u8 flags;		/* VTCP_TH_* */
	u8 ecn;			/* ECN codepoint of the IP header */
	struct vtcp_opts opt;
	struct sk_buff *skb;	/* holds the payload; the engine takes refs */
	u32 data_off;		/* offset of the payload in skb */
};

/* A segment to send. Its payload is tcb->sndq's bytes [data_seq, +len). */
struct vtcp_out {
	u32 seq;
	u32 ack;
	u32 wnd;		/* the 16-bit window field */
	u32 data_seq;
	u32 len;
	u16 gso_size;		/* split into segments of this size; 0: one */
	u8 flags;		/* VTCP_TH_* */
	u8 ecn;			/* ECN codepoint for the IP header */
	u8 retrans;		/* VTCP_RETRANS_*: why it is sent again */
	struct vtcp_opts opt;
};

/*
 * Why a segment is sent again (vtcp_out.retrans, tcb->stats.retrans_by[]),
 * for the datapath's tracepoint: the cause of the episode it belongs to.
 */
enum vtcp_retrans_reason {
	VTCP_RETRANS_NONE = 0,	/* a first transmission */
	VTCP_RETRANS_RTO,	/* the RTO fired (RFC 6298 5.4), or after it */
	VTCP_RETRANS_FAST,	/* duplicate ACKs or RFC 6675's IsLost() */
	VTCP_RETRANS_RACK,	/* RACK's time-based loss detection (RFC 8985) */
	VTCP_RETRANS_TLP,	/* the tail loss probe resent old data */
	VTCP_RETRANS_MAX
};

struct vtcp_engine_ops {
	/*
	 * Send one segment. A failure means the segment is lost on its way;
	 * the engine recovers as from any loss.
	 */
	int (*xmit)(struct vtcp_tcb *tcb, const struct vtcp_out *out);
};

enum vtcp_timer {
	VTCP_TIMER_RTO,		/* retransmission of SYN, SYN-ACK, data, FIN */
	VTCP_TIMER_PERSIST,	/* zero-window probe */
	VTCP_TIMER_DELACK,	/* delayed ACK */
	VTCP_TIMER_KEEPALIVE,	/* idle probes (RFC 1122 4.2.3.6) */
	VTCP_TIMER_LINGER,	/* TIME-WAIT, or an orphan's FIN-WAIT-2 */
	VTCP_TIMER_REORDER,	/* RACK: a segment's reordering window ends */
	VTCP_TIMER_TLP,		/* RACK-TLP: the probe timeout (PTO) */
	VTCP_TIMER_MAX
};

/* What happened to the connection, for the datapath to act on. */
enum {
	VTCP_EV_READABLE	= BIT(0),	/* data or FIN for the reader */
	VTCP_EV_WRITABLE	= BIT(1),	/* send space freed */
	VTCP_EV_STATE		= BIT(2),	/* state changed */
	VTCP_EV_ERROR		= BIT(3),	/* tcb->err was set */
	VTCP_EV_CLOSED		= BIT(4),	/* reached CLOSED: release it */
	/* A SYN ends TIME-WAIT (RFC 6191): release it, SYN to the listener */
	VTCP_EV_REOPEN		= BIT(5),
};

/* Per-connection settings, from defaults, the listener or the user. */
struct vtcp_cfg {
	u32 sndbuf;		/* bytes the send queue may hold */
	u32 rcvbuf;		/* bytes the receive queues may hold */
	u32 user_timeout_ms;	/* RFC 5482; 0: use the retry limits */
	u32 keepalive_idle_ms;
	u32 keepalive_intvl_ms;
	u32 time_wait_ms;	/* 2MSL */
	u32 fin_wait2_ms;	/* an orphan's FIN-WAIT-2 */
	u32 defer_timeout_ms;	/* a deferred listener's requests wait */
	u16 mss_clamp;		/* 0: none */
	u8 keepalive_cnt;
	u8 syn_retries;
	u8 synack_retries;
	u8 retries;		/* RTO expirations before giving up */
	u16 flags;		/* VTCP_CFG_* */
	const struct vtcp_cc_ops *cc;
};

enum {
	VTCP_CFG_KEEPALIVE	= BIT(0),
	VTCP_CFG_NODELAY	= BIT(1),
	VTCP_CFG_CORK		= BIT(2),
	VTCP_CFG_SACK		= BIT(3),	/* offer and accept SACK */
	VTCP_CFG_TIMESTAMPS	= BIT(4),
	VTCP_CFG_WSCALE		= BIT(5),
	VTCP_CFG_ECN		= BIT(6),	/* offer and accept ECN */
	VTCP_CFG_RACK		= BIT(7),	/* RACK-TLP loss detection */
	VTCP_CFG_ABORT_ON_CLOSE	= BIT(8),	/* close sends RST */
	VTCP_CFG_NOSIGPIPE	= BIT(9),	/* the file's, not the engine */
};

/* What vtcp_cfg_default() sets. */
#define VTCP_DEFAULT_SNDBUF		(4U << 20)
#define VTCP_DEFAULT_RCVBUF		(4U << 20)	/* auto-tuning's top */
/* RFC 1122 4.2.3.6: two hours idle; Linux's interval and count. */
#define VTCP_DEFAULT_KEEPALIVE_IDLE_MS	(7200 * MSEC_PER_SEC)
#define VTCP_DEFAULT_KEEPALIVE_INTVL_MS	(75 * MSEC_PER_SEC)
#define VTCP_DEFAULT_KEEPALIVE_CNT	9
/* 2MSL as Linux has it, and an orphan's FIN-WAIT-2 as long. */
#define VTCP_DEFAULT_TIME_WAIT_MS	(60 * MSEC_PER_SEC)
#define VTCP_DEFAULT_FIN_WAIT2_MS	(60 * MSEC_PER_SEC)
/*
 * A request of a deferred listener waits as long as a SYN-RECEIVED child
 * would try: the initial RTO (1 s), doubled at each of the 5 SYN-ACK
 * retries, and the last wait, 1 + 2 + ... + 32 s.
 */
#define VTCP_DEFAULT_DEFER_TIMEOUT_MS	(63 * MSEC_PER_SEC)
/* Linux's retry limits: RTO expirations before giving up. */
#define VTCP_DEFAULT_SYN_RETRIES	6
#define VTCP_DEFAULT_SYNACK_RETRIES	5
#define VTCP_DEFAULT_RETRIES		15
#define VTCP_DEFAULT_FLAGS		(VTCP_CFG_SACK | VTCP_CFG_TIMESTAMPS | \
					 VTCP_CFG_WSCALE | VTCP_CFG_ECN | \
					 VTCP_CFG_RACK)

struct vtcp_stats {
	u64 bytes_sent;		/* payload, first transmissions */
	u64 bytes_retrans;
	u64 bytes_acked;
	u64 bytes_received;	/* payload delivered in order */
	u32 segs_out;
	u32 segs_in;
	u32 data_segs_out;
	u32 data_segs_in;
	u32 retrans_segs;
	u32 rto_expirations;
	u32 tlp_probes;
	u32 undos;		/* reductions undone: spurious retransmits */
	u32 ece_received;	/* ECE reactions (once per window) */
	u32 ce_received;	/* data segments marked CE */
	u32 fast_retrans;
	u32 dsacks;
	u32 dsack_segs;		/* segments D-SACKed, duplicates or not */
	u32 ooo_segs;
	u32 challenge_acks;
	u32 zero_window_probes;
	u32 keepalive_probes;
	u32 sack_splits_refused;	/* blocks left unmarked: record cap */
	u32 retrans_by[VTCP_RETRANS_MAX];	/* segments resent, by reason */
};

/*
 * The states entered since the datapath last looked (at the connection's
 * unlock), for its tracepoint: from @from through @to[0] .. @to[n - 1].
 * Past VTCP_STATE_LOG changes the last entry is overwritten, so the log
 * always ends at the current state.
 */
#define VTCP_STATE_LOG	4

struct vtcp_state_log {
	u8 from;
	u8 n;
	u8 to[VTCP_STATE_LOG];
};

/*
 * RFC 5961 7's rate limit on challenge ACKs (and on ACKs to unacceptable
 * segments): VTCP_CHALLENGE_LIMIT a second, for a TCB and for a TIME-WAIT
 * entry alike (vtcp_challenge_allow()).
 */
struct vtcp_challenge {
	u32 start_ms;		/* the second the count is for */
	u8 count;		/* ACKs sent in it */
};

struct vtcp_tcb {
	spinlock_t lock;	/* the connection's: every entry point */
	const struct vtcp_engine_ops *ops;
	struct vtcp_cfg cfg;

	u8 state;		/* enum vtcp_state */
	u8 passive:1,		/* opened by a listener */
	   orphan:1,		/* no file: nobody reads or writes */
	   fin_queued:1,	/* user asked for FIN; sent once data drains */
	   fin_sent:1,
	   fin_received:1,	/* processed: rcv_nxt is past it */
	   fin_pending:1,	/* seen beyond a hole at rcv_fin_seq */
	   rd_shutdown:1,
	   sack_ok:1,		/* negotiated */
	   ts_ok:1,
	   ws_ok:1;
	u8 ipv6:1,		/* for the default MSS (RFC 9293 3.7.1) */
	   ack_now:1,		/* an ACK goes out before we return */
	   sws_override:1,	/* the persist timer lets a small segment go */
	   ecn_ok:1,		/* ECN negotiated (RFC 3168 6.1.1) */
	   ecn_echo:1,		/* receiver: a CE mark to echo with ECE */
	   ecn_cwr:1,		/* sender: CWR goes on the next new data */
	   sack_reneged:1;	/* the peer dropped data it had SACKed */
	u8 tlp_push:1,		/* the loss probe: one segment, any cwnd */
	   ack_pushed:1;	/* a PSH or short segment awaits its ACK */
	u8 events;		/* VTCP_EV_*, cleared by the datapath */
	struct vtcp_state_log state_log;	/* cleared by the datapath */
	s16 err;		/* -errno for the user, or 0 */
	u16 gso_max;		/* largest segment the datapath takes, bytes */

	/* Send sequence space (RFC 9293 3.3.1). */
	u32 iss;
	u32 snd_una;
	u32 snd_nxt;
	u32 snd_wnd;		/* scaled */
	u32 snd_wl1;
	u32 snd_wl2;
	u32 max_wnd;		/* largest window the peer offered */
	u32 fin_seq;		/* our FIN's sequence number, once sent */
	u16 mss;		/* payload bytes per segment we send */
	u16 adv_mss;		/* MSS we advertise */
	u16 rcv_mss;		/* estimate of the peer's segment size */
	u8 snd_wscale;
	u8 rcv_wscale;

	/* Receive sequence space. */
	u32 irs;
	u32 rcv_nxt;
	u32 rcv_adv;		/* right edge we advertised */
	u32 last_ack_sent;	/* rcv_nxt of our last ACK (RFC 7323 4.3) */
	u32 rcv_fin_seq;

	/* Timestamps (RFC 7323). */
	u32 ts_offset;
	u32 ts_recent;
	u64 ts_recent_ns;

	/* Round-trip time and retransmission (RFC 6298). */
	u32 srtt_us;		/* 0 until the first sample */
	u32 rttvar_us;
	u32 rto_us;
	u32 rtt_min_us;
	u32 rcv_rtt_us;		/* receiver's RTT estimate (auto-tuning) */
	u8 backoff;		/* consecutive RTO expirations */
	u8 probes;		/* unanswered zero-window or keepalive probes */
	u64 retrans_start_ns;	/* first retransmission of the oldest data */
	u64 zero_wnd_start_ns;	/* since when the peer's window is zero */

	/* Congestion control (RFC 5681) and loss recovery. */
	u32 cwnd;		/* bytes */
	u32 ssthresh;
	u32 prior_cwnd;		/* before the reduction, for an undo */
	u32 prior_ssthresh;
	u32 recover;		/* snd_nxt when recovery began (RFC 6582) */
	u32 bytes_acked_ca;	/* congestion avoidance accounting */
	u32 prr_delivered;	/* RFC 6937 */
	u32 prr_out;
	u32 recovery_flight;	/* RecoverFS */
	u32 ecn_high;		/* snd_nxt at the last ECE response */
	u32 undo_marker;	/* snd_una when the reduction began */
	u32 undo_tsval;		/* our TSval on its first retransmission */
	u32 undo_retrans;	/* its retransmissions not yet D-SACKed */
	u8 ca_state;		/* VTCP_CA_* */
	u8 reordering;		/* DupThresh, in segments, as observed */
	u8 undo_ok:1;		/* undo_* describe the latest reduction */
	u32 dupacks;		/* a window's worth: may exceed 255 */
	u64 cc_priv[10];

	/* RACK-TLP (RFC 8985). */
	u64 rack_xmit_ns;	/* send time of the newest delivered data */
	u32 rack_end_seq;	/* ...and its end */
	u32 rack_rtt_us;	/* RTT of that delivery */
	u32 rack_fack;		/* highest sequence delivered */
	u32 rack_dsack_round;	/* snd_nxt when reo_wnd last grew */
	u16 rack_reo_mult;	/* reo_wnd in quarters of the min RTT */
	u8 rack_reo_persist;	/* recoveries left before it resets */
	u8 rack_reord:1,	/* reordering seen */
	   rack_dsack_valid:1,	/* rack_dsack_round is set */
	   tlp_retrans:1,	/* the probe resent old data */
	   tlp_active:1;	/* a probe is unanswered: tlp_high_seq */
	u32 tlp_high_seq;	/* snd_nxt when the probe went */

	/* Receiver: delayed ACK and SACK blocks to report. */
	u8 ack_segs;		/* full segments since the last ACK */
	u8 quickacks;		/* ACKs still to send without delay */
	u8 nsack;
	u8 dsack:1;		/* sack[0] is a D-SACK block (RFC 2883) */
	struct vtcp_sack_block sack[VTCP_MAX_SACK_BLOCKS];
	u32 rcvbuf_auto;	/* receive buffer after auto-tuning */
	u32 rcvq_space;		/* bytes read in the last measured RTT */
	u32 rcvq_space_seq;	/* auto-tuning: read point at its start */
	u64 rcvq_space_ns;
	u32 rcv_rtt_seq;	/* RTT without timestamps: this edge... */
	u64 rcv_rtt_ns;		/* ...was advertised then */

	struct vtcp_challenge challenge;

	u64 last_rcv_ns;	/* last segment from the peer */
	u64 last_data_ns;	/* last data from the peer */
	u64 last_snd_ns;	/* last data sent */
	u64 deadline[VTCP_TIMER_MAX];	/* absolute ns; 0: not armed */

	struct vtcp_sndq sndq;
	struct vtcp_rcvq rcvq;
	struct vtcp_stats stats;
};

/* tcb->ca_state, as VTCP_IOC_INFO reports it (the UAPI's values). */
enum {
	VTCP_CA_OPEN		= VTCP_CA_STATE_OPEN,
	/* Duplicate ACKs or SACKs seen. */
	VTCP_CA_DISORDER	= VTCP_CA_STATE_DISORDER,
	/* Fast recovery. */
	VTCP_CA_RECOVERY	= VTCP_CA_STATE_RECOVERY,
	/* After an RTO. */
	VTCP_CA_LOSS		= VTCP_CA_STATE_LOSS,
};

/* Life cycle. */
void vtcp_tcb_init(struct vtcp_tcb *tcb, const struct vtcp_engine_ops *ops,
		   const struct vtcp_cfg *cfg, u16 mss, u16 gso_max,
		   u32 ts_offset);
void vtcp_tcb_destroy(struct vtcp_tcb *tcb);
void vtcp_cfg_default(struct vtcp_cfg *cfg);

/* User calls. */
void vtcp_connect(struct vtcp_tcb *tcb, u32 iss, u32 ts_offset, u64 now);
void vtcp_connect_prepare(struct vtcp_tcb *tcb, u32 iss, u32 ts_offset);
void vtcp_connect_start(struct vtcp_tcb *tcb, u64 now);
void vtcp_open_passive(struct vtcp_tcb *tcb, u32 iss);
void vtcp_output(struct vtcp_tcb *tcb, u64 now);
void vtcp_recv_consumed(struct vtcp_tcb *tcb, u64 now);
void vtcp_shutdown_recv(struct vtcp_tcb *tcb);
void vtcp_shutdown_send(struct vtcp_tcb *tcb, u64 now);
void vtcp_close(struct vtcp_tcb *tcb, u64 now);
void vtcp_abort(struct vtcp_tcb *tcb, u64 now);
int vtcp_take_error(struct vtcp_tcb *tcb);
void vtcp_set_cfg(struct vtcp_tcb *tcb, const struct vtcp_cfg *cfg, u64 now);

/* Ending without a word to the peer (the device is gone). */
void vtcp_tcb_reset(struct vtcp_tcb *tcb, int err);

/* The RST answering a segment for no connection (output.c). */
bool vtcp_reply_rst(const struct vtcp_seg *seg, struct vtcp_out *out);

/* Sequence space @seg occupies: its payload, and SYN and FIN. */
static inline u32 vtcp_seg_seqlen(const struct vtcp_seg *seg)
{
	return seg->len + !!(seg->flags & VTCP_TH_SYN) +
	       !!(seg->flags & VTCP_TH_FIN);
}

/* Are @seg's SYN, ACK and RST flags exactly @ctl (the others aside)? */
static inline bool vtcp_seg_is(const struct vtcp_seg *seg, u8 ctl)
{
	return (seg->flags & (VTCP_TH_SYN | VTCP_TH_ACK | VTCP_TH_RST)) == ctl;
}

static inline bool vtcp_state_synchronized(u8 state)
{
	return state >= VTCP_ESTABLISHED;
}

/*
 * Deadlines: every write to tcb->deadline[] is one of these two. 0 means
 * not armed, so a deadline at time 0 is armed at 1 ns.
 */
static inline void vtcp_arm(struct vtcp_tcb *tcb, enum vtcp_timer t, u64 when)
{
	tcb->deadline[t] = when ?: 1;
}

static inline void vtcp_disarm(struct vtcp_tcb *tcb, enum vtcp_timer t)
{
	tcb->deadline[t] = 0;
}

/*
 * The TSval clock (RFC 7323 5.4): milliseconds of @now plus an offset, a
 * connection's own. A TIME-WAIT entry and a cookie SYN-ACK, which have no
 * TCB, keep the offset alone.
 */
static inline u32 vtcp_ts_clock(u64 now, u32 ts_offset)
{
	return (u32)div_u64(now, NSEC_PER_MSEC) + ts_offset;
}

static inline u32 vtcp_ts_now(const struct vtcp_tcb *tcb, u64 now)
{
	return vtcp_ts_clock(now, tcb->ts_offset);
}

#endif /* _VTCP_TCB_H */
