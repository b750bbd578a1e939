// SPDX-License-Identifier: GPL-2.0
/*
 * The send queue.
 *
 * Bytes: the writer copies user data into page fragments it owns (the
 * task's page_frag, as Linux TCP does) and appends them here; the queue
 * holds a page reference per chunk and drops it once the peer acknowledges
 * the bytes. Segments leave with references to these pages, never copies,
 * and a retransmission takes new references to the same bytes. An empty
 * queue holds no memory at all, so an idle connection costs nothing here.
 *
 * Records: one struct vtcp_txseg per transmitted (GSO) segment, oldest
 * first, carrying what loss recovery needs: send time, SACKed, lost,
 * retransmitted. The queue keeps the scoreboard totals over them. The
 * records are also in an rbtree by sequence number, so that a SACK block
 * finds its place in O(log n), and those still in the network in a list by
 * send time, which RACK walks from the oldest (as Linux's tsorted queue).
 */

#include <kunit/visibility.h>
#include <linux/highmem.h>
#include <linux/mm.h>
#include <linux/slab.h>

#include "engine/seq.h"
#include "engine/sndq.h"

static struct kmem_cache *vtcp_txseg_cache;

int vtcp_sndq_init(void)
{
	vtcp_txseg_cache = KMEM_CACHE(vtcp_txseg, SLAB_ACCOUNT);
	return vtcp_txseg_cache ? 0 : -ENOMEM;
}

void vtcp_sndq_uninit(void)
{
	kmem_cache_destroy(vtcp_txseg_cache);
}

void vtcp_sndq_setup(struct vtcp_sndq *q, u32 seq)
{
	memset(q, 0, sizeof(*q));
	q->seq = seq;
	q->lost_hint = seq;
	q->lost_scan = seq;
	INIT_LIST_HEAD(&q->segs);
	INIT_LIST_HEAD(&q->tsorted);
	q->tree = RB_ROOT;
}
EXPORT_SYMBOL_IF_KUNIT(vtcp_sndq_setup);

static struct vtcp_chunk *vtcp_chunk_at(const struct vtcp_sndq *q, u32 i)
{
	return &q->ring[(q->head + i) & (q->ring_size - 1)];
}

static int vtcp_sndq_grow(struct vtcp_sndq *q)
{
	u32 size = q->ring_size ? q->ring_size * 2 : 8;
	struct vtcp_chunk *ring;
	u32 i;

	ring = kmalloc_array(size, sizeof(*ring), VTCP_GFP_CONN);
	if (!ring)
		return -ENOMEM;
	for (i = 0; i < q->nr; i++)
		ring[i] = *vtcp_chunk_at(q, i);
	kfree(q->ring);
	q->ring = ring;
	q->ring_size = size;
	q->head = 0;
	return 0;
}

