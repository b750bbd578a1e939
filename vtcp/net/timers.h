/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _VTCP_TIMERS_H
#define _VTCP_TIMERS_H

struct vtcp_conn;

void vtcp_timer_init(struct vtcp_conn *conn);
void vtcp_timer_sync(struct vtcp_conn *conn) __must_hold(&conn->tcb.lock);
int vtcp_timer_stop(struct vtcp_conn *conn) __must_hold(&conn->tcb.lock);

#endif /* _VTCP_TIMERS_H */
