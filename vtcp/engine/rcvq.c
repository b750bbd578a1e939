// SPDX-License-Identifier: GPL-2.0
/*
 * The receive queues, the SACK blocks they imply, and the reader's side.
 *
 * Payload stays in the skb the host sent, by reference, unless keeping that
 * skb would waste memory (a small payload in a large buffer): such payload
 * is copied into a compact skb of ours, which later small segments are
 * appended to. Every skb held is charged at its truesize to rcvq.mem, which
 * is bounded by vtcp_rcvq_mem_limit(): past it, out-of-order data is pruned
 * from the far end first, and what still does not fit is dropped (and the
 * caller counts it). Payload bytes are bounded by the window we advertise.
 *
 * Out-of-order data lives in an rbtree keyed by sequence number with no two
 * skbs overlapping: a new segment is trimmed against what is there, and
 * what it covers entirely is replaced.
 */

#include <kunit/visibility.h>
#include <linux/skbuff.h>

#include "compat.h"
#include "engine/rcvq.h"
#include "engine/tcb.h"
#include "engine/seq.h"

/* Payload this small in an skb this much larger is copied, not kept. */
#define VTCP_COMPACT_MIN	512

void vtcp_rcvq_init(struct vtcp_rcvq *q)
{
	memset(q, 0, sizeof(*q));
	__skb_queue_head_init(&q->ready);
	q->ooo = RB_ROOT;
}

/* Data given up is dropped under the core's reason for it (drop.h). */
static void vtcp_rcvq_ooo_free(struct vtcp_rcvq *q, struct sk_buff *skb,
			       enum skb_drop_reason why)
{
	rb_erase(&skb->rbnode, &q->ooo);
	q->ooo_bytes -= VTCP_SKB_CB(skb)->len;
	q->mem -= skb->truesize;
	kfree_skb_reason(skb, why);
}

/* Drop every out-of-order skb: nothing can fill the hole before them. */
void vtcp_rcvq_purge_ooo(struct vtcp_rcvq *q)
{
	struct sk_buff *skb;

	while ((skb = skb_rb_first(&q->ooo)))
		vtcp_rcvq_ooo_free(q, skb, SKB_DROP_REASON_TCP_CLOSE);
}

void vtcp_rcvq_purge(struct vtcp_rcvq *q)
{
	__skb_queue_purge_reason(&q->ready, SKB_DROP_REASON_TCP_CLOSE);
	vtcp_rcvq_purge_ooo(q);
	q->ready_bytes = 0;
	q->ooo_bytes = 0;
	q->mem = 0;
	q->gen++;
}

/*
 * Truesize the queues may hold: a full window with the overhead a kept skb
 * may carry (vtcp_rcvq_take() keeps one of up to 2 * len + a small skb's).
 */
u32 vtcp_rcvq_mem_limit(const struct vtcp_tcb *tcb)
{
	return max_t(u32, 3 * tcb->rcvbuf_auto, 256 * 1024);
}
EXPORT_SYMBOL_IF_KUNIT(vtcp_rcvq_mem_limit);

/*
 * An skb holding the payload [seq, seq + len) of @seg: @seg's own skb
 * (taken from it: seg->skb becomes NULL) or a compact copy.
 */
struct sk_buff *vtcp_rcvq_take(struct vtcp_seg *seg, u32 seq, u32 len)
{
	u32 off = seg->data_off + (seq - seg->seq);
	struct sk_buff *skb = seg->skb;
	struct vtcp_skb_cb *cb;

