/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _VTCP_ISN_H
#define _VTCP_ISN_H

#include <linux/siphash.h>

#include "tuple.h"

extern siphash_key_t vtcp_secret;

void vtcp_isn_init(void);

u32 vtcp_isn(const siphash_key_t *key, const struct vtcp_tuple *t, u64 now);
u32 vtcp_isn_ts_offset(const siphash_key_t *key, const struct vtcp_tuple *t);

#endif /* _VTCP_ISN_H */
