// SPDX-License-Identifier: GPL-2.0
/*
 * What the engine does when each of its deadlines passes. The datapath
 * (timers.c) turns the earliest deadline into an hrtimer and calls
 * vtcp_deadline_expire() when it fires.
 */

#include <kunit/visibility.h>
#include <linux/kernel.h>

#include "engine/deadline.h"
#include "engine/keepalive.h"
#include "engine/output.h"
#include "engine/recovery.h"
#include "engine/sndq.h"
#include "engine/state.h"

/* RFC 6298 5.4-5.7, with the give-up rules of RFC 9293 3.8.3 / RFC 5482. */
static void vtcp_rto_expire(struct vtcp_tcb *tcb, u64 now)
{
	u64 utmo_end = vtcp_user_timeout_end(tcb);

	switch (tcb->state) {
	case VTCP_SYN_SENT:
	case VTCP_SYN_RECEIVED:
		if (tcb->backoff >= (tcb->state == VTCP_SYN_SENT ?
				     tcb->cfg.syn_retries :
				     tcb->cfg.synack_retries) ||
		    (utmo_end && now >= utmo_end)) {
			vtcp_tcb_reset(tcb, tcb->passive ? 0 : -ETIMEDOUT);
			return;
		}
		tcb->backoff++;
		tcb->stats.rto_expirations++;
		vtcp_send_syn(tcb, now);
		return;
	case VTCP_LISTEN:
		/*
		 * A child still holding its SYN, waiting for its user to
		 * answer it (deferred accept): nobody did in time.
		 */
		vtcp_tcb_reset(tcb, -ETIMEDOUT);
		return;
	case VTCP_CLOSED:
	case VTCP_TIME_WAIT:
		return;
	}

	if (tcb->snd_una == tcb->snd_nxt) {
		/* Nothing outstanding: a send that lacked memory retries. */
		vtcp_output(tcb, now);
		return;
	}
	if (tcb->backoff >= tcb->cfg.retries || (utmo_end && now >= utmo_end)) {
		vtcp_tcb_reset(tcb, -ETIMEDOUT);
		return;
	}
	tcb->stats.rto_expirations++;
	vtcp_enter_loss(tcb, now);
	tcb->backoff++;
	vtcp_retransmit_head(tcb, now);
	vtcp_output(tcb, now);
}

/*
 * RFC 9293 3.8.6.1: probe a zero window, or override sender SWS. The
 * interval doubles with every probe (tcb->backoff, free while nothing is
 * in flight), answered or not (RFC 1122 4.2.2.17); tcb->probes counts the
 * unanswered ones against the retry limit, so a peer that answers keeps
 * the connection, unless a user timeout says otherwise.
 */
static void vtcp_persist_expire(struct vtcp_tcb *tcb, u64 now)
{
	u32 utmo = tcb->cfg.user_timeout_ms;

	if (!vtcp_state_synchronized(tcb->state) ||
	    tcb->snd_nxt != tcb->snd_una)
		return;
	/*
	 * An orphan has no reader waiting for the peer: a window kept closed
	 * must not hold it, and its memory, forever, so it gives up after
	 * the retry limit even while the probes are answered (as Linux
	 * does with orphans).
	 */
	if (tcb->probes >= tcb->cfg.retries ||
	    (tcb->orphan && tcb->backoff >= tcb->cfg.retries) ||
	    (utmo && tcb->zero_wnd_start_ns &&
	     now - tcb->zero_wnd_start_ns >= (u64)utmo * NSEC_PER_MSEC)) {
		vtcp_tcb_reset(tcb, -ETIMEDOUT);
		return;
	}
	if (tcb->snd_wnd) {
		/* A small window has waited long enough: use it. */
		tcb->sws_override = 1;
		vtcp_output(tcb, now);
		tcb->sws_override = 0;
		if (tcb->snd_nxt != tcb->snd_una)
			return;
	}
	vtcp_send_probe(tcb, now);
	tcb->stats.zero_window_probes++;
	tcb->probes++;
	if (tcb->backoff < 31)
		tcb->backoff++;
	vtcp_arm_persist(tcb, now);
}

