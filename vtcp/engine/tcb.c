// SPDX-License-Identifier: GPL-2.0
/*
 * The TCB's life and the user's calls on it (RFC 9293 3.10.1-3.10.6).
 */

#include <kunit/visibility.h>
#include <linux/string.h>

#include "engine/cc.h"
#include "engine/keepalive.h"
#include "engine/output.h"
#include "engine/rcvbuf.h"
#include "engine/rcvq.h"
#include "engine/recovery.h"
#include "engine/rtt.h"
#include "engine/seq.h"
#include "engine/sndq.h"
#include "engine/state.h"

void vtcp_cfg_default(struct vtcp_cfg *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->sndbuf = VTCP_DEFAULT_SNDBUF;
	cfg->rcvbuf = VTCP_DEFAULT_RCVBUF;
	cfg->keepalive_idle_ms = VTCP_DEFAULT_KEEPALIVE_IDLE_MS;
	cfg->keepalive_intvl_ms = VTCP_DEFAULT_KEEPALIVE_INTVL_MS;
	cfg->keepalive_cnt = VTCP_DEFAULT_KEEPALIVE_CNT;
	cfg->time_wait_ms = VTCP_DEFAULT_TIME_WAIT_MS;
	cfg->fin_wait2_ms = VTCP_DEFAULT_FIN_WAIT2_MS;
	cfg->defer_timeout_ms = VTCP_DEFAULT_DEFER_TIMEOUT_MS;
	cfg->syn_retries = VTCP_DEFAULT_SYN_RETRIES;
	cfg->synack_retries = VTCP_DEFAULT_SYNACK_RETRIES;
	cfg->retries = VTCP_DEFAULT_RETRIES;
	cfg->flags = VTCP_DEFAULT_FLAGS;
	cfg->cc = vtcp_cc_default();
}
EXPORT_SYMBOL_IF_KUNIT(vtcp_cfg_default);

/*
 * @mss is what the path takes (device MTU less headers); @gso_max the
 * largest segment the datapath sends as one GSO train (0: none);
 * @ts_offset the connection's TSval offset (RFC 7323 5.4,
 * vtcp_isn_ts_offset()).
 */
void vtcp_tcb_init(struct vtcp_tcb *tcb, const struct vtcp_engine_ops *ops,
		   const struct vtcp_cfg *cfg, u16 mss, u16 gso_max,
		   u32 ts_offset)
{
	memset(tcb, 0, sizeof(*tcb));
	spin_lock_init(&tcb->lock);
	tcb->ops = ops;
	tcb->cfg = *cfg;
	if (!tcb->cfg.cc)
		tcb->cfg.cc = vtcp_cc_default();
	tcb->state = VTCP_CLOSED;
	if (cfg->mss_clamp)
		mss = min(mss, cfg->mss_clamp);
	tcb->mss = mss;
	tcb->adv_mss = mss;
	tcb->rcv_mss = min_t(u16, mss, VTCP_MSS_DEFAULT);
	tcb->gso_max = gso_max;
	tcb->rto_us = VTCP_RTO_INIT_US;
	tcb->ssthresh = U32_MAX / 2;
	tcb->reordering = VTCP_DUPTHRESH;
	tcb->rack_reo_mult = 1;
	tcb->ws_ok = !!(cfg->flags & VTCP_CFG_WSCALE);
	tcb->sack_ok = !!(cfg->flags & VTCP_CFG_SACK);
	tcb->ts_ok = !!(cfg->flags & VTCP_CFG_TIMESTAMPS);
	tcb->rcv_wscale = tcb->ws_ok ? vtcp_wscale_for(cfg->rcvbuf) : 0;
	/*
	 * Auto-tuning (rcvbuf.c) grows the buffer from here up to rcvbuf,
	 * whether the user chose it before the connection or not; one set on
	 * an open connection is used as is (vtcp_set_cfg()).
	 */
	tcb->rcvbuf_auto = min(cfg->rcvbuf, VTCP_RCVBUF_INIT);
	tcb->ts_offset = ts_offset;
	vtcp_sndq_setup(&tcb->sndq, 0);
	vtcp_rcvq_init(&tcb->rcvq);
}
EXPORT_SYMBOL_IF_KUNIT(vtcp_tcb_init);

void vtcp_tcb_destroy(struct vtcp_tcb *tcb)
{
	vtcp_sndq_purge(&tcb->sndq);
	vtcp_rcvq_purge(&tcb->rcvq);
}
EXPORT_SYMBOL_IF_KUNIT(vtcp_tcb_destroy);

static void vtcp_tcb_set_iss(struct vtcp_tcb *tcb, u32 iss)
{
	tcb->iss = iss;
	tcb->snd_una = iss;
	tcb->snd_nxt = iss;
	tcb->recover = iss;
	tcb->ecn_high = iss;
	tcb->rack_fack = iss;
	vtcp_sndq_setup(&tcb->sndq, iss + 1);
}

