/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _VTCP_PROC_H
#define _VTCP_PROC_H

#include <linux/atomic.h>

extern atomic_t vtcp_proc_rcu_steps_max;

int vtcp_proc_init(void);
void vtcp_proc_uninit(void);

#endif /* _VTCP_PROC_H */
