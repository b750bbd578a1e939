/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _VTCP_DEBUG_H
#define _VTCP_DEBUG_H

void vtcp_debug_init(void);
void vtcp_debug_uninit(void);

#endif /* _VTCP_DEBUG_H */
