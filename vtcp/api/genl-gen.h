/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR MIT) */
/* Do not edit directly, auto-generated from: */
/*	Documentation/netlink/specs/vtcp.yaml */
/* YNL-GEN kernel header */

#ifndef _LINUX_VTCP_GEN_H
#define _LINUX_VTCP_GEN_H

#include <net/netlink.h>
#include <net/genetlink.h>

#include <uapi/linux/vtcp_netlink.h>
#include <linux/vtcp.h>
#include <linux/vtcp.h>
#include <linux/vtcp.h>

/* Common nested types */
extern const struct nla_policy vtcp_endpoint_nl_policy[VTCP_A_ENDPOINT_ADDR + 1];

int vtcp_nl_dev_dump_start(struct netlink_callback *cb);
int vtcp_nl_conn_dump_start(struct netlink_callback *cb);
int vtcp_nl_conn_dump_done(struct netlink_callback *cb);

int vtcp_nl_dev_get_doit(struct sk_buff *skb, struct genl_info *info);
int vtcp_nl_dev_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb);
int vtcp_nl_conn_get_doit(struct sk_buff *skb, struct genl_info *info);
int vtcp_nl_conn_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb);

extern struct genl_family vtcp_nl_family;

#endif /* _LINUX_VTCP_GEN_H */
