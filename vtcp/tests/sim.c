// SPDX-License-Identifier: GPL-2.0
/*
 * The simulated link and the event loop (see sim.h).
 *
 * Segments the engines send are copied (payload from the send queue, as
 * the datapath does) into packets, split into MSS pieces when the engine
 * sent a GSO train, and put on the link: a FIFO bottleneck at the given
 * rate, then the delay, jitter and impairments, drawn from a PRNG seeded
 * per case. The loop takes the earliest event (a packet's arrival, an
 * engine's deadline, the slow reader's next read) until both ends are
 * CLOSED, so a run is the same on every machine.
 */

#include <linux/highmem.h>
#include <linux/list.h>
#include <linux/mm.h>
#include <linux/prandom.h>
#include <linux/slab.h>
#include <linux/uio.h>

#include "engine/cc.h"
#include "engine/deadline.h"
#include "engine/input.h"
#include "engine/rcvq.h"
#include "engine/sndq.h"
#include "sim.h"

#define VTCP_SIM_MAX_NS		(3600ULL * NSEC_PER_SEC)
#define VTCP_SIM_READ_BUF	65536

struct vtcp_sim;

struct vtcp_sim_end {
	struct vtcp_tcb tcb;
	struct vtcp_sim *sim;
	int id;			/* 0: client, 1: server */
	u64 written;		/* bytes of our stream queued */
	u64 read;		/* bytes of the peer's stream read and checked */
	u64 next_read_ns;	/* slow reader: when it reads again */
	bool shut;		/* shutdown_send() called */
	bool eof;		/* read everything up to the peer's FIN */
	bool closed;		/* close() called */
	bool failed;		/* a byte was wrong: stop checking */
	u64 closed_ns;		/* when it reached CLOSED */
};

struct vtcp_sim_pkt {
	struct list_head node;
	u64 at;
	u64 order;		/* ties keep sending order */
	int to;			/* index of the receiving end */
	struct vtcp_seg seg;
};

struct vtcp_sim_link {
	u64 busy_until;
};

struct vtcp_sim {
	struct kunit *test;
	const struct vtcp_sim_params *p;
	struct vtcp_sim_result *res;
	struct vtcp_sim_end end[2];
	struct vtcp_sim_link link[2];	/* by sending end */
	struct rnd_state rnd;
	struct list_head pkts;		/* by arrival time */
	u64 order;
	u64 now;
	u8 *buf;
};

/* Byte @off of the stream end @id sends. */
static u8 vtcp_sim_byte(int id, u64 off)
{
	u32 x = (u32)off * 2654435761U + (u32)(off >> 32) + id * 0x9e3779b9U;

	return (u8)(x >> 24);
}

static bool vtcp_sim_chance(struct vtcp_sim *sim, u32 ppm)
{
	return ppm && prandom_u32_state(&sim->rnd) % 1000000 < ppm;
}

static void vtcp_sim_pkt_free(struct vtcp_sim_pkt *pkt)
{
	kfree_skb(pkt->seg.skb);
	kfree(pkt);
}

static void vtcp_sim_enqueue(struct vtcp_sim *sim, struct vtcp_sim_pkt *pkt)
{
	struct vtcp_sim_pkt *pos;

	pkt->order = sim->order++;
	/* Arrivals are mostly in order: search from the tail. */
	list_for_each_entry_reverse(pos, &sim->pkts, node)
		if (pos->at <= pkt->at) {
			list_add(&pkt->node, &pos->node);
			return;
		}
	list_add(&pkt->node, &sim->pkts);
}

static struct vtcp_sim_pkt *vtcp_sim_pkt_copy(const struct vtcp_sim_pkt *pkt)
{
	struct vtcp_sim_pkt *dup = kmemdup(pkt, sizeof(*pkt), GFP_ATOMIC);

	if (!dup)
		return NULL;
	if (pkt->seg.skb) {
		dup->seg.skb = skb_copy(pkt->seg.skb, GFP_ATOMIC);
		if (!dup->seg.skb) {
			kfree(dup);
			return NULL;
		}
	}
	return dup;
}

