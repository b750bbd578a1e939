/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _VTCP_PROC_H
#define _VTCP_PROC_H

int vtcp_proc_init(void);
void vtcp_proc_uninit(void);

#endif /* _VTCP_PROC_H */
