/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _VTCP_SPLICE_H
#define _VTCP_SPLICE_H

#include <linux/types.h>

struct pipe_inode_info;
struct vtcp_conn;

ssize_t vtcp_splice_read(struct vtcp_conn *conn, struct pipe_inode_info *pipe,
			 size_t len, bool nonblock);

#endif /* _VTCP_SPLICE_H */
