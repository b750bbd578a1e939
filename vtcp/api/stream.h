/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _VTCP_STREAM_H
#define _VTCP_STREAM_H

#include <linux/poll.h>
#include <linux/uio.h>

struct vtcp_conn;
struct vtcp_rcvq_reader;

ssize_t vtcp_stream_read(struct vtcp_conn *conn, struct iov_iter *to,
			 bool nonblock);
int vtcp_stream_read_begin(struct vtcp_conn *conn, struct vtcp_rcvq_reader *r,
			   bool nonblock);
void vtcp_stream_read_end(struct vtcp_conn *conn, struct vtcp_rcvq_reader *r);
ssize_t vtcp_stream_write(struct vtcp_conn *conn, struct iov_iter *from,
			  bool nonblock);
__poll_t vtcp_stream_poll(struct vtcp_conn *conn, struct file *file,
			  poll_table *wait);
int vtcp_stream_shutdown(struct vtcp_conn *conn, u32 how);
int vtcp_stream_abort(struct vtcp_conn *conn);
int vtcp_stream_wait_connected(struct vtcp_conn *conn, bool nonblock);
void vtcp_stream_release(struct vtcp_conn *conn);

#endif /* _VTCP_STREAM_H */
