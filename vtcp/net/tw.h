/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _VTCP_TW_H
#define _VTCP_TW_H

#include "net/parse.h"

struct vtcp_conn;
struct vtcp_device;
struct vtcp_walk;

extern atomic_t vtcp_ntws;

int vtcp_tw_init(void);
void vtcp_tw_uninit(void);
int vtcp_tw_table_init(struct vtcp_device *vd);
void vtcp_tw_table_uninit(struct vtcp_device *vd);
bool vtcp_tw_replace(struct vtcp_conn *conn) __must_hold(&conn->tcb.lock);
enum vtcp_drop_reason vtcp_tw_rx(struct vtcp_device *vd,
				 const struct vtcp_pkt *pkt, u64 now,
				 bool *handled, bool *reopen);
bool vtcp_tw_next(struct vtcp_device *vd, u32 *slot, u32 *skip,
		  struct vtcp_tuple *tuple);
int vtcp_tw_walk(struct vtcp_device *vd, struct vtcp_walk *w,
		 int (*fn)(void *arg, const struct vtcp_tuple *tuple),
		 void *arg);

#endif /* _VTCP_TW_H */
