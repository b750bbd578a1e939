// SPDX-License-Identifier: GPL-2.0
/*
 * A connection as a byte stream: read, write, poll, shutdown, close.
 *
 * Copies to and from user memory may fault, so they happen without the
 * connection's spinlock: a reader detaches the ready queue, copies, and
 * gives back what it did not take (rcvq.c); a writer copies into the
 * task's page fragment (as Linux TCP does) and then appends the bytes to
 * the send queue under the lock. conn->ulock keeps readers and writers of
 * one connection from interleaving their copies; it is never held while
 * sleeping, so a reader waiting for data never holds up a writer (or a
 * non-blocking reader), and the other way round.
 */

#include <linux/poll.h>
#include <linux/sched/signal.h>
#include <linux/skbuff.h>
#include <linux/uaccess.h>
#include <uapi/linux/vtcp.h>

#include "net/conn.h"
#include "net/limits.h"
#include "engine/rcvq.h"
#include "engine/sndq.h"
#include "api/stream.h"

/* The least room in the task's page fragment worth copying into. */
#define VTCP_STREAM_FRAG_MIN	32

static u32 vtcp_stream_wspace(const struct vtcp_tcb *tcb)
{
	return tcb->cfg.sndbuf > tcb->sndq.bytes ?
	       tcb->cfg.sndbuf - tcb->sndq.bytes : 0;
}

static bool vtcp_stream_can_send(u8 state)
{
	return state == VTCP_ESTABLISHED || state == VTCP_CLOSE_WAIT;
}

/* A request of a deferred listener, not answered yet, opens too. */
static bool vtcp_stream_opening(u8 state)
{
	return state == VTCP_LISTEN || state == VTCP_SYN_SENT ||
	       state == VTCP_SYN_RECEIVED;
}

/* Nothing to read yet, and a reader should sleep. */
static bool vtcp_stream_read_waits(const struct vtcp_conn *conn)
{
	return !(READ_ONCE(conn->snap) &
		 (VTCP_SNAP_READABLE | VTCP_SNAP_ERROR | VTCP_SNAP_EOF |
		  VTCP_SNAP_RD_SHUT | VTCP_SNAP_CLOSED));
}

/*
 * Wait for something to read and detach the ready queue into @r. Returns 1
 * with conn->ulock held (end with vtcp_stream_read_end()), 0 at the end of
 * the stream, or an error, both without it.
 */
int vtcp_stream_read_begin(struct vtcp_conn *conn, struct vtcp_rcvq_reader *r,
			   bool nonblock)
{
	struct vtcp_tcb *tcb = &conn->tcb;
	int ret;

	for (;;) {
		if (mutex_lock_interruptible(&conn->ulock))
			return -ERESTARTSYS;
		vtcp_conn_lock(conn);
		if (tcb->rcvq.ready_bytes && !tcb->rd_shutdown)
			break;
		ret = vtcp_take_error(tcb);
		if (!ret && (tcb->fin_received || tcb->rd_shutdown ||
			     tcb->state == VTCP_CLOSED))
			ret = 0;
		else if (!ret)
			ret = -EAGAIN;
		vtcp_conn_unlock(conn);
		mutex_unlock(&conn->ulock);
		if (ret != -EAGAIN || nonblock)
			return ret;
		if (wait_event_interruptible(conn->wq,
					     !vtcp_stream_read_waits(conn)))
			return -ERESTARTSYS;
	}
	vtcp_rcvq_detach(&tcb->rcvq, r);
	vtcp_conn_unlock(conn);
	return 1;
}

/* Give back what @r did not consume and open the window for the rest. */
void vtcp_stream_read_end(struct vtcp_conn *conn, struct vtcp_rcvq_reader *r)
{
	struct vtcp_tcb *tcb = &conn->tcb;

	lockdep_assert_held(&conn->ulock);
	vtcp_conn_lock(conn);
	vtcp_rcvq_attach(&tcb->rcvq, r);
	if (!conn->dead)
		vtcp_recv_consumed(tcb, vtcp_now());
	vtcp_conn_unlock(conn);
	mutex_unlock(&conn->ulock);
}

ssize_t vtcp_stream_read(struct vtcp_conn *conn, struct iov_iter *to,
			 bool nonblock)
{
	u32 len = min_t(size_t, iov_iter_count(to), INT_MAX);
	struct vtcp_rcvq_reader r;
	int ret;

	if (!len)
		return 0;
	ret = vtcp_stream_read_begin(conn, &r, nonblock);
	if (ret <= 0)
		return ret;
	ret = vtcp_rcvq_copy(&r, to, len, false);
	vtcp_stream_read_end(conn, &r);
	return ret ? ret : (ssize_t)r.copied;
}

