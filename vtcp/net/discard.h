/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _VTCP_DISCARD_H
#define _VTCP_DISCARD_H

#include <linux/skbuff.h>

#include "drop.h"
#include "tuple.h"

struct vtcp_device;

enum skb_drop_reason vtcp_discard_core(enum vtcp_drop_reason reason);
bool vtcp_discard_core_exact(enum vtcp_drop_reason reason);
const char *vtcp_discard_name(enum vtcp_drop_reason reason);
void vtcp_discard(struct vtcp_device *vd, struct sk_buff *skb,
		  enum vtcp_drop_reason reason, const struct vtcp_tuple *tuple);

#endif /* _VTCP_DISCARD_H */