	if (skb->truesize > 2 * len + SKB_TRUESIZE(VTCP_COMPACT_MIN)) {
		skb = alloc_skb(max_t(u32, len, VTCP_COMPACT_MIN),
				VTCP_GFP_CONN);
		if (!skb)
			return NULL;
		if (skb_copy_bits(seg->skb, off, skb_put(skb, len), len)) {
			kfree_skb(skb);
			return NULL;
		}
		cb = VTCP_SKB_CB(skb);
		cb->off = 0;
		cb->compact = true;
	} else {
		seg->skb = NULL;
		cb = VTCP_SKB_CB(skb);
		cb->off = off;
		cb->compact = false;
	}
	cb->seq = seq;
	cb->end_seq = seq + len;
	cb->len = len;
	return skb;
}

/*
 * Drop out-of-order data from the far end, none starting below
 * @keep_below, until @need more bytes fit.
 */
static bool vtcp_rcvq_prune(struct vtcp_tcb *tcb, u32 need, u32 keep_below)
{
	u32 limit = vtcp_rcvq_mem_limit(tcb);
	struct vtcp_rcvq *q = &tcb->rcvq;
	struct rb_node *last;
	bool pruned = false;

	while (q->mem + need > limit && (last = rb_last(&q->ooo))) {
		struct sk_buff *skb = rb_to_skb(last);

		if (!vtcp_seq_geq(VTCP_SKB_CB(skb)->seq, keep_below))
			break;
		vtcp_rcvq_ooo_free(q, skb, SKB_DROP_REASON_TCP_OFO_QUEUE_PRUNE);
		pruned = true;
	}
	/* Blocks for what went are not reported; a D-SACK block stays. */
	if (pruned)
		vtcp_rcvq_sack_trim(tcb);
	return q->mem + need <= limit;
}

static u32 vtcp_rcvq_cost(const struct vtcp_seg *seg, u32 len)
{
	/* What vtcp_rcvq_take() will charge, at most. */
	return min_t(u32, seg->skb->truesize,
		     2 * len + SKB_TRUESIZE(VTCP_COMPACT_MIN));
}

/* Queue in-order payload [seq, seq + len) of @seg for the reader. */
int vtcp_rcvq_ready_add(struct vtcp_tcb *tcb, struct vtcp_seg *seg, u32 seq,
			u32 len)
{
	struct vtcp_rcvq *q = &tcb->rcvq;
	struct sk_buff *skb = skb_peek_tail(&q->ready);
	struct vtcp_skb_cb *cb;

	if (skb && VTCP_SKB_CB(skb)->compact && skb_tailroom(skb) >= len &&
	    !skb_cloned(skb)) {
		cb = VTCP_SKB_CB(skb);
		if (skb_copy_bits(seg->skb, seg->data_off + (seq - seg->seq),
				  skb_put(skb, len), len))
			return -EFAULT;
		cb->len += len;
		cb->end_seq += len;
		q->ready_bytes += len;
		return 0;
	}
	/* In-order data comes first: any out-of-order data may go for it. */
	if (!vtcp_rcvq_prune(tcb, vtcp_rcvq_cost(seg, len), seq))
		return -ENOMEM;
	skb = vtcp_rcvq_take(seg, seq, len);
	if (!skb)
		return -ENOMEM;
	__skb_queue_tail(&q->ready, skb);
	q->ready_bytes += len;
	q->mem += skb->truesize;
	return 0;
}

/* The out-of-order skb holding @seq, or NULL. */
static struct sk_buff *vtcp_rcvq_ooo_find(const struct vtcp_rcvq *q, u32 seq)
{
	struct rb_node *n = q->ooo.rb_node;
	struct sk_buff *found = NULL;

	/* The last skb starting at or before @seq... */
	while (n) {
		struct sk_buff *skb = rb_to_skb(n);

		if (vtcp_seq_leq(VTCP_SKB_CB(skb)->seq, seq)) {
			found = skb;
			n = n->rb_right;
		} else {
			n = n->rb_left;
		}
	}
	/* ...if it reaches @seq. */
	if (found && vtcp_seq_gt(VTCP_SKB_CB(found)->end_seq, seq))
		return found;
	return NULL;
}

