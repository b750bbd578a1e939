/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _VTCP_SNDQ_H
#define _VTCP_SNDQ_H

#include <linux/list.h>
#include <linux/rbtree.h>
#include <linux/slab.h>
#include <linux/types.h>

struct page;

/*
 * What the engine allocates for a connection, under its lock: charged to
 * the memory cgroup the caller made active (net/conn.c), and failing at
 * its limit rather than forced past it as GFP_ATOMIC's __GFP_HIGH would be.
 */
#define VTCP_GFP_CONN	(GFP_NOWAIT | __GFP_NOWARN | __GFP_ACCOUNT)

/*
 * An in-flight transmission: one (GSO) segment covering [seq, end). Every
 * record is in the sequence-ordered list and tree; the ones still in the
 * network (neither SACKed nor marked lost and waiting to be resent) are
 * also in the send-time ordered list that RACK walks.
 */
struct vtcp_txseg {
	struct list_head node;		/* by sequence number */
	struct list_head tsorted;	/* in flight, by send time */
	struct rb_node rb;		/* by sequence number */
	u64 xmit_ns;		/* time of the latest (re)transmission */
	u32 seq;
	u32 end;
	u16 flags;		/* VTCP_TXSEG_* */
	u8 xmits;		/* times sent */
};

enum {
	VTCP_TXSEG_SYN		= BIT(0),
	VTCP_TXSEG_FIN		= BIT(1),
	VTCP_TXSEG_SACKED	= BIT(2),
	VTCP_TXSEG_LOST		= BIT(3),	/* lost, not yet resent */
	VTCP_TXSEG_RETRANS	= BIT(4),	/* resent, copy in flight */
	VTCP_TXSEG_EVER_RETRANS	= BIT(5),	/* Karn: no RTT sample */
};

/* A piece of the send queue: bytes in a page (fragment) it holds a ref on. */
struct vtcp_chunk {
	struct page *page;
	u32 off;
	u32 len;
};

/*
 * The send queue: the bytes not yet acknowledged, as a ring of page
 * fragments filled by the writer, and the records of what is in flight.
 * The first buffered byte has sequence number @seq; records cover
 * [snd_una, snd_nxt).
 */
struct vtcp_sndq {
	struct vtcp_chunk *ring;
	u32 ring_size;		/* slots, a power of two */
	u32 head;		/* index of the first chunk */
	u32 nr;			/* chunks in use */
	u32 bytes;		/* bytes buffered */
	u32 seq;		/* sequence number of the first buffered byte */
	struct list_head segs;	/* struct vtcp_txseg, oldest first */
	struct rb_root tree;	/* the same records, for lookups by seq */
	struct list_head tsorted;	/* in flight, oldest send first */
	/* Scoreboard totals over segs, in sequence space units. */
	u32 sacked;
	u32 lost;
	u32 retrans;
	u32 nr_sacked;		/* records SACKed */
	/* No record below this is lost and waiting to be resent. */
	u32 lost_hint;
	/* RFC 6675 IsLost(): every hole below this is marked lost. */
	u32 lost_scan;
	/*
	 * What the records cost, which a peer's SACK blocks drive
	 * (VTCP_IOC_INFO): records now and at most, and records visited
	 * since the latest ACK came in and at most for one ACK.
	 */
	u32 nr_records;
	u32 nr_records_max;
	u32 walked;
	u32 walked_max;
};

int vtcp_sndq_init(void);
void vtcp_sndq_uninit(void);

void vtcp_sndq_setup(struct vtcp_sndq *q, u32 seq);
void vtcp_sndq_purge(struct vtcp_sndq *q);
int vtcp_sndq_append(struct vtcp_sndq *q, struct page *page, u32 off, u32 len);
void vtcp_sndq_release(struct vtcp_sndq *q, u32 seq);
u32 vtcp_sndq_span(const struct vtcp_sndq *q, u32 seq, u32 len,
		   unsigned int max_pieces);
int vtcp_sndq_for_each(const struct vtcp_sndq *q, u32 seq, u32 len,
		       int (*fn)(void *arg, struct page *page, u32 off,
				 u32 len),
		       void *arg);
void vtcp_sndq_copy(const struct vtcp_sndq *q, u32 seq, u32 len, u8 *dst);

/* Sequence number just past the last buffered byte. */
static inline u32 vtcp_sndq_end(const struct vtcp_sndq *q)
{
	return q->seq + q->bytes;
}

struct vtcp_txseg *vtcp_txseg_add(struct vtcp_sndq *q, u32 seq, u32 end,
				  u16 flags, u64 now);
struct vtcp_txseg *vtcp_txseg_split(struct vtcp_sndq *q,
				    struct vtcp_txseg *seg, u32 at);
void vtcp_txseg_trim(struct vtcp_sndq *q, struct vtcp_txseg *seg, u32 at);
void vtcp_txseg_free(struct vtcp_sndq *q, struct vtcp_txseg *seg);
void vtcp_txseg_mark(struct vtcp_sndq *q, struct vtcp_txseg *seg, u16 flag);
void vtcp_txseg_unmark(struct vtcp_sndq *q, struct vtcp_txseg *seg, u16 flag);
void vtcp_txseg_sent(struct vtcp_sndq *q, struct vtcp_txseg *seg, u64 now);
struct vtcp_txseg *vtcp_txseg_find(const struct vtcp_sndq *q, u32 seq);
struct vtcp_txseg *vtcp_txseg_find_after(const struct vtcp_sndq *q, u32 seq);
struct vtcp_txseg *vtcp_txseg_next_lost(struct vtcp_sndq *q);

#define vtcp_txseg_for_each(seg, q) list_for_each_entry(seg, &(q)->segs, node)

static inline struct vtcp_txseg *vtcp_txseg_first(struct vtcp_sndq *q)
{
	return list_first_entry_or_null(&q->segs, struct vtcp_txseg, node);
}

static inline struct vtcp_txseg *vtcp_txseg_last(struct vtcp_sndq *q)
{
	return list_empty(&q->segs) ? NULL :
	       list_last_entry(&q->segs, struct vtcp_txseg, node);
}

/* The record after @seg in sequence order, or NULL. */
static inline struct vtcp_txseg *vtcp_txseg_next(struct vtcp_sndq *q,
						 struct vtcp_txseg *seg)
{
	return list_is_last(&seg->node, &q->segs) ? NULL :
	       list_next_entry(seg, node);
}

static inline struct vtcp_txseg *vtcp_txseg_prev(struct vtcp_sndq *q,
						 struct vtcp_txseg *seg)
{
	return list_is_first(&seg->node, &q->segs) ? NULL :
	       list_prev_entry(seg, node);
}

/* A walk over the records visits one more. */
static inline void vtcp_sndq_walked(struct vtcp_sndq *q)
{
	if (++q->walked > q->walked_max)
		q->walked_max = q->walked;
}

static inline u32 vtcp_txseg_len(const struct vtcp_txseg *seg)
{
	return seg->end - seg->seq;
}

#endif /* _VTCP_SNDQ_H */
