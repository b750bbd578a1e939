// SPDX-License-Identifier: GPL-2.0
/*
 * Every timer of a connection, as one hrtimer.
 *
 * The engine keeps a deadline for each of its timers (tcb.h, enum
 * vtcp_timer):
 *
 *   RTO        retransmission of a SYN, SYN-ACK, data or FIN
 *   PERSIST    a zero-window probe is due
 *   DELACK     a delayed ACK is due
 *   KEEPALIVE  an idle connection's probe is due (RFC 1122 4.2.3.6)
 *   LINGER     TIME-WAIT, or an orphan's FIN-WAIT-2, ends
 *   REORDER    RACK: a segment's reordering window ends (RFC 8985)
 *   TLP        RACK-TLP: the tail loss probe timeout (PTO) ends
 *
 * The packet paths only run the engine; afterwards vtcp_timer_sync()
 * points this hrtimer at the earliest deadline. It fires in softirq
 * context (HRTIMER_MODE_ABS_SOFT) and runs vtcp_deadline_expire(), which does
 * what each passed deadline asks.
 *
 * Re-arming is lazy: a timer set to fire before the earliest deadline is
 * left alone (it fires, finds nothing due, and moves on), so the RTO moving
 * later on every ACK costs nothing here.
 *
 * An armed timer holds a reference on its connection (timer_ref). A dead
 * connection is never armed again; vtcp_timer_stop() cancels, and if the
 * callback is running, re-arms it to fire at once: the callback may have
 * decided to restart before the kill (it decides under the lock, returns
 * after), and would otherwise leave the timer queued until its deadline,
 * holding the dead connection. Firing again, it finds the connection dead
 * and drops the reference itself.
 */

#include <linux/hrtimer.h>

#include "compat.h"
#include "net/conn.h"
#include "engine/deadline.h"
#include "net/limits.h"
#include "net/testhook.h"
#include "net/timers.h"

static enum hrtimer_restart vtcp_timer_fn(struct hrtimer *timer)
{
	struct vtcp_conn *conn = container_of(timer, struct vtcp_conn, timer);
	enum hrtimer_restart ret = HRTIMER_NORESTART;
	bool drop_ref = false;
	u64 next;

	vtcp_conn_lock(conn);
	/* Queued: re-armed (by vtcp_timer_sync() or stop) while it waited. */
	if (!conn->dead && !hrtimer_is_queued(timer)) {
		vtcp_deadline_expire(&conn->tcb, vtcp_now());
		next = vtcp_deadline_next(&conn->tcb);
		if (next && conn->tcb.state != VTCP_CLOSED) {
			conn->timer_at = next;
			hrtimer_set_expires(timer, ns_to_ktime(next));
			ret = HRTIMER_RESTART;
		}
	}
	/* Unless someone re-armed it meanwhile, its reference goes. */
	if (ret == HRTIMER_NORESTART && !hrtimer_is_queued(timer)) {
		conn->timer_ref = 0;
		drop_ref = true;
	}
	vtcp_conn_unlock(conn);
	vtcp_testhook_at(VTCP_HOOK_TIMER_UNLOCKED, conn);
	if (drop_ref)
		vtcp_conn_put(conn);
	return ret;
}

void vtcp_timer_init(struct vtcp_conn *conn)
{
	hrtimer_setup(&conn->timer, vtcp_timer_fn, CLOCK_MONOTONIC,
		      HRTIMER_MODE_ABS_SOFT);
}

/*
 * Point the timer at the engine's earliest deadline; the lock is held.
 * Arming takes the timer's reference (timer_ref) if it had none.
 */
void vtcp_timer_sync(struct vtcp_conn *conn)
	__must_hold(&conn->tcb.lock)
{
	u64 next = vtcp_deadline_next(&conn->tcb);

	lockdep_assert_held(&conn->tcb.lock);
	if (!next)
		return;	/* an armed timer finds nothing and stops */
	if (conn->timer_ref && hrtimer_is_queued(&conn->timer) &&
	    conn->timer_at <= next)
		return;
	conn->timer_at = next;
	hrtimer_start(&conn->timer, ns_to_ktime(next), HRTIMER_MODE_ABS_SOFT);
	if (!conn->timer_ref) {
		conn->timer_ref = 1;
		vtcp_conn_get(conn);
	}
}

/* The connection is dying: stop the timer. Returns references to drop. */
int vtcp_timer_stop(struct vtcp_conn *conn)
	__must_hold(&conn->tcb.lock)
{
	lockdep_assert_held(&conn->tcb.lock);
	if (!conn->timer_ref)
		return 0;
	if (hrtimer_try_to_cancel(&conn->timer) < 0) {
		/* Running: queued now, its return cannot re-queue it. */
		hrtimer_start(&conn->timer, 0, HRTIMER_MODE_ABS_SOFT);
		return 0;	/* the callback drops it, firing again */
	}
	conn->timer_ref = 0;
	return 1;
}
