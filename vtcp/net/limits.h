/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _VTCP_LIMITS_H
#define _VTCP_LIMITS_H

#include <linux/atomic.h>
#include <linux/types.h>

extern atomic_long_t vtcp_mem;

u64 vtcp_now(void);
bool vtcp_over_limits(void);

#endif /* _VTCP_LIMITS_H */
