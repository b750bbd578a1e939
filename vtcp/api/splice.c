// SPDX-License-Identifier: GPL-2.0
/*
 * splice() from a connection to a pipe without copying: the pipe gets
 * references to the pages that hold the received bytes, as Linux TCP's
 * skb_splice_bits() gives them (which needs a struct sock we do not have).
 *
 * The bytes a pipe takes are consumed at once, as read() would consume
 * them: they leave the receive queue and its memory account, and the
 * window opens. What stays pinned is the pages, by the pipe's references,
 * bounded by the pipe's size as for any splice from a socket. Bytes whose
 * page cannot be lent (a head kmalloc'ed or shared with a clone, a
 * frag_list) are copied into the task's page fragment, once, and that page
 * is lent instead.
 */

#include <linux/bitops.h>
#include <linux/fs.h>
#include <linux/pipe_fs_i.h>
#include <linux/sched.h>
#include <linux/skbuff.h>
#include <linux/splice.h>

#include "api/splice.h"
#include "api/stream.h"
#include "engine/rcvq.h"
#include "net/conn.h"
#include "net/device.h"

/* Pipe buffers handed to splice_to_pipe() at once. */
#define VTCP_SPLICE_BATCH	16
/* The least room in the task's page fragment worth copying into. */
#define VTCP_SPLICE_FRAG_MIN	32

struct vtcp_splice {
	struct splice_pipe_desc spd;
	struct page *pages[VTCP_SPLICE_BATCH];
	struct partial_page partial[VTCP_SPLICE_BATCH];
	u32 copies;		/* bit i: buffer i was filled by copying */
	unsigned int lent;	/* buffers the pipe took that lend skb pages */
	unsigned int copied;	/* and that were filled by copying */
};

static void vtcp_splice_spd_release(struct splice_pipe_desc *spd,
				    unsigned int i)
{
	put_page(spd->pages[i]);
}

/*
 * Add [off, off + len) of @page to the batch, as a copy if @copy; false if
 * the batch is full.
 */
static bool vtcp_splice_add(struct vtcp_splice *b, struct page *page,
			    u32 off, u32 len, bool copy)
{
	struct splice_pipe_desc *spd = &b->spd;
	unsigned int i = spd->nr_pages;

	if (i && b->pages[i - 1] == page &&
	    b->partial[i - 1].offset + b->partial[i - 1].len == off) {
		b->partial[i - 1].len += len;
		return true;
	}
	if (i == spd->nr_pages_max)
		return false;
	get_page(page);
	b->pages[i] = page;
	b->partial[i].offset = off;
	b->partial[i].len = len;
	if (copy)
		b->copies |= BIT(i);
	spd->nr_pages++;
	return true;
}

/* Copy up to @len bytes at @off of @skb and add them; returns how many. */
static u32 vtcp_splice_copy(struct vtcp_splice *b, const struct sk_buff *skb,
			    u32 off, u32 len)
{
	struct page_frag *pfrag = &current->task_frag;

	if (b->spd.nr_pages == b->spd.nr_pages_max)
		return 0;
	if (!skb_page_frag_refill(VTCP_SPLICE_FRAG_MIN, pfrag, GFP_KERNEL))
		return 0;
	len = min(len, pfrag->size - pfrag->offset);
	if (skb_copy_bits(skb, off, page_address(pfrag->page) + pfrag->offset,
			  len))
		return 0;
	if (!vtcp_splice_add(b, pfrag->page, pfrag->offset, len, true))
		return 0;
	pfrag->offset += len;
	return len;
}

/* Lend [off, off + len) of @page, or as much as the batch takes. */
static u32 vtcp_splice_lend(struct vtcp_splice *b, struct page *page,
			    u32 off, u32 len)
{
	return vtcp_splice_add(b, page, off, len, false) ? len : 0;
}

/*
 * Add up to @len bytes from @off (from skb->data) of @skb to the batch.
 * Returns how many it took: fewer than @len when the batch is full.
 */