/* One packet onto the link from end @from: rate, delay and impairments. */
static void vtcp_sim_send(struct vtcp_sim *sim, int from, struct vtcp_sim_pkt *pkt,
			  u32 wire_bytes)
{
	const struct vtcp_sim_link_params *lp = &sim->p->link;
	struct vtcp_sim_link *link = &sim->link[from];
	u64 depart = max(sim->now, link->busy_until);
	u64 queued = depart - sim->now;

	sim->res->packets++;
	if ((lp->queue_us && queued > (u64)lp->queue_us * NSEC_PER_USEC) ||
	    (lp->ecn_mark_us && queued > (u64)lp->ecn_mark_us * NSEC_PER_USEC &&
	     pkt->seg.ecn == VTCP_ECN_NOT_ECT)) {
		/* The buffer is full, or the AQM drops what it cannot mark. */
		sim->res->lost++;
		vtcp_sim_pkt_free(pkt);
		return;
	}
	if (lp->ecn_mark_us && queued > (u64)lp->ecn_mark_us * NSEC_PER_USEC) {
		pkt->seg.ecn = VTCP_ECN_CE;
		sim->res->marked++;
	}
	if (lp->rate_mbps)
		depart += div_u64((u64)wire_bytes * 8 * 1000, lp->rate_mbps);
	link->busy_until = depart;
	if (vtcp_sim_chance(sim, lp->loss_ppm)) {
		sim->res->lost++;
		vtcp_sim_pkt_free(pkt);
		return;
	}
	pkt->at = depart;
	/* netem's reorder: some packets skip the delay, overtaking others. */
	if (vtcp_sim_chance(sim, lp->skip_ppm))
		sim->res->reordered++;
	else
		pkt->at += (u64)lp->delay_us * NSEC_PER_USEC;
	if (lp->jitter_us)
		pkt->at += prandom_u32_state(&sim->rnd) %
			   (lp->jitter_us * NSEC_PER_USEC);
	if (vtcp_sim_chance(sim, lp->reorder_ppm)) {
		sim->res->reordered++;
		pkt->at += (u64)lp->reorder_us * NSEC_PER_USEC;
	}
	if (vtcp_sim_chance(sim, lp->dup_ppm)) {
		struct vtcp_sim_pkt *dup = vtcp_sim_pkt_copy(pkt);

		if (dup) {
			sim->res->duplicated++;
			dup->at += 1 + prandom_u32_state(&sim->rnd) % NSEC_PER_MSEC;
			vtcp_sim_enqueue(sim, dup);
		}
	}
	vtcp_sim_enqueue(sim, pkt);
}

/*
 * The engine's xmit: what the datapath would put on the wire, a GSO
 * train cut into MSS segments with FIN and PSH on the last only.
 */
static int vtcp_sim_xmit(struct vtcp_tcb *tcb, const struct vtcp_out *out)
{
	struct vtcp_sim_end *end = container_of(tcb, struct vtcp_sim_end, tcb);
	struct vtcp_sim *sim = end->sim;
	u32 piece = out->gso_size ?: out->len, off = 0;

	do {
		u32 n = min(piece, out->len - off);
		bool last = off + n == out->len;
		struct vtcp_sim_pkt *pkt = kzalloc(sizeof(*pkt), GFP_ATOMIC);

		if (!pkt)
			return -ENOMEM;
		pkt->to = !end->id;
		pkt->seg.seq = out->seq + off;
		pkt->seg.ack = out->ack;
		pkt->seg.len = n;
		pkt->seg.wnd = out->wnd;
		pkt->seg.flags = out->flags;
		pkt->seg.ecn = out->ecn;
		if (!last)
			pkt->seg.flags &= ~(VTCP_TH_FIN | VTCP_TH_PSH);
		pkt->seg.opt = out->opt;
		if (n) {
			pkt->seg.skb = alloc_skb(n, GFP_ATOMIC);
			if (!pkt->seg.skb) {
				kfree(pkt);
				return -ENOMEM;
			}
			vtcp_sndq_copy(&tcb->sndq, out->data_seq + off, n,
				       skb_put(pkt->seg.skb, n));
		}
		vtcp_sim_send(sim, end->id, pkt, n + 40 + vtcp_opts_size(&out->opt));
		off += n;
	} while (off < out->len);
	return 0;
}

static const struct vtcp_engine_ops vtcp_sim_ops = {
	.xmit = vtcp_sim_xmit,
};

/* The application writes its stream while the send buffer has room. */
static void vtcp_sim_write(struct vtcp_sim *sim, struct vtcp_sim_end *end)
{
	struct vtcp_tcb *tcb = &end->tcb;
	u64 total = sim->p->bytes[end->id];
	bool queued = false;

	while (end->written < total && tcb->sndq.bytes < tcb->cfg.sndbuf) {
		u32 n = min_t(u64, total - end->written, PAGE_SIZE);
		struct page *page = alloc_page(GFP_ATOMIC);
		u8 *p;
		u32 i;

		if (!page)
			break;
		p = kmap_local_page(page);
		for (i = 0; i < n; i++)
			p[i] = vtcp_sim_byte(end->id, end->written + i);
		kunmap_local(p);
		if (vtcp_sndq_append(&tcb->sndq, page, 0, n)) {
			put_page(page);
			break;
		}
		put_page(page);
		end->written += n;
		queued = true;
	}
	if (queued)
		vtcp_output(tcb, sim->now);
	if (end->written == total && !end->shut) {
		end->shut = true;
		vtcp_shutdown_send(tcb, sim->now);
	}
}

