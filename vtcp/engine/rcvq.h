/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _VTCP_RCVQ_H
#define _VTCP_RCVQ_H

#include <linux/rbtree.h>
#include <linux/skbuff.h>
#include <linux/types.h>
#include <linux/uio.h>

struct vtcp_seg;
struct vtcp_tcb;

/*
 * The receive queues: in-order data for the reader, and data beyond a hole
 * in an rbtree keyed by sequence number. Both hold the skbs the host sent,
 * by reference; see rcvq.c for how memory is bounded.
 */
struct vtcp_rcvq {
	struct sk_buff_head ready;
	struct rb_root ooo;
	u32 ready_bytes;	/* payload bytes in ready */
	u32 ooo_bytes;		/* payload bytes in ooo */
	u32 mem;		/* truesize of every skb held */
	u32 gen;		/* bumped by every purge */
};

/* Where an skb's payload lies, once the engine holds it. */
struct vtcp_skb_cb {
	u32 seq;		/* sequence number of the byte at @off */
	u32 end_seq;		/* seq + len */
	u32 off;		/* offset of the payload in the skb */
	u32 len;
	bool compact;		/* our own copy, with tailroom to append to */
};

#define VTCP_SKB_CB(skb) ((struct vtcp_skb_cb *)&((skb)->cb[0]))

void vtcp_rcvq_init(struct vtcp_rcvq *q);
void vtcp_rcvq_purge(struct vtcp_rcvq *q);
void vtcp_rcvq_purge_ooo(struct vtcp_rcvq *q);
u32 vtcp_rcvq_mem_limit(const struct vtcp_tcb *tcb);

struct sk_buff *vtcp_rcvq_take(struct vtcp_seg *seg, u32 seq, u32 len);
int vtcp_rcvq_ready_add(struct vtcp_tcb *tcb, struct vtcp_seg *seg, u32 seq,
			u32 len);
int vtcp_rcvq_ooo_add(struct vtcp_tcb *tcb, struct vtcp_seg *seg, u32 seq,
		      u32 len);
u32 vtcp_rcvq_ooo_advance(struct vtcp_tcb *tcb, u32 rcv_nxt);
bool vtcp_rcvq_ooo_covers(const struct vtcp_rcvq *q, u32 seq, u32 end);

void vtcp_rcvq_sack_update(struct vtcp_tcb *tcb, u32 seq, u32 end);
void vtcp_rcvq_sack_trim(struct vtcp_tcb *tcb);
void vtcp_rcvq_sack_dsack(struct vtcp_tcb *tcb, u32 seq, u32 end);

/*
 * Reading happens outside tcb->lock (copying to user memory may fault):
 * the reader detaches the ready queue, copies, and gives back the rest.
 */
struct vtcp_rcvq_reader {
	struct sk_buff_head skbs;
	u32 gen;
	u32 copied;		/* bytes copied to the user */
	u32 consumed;		/* of which taken off the queue */
	u32 freed_mem;
};

void vtcp_rcvq_detach(struct vtcp_rcvq *q, struct vtcp_rcvq_reader *r);
void vtcp_rcvq_consume(struct vtcp_rcvq_reader *r, struct sk_buff *skb, u32 n);
int vtcp_rcvq_copy(struct vtcp_rcvq_reader *r, struct iov_iter *to, u32 len,
		   bool peek);
void vtcp_rcvq_attach(struct vtcp_rcvq *q, struct vtcp_rcvq_reader *r);

#endif /* _VTCP_RCVQ_H */
