// SPDX-License-Identifier: GPL-2.0
/*
 * Receive-buffer auto-tuning (as Linux's tcp_rcv_space_adjust()): the
 * receive queues (rcvq.c) may hold tcb->rcvbuf_auto bytes, which starts at
 * VTCP_RCVBUF_INIT and follows what the reader takes per receiver RTT, up
 * to the user's rcvbuf; the window we advertise follows it (output.c).
 */

#include <kunit/visibility.h>
#include <linux/kernel.h>

#include "engine/rcvbuf.h"
#include "engine/seq.h"

/*
 * The receiver's RTT, for auto-tuning (like Linux's tcp_rcv_rtt_measure):
 * from the timestamp echo on in-order data (our ACK's TSval came back with
 * it), else from how long the peer took to fill the window we advertised.
 */
void vtcp_rcvbuf_rtt_measure(struct vtcp_tcb *tcb, const struct vtcp_seg *seg,
			     u64 now)
{
	u32 sample = 0;

	if (tcb->ts_ok && (seg->opt.present & VTCP_TCPOPT_TS) &&
	    seg->opt.tsecr) {
		u32 ms = vtcp_ts_now(tcb, now) - seg->opt.tsecr;

		if (ms >= VTCP_RCV_RTT_MAX_MS)
			return;
		sample = max(ms, 1U) * USEC_PER_MSEC;
	} else {
		if (tcb->rcv_rtt_ns &&
		    vtcp_seq_geq(tcb->rcv_nxt, tcb->rcv_rtt_seq))
			sample = max_t(u64, div_u64(now - tcb->rcv_rtt_ns,
						    NSEC_PER_USEC), 1);
		if (tcb->rcv_rtt_ns && !sample)
			return;
		tcb->rcv_rtt_seq = tcb->rcv_adv;
		tcb->rcv_rtt_ns = now;
		if (!sample)
			return;
	}
	/* As an RFC 6298 estimator's SRTT: 1/8 of each new sample. */
	if (tcb->rcv_rtt_us)
		tcb->rcv_rtt_us = tcb->rcv_rtt_us - tcb->rcv_rtt_us / 8 +
				  sample / 8;
	else
		tcb->rcv_rtt_us = sample;
}
EXPORT_SYMBOL_IF_KUNIT(vtcp_rcvbuf_rtt_measure);

/*
 * Receive-buffer auto-tuning, once per receiver RTT as the reader takes
 * data (like Linux's tcp_rcv_space_adjust): if the reader took more in the
 * last RTT than ever before, the buffer becomes twice that plus sixteen
 * segments, more while the rate is still climbing, so that the window
 * never holds back a sender the reader keeps up with; never above the
 * user's rcvbuf. A slow reader keeps a small buffer, and little memory.
 */
void vtcp_rcvbuf_adjust(struct vtcp_tcb *tcb, u64 now)
{
	u32 read = tcb->rcv_nxt - tcb->fin_received - tcb->rcvq.ready_bytes;
	u32 rtt = tcb->rcv_rtt_us ?: tcb->srtt_us;
	u32 copied, space;
	u64 win;

	if (!tcb->rcvq_space_ns) {
		tcb->rcvq_space_ns = now;
		tcb->rcvq_space_seq = read;
		tcb->rcvq_space = VTCP_RCV_SPACE_INIT * tcb->rcv_mss;
		return;
	}
	if (!rtt || now - tcb->rcvq_space_ns < (u64)rtt * NSEC_PER_USEC)
		return;
	copied = read - tcb->rcvq_space_seq;
	space = max(tcb->rcvq_space, 1U);
	if (copied > space) {
		win = 2ULL * copied + 16 * tcb->rcv_mss;
		win += 2 * div_u64(win * (copied - space), space);
		win = min_t(u64, win, tcb->cfg.rcvbuf);
		tcb->rcvbuf_auto = max_t(u32, tcb->rcvbuf_auto, win);
		tcb->rcvq_space = copied;
	}
	tcb->rcvq_space_seq = read;
	tcb->rcvq_space_ns = now;
}
EXPORT_SYMBOL_IF_KUNIT(vtcp_rcvbuf_adjust);
