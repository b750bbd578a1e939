/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Segment arrival (input.c): the datapath hands the engine a segment it
 * parsed and checked, and learns why it was dropped, if it was.
 */
#ifndef _VTCP_INPUT_H
#define _VTCP_INPUT_H

#include <linux/types.h>

#include "drop.h"

struct vtcp_tcb;
struct vtcp_seg;

enum vtcp_drop_reason vtcp_input(struct vtcp_tcb *tcb, struct vtcp_seg *seg,
				 u64 now);

#endif /* _VTCP_INPUT_H */
