// SPDX-License-Identifier: GPL-2.0
/*
 * CUBIC congestion control (RFC 9438), the default, with HyStart++ (RFC
 * 9406) to leave slow start on a rising RTT before it overshoots.
 *
 * After a loss the window falls to beta = 0.7 of what it was and then
 * follows W_cubic(t) = C (t - K)^3 + W_max, C = 0.4 segments/s^3: quickly
 * back up to near W_max, where the last loss happened, flat around it, then
 * faster and faster past it. K is when the curve reaches W_max again. Each
 * ACK moves cwnd a fraction of the way towards W_cubic one RTT ahead (at
 * most 1.5 cwnd); where Reno would grow faster (short RTTs, small windows)
 * cwnd follows Reno's estimate W_est instead (4.3). Fast convergence lowers
 * W_max a second time in a row to leave room to newer flows (4.7).
 *
 * Windows are in bytes, as everywhere in the engine; the curve is computed
 * in milliseconds and bytes, W_cubic(t) = W_max + 0.4 MSS (t - K)^3.
 *
 * HyStart++: per round of data, the least of the first eight RTT samples;
 * once it exceeds the last round's by an eighth (4 to 16 ms), slow start
 * turns conservative (a quarter of the growth) for up to five rounds, then
 * ends; a drop back below the baseline resumes slow start.
 */

#include <kunit/visibility.h>
#include <linux/bits.h>
#include <linux/build_bug.h>
#include <linux/kernel.h>
#include <linux/math64.h>

#include "engine/cc.h"
#include "engine/seq.h"

#define CUBIC_BETA_NUM		7	/* beta_cubic = 0.7 (RFC 9438 4.6) */
#define CUBIC_BETA_DEN		10
#define CUBIC_ALPHA_SHIFT	10	/* alpha_cubic = 3(1-b)/(1+b) = 0.529 */
#define CUBIC_ALPHA		542	/* ... in 1024ths */
#define CUBIC_T_MAX_MS		BIT(21)		/* |t - K| looked at: 35 min */

#define HYSTART_MIN_THRESH_US	4000U	/* RFC 9406 4.2 MIN_RTT_THRESH */
#define HYSTART_MAX_THRESH_US	16000U	/* MAX_RTT_THRESH */
#define HYSTART_DIVISOR		8	/* MIN_RTT_DIVISOR */
#define HYSTART_SAMPLES		8	/* N_RTT_SAMPLE */
#define HYSTART_CSS_DIVISOR	4	/* CSS_GROWTH_DIVISOR */
#define HYSTART_CSS_ROUNDS	5	/* CSS_ROUNDS */

struct vtcp_cubic {
	u64 epoch_ns;		/* this congestion avoidance's start, or 0 */
	u64 inc_acc;		/* cwnd growth owed, in bytes * cwnd */
	u64 est_acc;		/* W_est growth owed, in bytes * cwnd * 1024 */
	u32 w_max;		/* cwnd at the last loss (after 4.7) */
	u32 prior_w_max;	/* for an undo (4.9) */
	u32 cwnd_prior;		/* cwnd before the last reduction */
	u32 prior_cwnd_prior;
	u32 origin;		/* W_max, or cwnd if already past it */
	u32 k_ms;		/* K */
	u32 w_est;		/* Reno-friendly estimate (4.3) */
	u32 css_acc;		/* conservative slow start's remainder */
	/* HyStart++ (RFC 9406). */
	u32 round_end;		/* the round ends when this is acked */
	u32 last_min_us;	/* lastRoundMinRTT; U32_MAX: none */
	u32 cur_min_us;		/* currentRoundMinRTT */
	u32 css_base_us;	/* cssBaselineMinRtt */
	u8 samples;		/* rttSampleCount */
	u8 css_rounds;
	u8 in_css:1,		/* in conservative slow start */
	   done:1;		/* slow start is over for HyStart++ */
};

static struct vtcp_cubic *vtcp_cubic(struct vtcp_tcb *tcb)
{
	BUILD_BUG_ON(sizeof(struct vtcp_cubic) > sizeof(tcb->cc_priv));
	return (struct vtcp_cubic *)tcb->cc_priv;
}

/* The integer cube root of @x (Hacker's Delight, icbrt64). */
static u32 vtcp_cbrt(u64 x)
{
	u64 y = 0, b;
	int s;

	for (s = 63; s >= 0; s -= 3) {
		y <<= 1;
		b = 3 * y * (y + 1) + 1;
		if ((x >> s) >= b) {
			x -= b << s;
			y++;
		}
	}
	return y;
}

/*
 * RFC 9438 4.2 eq. 2: K = cbrt((W_max - cwnd_epoch) / C), in ms, for a
 * window @delta bytes below W_max: cbrt(delta / MSS * 2.5 * 10^9) ms.
 */