/* Is [seq, end) already held out of order, in one skb or adjacent ones? */
bool vtcp_rcvq_ooo_covers(const struct vtcp_rcvq *q, u32 seq, u32 end)
{
	struct sk_buff *skb = vtcp_rcvq_ooo_find(q, seq);

	while (skb) {
		u32 skb_end = VTCP_SKB_CB(skb)->end_seq;

		if (vtcp_seq_geq(skb_end, end))
			return true;
		skb = skb_rb_next(skb);
		if (skb && VTCP_SKB_CB(skb)->seq != skb_end)
			return false;
	}
	return false;
}

/* The contiguous run of out-of-order data around @skb. */
static void vtcp_rcvq_run(struct sk_buff *skb, u32 *start, u32 *end)
{
	struct sk_buff *p, *n;

	*start = VTCP_SKB_CB(skb)->seq;
	*end = VTCP_SKB_CB(skb)->end_seq;
	for (p = skb_rb_prev(skb); p && VTCP_SKB_CB(p)->end_seq == *start;
	     p = skb_rb_prev(p))
		*start = VTCP_SKB_CB(p)->seq;
	for (n = skb_rb_next(skb); n && VTCP_SKB_CB(n)->seq == *end;
	     n = skb_rb_next(n))
		*end = VTCP_SKB_CB(n)->end_seq;
}

/*
 * Queue payload [seq, seq + len) of @seg, which lies beyond a hole. Returns
 * 0, -EEXIST when every byte of it is already held (a duplicate), or
 * -ENOMEM when it does not fit.
 */
int vtcp_rcvq_ooo_add(struct vtcp_tcb *tcb, struct vtcp_seg *seg, u32 seq,
		      u32 len)
{
	struct sk_buff *prev = NULL, *next, *skb;
	u32 end = seq + len, run_start, run_end;
	struct vtcp_rcvq *q = &tcb->rcvq;
	struct rb_node **link, *parent;

	/* The last skb starting at or before seq. */
	for (parent = q->ooo.rb_node; parent;) {
		skb = rb_to_skb(parent);
		if (vtcp_seq_leq(VTCP_SKB_CB(skb)->seq, seq)) {
			prev = skb;
			parent = parent->rb_right;
		} else {
			parent = parent->rb_left;
		}
	}
	if (prev) {
		if (vtcp_seq_geq(VTCP_SKB_CB(prev)->end_seq, end))
			return -EEXIST;
		if (vtcp_seq_gt(VTCP_SKB_CB(prev)->end_seq, seq))
			seq = VTCP_SKB_CB(prev)->end_seq;
	}
	/* The new data replaces what it covers, stops at what reaches past. */
	for (next = prev ? skb_rb_next(prev) : skb_rb_first(&q->ooo);
	     next && vtcp_seq_lt(VTCP_SKB_CB(next)->seq, end);
	     next = skb_rb_next(next)) {
		if (vtcp_seq_gt(VTCP_SKB_CB(next)->end_seq, end)) {
			end = VTCP_SKB_CB(next)->seq;
			break;
		}
	}
	if (!vtcp_seq_lt(seq, end))
		return -EEXIST;
	/* Pruning spares prev and what is replaced: all start below end. */
	if (!vtcp_rcvq_prune(tcb, vtcp_rcvq_cost(seg, end - seq), end))
		return -ENOMEM;
	skb = vtcp_rcvq_take(seg, seq, end - seq);
	if (!skb)
		return -ENOMEM;
	/* Only now, with the new data in hand, let the old copies go. */
	next = prev ? skb_rb_next(prev) : skb_rb_first(&q->ooo);
	while (next && vtcp_seq_lt(VTCP_SKB_CB(next)->seq, end)) {
		struct sk_buff *tmp = skb_rb_next(next);

		vtcp_rcvq_ooo_free(q, next, SKB_DROP_REASON_TCP_OFOMERGE);
		next = tmp;
	}

	link = &q->ooo.rb_node;
	parent = NULL;
	while (*link) {
		parent = *link;
		if (vtcp_seq_lt(seq, VTCP_SKB_CB(rb_to_skb(parent))->seq))
			link = &parent->rb_left;
		else
			link = &parent->rb_right;
	}
	rb_link_node(&skb->rbnode, parent, link);
	rb_insert_color(&skb->rbnode, &q->ooo);
	q->ooo_bytes += end - seq;
	q->mem += skb->truesize;

	vtcp_rcvq_run(skb, &run_start, &run_end);
	vtcp_rcvq_sack_update(tcb, run_start, run_end);
	return 0;
}