static void vtcp_delack_expire(struct vtcp_tcb *tcb, u64 now)
{
	if (vtcp_state_synchronized(tcb->state) &&
	    tcb->last_ack_sent != tcb->rcv_nxt)
		vtcp_send_ack(tcb, now);
}

static void vtcp_keepalive_expire(struct vtcp_tcb *tcb, u64 now)
{
	bool busy = tcb->snd_una != tcb->snd_nxt ||
		    tcb->snd_nxt != vtcp_sndq_end(&tcb->sndq);
	struct vtcp_ka_decision d;

	d = vtcp_keepalive_decide(&tcb->cfg, tcb->state, busy,
				  tcb->last_rcv_ns, tcb->probes, now);
	switch (d.action) {
	case VTCP_KA_OFF:
		return;
	case VTCP_KA_DEAD:
		vtcp_send_rst(tcb, now);
		vtcp_tcb_reset(tcb, -ETIMEDOUT);
		return;
	case VTCP_KA_PROBE:
		vtcp_send_probe(tcb, now);
		tcb->probes++;
		tcb->stats.keepalive_probes++;
		fallthrough;
	case VTCP_KA_WAIT:
		vtcp_arm(tcb, VTCP_TIMER_KEEPALIVE, d.when);
		return;
	}
}

/* TIME-WAIT's 2MSL, or an orphan's FIN-WAIT-2, is over. */
static void vtcp_linger_expire(struct vtcp_tcb *tcb, u64 now)
{
	if (tcb->state == VTCP_TIME_WAIT || tcb->state == VTCP_FIN_WAIT_2)
		vtcp_tcb_done(tcb);
}

static void (*const vtcp_expire[VTCP_TIMER_MAX])(struct vtcp_tcb *, u64) = {
	[VTCP_TIMER_RTO]	= vtcp_rto_expire,
	[VTCP_TIMER_PERSIST]	= vtcp_persist_expire,
	[VTCP_TIMER_DELACK]	= vtcp_delack_expire,
	[VTCP_TIMER_KEEPALIVE]	= vtcp_keepalive_expire,
	[VTCP_TIMER_LINGER]	= vtcp_linger_expire,
	[VTCP_TIMER_REORDER]	= vtcp_rack_reo_expire,
	[VTCP_TIMER_TLP]	= vtcp_tlp_expire,
};

/*
 * The order deadlines due together run in: RACK's reorder timer and the
 * loss probe before the RTO, which they exist to make unnecessary (the
 * probe restarts it, RFC 8985 7.3).
 */
static const u8 vtcp_expire_order[VTCP_TIMER_MAX] = {
	VTCP_TIMER_REORDER, VTCP_TIMER_TLP, VTCP_TIMER_RTO, VTCP_TIMER_PERSIST,
	VTCP_TIMER_DELACK, VTCP_TIMER_KEEPALIVE, VTCP_TIMER_LINGER,
};

void vtcp_deadline_expire(struct vtcp_tcb *tcb, u64 now)
{
	int i, t;

	lockdep_assert_held(&tcb->lock);
	for (i = 0; i < VTCP_TIMER_MAX; i++) {
		t = vtcp_expire_order[i];
		if (!tcb->deadline[t] || tcb->deadline[t] > now)
			continue;
		vtcp_disarm(tcb, t);
		vtcp_expire[t](tcb, now);
		if (tcb->state == VTCP_CLOSED)
			return;
	}
}
EXPORT_SYMBOL_IF_KUNIT(vtcp_deadline_expire);

/* The earliest deadline armed, or 0. */
u64 vtcp_deadline_next(const struct vtcp_tcb *tcb)
{
	u64 next = 0;
	int t;

	for (t = 0; t < VTCP_TIMER_MAX; t++)
		if (tcb->deadline[t] && (!next || tcb->deadline[t] < next))
			next = tcb->deadline[t];
	return next;
}
EXPORT_SYMBOL_IF_KUNIT(vtcp_deadline_next);
