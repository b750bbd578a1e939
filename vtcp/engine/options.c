// SPDX-License-Identifier: GPL-2.0
/*
 * TCP options (RFC 9293 3.2, RFC 7323, RFC 2018).
 *
 * A malformed option list (a length below 2 or past the header, a wrong
 * length for a known kind, a kind seen twice, MSS 0) makes the whole segment
 * malformed: the caller drops it and counts it. RFC 9293 (MUST-7) requires
 * surviving an illegal length and suggests a reset; a drop gives a blind
 * attacker nothing while a real peer retransmits. A window scale above 14 is
 * used as 14 (RFC 7323 2.3). SACK blocks whose end does not follow their
 * start are discarded, the rest kept.
 */

#include <kunit/visibility.h>
#include <linux/bits.h>
#include <linux/errno.h>
#include <linux/kernel.h>

#include "compat.h"
#include "engine/options.h"
#include "engine/proto.h"
#include "engine/seq.h"

static int vtcp_opt_once(struct vtcp_opts *o, u8 bit)
{
	if (o->present & bit)
		return -EINVAL;
	o->present |= bit;
	return 0;
}

int vtcp_opts_parse(const u8 *p, unsigned int len, struct vtcp_opts *o)
{
	const u8 *end = p + len;

	memset(o, 0, sizeof(*o));
	while (p < end) {
		u8 kind = p[0], size;
		int i, n;

		if (kind == VTCP_OPTKIND_EOL)
			break;
		if (kind == VTCP_OPTKIND_NOP) {
			p++;
			continue;
		}
		if (end - p < 2)
			return -EINVAL;
		size = p[1];
		if (size < 2 || size > end - p)
			return -EINVAL;

		switch (kind) {
		case VTCP_OPTKIND_MSS:
			if (size != VTCP_OPTLEN_MSS ||
			    vtcp_opt_once(o, VTCP_TCPOPT_MSS))
				return -EINVAL;
			o->mss = get_unaligned_be16(p + 2);
			if (!o->mss)
				return -EINVAL;
			break;
		case VTCP_OPTKIND_WSCALE:
			if (size != VTCP_OPTLEN_WSCALE ||
			    vtcp_opt_once(o, VTCP_TCPOPT_WSCALE))
				return -EINVAL;
			o->wscale = p[2];
			if (o->wscale > VTCP_MAX_WSCALE) {
				o->wscale = VTCP_MAX_WSCALE;
				o->present |= VTCP_TCPOPT_WSCALE_CLAMPED;
			}
			break;
		case VTCP_OPTKIND_SACK_OK:
			if (size != VTCP_OPTLEN_SACK_OK ||
			    vtcp_opt_once(o, VTCP_TCPOPT_SACK_OK))
				return -EINVAL;
			break;
		case VTCP_OPTKIND_TS:
			if (size != VTCP_OPTLEN_TS ||
			    vtcp_opt_once(o, VTCP_TCPOPT_TS))
				return -EINVAL;
			o->tsval = get_unaligned_be32(p + 2);
			o->tsecr = get_unaligned_be32(p + 6);
			break;
		case VTCP_OPTKIND_SACK:
			n = (size - VTCP_OPTLEN_SACK_BASE) /
			    VTCP_OPTLEN_SACK_BLOCK;
			if ((size - VTCP_OPTLEN_SACK_BASE) %
			    VTCP_OPTLEN_SACK_BLOCK ||
			    n < 1 || n > VTCP_MAX_SACK_BLOCKS ||
			    vtcp_opt_once(o, VTCP_TCPOPT_SACK))
				return -EINVAL;
			for (i = 0; i < n; i++) {
				u32 s = get_unaligned_be32(p + 2 + 8 * i);
				u32 e = get_unaligned_be32(p + 6 + 8 * i);

				if (!vtcp_seq_lt(s, e))
					continue;
				o->sack[o->nsack].start = s;
				o->sack[o->nsack].end = e;
				o->nsack++;
			}
			break;
		default:
			/* Unknown kinds are skipped (RFC 9293 MUST-6). */
			break;
		}
		p += size;
	}
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(vtcp_opts_parse);

/* Bytes the options take on the wire, padded to a multiple of 4. */
unsigned int vtcp_opts_size(const struct vtcp_opts *o)
{
	unsigned int size = 0;

	if (o->present & VTCP_TCPOPT_MSS)
		size += VTCP_OPTLEN_MSS;
	if (o->present & VTCP_TCPOPT_TS)
		size += VTCP_OPTLEN_TS_ALIGNED;	/* SACK_OK rides in its NOPs */
	else if (o->present & VTCP_TCPOPT_SACK_OK)
		size += 4;
	if (o->present & VTCP_TCPOPT_WSCALE)
		size += 4;
	if ((o->present & VTCP_TCPOPT_SACK) && o->nsack)
		size += 4 + VTCP_OPTLEN_SACK_BLOCK * o->nsack;
	return size;
}
EXPORT_SYMBOL_IF_KUNIT(vtcp_opts_size);

/*
 * Write the options in the layout Linux uses, so that every option starts
 * 4-byte aligned: MSS, then SACK_OK+TS (or NOP NOP TS), NOP+WSCALE, then
 * NOP NOP SACK. @size is what vtcp_opts_size() returned.
 */
void vtcp_opts_write(u8 *p, const struct vtcp_opts *o, unsigned int size)
{
	u8 *start = p;
	int i;

	if (o->present & VTCP_TCPOPT_MSS) {
		*p++ = VTCP_OPTKIND_MSS;
		*p++ = VTCP_OPTLEN_MSS;
		put_unaligned_be16(o->mss, p);
		p += 2;
	}
	if (o->present & VTCP_TCPOPT_TS) {
		if (o->present & VTCP_TCPOPT_SACK_OK) {
			*p++ = VTCP_OPTKIND_SACK_OK;
			*p++ = VTCP_OPTLEN_SACK_OK;
		} else {
			*p++ = VTCP_OPTKIND_NOP;
			*p++ = VTCP_OPTKIND_NOP;
		}
		*p++ = VTCP_OPTKIND_TS;
		*p++ = VTCP_OPTLEN_TS;
		put_unaligned_be32(o->tsval, p);
		put_unaligned_be32(o->tsecr, p + 4);
		p += 8;
	} else if (o->present & VTCP_TCPOPT_SACK_OK) {
		*p++ = VTCP_OPTKIND_NOP;
		*p++ = VTCP_OPTKIND_NOP;
		*p++ = VTCP_OPTKIND_SACK_OK;
		*p++ = VTCP_OPTLEN_SACK_OK;
	}
	if (o->present & VTCP_TCPOPT_WSCALE) {
		*p++ = VTCP_OPTKIND_NOP;
		*p++ = VTCP_OPTKIND_WSCALE;
		*p++ = VTCP_OPTLEN_WSCALE;
		*p++ = o->wscale;
	}
	if ((o->present & VTCP_TCPOPT_SACK) && o->nsack) {
		*p++ = VTCP_OPTKIND_NOP;
		*p++ = VTCP_OPTKIND_NOP;
		*p++ = VTCP_OPTKIND_SACK;
		*p++ = VTCP_OPTLEN_SACK_BASE +
		       VTCP_OPTLEN_SACK_BLOCK * o->nsack;
		for (i = 0; i < o->nsack; i++) {
			put_unaligned_be32(o->sack[i].start, p);
			put_unaligned_be32(o->sack[i].end, p + 4);
			p += 8;
		}
	}
	WARN_ON_ONCE(p - start != size);
}
EXPORT_SYMBOL_IF_KUNIT(vtcp_opts_write);

/* The smallest window scale that lets the window describe all of @rcvbuf. */
u8 vtcp_wscale_for(u32 rcvbuf)
{
	u8 s = 0;

	while (s < VTCP_MAX_WSCALE && (VTCP_MAX_WINDOW << s) < rcvbuf)
		s++;
	return s;
}
EXPORT_SYMBOL_IF_KUNIT(vtcp_wscale_for);
