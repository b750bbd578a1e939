// SPDX-License-Identifier: GPL-2.0
/*
 * The engine under a fake clock, with a capture of what it sends; and a
 * vtcp device for the suites that drive the datapath.
 */

#include <kunit/test.h>
#include <linux/highmem.h>
#include <linux/stdarg.h>
#include <linux/mm.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>
#include <linux/uio.h>

#include "engine/cc.h"
#include "engine/rcvq.h"
#include "engine/sndq.h"
#include "harness.h"
#include "net/device.h"

static int vtcp_t_xmit(struct vtcp_tcb *tcb, const struct vtcp_out *out)
{
	struct vtcp_t_conn *c = container_of(tcb, struct vtcp_t_conn, tcb);
	struct vtcp_t_out *o;

	if (c->nsent == VTCP_T_MAX_OUT && c->next) {
		/* Forget what the test has already looked at. */
		unsigned int i;

		for (i = 0; i < c->next; i++)
			kfree(c->sent[i].data);
		memmove(c->sent, c->sent + c->next,
			(c->nsent - c->next) * sizeof(c->sent[0]));
		c->nsent -= c->next;
		c->next = 0;
	}
	if (c->nsent == VTCP_T_MAX_OUT) {
		KUNIT_FAIL(c->test, "more than %d segments not looked at",
			   VTCP_T_MAX_OUT);
		return -ENOBUFS;
	}
	o = &c->sent[c->nsent++];
	o->out = *out;
	o->data = NULL;
	if (out->len) {
		o->data = kmalloc(out->len, GFP_ATOMIC);
		if (o->data)
			vtcp_sndq_copy(&tcb->sndq, out->data_seq, out->len,
				       o->data);
	}
	return c->xmit_err;
}

static const struct vtcp_engine_ops vtcp_t_ops = {
	.xmit = vtcp_t_xmit,
};

static void vtcp_t_conn_free(void *arg)
{
	struct vtcp_t_conn *c = arg;
	unsigned int i;

	vtcp_tcb_destroy(&c->tcb);
	for (i = 0; i < c->nsent; i++)
		kfree(c->sent[i].data);
	kfree(c);
}

/*
 * Defaults for tests: no options (nor ECN, nor RACK), a 64 KiB window, no
 * scaling, and NewReno, whose arithmetic RFC 5681's tests check.
 */
void vtcp_t_cfg(struct vtcp_cfg *cfg)
{
	vtcp_cfg_default(cfg);
	cfg->flags = 0;
	cfg->rcvbuf = 65535;
	cfg->sndbuf = 256 * 1024;
	cfg->cc = vtcp_cc_find("newreno");
}

struct vtcp_t_conn *vtcp_t_conn_new(struct kunit *test,
				    const struct vtcp_cfg *cfg)
{
	struct vtcp_t_conn *c;
	struct vtcp_cfg def;

	if (!cfg) {
		vtcp_t_cfg(&def);
		cfg = &def;
	}
	c = kzalloc(sizeof(*c), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, c);
	vtcp_tcb_init(&c->tcb, &vtcp_t_ops, cfg, 1460, 0, 0);
	c->test = test;
	c->now = 1000 * NSEC_PER_SEC;
	KUNIT_ASSERT_EQ(test, 0, kunit_add_action_or_reset(test, vtcp_t_conn_free, c));
	return c;
}

