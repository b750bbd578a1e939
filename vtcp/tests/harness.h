/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Driving the engine in KUnit: a TCB with a fake clock, a capture of every
 * segment it sends (with its payload), and helpers to feed it segments.
 */
#ifndef _VTCP_TEST_HARNESS_H
#define _VTCP_TEST_HARNESS_H

#include <kunit/test.h>

#include "engine/deadline.h"
#include "engine/input.h"
#include "engine/proto.h"
#include "engine/tcb.h"

#define VTCP_T_MAX_OUT	256

struct vtcp_t_out {
	struct vtcp_out out;
	u8 *data;		/* out.len bytes of payload */
};

struct vtcp_t_conn {
	struct vtcp_tcb tcb;
	struct kunit *test;
	u64 now;
	struct vtcp_t_out sent[VTCP_T_MAX_OUT];
	unsigned int nsent;	/* captured so far */
	unsigned int next;	/* first not yet popped */
	int xmit_err;		/* what xmit returns */
};

/* The peer's side of a handshake the helpers perform. */
#define VTCP_T_ISS	1000U
#define VTCP_T_IRS	5000U
#define VTCP_T_MSS	1000U
#define VTCP_T_WND	65535U

struct vtcp_t_conn *vtcp_t_conn_new(struct kunit *test,
				    const struct vtcp_cfg *cfg);
void vtcp_t_cfg(struct vtcp_cfg *cfg);

/* Fill in a segment; @data may be NULL for @len zero bytes. */
struct vtcp_t_seg {
	u8 flags;
	u32 seq;
	u32 ack;
	u32 wnd;
	const void *data;
	u32 len;
	struct vtcp_opts opt;
	u8 ecn;
	u16 urg;
};

enum vtcp_drop_reason vtcp_t_input(struct vtcp_t_conn *c,
				   const struct vtcp_t_seg *s);
void vtcp_t_advance(struct vtcp_t_conn *c, u64 ns);
void vtcp_t_run_until(struct vtcp_t_conn *c, u64 ns);
int vtcp_t_write(struct vtcp_t_conn *c, const void *data, u32 len);
u32 vtcp_t_read(struct vtcp_t_conn *c, void *buf, u32 len);
void vtcp_t_close(struct vtcp_t_conn *c);
void vtcp_t_shutdown(struct vtcp_t_conn *c);
void vtcp_t_abort(struct vtcp_t_conn *c);
void vtcp_t_set_cfg(struct vtcp_t_conn *c, const struct vtcp_cfg *cfg);
/* A bare ACK from the peer: <SEQ=@seq><ACK=@ack><WND=@wnd>. */
enum vtcp_drop_reason vtcp_t_ack(struct vtcp_t_conn *c, u32 seq, u32 ack,
				 u32 wnd);

/*
 * An ACK from the peer at RCV.NXT with @n SACK blocks, given as @n pairs
 * of start and end after @n, the first block first.
 */
enum vtcp_drop_reason vtcp_t_sack(struct vtcp_t_conn *c, u32 ack, int n, ...);
/*
 * Opens as the client with SACK in use (and @flags besides, e.g.
 * VTCP_CFG_RACK) after a 10 ms handshake: SRTT and min RTT 10 ms.
 */
struct vtcp_t_conn *vtcp_t_sack_sender(struct kunit *test, u16 flags);

struct vtcp_t_out *vtcp_t_pop(struct vtcp_t_conn *c);
unsigned int vtcp_t_pending(const struct vtcp_t_conn *c);
void vtcp_t_drain(struct vtcp_t_conn *c);

/* Opens as the client: our SYN, the peer's SYN-ACK, our ACK. */
struct vtcp_t_conn *vtcp_t_established(struct kunit *test,
				       const struct vtcp_cfg *cfg);
/*
 * The same with our ISS @iss, the peer's ISN @irs, and the peer's SYN-ACK
 * carrying @opt and window @wnd (unscaled, as in any SYN).
 */
struct vtcp_t_conn *vtcp_t_open(struct kunit *test, const struct vtcp_cfg *cfg,
				u32 iss, u32 irs, const struct vtcp_opts *opt,
				u32 wnd);
/* Opens as a listener's child: the peer's SYN, our SYN-ACK, its ACK. */
struct vtcp_t_conn *vtcp_t_accepted(struct kunit *test,
				    const struct vtcp_cfg *cfg);

/*
 * Expect the next captured segment to have these fields (the ACK field is
 * compared only when the ACK flag is expected). Returns it, or NULL.
 */
struct vtcp_t_out *vtcp_t_expect_seg(struct vtcp_t_conn *c, u8 flags, u32 seq,
				     u32 ack, u32 len, const char *file,
				     int line);
/* The same, and the window field too. */
struct vtcp_t_out *vtcp_t_expect_seg_w(struct vtcp_t_conn *c, u8 flags,
				       u32 seq, u32 ack, u32 len, u32 wnd,
				       const char *file, int line);

#define VTCP_T_EXPECT_SEG(c, fl, sq, ak, ln)					\
	vtcp_t_expect_seg(c, fl, sq, ak, ln, __FILE__, __LINE__)
#define VTCP_T_EXPECT_SEG_W(c, fl, sq, ak, ln, wn)				\
	vtcp_t_expect_seg_w(c, fl, sq, ak, ln, wn, __FILE__, __LINE__)

void vtcp_t_expect_nothing(struct vtcp_t_conn *c, const char *file, int line);
#define VTCP_T_EXPECT_NOTHING(c) vtcp_t_expect_nothing(c, __FILE__, __LINE__)

struct net_device;

/* A registered vtcp device (vtcpk%d) that the test's end unregisters. */
struct net_device *vtcp_t_device(struct kunit *test);

#endif /* _VTCP_TEST_HARNESS_H */