u32 vtcp_cubic_k_ms(u32 delta, u16 mss)
{
	return vtcp_cbrt(div_u64((u64)delta * 2500000000ULL, mss));
}
EXPORT_SYMBOL_IF_KUNIT(vtcp_cubic_k_ms);

/* RFC 9438 4.2 eq. 1: W_cubic(t) = C (t - K)^3 + W_max, in bytes. */
u32 vtcp_cubic_window(u32 origin, u32 k_ms, u32 t_ms, u16 mss)
{
	u32 d = t_ms > k_ms ? t_ms - k_ms : k_ms - t_ms;
	u64 off;

	d = min(d, CUBIC_T_MAX_MS);
	/* 0.4 MSS d^3 / 10^9 (ms^3 to s^3) */
	off = mul_u64_u64_div_u64((u64)d * d * d, 2 * mss, 5000000000ULL);
	if (t_ms < k_ms)
		return off < origin ? origin - off : 0;
	return min_t(u64, (u64)origin + off, U32_MAX);
}
EXPORT_SYMBOL_IF_KUNIT(vtcp_cubic_window);

static void vtcp_hystart_reset(struct vtcp_tcb *tcb, struct vtcp_cubic *ca)
{
	ca->round_end = tcb->snd_nxt;
	ca->last_min_us = U32_MAX;
	ca->cur_min_us = U32_MAX;
	ca->css_base_us = U32_MAX;
	ca->samples = 0;
	ca->css_rounds = 0;
	ca->in_css = 0;
	ca->done = 0;
}

static void vtcp_cubic_init(struct vtcp_tcb *tcb, u64 now)
{
	struct vtcp_cubic *ca = vtcp_cubic(tcb);

	memset(ca, 0, sizeof(*ca));
	vtcp_hystart_reset(tcb, ca);
	tcb->bytes_acked_ca = 0;
}

/* RFC 9406 4.2: a round ends when the data sent at its start is acked. */
static void vtcp_hystart_round(struct vtcp_tcb *tcb, struct vtcp_cubic *ca)
{
	if (vtcp_seq_lt(tcb->snd_una, ca->round_end))
		return;
	ca->round_end = tcb->snd_nxt;
	ca->last_min_us = ca->cur_min_us;
	ca->cur_min_us = U32_MAX;
	ca->samples = 0;
	if (ca->in_css && ++ca->css_rounds >= HYSTART_CSS_ROUNDS) {
		/* Conservative slow start is over: avoidance from here. */
		tcb->ssthresh = tcb->cwnd;
		ca->in_css = 0;
		ca->done = 1;
	}
}

static void vtcp_cubic_rtt_sample(struct vtcp_tcb *tcb, u32 rtt_us, u64 now)
{
	struct vtcp_cubic *ca = vtcp_cubic(tcb);
	u32 thresh;

	if (ca->done || tcb->cwnd >= tcb->ssthresh)
		return;
	vtcp_hystart_round(tcb, ca);
	ca->cur_min_us = min(ca->cur_min_us, rtt_us);
	if (ca->samples < U8_MAX)
		ca->samples++;
	if (ca->samples < HYSTART_SAMPLES || ca->cur_min_us == U32_MAX)
		return;
	if (ca->in_css) {
		/* The RTT came back down: it was no queue; slow start again. */
		if (ca->cur_min_us < ca->css_base_us) {
			ca->in_css = 0;
			ca->css_base_us = U32_MAX;
		}
		return;
	}
	if (ca->last_min_us == U32_MAX)
		return;
	thresh = clamp(ca->last_min_us / HYSTART_DIVISOR, HYSTART_MIN_THRESH_US,
		       HYSTART_MAX_THRESH_US);
	if (ca->cur_min_us >= ca->last_min_us + thresh) {
		ca->css_base_us = ca->cur_min_us;
		ca->in_css = 1;
		ca->css_rounds = 0;
		ca->css_acc = 0;
	}
}

