/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _VTCP_PERM_H
#define _VTCP_PERM_H

struct file;
struct net;

int vtcp_perm_bind(const struct file *file, const struct net *net);
int vtcp_perm_link(const struct net *net);

#endif /* _VTCP_PERM_H */