/*
 * Active OPEN (RFC 9293 3.10.1) in two steps, so that a connection is in
 * SYN-SENT before anything can find it: a CLOSED one would be ended by the
 * first segment for its tuple. @iss and @ts_offset are for the tuple as it
 * is now, bound: it may have changed since vtcp_tcb_init().
 */
void vtcp_connect_prepare(struct vtcp_tcb *tcb, u32 iss, u32 ts_offset)
{
	lockdep_assert_held(&tcb->lock);
	tcb->ts_offset = ts_offset;
	vtcp_tcb_set_iss(tcb, iss);
	vtcp_set_state(tcb, VTCP_SYN_SENT);
}
EXPORT_SYMBOL_IF_KUNIT(vtcp_connect_prepare);

/* The SYN, unless a SYN that came first already made it SYN-RECEIVED. */
void vtcp_connect_start(struct vtcp_tcb *tcb, u64 now)
{
	lockdep_assert_held(&tcb->lock);
	if (tcb->state == VTCP_SYN_SENT && tcb->snd_nxt == tcb->iss)
		vtcp_send_syn(tcb, now);
}
EXPORT_SYMBOL_IF_KUNIT(vtcp_connect_start);

void vtcp_connect(struct vtcp_tcb *tcb, u32 iss, u32 ts_offset, u64 now)
{
	vtcp_connect_prepare(tcb, iss, ts_offset);
	vtcp_connect_start(tcb, now);
}
EXPORT_SYMBOL_IF_KUNIT(vtcp_connect);

/* A listener's child, in LISTEN until vtcp_input() gives it the SYN. */
void vtcp_open_passive(struct vtcp_tcb *tcb, u32 iss)
{
	vtcp_tcb_set_iss(tcb, iss);
	tcb->state = VTCP_LISTEN;
	tcb->passive = 1;
}
EXPORT_SYMBOL_IF_KUNIT(vtcp_open_passive);

/*
 * SHUTDOWN(RD): the reader takes nothing more. Data still arriving is
 * acknowledged and queued, as Linux does; the reader sees end of file.
 */
void vtcp_shutdown_recv(struct vtcp_tcb *tcb)
{
	lockdep_assert_held(&tcb->lock);
	tcb->rd_shutdown = 1;
	tcb->events |= VTCP_EV_READABLE | VTCP_EV_STATE;
}
EXPORT_SYMBOL_IF_KUNIT(vtcp_shutdown_recv);

/* RFC 9293 3.10.4 CLOSE as SHUTDOWN(WR): queue a FIN behind the data. */
void vtcp_shutdown_send(struct vtcp_tcb *tcb, u64 now)
{
	lockdep_assert_held(&tcb->lock);
	/* News for pollers even where the state stays (SYN-SENT...). */
	tcb->events |= VTCP_EV_STATE;
	switch (tcb->state) {
	case VTCP_SYN_SENT:
	case VTCP_SYN_RECEIVED:
		/* Sent on entering ESTABLISHED (vtcp_set_state()). */
		tcb->fin_queued = 1;
		return;
	case VTCP_ESTABLISHED:
		tcb->fin_queued = 1;
		vtcp_set_state(tcb, VTCP_FIN_WAIT_1);
		break;
	case VTCP_CLOSE_WAIT:
		tcb->fin_queued = 1;
		vtcp_set_state(tcb, VTCP_LAST_ACK);
		break;
	default:
		return;
	}
	vtcp_output(tcb, now);
}
EXPORT_SYMBOL_IF_KUNIT(vtcp_shutdown_send);

/* RST for a synchronized connection, then CLOSED with @err. */
static void vtcp_abort_with(struct vtcp_tcb *tcb, int err, u64 now)
{
	switch (tcb->state) {
	case VTCP_SYN_RECEIVED:
	case VTCP_ESTABLISHED:
	case VTCP_FIN_WAIT_1:
	case VTCP_FIN_WAIT_2:
	case VTCP_CLOSE_WAIT:
		vtcp_send_rst(tcb, now);
		break;
	}
	vtcp_tcb_reset(tcb, err);
}

/*
 * The user is gone (RFC 9293 3.10.4): the data queued still drains and a
 * FIN follows. Unread data, or data arriving later, is answered with a RST
 * instead (RFC 1122 4.2.2.13), as is any close when abort-on-close is set.
 */
void vtcp_close(struct vtcp_tcb *tcb, u64 now)
{
	lockdep_assert_held(&tcb->lock);
	tcb->orphan = 1;
	/* Keepalive watches the peer for the user, who is gone. */
	vtcp_disarm(tcb, VTCP_TIMER_KEEPALIVE);
	switch (tcb->state) {
	case VTCP_CLOSED:
	case VTCP_LISTEN:
	case VTCP_SYN_SENT:
		vtcp_tcb_done(tcb);
		return;
	case VTCP_TIME_WAIT:
	case VTCP_CLOSING:
	case VTCP_LAST_ACK:
		return;
	}
	if (tcb->rcvq.ready_bytes || tcb->rcvq.ooo_bytes ||
	    (tcb->cfg.flags & VTCP_CFG_ABORT_ON_CLOSE)) {
		vtcp_abort_with(tcb, 0, now);
		return;
	}
	if (tcb->state == VTCP_FIN_WAIT_2) {
		vtcp_arm(tcb, VTCP_TIMER_LINGER,
			 now + (u64)tcb->cfg.fin_wait2_ms * NSEC_PER_MSEC);
		return;
	}
	vtcp_shutdown_send(tcb, now);
}
EXPORT_SYMBOL_IF_KUNIT(vtcp_close);