/*
 * Why a writer cannot write now: 0 (it may), -EAGAIN (it must wait), the
 * pending error (left pending: see vtcp_stream_write_error()) or -EPIPE.
 */
static int vtcp_stream_write_check(struct vtcp_conn *conn)
	__must_hold(&conn->tcb.lock)
{
	struct vtcp_tcb *tcb = &conn->tcb;

	lockdep_assert_held(&tcb->lock);
	if (tcb->err)
		return tcb->err;
	if (tcb->fin_queued || tcb->state == VTCP_CLOSED || conn->dead)
		return -EPIPE;
	if (vtcp_stream_opening(tcb->state))
		return -EAGAIN;
	if (!vtcp_stream_can_send(tcb->state))
		return -EPIPE;
	return vtcp_stream_wspace(tcb) ? 0 : -EAGAIN;
}

static bool vtcp_stream_write_waits(const struct vtcp_conn *conn)
{
	u16 snap = READ_ONCE(conn->snap);

	if (snap & (VTCP_SNAP_ERROR | VTCP_SNAP_WR_SHUT) ||
	    !(snap & (VTCP_SNAP_CAN_SEND | VTCP_SNAP_OPENING)))
		return false;
	return (snap & VTCP_SNAP_OPENING) || !(snap & VTCP_SNAP_WRITEABLE);
}

/*
 * Wait until a writer may go on: without ulock, so that readers go on
 * meanwhile. Returns 0 with ulock taken again, or -ERESTARTSYS without it.
 */
static int vtcp_stream_write_sleep(struct vtcp_conn *conn)
{
	lockdep_assert_held(&conn->ulock);
	mutex_unlock(&conn->ulock);
	if (wait_event_interruptible(conn->wq, !vtcp_stream_write_waits(conn)))
		return -ERESTARTSYS;
	if (mutex_lock_interruptible(&conn->ulock))
		return -ERESTARTSYS;
	return 0;
}

/*
 * A write that moved no byte ends with @err. The pending error is taken
 * (reported once) only now: a write that did move bytes returns their
 * count and leaves the error for the next call, as sockets do. -EPIPE
 * raises SIGPIPE unless the connection has VTCP_OPT_NOSIGPIPE.
 */
static int vtcp_stream_write_error(struct vtcp_conn *conn, int err)
{
	struct vtcp_tcb *tcb = &conn->tcb;
	bool sigpipe;

	vtcp_conn_lock(conn);
	if (err && err == tcb->err)
		vtcp_take_error(tcb);
	sigpipe = err == -EPIPE && !(tcb->cfg.flags & VTCP_CFG_NOSIGPIPE);
	vtcp_conn_unlock(conn);
	if (sigpipe)
		send_sig(SIGPIPE, current, 0);
	return err;
}

ssize_t vtcp_stream_write(struct vtcp_conn *conn, struct iov_iter *from,
			  bool nonblock)
{
	struct page_frag *pfrag = &current->task_frag;
	struct vtcp_tcb *tcb = &conn->tcb;
	size_t written = 0;
	int err = 0;

	if (!iov_iter_count(from))
		return 0;
	if (mutex_lock_interruptible(&conn->ulock))
		return -ERESTARTSYS;
	while (iov_iter_count(from)) {
		size_t n, copied;
		u32 space;

		vtcp_conn_lock(conn);
		err = vtcp_stream_write_check(conn);
		space = vtcp_stream_wspace(tcb);
		/*
		 * The namespace's or module's send queues are full: wait for
		 * this queue's own bytes to be acknowledged, which wakes us;
		 * with none of its own, nothing would: refuse.
		 */
		if (!err && vtcp_budget_snd_over(conn->budget))
			err = tcb->sndq.bytes ? -EAGAIN : -ENOBUFS;
		vtcp_conn_unlock(conn);
		if (err == -EAGAIN && !nonblock) {
			/* Blocking writes take everything, like sockets'. */
			err = vtcp_stream_write_sleep(conn);
			if (err)
				goto out;
			continue;
		}
		if (err)
			break;

		if (!skb_page_frag_refill(VTCP_STREAM_FRAG_MIN, pfrag,
					  GFP_KERNEL_ACCOUNT)) {
			err = -ENOMEM;
			break;
		}
		n = min3(iov_iter_count(from), (size_t)space,
			 (size_t)(pfrag->size - pfrag->offset));
		copied = copy_page_from_iter(pfrag->page, pfrag->offset, n,
					     from);
		if (!copied) {
			err = -EFAULT;
			break;
		}

		vtcp_conn_lock(conn);
		err = vtcp_stream_write_check(conn);
		if (!err && vtcp_sndq_append(&tcb->sndq, pfrag->page,
					     pfrag->offset, copied))
			err = -ENOMEM;
		if (!err) {
			pfrag->offset += copied;
			written += copied;
			vtcp_output(tcb, vtcp_now());
		}
		vtcp_conn_unlock(conn);
		if (err) {
			/* Not queued: the caller sees these bytes unsent. */
			iov_iter_revert(from, copied);
			if (err == -EAGAIN && !nonblock)
				continue;	/* the buffer shrank: wait */
			break;
		}
	}
	mutex_unlock(&conn->ulock);
out:
	if (written)
		return written;
	return vtcp_stream_write_error(conn, err);
}

