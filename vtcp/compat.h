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

#endif /* _VTCP_COMPAT_H */