static u32 vtcp_splice_skb(struct vtcp_splice *b, const struct sk_buff *skb,
			   u32 off, u32 len)
{
	u32 start = skb_headlen(skb), done = 0;
	int i;

	if (off < start) {
		u32 n = min(len, start - off);
		struct page *head = virt_to_head_page(skb->data);
		u32 poff = skb->data + off - (u8 *)page_address(head);

		/* A shared or kmalloc'ed head is not ours to lend. */
		n = skb_head_is_locked(skb) ? vtcp_splice_copy(b, skb, off, n) :
					      vtcp_splice_lend(b, head, poff, n);
		done += n;
		if (done < min(len, start - off))
			return done;
	}
	for (i = 0; i < skb_shinfo(skb)->nr_frags && done < len; i++) {
		const skb_frag_t *f = &skb_shinfo(skb)->frags[i];
		u32 size = skb_frag_size(f), from, n;

		if (off + done >= start + size) {
			start += size;
			continue;
		}
		from = off + done - start;
		n = min(len - done, size - from);
		if (vtcp_splice_lend(b, skb_frag_page(f),
				     skb_frag_off(f) + from, n) != n)
			return done;
		done += n;
		start += size;
	}
	/* A frag_list: rare on this path, so copied rather than walked. */
	while (done < len) {
		u32 n = vtcp_splice_copy(b, skb, off + done, len - done);

		if (!n)
			break;
		done += n;
	}
	return done;
}

/* Fill a batch from the front of @r, up to @len bytes; returns how many. */
static u32 vtcp_splice_fill(struct vtcp_splice *b,
			    const struct vtcp_rcvq_reader *r, u32 len)
{
	struct sk_buff *skb;
	u32 done = 0;

	skb_queue_walk(&r->skbs, skb) {
		const struct vtcp_skb_cb *cb = VTCP_SKB_CB(skb);
		u32 want = min(cb->len, len - done);
		u32 n = vtcp_splice_skb(b, skb, cb->off, want);

		done += n;
		if (n < want || done == len)
			break;
	}
	return done;
}

/*
 * Consume the @n bytes the pipe took, off the front of @r, and count the
 * buffers they came in (splice_to_pipe() left the rest in nr_pages).
 */
static void vtcp_splice_consume(struct vtcp_splice *b, unsigned int offered,
				struct vtcp_rcvq_reader *r, u32 n)
{
	unsigned int taken = offered - b->spd.nr_pages;
	unsigned int copied = hweight32(b->copies & (BIT(taken) - 1));

	b->copied += copied;
	b->lent += taken - copied;
	while (n) {
		struct sk_buff *skb = skb_peek(&r->skbs);
		u32 m = min(VTCP_SKB_CB(skb)->len, n);

		vtcp_rcvq_consume(r, skb, m);
		r->copied += m;
		n -= m;
	}
}

static void vtcp_splice_count(struct vtcp_conn *conn,
			      const struct vtcp_splice *b)
{
	unsigned int i;

	vtcp_conn_lock(conn);
	if (!conn->dead && conn->vd) {
		for (i = 0; i < b->lent; i++)
			vtcp_dev_count(conn->vd, VTCP_CNT_SPLICE_LENT);
		for (i = 0; i < b->copied; i++)
			vtcp_dev_count(conn->vd, VTCP_CNT_SPLICE_COPIED);
	}
	vtcp_conn_unlock(conn);
}

ssize_t vtcp_splice_read(struct vtcp_conn *conn, struct pipe_inode_info *pipe,
			 size_t len, bool nonblock)
{
	struct vtcp_rcvq_reader r;
	struct vtcp_splice b = {
		.spd = {
			.pages = b.pages,
			.partial = b.partial,
			.nr_pages_max = VTCP_SPLICE_BATCH,
			.ops = &nosteal_pipe_buf_ops,
			.spd_release = vtcp_splice_spd_release,
		},
	};
	ssize_t ret = 0;
	int err;

	len = min_t(size_t, len, INT_MAX);
	if (!len)
		return 0;
	err = vtcp_stream_read_begin(conn, &r, nonblock);
	if (err <= 0)
		return err;
	while (r.copied < len && !skb_queue_empty(&r.skbs)) {
		unsigned int offered;
		u32 want;

		b.spd.nr_pages = 0;
		b.copies = 0;
		want = vtcp_splice_fill(&b, &r, len - r.copied);
		if (!want) {
			ret = -ENOMEM;
			break;
		}
		/* Takes what fits and releases the rest of the batch. */
		offered = b.spd.nr_pages;
		ret = splice_to_pipe(pipe, &b.spd);
		if (ret <= 0)
			break;
		vtcp_splice_consume(&b, offered, &r, ret);
		if (ret < want)
			break;	/* the pipe is full */
	}
	vtcp_stream_read_end(conn, &r);
	if (b.lent || b.copied)
		vtcp_splice_count(conn, &b);
	return r.copied ?: ret;
}
