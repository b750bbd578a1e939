/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _VTCP_PKTCHECK_H
#define _VTCP_PKTCHECK_H

#include <linux/skbuff.h>

/* The most a written packet may be: IPv6's header and largest payload. */
#define VTCP_PKTCHECK_MAX_LEN	(40 + 65535)

int vtcp_pktcheck(const struct sk_buff *skb);

#endif /* _VTCP_PKTCHECK_H */