/*
 * Move what @rcv_nxt now reaches from the out-of-order tree to the ready
 * queue; returns the new rcv_nxt.
 */
u32 vtcp_rcvq_ooo_advance(struct vtcp_tcb *tcb, u32 rcv_nxt)
{
	struct vtcp_rcvq *q = &tcb->rcvq;
	struct sk_buff *skb;

	while ((skb = skb_rb_first(&q->ooo)) &&
	       vtcp_seq_leq(VTCP_SKB_CB(skb)->seq, rcv_nxt)) {
		struct vtcp_skb_cb *cb = VTCP_SKB_CB(skb);
		u32 skip;

		if (vtcp_seq_leq(cb->end_seq, rcv_nxt)) {
			vtcp_rcvq_ooo_free(q, skb, SKB_DROP_REASON_TCP_OFO_DROP);
			continue;
		}
		rb_erase(&skb->rbnode, &q->ooo);
		q->ooo_bytes -= cb->len;
		skip = rcv_nxt - cb->seq;
		cb->off += skip;
		cb->len -= skip;
		cb->seq = rcv_nxt;
		/* Out-of-order skbs never take appends: they are not last. */
		cb->compact = false;
		__skb_queue_tail(&q->ready, skb);
		q->ready_bytes += cb->len;
		rcv_nxt = cb->end_seq;
	}
	return rcv_nxt;
}

/*
 * RFC 2018 4: the first block reports the most recently received data, the
 * others the most recently reported blocks. @seq, @end is the out-of-order
 * run that just grew.
 */
void vtcp_rcvq_sack_update(struct vtcp_tcb *tcb, u32 seq, u32 end)
{
	struct vtcp_sack_block blocks[VTCP_MAX_SACK_BLOCKS];
	int i, n = 0;

	if (!tcb->sack_ok)
		return;
	blocks[n].start = seq;
	blocks[n++].end = end;
	for (i = tcb->dsack; i < tcb->nsack && n < VTCP_MAX_SACK_BLOCKS; i++) {
		const struct vtcp_sack_block *b = &tcb->sack[i];

		/* Blocks the run swallowed are not reported again. */
		if (vtcp_seq_geq(b->start, seq) && vtcp_seq_leq(b->end, end))
			continue;
		blocks[n++] = *b;
	}
	memcpy(tcb->sack, blocks, n * sizeof(blocks[0]));
	tcb->nsack = n;
	tcb->dsack = 0;
}

/*
 * Report [seq, end) as received twice, once, first (RFC 2883); then, if
 * it lies in data held out of order, the block holding it (RFC 2883
 * 4.1.2), then the others most recent first.
 */
void vtcp_rcvq_sack_dsack(struct vtcp_tcb *tcb, u32 seq, u32 end)
{
	struct vtcp_sack_block blocks[VTCP_MAX_SACK_BLOCKS];
	u32 run_start = 0, run_end = 0;
	struct sk_buff *skb;
	int i, n = 0;

	if (!tcb->sack_ok)
		return;
	blocks[n].start = seq;
	blocks[n++].end = end;
	skb = vtcp_rcvq_ooo_find(&tcb->rcvq, seq);
	if (skb) {
		vtcp_rcvq_run(skb, &run_start, &run_end);
		blocks[n].start = run_start;
		blocks[n++].end = run_end;
	}
	for (i = tcb->dsack; i < tcb->nsack && n < VTCP_MAX_SACK_BLOCKS; i++) {
		const struct vtcp_sack_block *b = &tcb->sack[i];

		if (skb && vtcp_seq_geq(b->start, run_start) &&
		    vtcp_seq_leq(b->end, run_end))
			continue;
		blocks[n++] = *b;
	}
	memcpy(tcb->sack, blocks, n * sizeof(blocks[0]));
	tcb->nsack = n;
	tcb->dsack = 1;
}

