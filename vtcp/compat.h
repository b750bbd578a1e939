/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every difference between the kernels vtcp builds against lives here. Kbuild
 * probes the target kernel's headers and defines VTCP_HAVE_<feature>; this
 * file gives the rest of the module one spelling for each feature.
 */
#ifndef _VTCP_COMPAT_H
#define _VTCP_COMPAT_H

#include <linux/fs.h>
#include <linux/hrtimer.h>
#include <linux/netdevice.h>
#include <linux/skbuff.h>

#ifdef VTCP_HAVE_LINUX_UNALIGNED_H
#include <linux/unaligned.h>
#else
#include <asm/unaligned.h>
#endif

/* Lockless TX was a feature flag before it became a bit in net_device. */
static inline void vtcp_compat_set_lltx(struct net_device *dev)
{
#ifdef VTCP_HAVE_DEV_LLTX
	dev->lltx = true;
#else
	dev->features |= NETIF_F_LLTX;
#endif
}

#ifndef VTCP_HAVE_HRTIMER_SETUP
static inline void hrtimer_setup(struct hrtimer *timer,
				 enum hrtimer_restart (*function)(struct hrtimer *),
				 clockid_t clock_id, enum hrtimer_mode mode)
{
	hrtimer_init(timer, clock_id, mode);
	timer->function = function;
}
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

/* splice() from a read_iter file: the helper was renamed. */
#ifdef VTCP_HAVE_COPY_SPLICE_READ
#define vtcp_compat_splice_read	copy_splice_read
#else
#define vtcp_compat_splice_read	generic_file_splice_read
#endif

#endif /* _VTCP_COMPAT_H */
