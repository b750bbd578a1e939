/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The engine's deadlines (tcb->deadline[], armed with vtcp_arm()): the
 * datapath keeps one timer at the earliest and, when it fires, lets the
 * engine run every one that has passed.
 */
#ifndef _VTCP_DEADLINE_H
#define _VTCP_DEADLINE_H

#include <linux/types.h>

struct vtcp_tcb;

void vtcp_deadline_expire(struct vtcp_tcb *tcb, u64 now);
u64 vtcp_deadline_next(const struct vtcp_tcb *tcb);

#endif /* _VTCP_DEADLINE_H */