/* Append @len bytes at @off in @page; takes its own reference. */
int vtcp_sndq_append(struct vtcp_sndq *q, struct page *page, u32 off, u32 len)
{
	struct vtcp_chunk *c;

	if (!len)
		return 0;
	if (q->nr) {
		c = vtcp_chunk_at(q, q->nr - 1);
		if (c->page == page && c->off + c->len == off) {
			c->len += len;
			q->bytes += len;
			return 0;
		}
	}
	if (q->nr == q->ring_size && vtcp_sndq_grow(q))
		return -ENOMEM;
	c = vtcp_chunk_at(q, q->nr++);
	get_page(page);
	c->page = page;
	c->off = off;
	c->len = len;
	q->bytes += len;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(vtcp_sndq_append);

/* Forget the bytes before @seq: the peer has them. */
void vtcp_sndq_release(struct vtcp_sndq *q, u32 seq)
{
	u32 n;

	if (!vtcp_seq_gt(seq, q->seq))
		return;
	n = min(seq - q->seq, q->bytes);
	q->seq += n;
	q->bytes -= n;
	while (n) {
		struct vtcp_chunk *c = vtcp_chunk_at(q, 0);

		if (c->len > n) {
			c->off += n;
			c->len -= n;
			break;
		}
		n -= c->len;
		put_page(c->page);
		q->head = (q->head + 1) & (q->ring_size - 1);
		q->nr--;
	}
	if (!q->nr) {
		kfree(q->ring);
		q->ring = NULL;
		q->ring_size = 0;
		q->head = 0;
	}
}
EXPORT_SYMBOL_IF_KUNIT(vtcp_sndq_release);

/* Index of the chunk holding @seq, and the offset of @seq in it. */
static u32 vtcp_sndq_find(const struct vtcp_sndq *q, u32 seq, u32 *off)
{
	u32 i, o = seq - q->seq;

	for (i = 0; i < q->nr; i++) {
		const struct vtcp_chunk *c = vtcp_chunk_at(q, i);

		if (o < c->len)
			break;
		o -= c->len;
	}
	*off = o;
	return i;
}

/* How much of [seq, seq + len) lies in at most @max_pieces chunks. */
u32 vtcp_sndq_span(const struct vtcp_sndq *q, u32 seq, u32 len,
		   unsigned int max_pieces)
{
	u32 off, i, got = 0;

	for (i = vtcp_sndq_find(q, seq, &off); i < q->nr && max_pieces;
	     i++, max_pieces--) {
		got += vtcp_chunk_at(q, i)->len - off;
		if (got >= len)
			return len;
		off = 0;
	}
	return got;
}
EXPORT_SYMBOL_IF_KUNIT(vtcp_sndq_span);

/* Call @fn for each piece of [seq, seq + len), which must be buffered. */
int vtcp_sndq_for_each(const struct vtcp_sndq *q, u32 seq, u32 len,
		       int (*fn)(void *arg, struct page *page, u32 off,
				 u32 len),
		       void *arg)
{
	u32 off, i;
	int ret;

	if (WARN_ON_ONCE(vtcp_seq_lt(seq, q->seq) ||
			 vtcp_seq_gt(seq + len, vtcp_sndq_end(q))))
		return -EINVAL;
	for (i = vtcp_sndq_find(q, seq, &off); len; i++) {
		const struct vtcp_chunk *c = vtcp_chunk_at(q, i);
		u32 n = min(len, c->len - off);

		ret = fn(arg, c->page, c->off + off, n);
		if (ret)
			return ret;
		len -= n;
		off = 0;
	}
	return 0;
}

static int vtcp_sndq_copy_piece(void *arg, struct page *page, u32 off, u32 len)
{
	u8 **dst = arg;

	/* Chunks may sit in compound pages: copy one base page at a time. */
	while (len) {
		u32 n = min_t(u32, len, PAGE_SIZE - offset_in_page(off));

		memcpy_from_page(*dst, nth_page(page, off >> PAGE_SHIFT),
				 offset_in_page(off), n);
		*dst += n;
		off += n;
		len -= n;
	}
	return 0;
}

/* Copy the buffered bytes [seq, seq + len) to @dst. */
void vtcp_sndq_copy(const struct vtcp_sndq *q, u32 seq, u32 len, u8 *dst)
{
	vtcp_sndq_for_each(q, seq, len, vtcp_sndq_copy_piece, &dst);
}
EXPORT_SYMBOL_IF_KUNIT(vtcp_sndq_copy);

static u32 *vtcp_txseg_total(struct vtcp_sndq *q, u16 flag)
{
	switch (flag) {
	case VTCP_TXSEG_SACKED:
		return &q->sacked;
	case VTCP_TXSEG_LOST:
		return &q->lost;
	case VTCP_TXSEG_RETRANS:
		return &q->retrans;
	}
	return NULL;
}

/*
 * A record is in the network unless it is SACKed or marked lost and not
 * resent since; only those stay on the send-time list. A record leaves the
 * list here; it joins it again (at the tail) only when it is resent.
 */
static void vtcp_txseg_update(struct vtcp_sndq *q, struct vtcp_txseg *seg)
{
	u16 f = seg->flags;

	if ((f & VTCP_TXSEG_SACKED) ||
	    (f & (VTCP_TXSEG_LOST | VTCP_TXSEG_RETRANS)) == VTCP_TXSEG_LOST)
		list_del_init(&seg->tsorted);
	if ((f & (VTCP_TXSEG_LOST | VTCP_TXSEG_RETRANS | VTCP_TXSEG_SACKED)) ==
	    VTCP_TXSEG_LOST && vtcp_seq_lt(seg->seq, q->lost_hint))
		q->lost_hint = seg->seq;
}

/* Set a scoreboard flag on @seg, keeping the queue's totals. */
void vtcp_txseg_mark(struct vtcp_sndq *q, struct vtcp_txseg *seg, u16 flag)
{
	u32 *total = vtcp_txseg_total(q, flag);

	if (seg->flags & flag)
		return;
	seg->flags |= flag;
	if (total)
		*total += vtcp_txseg_len(seg);
	if (flag == VTCP_TXSEG_SACKED)
		q->nr_sacked++;
	vtcp_txseg_update(q, seg);
}
EXPORT_SYMBOL_IF_KUNIT(vtcp_txseg_mark);

void vtcp_txseg_unmark(struct vtcp_sndq *q, struct vtcp_txseg *seg, u16 flag)
{
	u32 *total = vtcp_txseg_total(q, flag);

	if (!(seg->flags & flag))
		return;
	seg->flags &= ~flag;
	if (total)
		*total -= vtcp_txseg_len(seg);
	if (flag == VTCP_TXSEG_SACKED)
		q->nr_sacked--;
	vtcp_txseg_update(q, seg);
}
EXPORT_SYMBOL_IF_KUNIT(vtcp_txseg_unmark);

/* @seg was (re)sent at @now: it is the newest in the network. */
void vtcp_txseg_sent(struct vtcp_sndq *q, struct vtcp_txseg *seg, u64 now)
{
	seg->xmit_ns = now;
	list_move_tail(&seg->tsorted, &q->tsorted);
}

/* The record holding @seq, or NULL. */
struct vtcp_txseg *vtcp_txseg_find(const struct vtcp_sndq *q, u32 seq)
{
	struct rb_node *n = q->tree.rb_node;

	while (n) {
		struct vtcp_txseg *seg = rb_entry(n, struct vtcp_txseg, rb);

		if (vtcp_seq_lt(seq, seg->seq))
			n = n->rb_left;
		else if (vtcp_seq_geq(seq, seg->end))
			n = n->rb_right;
		else
			return seg;
	}
	return NULL;
}
EXPORT_SYMBOL_IF_KUNIT(vtcp_txseg_find);

/* The first record ending after @seq (holding it, or the next), or NULL. */
struct vtcp_txseg *vtcp_txseg_find_after(const struct vtcp_sndq *q, u32 seq)
{
	struct rb_node *n = q->tree.rb_node;
	struct vtcp_txseg *found = NULL;

	while (n) {
		struct vtcp_txseg *seg = rb_entry(n, struct vtcp_txseg, rb);

		if (vtcp_seq_gt(seg->end, seq)) {
			found = seg;
			n = n->rb_left;
		} else {
			n = n->rb_right;
		}
	}
	return found;
}
EXPORT_SYMBOL_IF_KUNIT(vtcp_txseg_find_after);

/*
 * NextSeg rule 1 (RFC 6675 4): the first record marked lost, not resent
 * and not SACKed, or NULL. sndq.lost_hint moves past what was looked at, so
 * a walk covers each record about once however often it is asked.
 */
struct vtcp_txseg *vtcp_txseg_next_lost(struct vtcp_sndq *q)
{
	struct vtcp_txseg *seg;

	if (!q->lost)
		return NULL;
	for (seg = vtcp_txseg_find_after(q, q->lost_hint); seg;
	     seg = vtcp_txseg_next(q, seg)) {
		vtcp_sndq_walked(q);
		if ((seg->flags & (VTCP_TXSEG_LOST | VTCP_TXSEG_RETRANS |
				   VTCP_TXSEG_SACKED)) == VTCP_TXSEG_LOST) {
			q->lost_hint = seg->seq;
			return seg;
		}
		q->lost_hint = seg->end;
	}
	return NULL;
}
EXPORT_SYMBOL_IF_KUNIT(vtcp_txseg_next_lost);

/* Link @seg into the tree, which holds no record overlapping it. */
static void vtcp_txseg_insert(struct vtcp_sndq *q, struct vtcp_txseg *seg)
{
	struct rb_node **link = &q->tree.rb_node, *parent = NULL;

	if (++q->nr_records > q->nr_records_max)
		q->nr_records_max = q->nr_records;

	while (*link) {
		struct vtcp_txseg *p;

		parent = *link;
		p = rb_entry(parent, struct vtcp_txseg, rb);
		if (vtcp_seq_lt(seg->seq, p->seq))
			link = &parent->rb_left;
		else
			link = &parent->rb_right;
	}
	rb_link_node(&seg->rb, parent, link);
	rb_insert_color(&seg->rb, &q->tree);
}

/* The peer acknowledged [seq, at) of @seg: keep only the rest. */
void vtcp_txseg_trim(struct vtcp_sndq *q, struct vtcp_txseg *seg, u32 at)
{
	u32 cut = at - seg->seq;

	if (seg->flags & VTCP_TXSEG_SACKED)
		q->sacked -= cut;
	if (seg->flags & VTCP_TXSEG_LOST)
		q->lost -= cut;
	if (seg->flags & VTCP_TXSEG_RETRANS)
		q->retrans -= cut;
	seg->seq = at;
	seg->flags &= ~VTCP_TXSEG_SYN;
}

struct vtcp_txseg *vtcp_txseg_add(struct vtcp_sndq *q, u32 seq, u32 end,
				  u16 flags, u64 now)
{
	struct vtcp_txseg *seg;

	seg = kmem_cache_zalloc(vtcp_txseg_cache, VTCP_GFP_CONN);
	if (!seg)
		return NULL;
	seg->seq = seq;
	seg->end = end;
	seg->flags = flags & (VTCP_TXSEG_SYN | VTCP_TXSEG_FIN);
	seg->xmit_ns = now;
	seg->xmits = 1;
	list_add_tail(&seg->node, &q->segs);
	list_add_tail(&seg->tsorted, &q->tsorted);
	vtcp_txseg_insert(q, seg);
	return seg;
}
EXPORT_SYMBOL_IF_KUNIT(vtcp_txseg_add);

/*
 * Split @seg at @at into [seq, at) and [at, end); returns the second half,
 * or NULL when memory is short (then nothing changed).
 */
struct vtcp_txseg *vtcp_txseg_split(struct vtcp_sndq *q,
				    struct vtcp_txseg *seg, u32 at)
{
	struct vtcp_txseg *tail;

	if (WARN_ON_ONCE(!vtcp_seq_in(at, seg->seq + 1, seg->end)))
		return NULL;
	tail = kmem_cache_alloc(vtcp_txseg_cache, VTCP_GFP_CONN);
	if (!tail)
		return NULL;
	*tail = *seg;
	tail->seq = at;
	tail->flags &= ~VTCP_TXSEG_SYN;
	seg->end = at;
	seg->flags &= ~VTCP_TXSEG_FIN;
	list_add(&tail->node, &seg->node);
	/* Sent with @seg: right after it in send order, if in the network. */
	if (list_empty(&seg->tsorted))
		INIT_LIST_HEAD(&tail->tsorted);
	else
		list_add(&tail->tsorted, &seg->tsorted);
	if (seg->flags & VTCP_TXSEG_SACKED)
		q->nr_sacked++;
	vtcp_txseg_insert(q, tail);
	return tail;
}
EXPORT_SYMBOL_IF_KUNIT(vtcp_txseg_split);

void vtcp_txseg_free(struct vtcp_sndq *q, struct vtcp_txseg *seg)
{
	vtcp_txseg_unmark(q, seg, VTCP_TXSEG_SACKED);
	vtcp_txseg_unmark(q, seg, VTCP_TXSEG_LOST);
	vtcp_txseg_unmark(q, seg, VTCP_TXSEG_RETRANS);
	list_del(&seg->node);
	list_del(&seg->tsorted);
	rb_erase(&seg->rb, &q->tree);
	q->nr_records--;
	kmem_cache_free(vtcp_txseg_cache, seg);
}
EXPORT_SYMBOL_IF_KUNIT(vtcp_txseg_free);

void vtcp_sndq_purge(struct vtcp_sndq *q)
{
	struct vtcp_txseg *seg, *tmp;

	list_for_each_entry_safe(seg, tmp, &q->segs, node)
		vtcp_txseg_free(q, seg);
	vtcp_sndq_release(q, vtcp_sndq_end(q));
}
EXPORT_SYMBOL_IF_KUNIT(vtcp_sndq_purge);