/* Congestion avoidance (RFC 9438 4.2-4.5) for @acked new bytes. */
static void vtcp_cubic_avoid(struct vtcp_tcb *tcb, struct vtcp_cubic *ca,
			     u32 acked, u64 now)
{
	u32 cwnd = tcb->cwnd, t_ms, target, w_cubic;
	u32 alpha;

	if (!ca->epoch_ns) {
		ca->epoch_ns = now;
		if (cwnd < ca->w_max) {
			ca->k_ms = vtcp_cubic_k_ms(ca->w_max - cwnd, tcb->mss);
			ca->origin = ca->w_max;
		} else {
			ca->k_ms = 0;
			ca->origin = cwnd;
		}
		ca->w_est = cwnd;
		ca->inc_acc = 0;
		ca->est_acc = 0;
	}
	t_ms = (u32)min_t(u64, div_u64(now - ca->epoch_ns, NSEC_PER_MSEC),
			  CUBIC_T_MAX_MS);
	w_cubic = vtcp_cubic_window(ca->origin, ca->k_ms, t_ms, tcb->mss);
	/* 4.2: the target is where the curve will be one RTT from now. */
	target = vtcp_cubic_window(ca->origin, ca->k_ms,
				   t_ms + tcb->srtt_us / USEC_PER_MSEC,
				   tcb->mss);
	target = clamp(target, cwnd, cwnd + cwnd / 2);

	/* 4.3: W_est grows like Reno with alpha_cubic, 1 past cwnd_prior. */
	alpha = ca->w_est >= ca->cwnd_prior ? 1U << CUBIC_ALPHA_SHIFT :
					       CUBIC_ALPHA;
	ca->est_acc += (u64)acked * tcb->mss * alpha;
	if (ca->est_acc >= ((u64)cwnd << CUBIC_ALPHA_SHIFT)) {
		u64 inc = div64_u64(ca->est_acc,
				    (u64)cwnd << CUBIC_ALPHA_SHIFT);

		ca->w_est += inc;
		ca->est_acc -= inc * ((u64)cwnd << CUBIC_ALPHA_SHIFT);
	}

	if (w_cubic < ca->w_est) {
		/* 4.3: the Reno-friendly region. */
		tcb->cwnd = max(cwnd, ca->w_est);
		return;
	}
	/* 4.4, 4.5: (target - cwnd) / cwnd per segment acknowledged. */
	ca->inc_acc += (u64)(target - cwnd) * acked;
	if (ca->inc_acc >= cwnd) {
		u64 inc = div_u64(ca->inc_acc, cwnd);

		tcb->cwnd = (u32)min_t(u64, (u64)cwnd + inc, U32_MAX / 2);
		ca->inc_acc -= inc * cwnd;
	}
}

static void vtcp_cubic_cong_avoid(struct vtcp_tcb *tcb, u32 acked, u64 now)
{
	struct vtcp_cubic *ca = vtcp_cubic(tcb);

	if (tcb->cwnd < tcb->ssthresh) {
		if (!ca->done)
			vtcp_hystart_round(tcb, ca);
		if (ca->in_css) {
			/* RFC 9406 4.3: a quarter of slow start's growth. */
			ca->css_acc += acked;
			tcb->cwnd += ca->css_acc / HYSTART_CSS_DIVISOR;
			ca->css_acc %= HYSTART_CSS_DIVISOR;
			return;
		}
		vtcp_cc_slow_start(tcb, &acked);
		if (!acked)
			return;
	}
	vtcp_cubic_avoid(tcb, ca, acked, now);
}

/*
 * A loss (RFC 9438 4.6, 4.7): W_max is the window it happened at, lower
 * still (fast convergence) if that is below the previous W_max, and the
 * window comes down to beta times the flight.
 */
static u32 vtcp_cubic_ssthresh(struct vtcp_tcb *tcb, u64 now)
{
	u32 flight = tcb->snd_nxt - tcb->snd_una;
	struct vtcp_cubic *ca = vtcp_cubic(tcb);

	ca->prior_w_max = ca->w_max;
	ca->prior_cwnd_prior = ca->cwnd_prior;
	ca->epoch_ns = 0;
	ca->cwnd_prior = tcb->cwnd;
	if (tcb->cwnd < ca->w_max)
		ca->w_max = (u32)div_u64((u64)tcb->cwnd *
					 (CUBIC_BETA_DEN + CUBIC_BETA_NUM),
					 2 * CUBIC_BETA_DEN);
	else
		ca->w_max = tcb->cwnd;
	ca->in_css = 0;
	ca->done = 1;
	return max((u32)div_u64((u64)flight * CUBIC_BETA_NUM, CUBIC_BETA_DEN),
		   2U * tcb->mss);
}

/* RFC 9438 4.9: the reduction was spurious: the curve as it was. */
static void vtcp_cubic_undo(struct vtcp_tcb *tcb)
{
	struct vtcp_cubic *ca = vtcp_cubic(tcb);

	ca->w_max = max(ca->w_max, ca->prior_w_max);
	ca->cwnd_prior = max(ca->cwnd_prior, ca->prior_cwnd_prior);
	ca->epoch_ns = 0;
}

const struct vtcp_cc_ops vtcp_cc_cubic = {
	.name		= "cubic",
	.init		= vtcp_cubic_init,
	.ssthresh	= vtcp_cubic_ssthresh,
	.cong_avoid	= vtcp_cubic_cong_avoid,
	.rtt_sample	= vtcp_cubic_rtt_sample,
	.undo		= vtcp_cubic_undo,
};