/* The application reads what is ready (up to @max) and checks each byte. */
static void vtcp_sim_read(struct vtcp_sim *sim, struct vtcp_sim_end *end, u64 max)
{
	struct vtcp_tcb *tcb = &end->tcb;
	int peer = !end->id;

	while (max && tcb->rcvq.ready_bytes) {
		u32 len = min_t(u64, max, VTCP_SIM_READ_BUF);
		struct kvec kv = { .iov_base = sim->buf, .iov_len = len };
		struct vtcp_rcvq_reader r;
		struct iov_iter to;
		u32 i;

		iov_iter_kvec(&to, ITER_DEST, &kv, 1, len);
		vtcp_rcvq_detach(&tcb->rcvq, &r);
		KUNIT_EXPECT_EQ(sim->test, 0, vtcp_rcvq_copy(&r, &to, len, false));
		vtcp_rcvq_attach(&tcb->rcvq, &r);
		for (i = 0; i < r.copied && !end->failed; i++) {
			if (sim->buf[i] == vtcp_sim_byte(peer, end->read + i))
				continue;
			KUNIT_FAIL(sim->test, "end %d: byte %llu is %#x, not %#x",
				   end->id, end->read + i, sim->buf[i],
				   vtcp_sim_byte(peer, end->read + i));
			end->failed = true;
		}
		end->read += r.copied;
		max -= r.copied;
		vtcp_recv_consumed(tcb, sim->now);
		if (!r.copied)
			break;
	}
	if (tcb->fin_received && !tcb->rcvq.ready_bytes)
		end->eof = true;
}

/* What an end's application does whenever something happened. */
static void vtcp_sim_app(struct vtcp_sim *sim, struct vtcp_sim_end *end)
{
	struct vtcp_tcb *tcb = &end->tcb;
	u32 rate = sim->p->read_bytes_per_ms;

	spin_lock_bh(&tcb->lock);
	tcb->events = 0;
	if (!rate) {
		vtcp_sim_read(sim, end, U64_MAX);
	} else if (sim->now >= end->next_read_ns && tcb->rcvq.ready_bytes) {
		vtcp_sim_read(sim, end, rate);
		end->next_read_ns = sim->now + NSEC_PER_MSEC;
	} else if (tcb->fin_received && !tcb->rcvq.ready_bytes) {
		end->eof = true;
	}
	if (vtcp_state_synchronized(tcb->state) && !end->closed)
		vtcp_sim_write(sim, end);
	if (end->eof && end->shut && !end->closed) {
		end->closed = true;
		vtcp_close(tcb, sim->now);
	}
	if (tcb->state == VTCP_CLOSED && !end->closed_ns)
		end->closed_ns = sim->now;
	spin_unlock_bh(&tcb->lock);
}

/* The earliest thing to happen, or U64_MAX. */
static u64 vtcp_sim_next(struct vtcp_sim *sim)
{
	u64 next = U64_MAX;
	int i;

	if (!list_empty(&sim->pkts))
		next = list_first_entry(&sim->pkts, struct vtcp_sim_pkt, node)->at;
	for (i = 0; i < 2; i++) {
		struct vtcp_sim_end *end = &sim->end[i];
		u64 d = vtcp_deadline_next(&end->tcb);

		if (d)
			next = min(next, d);
		if (sim->p->read_bytes_per_ms && end->tcb.rcvq.ready_bytes)
			next = min(next, max(end->next_read_ns, sim->now));
	}
	return next;
}

static void vtcp_sim_end_init(struct vtcp_sim *sim, int id)
{
	const struct vtcp_sim_params *p = sim->p;
	struct vtcp_sim_end *end = &sim->end[id];
	struct vtcp_cfg cfg;

	vtcp_cfg_default(&cfg);
	cfg.flags = p->cfg_flags;
	cfg.rcvbuf = p->rcvbuf;
	cfg.sndbuf = 1 << 20;
	if (p->cc)
		cfg.cc = vtcp_cc_find(p->cc);
	KUNIT_EXPECT_NOT_NULL(sim->test, cfg.cc);
	end->sim = sim;
	end->id = id;
	vtcp_tcb_init(&end->tcb, &vtcp_sim_ops, &cfg, p->mss, p->gso_max,
		      prandom_u32_state(&sim->rnd));
}

void vtcp_sim_run(struct kunit *test, const struct vtcp_sim_params *p,
		  struct vtcp_sim_result *res)
{
	struct vtcp_sim *sim = kunit_kzalloc(test, sizeof(*sim), GFP_KERNEL);
	struct vtcp_sim_pkt *pkt, *tmp;
	u32 iss[2];
	int i;

