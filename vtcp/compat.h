/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every difference between the kernels vtcp builds against lives here. Kbuild
 * probes the target kernel's headers and defines VTCP_HAVE_<feature>; this
 * file gives the rest of the module one spelling for each feature.
 *
 * The engine includes it too (for the unaligned accessors), so it includes
 * nothing the engine may not: what needs a device or a timer is a macro,
 * expanded only where those headers are in scope.
 */
#ifndef _VTCP_COMPAT_H
#define _VTCP_COMPAT_H

#include <linux/skbuff.h>

#ifdef VTCP_HAVE_LINUX_UNALIGNED_H
#include <linux/unaligned.h>
#else
#include <asm/unaligned.h>
#endif

/* Lockless TX was a feature flag before it became a bit in net_device. */
#ifdef VTCP_HAVE_DEV_LLTX
#define vtcp_compat_set_lltx(dev)	((dev)->lltx = true)
#else
#define vtcp_compat_set_lltx(dev)	((dev)->features |= NETIF_F_LLTX)
#endif

/*
 * A device that never changes namespace: a feature flag, then a bit in
 * net_device (netns_local, renamed netns_immutable).
 */
#if defined(VTCP_HAVE_DEV_NETNS_IMMUTABLE)
#define vtcp_compat_set_netns_immutable(dev)	((dev)->netns_immutable = true)
#elif defined(VTCP_HAVE_DEV_NETNS_LOCAL)
#define vtcp_compat_set_netns_immutable(dev)	((dev)->netns_local = true)
#else
#define vtcp_compat_set_netns_immutable(dev)	\
	((dev)->features |= NETIF_F_NETNS_LOCAL)
#endif

/*
 * Emptying a queue of skbs under a drop reason: before the helpers came,
 * the loop they are.
 */
#ifndef VTCP_HAVE_SKB_QUEUE_PURGE_REASON
static inline void __skb_queue_purge_reason(struct sk_buff_head *list,
					    enum skb_drop_reason reason)
{
	struct sk_buff *skb;

	while ((skb = __skb_dequeue(list)))
		kfree_skb_reason(skb, reason);
}

static inline void skb_queue_purge_reason(struct sk_buff_head *list,
					  enum skb_drop_reason reason)
{
	struct sk_buff *skb;

	while ((skb = skb_dequeue(list)))
		kfree_skb_reason(skb, reason);
}
#endif

/* hrtimer_setup() replaced hrtimer_init() and the assignment after it. */
#ifndef VTCP_HAVE_HRTIMER_SETUP
#define hrtimer_setup(timer, fn, clock_id, mode)		\
	do {							\
		struct hrtimer *__timer = (timer);		\
								\
		hrtimer_init(__timer, clock_id, mode);		\
		__timer->function = (fn);			\
	} while (0)
#endif

#ifndef VTCP_HAVE_SKB_FRAG_FILL
static inline void skb_frag_fill_page_desc(skb_frag_t *frag, struct page *page,
					   int off, int size)
{
	__skb_frag_set_page(frag, page);
	skb_frag_off_set(frag, off);
	skb_frag_size_set(frag, size);
}
#endif

/*
 * skb_gso_segment() moved from netdevice.h to net/gso.h, which the engine
 * may not include: a file that segments defines VTCP_COMPAT_GSO before its
 * first include.
 */
#if defined(VTCP_COMPAT_GSO) && defined(VTCP_HAVE_NET_GSO_H)
#include <net/gso.h>
#endif

/*
 * Generic netlink: until split ops (6.2), a command was one genl_ops with
 * one policy for its do and its dump. The generated ops table
 * (api/genl-gen.c, which Kbuild makes include this file) then declares
 * genl_ops, twice per command (flagged GENL_CMD_CAP_DO and _DUMP, which
 * the genl core of then sets itself); vtcp_compat_genl_register() merges
 * each pair into one before registering, refusing pairs whose policies
 * differ (vtcp.yaml gives each command's do and dump the same request).
 */
#ifdef VTCP_HAVE_GENL_SPLIT_OPS
#define vtcp_compat_genl_register(family)	genl_register_family(family)
#else
#define genl_split_ops		genl_ops
#define split_ops		ops
#define n_split_ops		n_ops
#ifdef __NET_GENERIC_NETLINK_H
static inline int vtcp_compat_genl_register(struct genl_family *family)
{
	static struct genl_ops merged[8];
	const struct genl_ops *op, *end = family->ops + family->n_ops;
	unsigned int i, n = 0;

	for (op = family->ops; op < end; op++) {
		for (i = 0; i < n && merged[i].cmd != op->cmd; i++)
			;
		if (i == n) {
			if (n == ARRAY_SIZE(merged))
				return -E2BIG;
			merged[n] = *op;
			merged[n++].flags &= ~(GENL_CMD_CAP_DO |
					       GENL_CMD_CAP_DUMP);
			continue;
		}
		if (merged[i].maxattr != op->maxattr ||
		    !merged[i].policy != !op->policy ||
		    (op->policy &&
		     memcmp(merged[i].policy, op->policy,
			    (op->maxattr + 1) * sizeof(*op->policy))))
			return -EINVAL;
		merged[i].doit = merged[i].doit ?: op->doit;
		merged[i].start = merged[i].start ?: op->start;
		merged[i].dumpit = merged[i].dumpit ?: op->dumpit;
		merged[i].done = merged[i].done ?: op->done;
		merged[i].flags |= op->flags & ~(GENL_CMD_CAP_DO |
						 GENL_CMD_CAP_DUMP);
	}
	family->ops = merged;
	family->n_ops = n;
	return genl_register_family(family);
}
#endif
#endif

/*
 * Variable-width unsigned attributes (NLA_UINT, 6.8): 4 bytes while the
 * value fits, else 8, and no pad attribute (which YNL cannot decode).
 */
#if !defined(VTCP_HAVE_NLA_PUT_UINT) && defined(__NET_NETLINK_H)
static inline int nla_put_uint(struct sk_buff *skb, int attrtype, u64 value)
{
	u32 v32 = value;

	if (v32 == value)
		return nla_put_u32(skb, attrtype, v32);
	return nla_put(skb, attrtype, sizeof(value), &value);
}
#endif

/* The request's attributes in a dump: genl_info_dump() came with 6.2's. */
#ifdef VTCP_HAVE_GENL_INFO_DUMP
#define vtcp_compat_dump_attrs(cb)	(genl_info_dump(cb)->attrs)
#else
#define vtcp_compat_dump_attrs(cb)	(genl_dumpit_info(cb)->attrs)
#endif

#endif /* _VTCP_COMPAT_H */
