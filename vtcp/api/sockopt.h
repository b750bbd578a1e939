/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _VTCP_SOCKOPT_H
#define _VTCP_SOCKOPT_H

#include <uapi/linux/vtcp.h>

#include "engine/tcb.h"

struct vtcp_conn;

int vtcp_opt_set(struct vtcp_cfg *cfg, const struct vtcp_opt *opt, bool opened);
int vtcp_opt_get(const struct vtcp_cfg *cfg, struct vtcp_opt *opt);
int vtcp_opt_conn_set(struct vtcp_conn *conn, const struct vtcp_opt *opt);
int vtcp_opt_conn_get(struct vtcp_conn *conn, struct vtcp_opt *opt);

#endif /* _VTCP_SOCKOPT_H */