	KUNIT_ASSERT_NOT_NULL(test, sim);
	sim->buf = kunit_kmalloc(test, VTCP_SIM_READ_BUF, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, sim->buf);
	memset(res, 0, sizeof(*res));
	sim->test = test;
	sim->p = p;
	sim->res = res;
	INIT_LIST_HEAD(&sim->pkts);
	prandom_seed_state(&sim->rnd, p->seed);
	for (i = 0; i < 2; i++) {
		vtcp_sim_end_init(sim, i);
		iss[i] = p->iss[i] ?: prandom_u32_state(&sim->rnd);
	}

	spin_lock_bh(&sim->end[1].tcb.lock);
	vtcp_open_passive(&sim->end[1].tcb, iss[1]);
	spin_unlock_bh(&sim->end[1].tcb.lock);
	spin_lock_bh(&sim->end[0].tcb.lock);
	vtcp_connect(&sim->end[0].tcb, iss[0], sim->end[0].tcb.ts_offset,
		     sim->now);
	spin_unlock_bh(&sim->end[0].tcb.lock);

	while (sim->end[0].closed_ns == 0 || sim->end[1].closed_ns == 0 ||
	       !list_empty(&sim->pkts)) {
		u64 next = vtcp_sim_next(sim);

		if (next == U64_MAX || next > VTCP_SIM_MAX_NS) {
			KUNIT_FAIL(test, "stuck at %llu ms: states %u %u, read %llu %llu",
				   div_u64(sim->now, NSEC_PER_MSEC),
				   sim->end[0].tcb.state, sim->end[1].tcb.state,
				   sim->end[0].read, sim->end[1].read);
			break;
		}
		sim->now = max(sim->now, next);
		pkt = list_first_entry_or_null(&sim->pkts, struct vtcp_sim_pkt, node);
		if (pkt && pkt->at <= sim->now) {
			struct vtcp_tcb *tcb = &sim->end[pkt->to].tcb;

			list_del(&pkt->node);
			spin_lock_bh(&tcb->lock);
			vtcp_input(tcb, &pkt->seg, sim->now);
			spin_unlock_bh(&tcb->lock);
			vtcp_sim_pkt_free(pkt);
		} else {
			for (i = 0; i < 2; i++) {
				struct vtcp_tcb *tcb = &sim->end[i].tcb;
				u64 d = vtcp_deadline_next(tcb);

				if (!d || d > sim->now)
					continue;
				spin_lock_bh(&tcb->lock);
				vtcp_deadline_expire(tcb, sim->now);
				spin_unlock_bh(&tcb->lock);
			}
		}
		if (!res->open_ns && vtcp_state_synchronized(sim->end[0].tcb.state))
			res->open_ns = sim->now;
		for (i = 0; i < 2; i++)
			vtcp_sim_app(sim, &sim->end[i]);
		if (!res->done_ns && sim->end[0].eof && sim->end[1].eof)
			res->done_ns = sim->now;
	}
	res->closed_ns = sim->now;

	for (i = 0; i < 2; i++) {
		struct vtcp_sim_end *end = &sim->end[i];
		struct vtcp_tcb *tcb = &end->tcb;

		KUNIT_EXPECT_EQ_MSG(test, end->read, (u64)p->bytes[!i], "end %d read", i);
		KUNIT_EXPECT_TRUE_MSG(test, end->eof, "end %d saw no FIN", i);
		KUNIT_EXPECT_EQ_MSG(test, tcb->state, VTCP_CLOSED, "end %d", i);
		KUNIT_EXPECT_EQ_MSG(test, tcb->err, 0, "end %d", i);
		KUNIT_EXPECT_EQ_MSG(test, tcb->sndq.bytes, 0U, "end %d", i);
		KUNIT_EXPECT_TRUE_MSG(test, list_empty(&tcb->sndq.segs), "end %d", i);
		KUNIT_EXPECT_EQ_MSG(test, tcb->rcvq.mem, 0U, "end %d", i);
		KUNIT_EXPECT_TRUE_MSG(test, RB_EMPTY_ROOT(&tcb->rcvq.ooo), "end %d", i);
		res->retrans_segs += tcb->stats.retrans_segs;
		res->rto_expirations += tcb->stats.rto_expirations;
		res->fast_retrans += tcb->stats.fast_retrans;
		res->tlp_probes += tcb->stats.tlp_probes;
		res->undos += tcb->stats.undos;
		vtcp_tcb_destroy(tcb);
	}
	list_for_each_entry_safe(pkt, tmp, &sim->pkts, node) {
		list_del(&pkt->node);
		vtcp_sim_pkt_free(pkt);
	}
}
