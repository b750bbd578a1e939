/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _VTCP_CHARDEV_H
#define _VTCP_CHARDEV_H

int vtcp_chardev_init(void);
void vtcp_chardev_uninit(void);

#endif /* _VTCP_CHARDEV_H */