enum vtcp_drop_reason vtcp_t_input(struct vtcp_t_conn *c,
				   const struct vtcp_t_seg *s)
{
	enum vtcp_drop_reason drop;
	struct vtcp_seg seg = {
		.seq = s->seq,
		.ack = s->ack,
		.len = s->len,
		.wnd = s->wnd,
		.flags = s->flags,
		.ecn = s->ecn,
		.urg = s->urg,
		.opt = s->opt,
	};

	if (s->len) {
		/* Headroom as a real packet would have, so truesize is real. */
		seg.skb = alloc_skb(128 + s->len, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(c->test, seg.skb);
		skb_reserve(seg.skb, 128);
		if (s->data)
			skb_put_data(seg.skb, s->data, s->len);
		else
			skb_put_zero(seg.skb, s->len);
	}
	spin_lock_bh(&c->tcb.lock);
	drop = vtcp_input(&c->tcb, &seg, c->now);
	spin_unlock_bh(&c->tcb.lock);
	kfree_skb(seg.skb);
	return drop;
}

/* Let @ns pass, firing each deadline at its own time. */
void vtcp_t_advance(struct vtcp_t_conn *c, u64 ns)
{
	vtcp_t_run_until(c, c->now + ns);
}

void vtcp_t_run_until(struct vtcp_t_conn *c, u64 until)
{
	u64 next;

	spin_lock_bh(&c->tcb.lock);
	while ((next = vtcp_deadline_next(&c->tcb)) && next <= until) {
		c->now = max(c->now, next);
		vtcp_deadline_expire(&c->tcb, c->now);
	}
	c->now = until;
	spin_unlock_bh(&c->tcb.lock);
}

/* Queue @len bytes as a write() would; returns how many fit. */
int vtcp_t_write(struct vtcp_t_conn *c, const void *data, u32 len)
{
	struct vtcp_tcb *tcb = &c->tcb;
	u32 done = 0;

	spin_lock_bh(&tcb->lock);
	while (done < len && tcb->sndq.bytes < tcb->cfg.sndbuf) {
		u32 n = min3(len - done, (u32)PAGE_SIZE,
			     tcb->cfg.sndbuf - tcb->sndq.bytes);
		struct page *page = alloc_page(GFP_ATOMIC);

		KUNIT_ASSERT_NOT_NULL(c->test, page);
		if (data)
			memcpy_to_page(page, 0, (const u8 *)data + done, n);
		else
			memzero_page(page, 0, n);
		KUNIT_ASSERT_EQ(c->test, 0,
				vtcp_sndq_append(&tcb->sndq, page, 0, n));
		put_page(page);
		done += n;
	}
	vtcp_output(tcb, c->now);
	spin_unlock_bh(&tcb->lock);
	return done;
}

/* read(): copy out up to @len bytes; returns how many. */
u32 vtcp_t_read(struct vtcp_t_conn *c, void *buf, u32 len)
{
	struct vtcp_rcvq_reader r;
	struct kvec kv = { .iov_base = buf, .iov_len = len };
	struct iov_iter to;

	iov_iter_kvec(&to, ITER_DEST, &kv, 1, len);
	spin_lock_bh(&c->tcb.lock);
	vtcp_rcvq_detach(&c->tcb.rcvq, &r);
	spin_unlock_bh(&c->tcb.lock);
	KUNIT_EXPECT_EQ(c->test, 0, vtcp_rcvq_copy(&r, &to, len, false));
	spin_lock_bh(&c->tcb.lock);
	vtcp_rcvq_attach(&c->tcb.rcvq, &r);
	vtcp_recv_consumed(&c->tcb, c->now);
	spin_unlock_bh(&c->tcb.lock);
	return r.copied;
}

void vtcp_t_close(struct vtcp_t_conn *c)
{
	spin_lock_bh(&c->tcb.lock);
	vtcp_close(&c->tcb, c->now);
	spin_unlock_bh(&c->tcb.lock);
}

void vtcp_t_shutdown(struct vtcp_t_conn *c)
{
	spin_lock_bh(&c->tcb.lock);
	vtcp_shutdown_send(&c->tcb, c->now);
	spin_unlock_bh(&c->tcb.lock);
}

void vtcp_t_abort(struct vtcp_t_conn *c)
{
	spin_lock_bh(&c->tcb.lock);
	vtcp_abort(&c->tcb, c->now);
	spin_unlock_bh(&c->tcb.lock);
}

void vtcp_t_set_cfg(struct vtcp_t_conn *c, const struct vtcp_cfg *cfg)
{
	spin_lock_bh(&c->tcb.lock);
	vtcp_set_cfg(&c->tcb, cfg, c->now);
	spin_unlock_bh(&c->tcb.lock);
}

enum vtcp_drop_reason vtcp_t_ack(struct vtcp_t_conn *c, u32 seq, u32 ack,
				 u32 wnd)
{
	struct vtcp_t_seg s = {
		.flags = VTCP_TH_ACK, .seq = seq, .ack = ack, .wnd = wnd,
	};

	return vtcp_t_input(c, &s);
}

enum vtcp_drop_reason vtcp_t_sack(struct vtcp_t_conn *c, u32 ack, int n, ...)
{
	struct vtcp_t_seg s = {
		.flags = VTCP_TH_ACK, .seq = c->tcb.rcv_nxt, .ack = ack,
		.wnd = VTCP_T_WND,
		.opt = { .present = VTCP_TCPOPT_SACK, .nsack = n },
	};
	va_list ap;
	int i;

	KUNIT_ASSERT_LE(c->test, n, VTCP_MAX_SACK_BLOCKS);
	va_start(ap, n);
	for (i = 0; i < n; i++) {
		s.opt.sack[i].start = va_arg(ap, u32);
		s.opt.sack[i].end = va_arg(ap, u32);
	}
	va_end(ap);
	return vtcp_t_input(c, &s);
}

struct vtcp_t_conn *vtcp_t_sack_sender(struct kunit *test, u16 flags)
{
	struct vtcp_opts opt = {
		.present = VTCP_TCPOPT_MSS | VTCP_TCPOPT_SACK_OK,
		.mss = VTCP_T_MSS,
	};
	struct vtcp_t_conn *c;
	struct vtcp_cfg cfg;

	vtcp_t_cfg(&cfg);
	cfg.flags |= VTCP_CFG_SACK | flags;
	c = vtcp_t_open(test, &cfg, VTCP_T_ISS, VTCP_T_IRS, &opt, VTCP_T_WND);
	KUNIT_ASSERT_TRUE(test, c->tcb.sack_ok);
	return c;
}

struct vtcp_t_out *vtcp_t_expect_seg(struct vtcp_t_conn *c, u8 flags, u32 seq,
				     u32 ack, u32 len, const char *file,
				     int line)
{
	struct kunit *test = c->test;
	struct vtcp_t_out *o = vtcp_t_pop(c);

	if (!o) {
		KUNIT_FAIL(test, "%s:%d: no segment was sent", file, line);
		return NULL;
	}
	KUNIT_EXPECT_EQ_MSG(test, (u32)o->out.flags, (u32)flags,
			    "%s:%d: flags", file, line);
	KUNIT_EXPECT_EQ_MSG(test, o->out.seq, seq, "%s:%d: seq", file, line);
	if (flags & VTCP_TH_ACK)
		KUNIT_EXPECT_EQ_MSG(test, o->out.ack, ack, "%s:%d: ack",
				    file, line);
	KUNIT_EXPECT_EQ_MSG(test, o->out.len, len, "%s:%d: len", file, line);
	return o;
}

struct vtcp_t_out *vtcp_t_expect_seg_w(struct vtcp_t_conn *c, u8 flags,
				       u32 seq, u32 ack, u32 len, u32 wnd,
				       const char *file, int line)
{
	struct vtcp_t_out *o = vtcp_t_expect_seg(c, flags, seq, ack, len,
						 file, line);

	if (o)
		KUNIT_EXPECT_EQ_MSG(c->test, o->out.wnd, wnd, "%s:%d: window",
				    file, line);
	return o;
}

void vtcp_t_expect_nothing(struct vtcp_t_conn *c, const char *file, int line)
{
	struct vtcp_t_out *o;

	while ((o = vtcp_t_pop(c)))
		KUNIT_FAIL(c->test,
			   "%s:%d: unexpected segment flags %#x seq %u ack %u len %u wnd %u",
			   file, line, o->out.flags, o->out.seq, o->out.ack,
			   o->out.len, o->out.wnd);
}

struct vtcp_t_out *vtcp_t_pop(struct vtcp_t_conn *c)
{
	return c->next < c->nsent ? &c->sent[c->next++] : NULL;
}

unsigned int vtcp_t_pending(const struct vtcp_t_conn *c)
{
	return c->nsent - c->next;
}

void vtcp_t_drain(struct vtcp_t_conn *c)
{
	c->next = c->nsent;
}

struct vtcp_t_conn *vtcp_t_open(struct kunit *test, const struct vtcp_cfg *cfg,
				u32 iss, u32 irs, const struct vtcp_opts *opt,
				u32 wnd)
{
	struct vtcp_t_conn *c = vtcp_t_conn_new(test, cfg);
	struct vtcp_t_seg synack = {
		.flags = VTCP_TH_SYN | VTCP_TH_ACK,
		.seq = irs,
		.ack = iss + 1,
		.wnd = wnd,
		.opt = *opt,
	};

	spin_lock_bh(&c->tcb.lock);
	vtcp_connect(&c->tcb, iss, 0, c->now);
	spin_unlock_bh(&c->tcb.lock);
	VTCP_T_EXPECT_SEG(c, VTCP_TH_SYN, iss, 0, 0);
	c->now += 10 * NSEC_PER_MSEC;
	KUNIT_ASSERT_EQ(test, VTCP_DROP_NONE, vtcp_t_input(c, &synack));
	KUNIT_ASSERT_EQ(test, VTCP_ESTABLISHED, c->tcb.state);
	VTCP_T_EXPECT_SEG(c, VTCP_TH_ACK, iss + 1, irs + 1, 0);
	c->tcb.events = 0;
	return c;
}

struct vtcp_t_conn *vtcp_t_established(struct kunit *test,
				       const struct vtcp_cfg *cfg)
{
	struct vtcp_opts opt = { .present = VTCP_TCPOPT_MSS, .mss = VTCP_T_MSS };

	return vtcp_t_open(test, cfg, VTCP_T_ISS, VTCP_T_IRS, &opt, VTCP_T_WND);
}

struct vtcp_t_conn *vtcp_t_accepted(struct kunit *test,
				    const struct vtcp_cfg *cfg)
{
	struct vtcp_t_conn *c = vtcp_t_conn_new(test, cfg);
	struct vtcp_t_seg syn = {
		.flags = VTCP_TH_SYN,
		.seq = VTCP_T_IRS,
		.wnd = VTCP_T_WND,
		.opt = { .present = VTCP_TCPOPT_MSS, .mss = VTCP_T_MSS },
	};
	struct vtcp_t_seg ack = {
		.flags = VTCP_TH_ACK,
		.seq = VTCP_T_IRS + 1,
		.ack = VTCP_T_ISS + 1,
		.wnd = VTCP_T_WND,
	};

	vtcp_open_passive(&c->tcb, VTCP_T_ISS);
	KUNIT_ASSERT_EQ(test, VTCP_DROP_NONE, vtcp_t_input(c, &syn));
	KUNIT_ASSERT_EQ(test, VTCP_SYN_RECEIVED, c->tcb.state);
	VTCP_T_EXPECT_SEG(c, VTCP_TH_SYN | VTCP_TH_ACK, VTCP_T_ISS, VTCP_T_IRS + 1, 0);
	c->now += 10 * NSEC_PER_MSEC;
	KUNIT_ASSERT_EQ(test, VTCP_DROP_NONE, vtcp_t_input(c, &ack));
	KUNIT_ASSERT_EQ(test, VTCP_ESTABLISHED, c->tcb.state);
	VTCP_T_EXPECT_NOTHING(c);
	c->tcb.events = 0;
	return c;
}

static void vtcp_t_device_unregister(void *dev)
{
	unregister_netdev(dev);
}

struct net_device *vtcp_t_device(struct kunit *test)
{
	struct net_device *dev;

	rtnl_lock();
	dev = vtcp_device_add("vtcpk%d");
	rtnl_unlock();
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, dev);
	KUNIT_ASSERT_EQ(test, 0,
			kunit_add_action_or_reset(test,
						  vtcp_t_device_unregister,
						  dev));
	return dev;
}
