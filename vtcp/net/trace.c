// SPDX-License-Identifier: GPL-2.0
/*
 * Where vtcp's tracepoints are made (CREATE_TRACE_POINTS, net/trace.h),
 * and the events read from what the engine reported when a connection is
 * unlocked.
 */

#include "net/conn.h"

#define CREATE_TRACE_POINTS
#include "net/trace.h"

/*
 * At the unlock (conn.c), before the connection may be killed: an RTO
 * expiration, each state change the engine logged, then what moved in
 * cwnd, ssthresh or the recovery state. The values last seen are kept
 * whether tracing is on or not, so that an event never reports a change
 * from long before it; the handshake's settings are taken silently.
 */
void vtcp_trace_unlock(struct vtcp_conn *conn)
	__must_hold(&conn->tcb.lock)
{
	struct vtcp_tcb *tcb = &conn->tcb;
	struct vtcp_state_log *log = &tcb->state_log;
	u8 from = log->n ? log->from : tcb->state;
	bool was_synced = vtcp_state_synchronized(from);
	int i;

	lockdep_assert_held(&tcb->lock);
	if (tcb->stats.rto_expirations != conn->seen.rtos) {
		conn->seen.rtos = tcb->stats.rto_expirations;
		trace_vtcp_rto(conn);
	}
	for (i = 0; i < log->n; i++) {
		trace_vtcp_state(conn, from, log->to[i]);
		from = log->to[i];
	}
	log->n = 0;
	if (tcb->cwnd == conn->seen.cwnd &&
	    tcb->ssthresh == conn->seen.ssthresh &&
	    tcb->ca_state == conn->seen.ca_state)
		return;
	if (was_synced && vtcp_state_synchronized(tcb->state))
		trace_vtcp_cwnd(conn, conn->seen.cwnd, conn->seen.ssthresh,
				conn->seen.ca_state);
	conn->seen.cwnd = tcb->cwnd;
	conn->seen.ssthresh = tcb->ssthresh;
	conn->seen.ca_state = tcb->ca_state;
}
