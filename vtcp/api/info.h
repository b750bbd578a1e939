/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _VTCP_INFO_H
#define _VTCP_INFO_H

#include <uapi/linux/vtcp.h>

struct vtcp_conn;
struct vtcp_listener;

void vtcp_info_conn(struct vtcp_conn *conn, struct vtcp_info *info);
void vtcp_info_listener(struct vtcp_listener *lsn, struct vtcp_info *info);

#endif /* _VTCP_INFO_H */