/* The error the connection ended with, reported once (as SO_ERROR). */
int vtcp_take_error(struct vtcp_tcb *tcb)
{
	int err = tcb->err;

	lockdep_assert_held(&tcb->lock);
	tcb->err = 0;
	return err;
}
EXPORT_SYMBOL_IF_KUNIT(vtcp_take_error);

/* ABORT (RFC 9293 3.10.5). */
void vtcp_abort(struct vtcp_tcb *tcb, u64 now)
{
	lockdep_assert_held(&tcb->lock);
	vtcp_abort_with(tcb, -ECONNABORTED, now);
}
EXPORT_SYMBOL_IF_KUNIT(vtcp_abort);

/*
 * The reader took data: announce the larger window if it is worth it:
 * when the window's right edge can move by the receiver's SWS step (RFC
 * 9293 3.8.6.2.2, what vtcp_select_window() would do) and the window was
 * nearly closed or doubles (as Linux does).
 */
void vtcp_recv_consumed(struct vtcp_tcb *tcb, u64 now)
{
	u32 cur, space;

	lockdep_assert_held(&tcb->lock);
	if (!vtcp_state_synchronized(tcb->state) || tcb->fin_received)
		return;
	vtcp_rcvbuf_adjust(tcb, now);
	/*
	 * An ACK is owed: send it now if the reader took everything after
	 * the end of a write, or more than a segment is unacknowledged (as
	 * Linux's tcp_cleanup_rbuf): the sender may be waiting for it, and
	 * the delayed ACK timer would stall it for 40 ms.
	 */
	if (tcb->last_ack_sent != tcb->rcv_nxt &&
	    ((tcb->ack_pushed && !tcb->rcvq.ready_bytes) ||
	     tcb->rcv_nxt - tcb->last_ack_sent > tcb->rcv_mss)) {
		tcb->ack_now = 1;
		vtcp_output(tcb, now);
		return;
	}
	cur = vtcp_seq_gt(tcb->rcv_adv, tcb->rcv_nxt) ?
	      tcb->rcv_adv - tcb->rcv_nxt : 0;
	space = min(vtcp_rcv_space(tcb), VTCP_MAX_WINDOW << tcb->rcv_wscale);
	if (space <= cur || space - cur < vtcp_rcv_wnd_step(tcb))
		return;
	if (cur < 2 * tcb->rcv_mss || space >= 2 * cur) {
		tcb->ack_now = 1;
		vtcp_output(tcb, now);
	}
}
EXPORT_SYMBOL_IF_KUNIT(vtcp_recv_consumed);

/* New settings from the user. */
void vtcp_set_cfg(struct vtcp_tcb *tcb, const struct vtcp_cfg *cfg, u64 now)
{
	const struct vtcp_cc_ops *old_cc = tcb->cfg.cc;
	bool push;

	lockdep_assert_held(&tcb->lock);
	push = ((cfg->flags & VTCP_CFG_NODELAY) &&
		!(tcb->cfg.flags & VTCP_CFG_NODELAY)) ||
	       (!(cfg->flags & VTCP_CFG_CORK) &&
		(tcb->cfg.flags & VTCP_CFG_CORK)) ||
	       cfg->sndbuf > tcb->cfg.sndbuf;
	/* A buffer size the user sets is the one used (as SO_RCVBUF). */
	if (cfg->rcvbuf != tcb->cfg.rcvbuf)
		tcb->rcvbuf_auto = cfg->rcvbuf;
	tcb->cfg = *cfg;
	if (!tcb->cfg.cc)
		tcb->cfg.cc = vtcp_cc_default();
	if (tcb->cfg.cc != old_cc && vtcp_state_synchronized(tcb->state))
		tcb->cfg.cc->init(tcb, now);

	vtcp_disarm(tcb, VTCP_TIMER_KEEPALIVE);
	if (cfg->flags & VTCP_CFG_KEEPALIVE) {
		struct vtcp_ka_decision d;

		d = vtcp_keepalive_decide(&tcb->cfg, tcb->state, false,
					  tcb->last_rcv_ns, 0, now);
		/* Idle for longer already: the first probe is due now. */
		if (d.action == VTCP_KA_PROBE)
			d.when = now;
		if (d.action != VTCP_KA_OFF && !tcb->orphan)
			vtcp_arm(tcb, VTCP_TIMER_KEEPALIVE, d.when);
	}
	if (push)
		vtcp_output(tcb, now);
	vtcp_recv_consumed(tcb, now);
}
EXPORT_SYMBOL_IF_KUNIT(vtcp_set_cfg);
