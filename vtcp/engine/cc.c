// SPDX-License-Identifier: GPL-2.0
/*
 * The congestion control algorithms vtcp has, found by name: CUBIC (the
 * default, cubic.c) and NewReno (RFC 5681 window growth, here; the loss
 * response of both lives in recovery.c).
 */

#include <kunit/visibility.h>
#include <linux/kernel.h>
#include <linux/string.h>

#include "engine/cc.h"

/* The first is the default. */
static const struct vtcp_cc_ops *const vtcp_ccs[] = {
	&vtcp_cc_cubic,
	&vtcp_cc_newreno,
};

const struct vtcp_cc_ops *vtcp_cc_find(const char *name)
{
	int i;

	for (i = 0; i < ARRAY_SIZE(vtcp_ccs); i++)
		if (!strcmp(vtcp_ccs[i]->name, name))
			return vtcp_ccs[i];
	return NULL;
}
EXPORT_SYMBOL_IF_KUNIT(vtcp_cc_find);

const struct vtcp_cc_ops *vtcp_cc_default(void)
{
	return vtcp_ccs[0];
}
EXPORT_SYMBOL_IF_KUNIT(vtcp_cc_default);

/*
 * Slow start (RFC 5681 3.1) counting every byte acknowledged, not at most
 * one SMSS per ACK: peers behind GRO and TSO send stretch ACKs covering
 * tens of segments, and counting bytes (RFC 3465 without the L limit, as
 * Linux does) keeps slow start exponential. Leaves in @acked what is left
 * once cwnd reaches ssthresh.
 */
void vtcp_cc_slow_start(struct vtcp_tcb *tcb, u32 *acked)
{
	u32 room;

	if (tcb->cwnd >= tcb->ssthresh)
		return;
	room = tcb->ssthresh - tcb->cwnd;
	if (*acked <= room) {
		tcb->cwnd += *acked;
		*acked = 0;
	} else {
		tcb->cwnd = tcb->ssthresh;
		*acked -= room;
	}
}

static void vtcp_newreno_init(struct vtcp_tcb *tcb, u64 now)
{
	tcb->bytes_acked_ca = 0;
}

/* RFC 5681 eq. 4: half the flight, at least two segments. */
static u32 vtcp_newreno_ssthresh(struct vtcp_tcb *tcb, u64 now)
{
	u32 flight = tcb->snd_nxt - tcb->snd_una;

	return max(flight / 2, 2U * tcb->mss);
}

/* RFC 5681 3.1: one SMSS per cwnd of data acknowledged (byte counting). */
static void vtcp_newreno_cong_avoid(struct vtcp_tcb *tcb, u32 acked, u64 now)
{
	vtcp_cc_slow_start(tcb, &acked);
	if (!acked)
		return;
	tcb->bytes_acked_ca += acked;
	if (tcb->bytes_acked_ca >= tcb->cwnd) {
		tcb->bytes_acked_ca -= tcb->cwnd;
		tcb->cwnd += tcb->mss;
	}
}
EXPORT_SYMBOL_IF_KUNIT(vtcp_cc_slow_start);

const struct vtcp_cc_ops vtcp_cc_newreno = {
	.name		= "newreno",
	.init		= vtcp_newreno_init,
	.ssthresh	= vtcp_newreno_ssthresh,
	.cong_avoid	= vtcp_newreno_cong_avoid,
};