/* Forget blocks that rcv_nxt has reached. */
void vtcp_rcvq_sack_trim(struct vtcp_tcb *tcb)
{
	int i, n = 0;

	for (i = 0; i < tcb->nsack; i++) {
		if (i == 0 && tcb->dsack) {
			tcb->sack[n++] = tcb->sack[i];
			continue;
		}
		if (vtcp_seq_leq(tcb->sack[i].end, tcb->rcv_nxt) ||
		    !vtcp_rcvq_ooo_covers(&tcb->rcvq, tcb->sack[i].start,
					  tcb->sack[i].end))
			continue;
		tcb->sack[n++] = tcb->sack[i];
	}
	tcb->nsack = n;
}

void vtcp_rcvq_detach(struct vtcp_rcvq *q, struct vtcp_rcvq_reader *r)
{
	__skb_queue_head_init(&r->skbs);
	skb_queue_splice_init(&q->ready, &r->skbs);
	r->gen = q->gen;
	r->copied = 0;
	r->consumed = 0;
	r->freed_mem = 0;
}
EXPORT_SYMBOL_IF_KUNIT(vtcp_rcvq_detach);

/* Take @n bytes, which the caller has copied or lent, off the front of @skb. */
void vtcp_rcvq_consume(struct vtcp_rcvq_reader *r, struct sk_buff *skb, u32 n)
{
	struct vtcp_skb_cb *cb = VTCP_SKB_CB(skb);

	r->consumed += n;
	cb->off += n;
	cb->seq += n;
	cb->len -= n;
	if (!cb->len) {
		__skb_unlink(skb, &r->skbs);
		r->freed_mem += skb->truesize;
		consume_skb(skb);
	}
}
EXPORT_SYMBOL_IF_KUNIT(vtcp_rcvq_consume);

/*
 * Copy up to @len bytes to @to, consuming them unless @peek. Returns 0, or
 * -EFAULT if nothing could be copied.
 */
int vtcp_rcvq_copy(struct vtcp_rcvq_reader *r, struct iov_iter *to, u32 len,
		   bool peek)
{
	struct sk_buff *skb, *tmp;

	skb_queue_walk_safe(&r->skbs, skb, tmp) {
		struct vtcp_skb_cb *cb = VTCP_SKB_CB(skb);
		u32 n = min(cb->len, len - r->copied);

		if (!n)
			break;
		if (skb_copy_datagram_iter(skb, cb->off, to, n))
			return r->copied ? 0 : -EFAULT;
		r->copied += n;
		if (!peek)
			vtcp_rcvq_consume(r, skb, n);
	}
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(vtcp_rcvq_copy);

/* Give back what the reader did not consume, ahead of what came since. */
void vtcp_rcvq_attach(struct vtcp_rcvq *q, struct vtcp_rcvq_reader *r)
{
	if (r->gen != q->gen) {
		/* Purged (reset, abort) while the reader copied. */
		__skb_queue_purge_reason(&r->skbs, SKB_DROP_REASON_TCP_CLOSE);
		return;
	}
	q->ready_bytes -= r->consumed;
	q->mem -= r->freed_mem;
	skb_queue_splice(&r->skbs, &q->ready);
}
EXPORT_SYMBOL_IF_KUNIT(vtcp_rcvq_attach);
