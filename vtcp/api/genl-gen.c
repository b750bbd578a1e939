// SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR MIT)
/* Do not edit directly, auto-generated from: */
/*	Documentation/netlink/specs/vtcp.yaml */
/* YNL-GEN kernel source */

#include <net/netlink.h>
#include <net/genetlink.h>

#include "genl-gen.h"

#include <uapi/linux/vtcp_netlink.h>
#include <linux/vtcp.h>
#include <linux/vtcp.h>
#include <linux/vtcp.h>

/* Common nested types */
const struct nla_policy vtcp_endpoint_nl_policy[VTCP_A_ENDPOINT_ADDR + 1] = {
	[VTCP_A_ENDPOINT_FAMILY] = { .type = NLA_U16, },
	[VTCP_A_ENDPOINT_PORT] = { .type = NLA_U16, },
	[VTCP_A_ENDPOINT_ADDR] = { .type = NLA_BINARY, },
};

/* VTCP_CMD_DEV_GET - do */
static const struct nla_policy vtcp_dev_get_do_nl_policy[VTCP_A_DEV_IFINDEX + 1] = {
	[VTCP_A_DEV_IFINDEX] = NLA_POLICY_MIN(NLA_U32, 1),
};

/* VTCP_CMD_DEV_GET - dump */
static const struct nla_policy vtcp_dev_get_dump_nl_policy[VTCP_A_DEV_IFINDEX + 1] = {
	[VTCP_A_DEV_IFINDEX] = NLA_POLICY_MIN(NLA_U32, 1),
};

/* VTCP_CMD_CONN_GET - do */
static const struct nla_policy vtcp_conn_get_do_nl_policy[VTCP_A_CONN_REMOTE + 1] = {
	[VTCP_A_CONN_IFINDEX] = NLA_POLICY_MIN(NLA_U32, 1),
	[VTCP_A_CONN_STATE_MASK] = { .type = NLA_U32, },
	[VTCP_A_CONN_LOCAL] = NLA_POLICY_NESTED(vtcp_endpoint_nl_policy),
	[VTCP_A_CONN_REMOTE] = NLA_POLICY_NESTED(vtcp_endpoint_nl_policy),
};

/* VTCP_CMD_CONN_GET - dump */
static const struct nla_policy vtcp_conn_get_dump_nl_policy[VTCP_A_CONN_REMOTE + 1] = {
	[VTCP_A_CONN_IFINDEX] = NLA_POLICY_MIN(NLA_U32, 1),
	[VTCP_A_CONN_STATE_MASK] = { .type = NLA_U32, },
	[VTCP_A_CONN_LOCAL] = NLA_POLICY_NESTED(vtcp_endpoint_nl_policy),
	[VTCP_A_CONN_REMOTE] = NLA_POLICY_NESTED(vtcp_endpoint_nl_policy),
};

/* Ops table for vtcp */
static const struct genl_split_ops vtcp_nl_ops[] = {
	{
		.cmd		= VTCP_CMD_DEV_GET,
		.doit		= vtcp_nl_dev_get_doit,
		.policy		= vtcp_dev_get_do_nl_policy,
		.maxattr	= VTCP_A_DEV_IFINDEX,
		.flags		= GENL_CMD_CAP_DO,
	},
	{
		.cmd		= VTCP_CMD_DEV_GET,
		.start		= vtcp_nl_dev_dump_start,
		.dumpit		= vtcp_nl_dev_get_dumpit,
		.policy		= vtcp_dev_get_dump_nl_policy,
		.maxattr	= VTCP_A_DEV_IFINDEX,
		.flags		= GENL_CMD_CAP_DUMP,
	},
	{
		.cmd		= VTCP_CMD_CONN_GET,
		.doit		= vtcp_nl_conn_get_doit,
		.policy		= vtcp_conn_get_do_nl_policy,
		.maxattr	= VTCP_A_CONN_REMOTE,
		.flags		= GENL_CMD_CAP_DO,
	},
	{
		.cmd		= VTCP_CMD_CONN_GET,
		.start		= vtcp_nl_conn_dump_start,
		.dumpit		= vtcp_nl_conn_get_dumpit,
		.done		= vtcp_nl_conn_dump_done,
		.policy		= vtcp_conn_get_dump_nl_policy,
		.maxattr	= VTCP_A_CONN_REMOTE,
		.flags		= GENL_CMD_CAP_DUMP,
	},
};

struct genl_family vtcp_nl_family __ro_after_init = {
	.name		= VTCP_FAMILY_NAME,
	.version	= VTCP_FAMILY_VERSION,
	.netnsok	= true,
	.parallel_ops	= true,
	.module		= THIS_MODULE,
	.split_ops	= vtcp_nl_ops,
	.n_split_ops	= ARRAY_SIZE(vtcp_nl_ops),
};
