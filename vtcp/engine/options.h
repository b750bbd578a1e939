/* SPDX-License-Identifier: GPL-2.0 */
/*
 * TCP options: parsing what arrives and writing what leaves.
 */
#ifndef _VTCP_OPTIONS_H
#define _VTCP_OPTIONS_H

#include <linux/types.h>

#include "engine/proto.h"

enum {
	VTCP_TCPOPT_MSS		= BIT(0),
	VTCP_TCPOPT_WSCALE		= BIT(1),
	VTCP_TCPOPT_SACK_OK	= BIT(2),
	VTCP_TCPOPT_TS		= BIT(3),
	VTCP_TCPOPT_SACK		= BIT(4),
	/* Not an option: the parser clamped a window scale above 14. */
	VTCP_TCPOPT_WSCALE_CLAMPED	= BIT(7),
};

struct vtcp_sack_block {
	u32 start;
	u32 end;
};

struct vtcp_opts {
	u8 present;		/* VTCP_TCPOPT_* */
	u8 wscale;
	u8 nsack;
	u16 mss;
	u32 tsval;
	u32 tsecr;
	struct vtcp_sack_block sack[VTCP_MAX_SACK_BLOCKS];
};

int vtcp_opts_parse(const u8 *p, unsigned int len, struct vtcp_opts *o);
unsigned int vtcp_opts_size(const struct vtcp_opts *o);
void vtcp_opts_write(u8 *p, const struct vtcp_opts *o, unsigned int size);
u8 vtcp_wscale_for(u32 rcvbuf);

#endif /* _VTCP_OPTIONS_H */
