// SPDX-License-Identifier: GPL-2.0
/*
 * State transitions, and how a connection ends.
 */

#include "engine/rcvq.h"
#include "engine/seq.h"
#include "engine/sndq.h"
#include "engine/state.h"

static void vtcp_stop_timers(struct vtcp_tcb *tcb)
{
	int t;

	for (t = 0; t < VTCP_TIMER_MAX; t++)
		vtcp_disarm(tcb, t);
}

/* Note the change for the datapath's tracepoint (tcb.h). */
static void vtcp_state_note(struct vtcp_tcb *tcb, u8 state)
{
	struct vtcp_state_log *log = &tcb->state_log;

	if (state == tcb->state)
		return;
	if (!log->n)
		log->from = tcb->state;
	if (log->n < VTCP_STATE_LOG)
		log->n++;
	log->to[log->n - 1] = state;
}

void vtcp_set_state(struct vtcp_tcb *tcb, u8 state)
{
	/* A FIN asked for before the handshake ended leaves now. */
	if (state == VTCP_ESTABLISHED && tcb->fin_queued)
		state = VTCP_FIN_WAIT_1;
	if (state == VTCP_ESTABLISHED || state == VTCP_FIN_WAIT_1)
		tcb->events |= VTCP_EV_WRITABLE;
	vtcp_state_note(tcb, state);
	tcb->state = state;
	tcb->events |= VTCP_EV_STATE;
}

/*
 * CLOSED: no timer runs, nothing is sent again. Data already in order for
 * the reader stays readable (as in Linux); everything else goes.
 */
void vtcp_tcb_done(struct vtcp_tcb *tcb)
{
	vtcp_state_note(tcb, VTCP_CLOSED);
	tcb->state = VTCP_CLOSED;
	vtcp_stop_timers(tcb);
	vtcp_sndq_purge(&tcb->sndq);
	vtcp_rcvq_purge_ooo(&tcb->rcvq);
	tcb->nsack = 0;
	tcb->dsack = 0;
	tcb->events |= VTCP_EV_CLOSED | VTCP_EV_STATE | VTCP_EV_READABLE |
		       VTCP_EV_WRITABLE;
}

/* The connection ends abnormally; @err (or 0) is what the user sees. */
void vtcp_tcb_reset(struct vtcp_tcb *tcb, int err)
{
	if (err) {
		tcb->err = err;
		tcb->events |= VTCP_EV_ERROR;
	}
	vtcp_tcb_done(tcb);
}

void vtcp_enter_time_wait(struct vtcp_tcb *tcb, u64 now)
{
	if (tcb->state != VTCP_TIME_WAIT)
		vtcp_set_state(tcb, VTCP_TIME_WAIT);
	vtcp_stop_timers(tcb);
	vtcp_arm(tcb, VTCP_TIMER_LINGER,
		 now + (u64)tcb->cfg.time_wait_ms * NSEC_PER_MSEC);
}
