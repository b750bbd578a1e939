/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _VTCP_PARSE_H
#define _VTCP_PARSE_H

#include "engine/tcb.h"
#include "tuple.h"

struct vtcp_pkt {
	struct vtcp_tuple tuple;
	struct vtcp_seg seg;
};

enum vtcp_drop_reason vtcp_parse(struct sk_buff *skb, struct vtcp_pkt *pkt);

#endif /* _VTCP_PARSE_H */
