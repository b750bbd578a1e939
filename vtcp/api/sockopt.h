/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _VTCP_SOCKOPT_H
#define _VTCP_SOCKOPT_H

#include <uapi/linux/vtcp.h>

#include "engine/tcb.h"

struct vtcp_conn;
struct vtcp_listener;

int vtcp_opt_set(struct vtcp_cfg *cfg, const struct vtcp_opt *opt, bool opened);
int vtcp_opt_get(const struct vtcp_cfg *cfg, struct vtcp_opt *opt);
int vtcp_conn_setopt(struct vtcp_conn *conn, const struct vtcp_opt *opt);
int vtcp_conn_getopt(struct vtcp_conn *conn, struct vtcp_opt *opt);
void vtcp_conn_info(struct vtcp_conn *conn, struct vtcp_info *info);
void vtcp_listener_info(struct vtcp_listener *lsn, struct vtcp_info *info);

#endif /* _VTCP_SOCKOPT_H */
