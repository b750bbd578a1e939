/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _VTCP_SNDQ_H
#define _VTCP_SNDQ_H

#include "engine/tcb.h"

int vtcp_sndq_init(void);
void vtcp_sndq_uninit(void);

void vtcp_sndq_setup(struct vtcp_sndq *q, u32 seq);
void vtcp_sndq_purge(struct vtcp_sndq *q);
int vtcp_sndq_append(struct vtcp_sndq *q, struct page *page, u32 off, u32 len);
void vtcp_sndq_release(struct vtcp_sndq *q, u32 seq);
u32 vtcp_sndq_span(const struct vtcp_sndq *q, u32 seq, u32 len,
		   unsigned int max_pieces);
int vtcp_sndq_for_each(const struct vtcp_sndq *q, u32 seq, u32 len,
		       int (*fn)(void *arg, struct page *page, u32 off, u32 len),
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

static inline u32 vtcp_txseg_len(const struct vtcp_txseg *seg)
{
	return seg->end - seg->seq;
}

#endif /* _VTCP_SNDQ_H */
