/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _VTCP_PACKET_H
#define _VTCP_PACKET_H

#include <linux/fs.h>
#include <linux/poll.h>
#include <linux/uio.h>

struct vtcp_pktchan;

ssize_t vtcp_packet_read(struct vtcp_pktchan *chan, struct iov_iter *to,
			 bool nonblock);
ssize_t vtcp_packet_write(struct vtcp_pktchan *chan, struct iov_iter *from);
__poll_t vtcp_packet_poll(struct vtcp_pktchan *chan, struct file *file,
			  poll_table *wait);

#endif /* _VTCP_PACKET_H */
