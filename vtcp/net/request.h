/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _VTCP_REQUEST_H
#define _VTCP_REQUEST_H

#include <linux/skbuff.h>
#include <uapi/linux/vtcp.h>

#include "drop.h"

struct vtcp_conn;
struct vtcp_pkt;

int vtcp_request_start(struct vtcp_conn *conn, const struct vtcp_pkt *pkt,
		       u64 now)
	__must_hold(&conn->tcb.lock);
enum vtcp_drop_reason vtcp_request_rx(struct vtcp_conn *conn,
				      const struct vtcp_pkt *pkt)
	__must_hold(&conn->tcb.lock);
void vtcp_request_syn_options(struct vtcp_conn *conn,
			      struct vtcp_syn_options *syn);
int vtcp_request_complete(struct vtcp_conn *conn);
int vtcp_request_refuse(struct vtcp_conn *conn, const struct vtcp_refuse *r);
void vtcp_request_free(struct vtcp_conn *conn);

#endif /* _VTCP_REQUEST_H */