/*
 * As tcp_poll(): EPOLLIN when read() would not block (data, the end of the
 * stream, an error), EPOLLOUT when write() would not block (room, or a
 * write that can only fail), EPOLLRDHUP once reading is over, EPOLLHUP
 * once both directions are, EPOLLERR while an error is pending.
 */
__poll_t vtcp_stream_poll(struct vtcp_conn *conn, struct file *file,
			  poll_table *wait)
{
	__poll_t mask = 0;
	u16 snap;

	if (!poll_does_not_wait(wait)) {
		poll_wait(file, &conn->wq, wait);
		/*
		 * As sock_poll_wait(); pairs with wq_has_sleeper() in
		 * vtcp_conn_unlock(): its check sees the entry just queued,
		 * or the load below sees the snapshot it published.
		 */
		smp_mb();
	}
	snap = READ_ONCE(conn->snap);
	if (snap & VTCP_SNAP_ERROR)
		mask |= EPOLLERR | EPOLLIN | EPOLLRDNORM;
	if (snap & VTCP_SNAP_READABLE)
		mask |= EPOLLIN | EPOLLRDNORM;
	if (snap & (VTCP_SNAP_EOF | VTCP_SNAP_RD_SHUT | VTCP_SNAP_CLOSED))
		mask |= EPOLLIN | EPOLLRDNORM | EPOLLRDHUP;
	if ((snap & VTCP_SNAP_CLOSED) ||
	    ((snap & (VTCP_SNAP_EOF | VTCP_SNAP_RD_SHUT)) &&
	     (snap & VTCP_SNAP_WR_SHUT)))
		mask |= EPOLLHUP;
	if ((snap & (VTCP_SNAP_ERROR | VTCP_SNAP_WR_SHUT | VTCP_SNAP_CLOSED)) ||
	    (snap & (VTCP_SNAP_CAN_SEND | VTCP_SNAP_WRITEABLE)) ==
	    (VTCP_SNAP_CAN_SEND | VTCP_SNAP_WRITEABLE))
		mask |= EPOLLOUT | EPOLLWRNORM;
	return mask;
}

int vtcp_stream_shutdown(struct vtcp_conn *conn, u32 how)
{
	struct vtcp_tcb *tcb = &conn->tcb;
	int ret = 0;

	if (how > VTCP_SHUT_RDWR)
		return -EINVAL;
	vtcp_conn_lock(conn);
	if (tcb->state == VTCP_CLOSED || tcb->state == VTCP_LISTEN) {
		ret = -ENOTCONN;
	} else {
		if (how != VTCP_SHUT_WR)
			vtcp_shutdown_recv(tcb);
		if (how != VTCP_SHUT_RD)
			vtcp_shutdown_send(tcb, vtcp_now());
	}
	vtcp_conn_unlock(conn);
	return ret;
}

int vtcp_stream_abort(struct vtcp_conn *conn)
{
	vtcp_conn_lock(conn);
	if (!conn->dead)
		vtcp_abort(&conn->tcb, vtcp_now());
	vtcp_conn_unlock(conn);
	return 0;
}

/* After CONNECT: wait until the handshake ends, unless @nonblock. */
int vtcp_stream_wait_connected(struct vtcp_conn *conn, bool nonblock)
{
	struct vtcp_tcb *tcb = &conn->tcb;
	int err;

	if (nonblock)
		return -EINPROGRESS;
	if (wait_event_interruptible(conn->wq, !(READ_ONCE(conn->snap) &
						 VTCP_SNAP_OPENING)))
		return -ERESTARTSYS;
	vtcp_conn_lock(conn);
	err = tcb->state == VTCP_CLOSED ? vtcp_take_error(tcb) : 0;
	if (tcb->state == VTCP_CLOSED && !err)
		err = -ECONNRESET;
	vtcp_conn_unlock(conn);
	return err;
}

/* The last file reference went: close as RFC 9293 says, then let go. */
void vtcp_stream_release(struct vtcp_conn *conn)
{
	vtcp_conn_lock(conn);
	if (!conn->dead)
		vtcp_close(&conn->tcb, vtcp_now());
	vtcp_conn_unlock(conn);
	vtcp_conn_put(conn);
}
