/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _VTCP_GENL_H
#define _VTCP_GENL_H

int vtcp_genl_init(void);
void vtcp_genl_uninit(void);

#endif /* _VTCP_GENL_H */
