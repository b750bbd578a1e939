/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The layout of every UAPI structure, field by field, as fixed numbers: a
 * compiler that disagrees (another ABI, implicit padding, a field moved)
 * stops the build. Included by compat_test.c (64-bit) and compat32.c
 * (built with -m32), so both ABIs are held to the same figures.
 *
 * Each structure's fields follow one another with no gap, and the last
 * one ends at the structure's size: there is no padding anywhere.
 */
#ifndef _VTCP_SELFTEST_LAYOUT_H
#define _VTCP_SELFTEST_LAYOUT_H

#include <stddef.h>
#include <linux/vtcp.h>

#define VTCP_FIELD(s, f, off, size)					\
	_Static_assert(offsetof(struct s, f) == (off) &&		\
		       sizeof(((struct s *)0)->f) == (size),		\
		       #s "." #f " moved or resized")
#define VTCP_SIZE(s, size)						\
	_Static_assert(sizeof(struct s) == (size), #s " resized")

VTCP_SIZE(vtcp_endpoint, 24);
VTCP_SIZE(vtcp_listen, 40);
VTCP_SIZE(vtcp_accept, 64);
VTCP_SIZE(vtcp_syn_options, 8);
VTCP_SIZE(vtcp_refuse, 8);
VTCP_SIZE(vtcp_connect_fd, 64);
VTCP_SIZE(vtcp_connect, 56);
VTCP_SIZE(vtcp_opt, 24);
VTCP_SIZE(vtcp_info, 248);
VTCP_SIZE(vtcp_packet, 16);

VTCP_FIELD(vtcp_packet, ifindex, 0, 4);
VTCP_FIELD(vtcp_packet, flags, 4, 4);
VTCP_FIELD(vtcp_packet, queue_len, 8, 4);
VTCP_FIELD(vtcp_packet, __reserved, 12, 4);

VTCP_FIELD(vtcp_endpoint, family, 0, 2);
VTCP_FIELD(vtcp_endpoint, port, 2, 2);
VTCP_FIELD(vtcp_endpoint, __reserved, 4, 4);
VTCP_FIELD(vtcp_endpoint, addr4, 8, 4);
VTCP_FIELD(vtcp_endpoint, addr6, 8, 16);
VTCP_FIELD(vtcp_listen, ifindex, 0, 4);
VTCP_FIELD(vtcp_listen, backlog, 4, 4);
VTCP_FIELD(vtcp_listen, flags, 8, 4);
VTCP_FIELD(vtcp_listen, __reserved, 12, 4);
VTCP_FIELD(vtcp_listen, local, 16, 24);
VTCP_FIELD(vtcp_accept, flags, 0, 4);
VTCP_FIELD(vtcp_accept, fd, 4, 4);
VTCP_FIELD(vtcp_accept, local, 8, 24);
VTCP_FIELD(vtcp_accept, remote, 32, 24);
VTCP_FIELD(vtcp_accept, syn, 56, 8);
VTCP_FIELD(vtcp_syn_options, mss, 0, 2);
VTCP_FIELD(vtcp_syn_options, wscale, 2, 1);
VTCP_FIELD(vtcp_syn_options, flags, 3, 1);
VTCP_FIELD(vtcp_syn_options, tsval, 4, 4);
VTCP_FIELD(vtcp_refuse, how, 0, 4);
VTCP_FIELD(vtcp_refuse, type, 4, 1);
VTCP_FIELD(vtcp_refuse, code, 5, 1);
VTCP_FIELD(vtcp_refuse, __reserved, 6, 2);
VTCP_FIELD(vtcp_connect_fd, connect, 0, 56);
VTCP_FIELD(vtcp_connect_fd, fd_flags, 56, 4);
VTCP_FIELD(vtcp_connect_fd, fd, 60, 4);
VTCP_FIELD(vtcp_connect, ifindex, 0, 4);
VTCP_FIELD(vtcp_connect, flags, 4, 4);
VTCP_FIELD(vtcp_connect, local, 8, 24);
VTCP_FIELD(vtcp_connect, remote, 32, 24);
VTCP_FIELD(vtcp_opt, name, 0, 4);
VTCP_FIELD(vtcp_opt, __reserved, 4, 4);
VTCP_FIELD(vtcp_opt, value, 8, 8);
VTCP_FIELD(vtcp_opt, str, 8, 16);
VTCP_FIELD(vtcp_info, state, 0, 1);
VTCP_FIELD(vtcp_info, ca_state, 1, 1);
VTCP_FIELD(vtcp_info, options, 2, 1);
VTCP_FIELD(vtcp_info, snd_wscale, 3, 1);
VTCP_FIELD(vtcp_info, rcv_wscale, 4, 1);
VTCP_FIELD(vtcp_info, backoff, 5, 1);
VTCP_FIELD(vtcp_info, probes, 6, 1);
VTCP_FIELD(vtcp_info, __pad, 7, 1);
VTCP_FIELD(vtcp_info, rto, 8, 4);
VTCP_FIELD(vtcp_info, srtt, 12, 4);
VTCP_FIELD(vtcp_info, rttvar, 16, 4);
VTCP_FIELD(vtcp_info, rtt_min, 20, 4);
VTCP_FIELD(vtcp_info, snd_mss, 24, 4);
VTCP_FIELD(vtcp_info, rcv_mss, 28, 4);
VTCP_FIELD(vtcp_info, snd_cwnd, 32, 4);
VTCP_FIELD(vtcp_info, snd_ssthresh, 36, 4);
VTCP_FIELD(vtcp_info, snd_wnd, 40, 4);
VTCP_FIELD(vtcp_info, rcv_wnd, 44, 4);
VTCP_FIELD(vtcp_info, unacked, 48, 4);
VTCP_FIELD(vtcp_info, sacked, 52, 4);
VTCP_FIELD(vtcp_info, lost, 56, 4);
VTCP_FIELD(vtcp_info, retrans, 60, 4);
VTCP_FIELD(vtcp_info, reordering, 64, 4);
VTCP_FIELD(vtcp_info, notsent, 68, 4);
VTCP_FIELD(vtcp_info, rcv_queued, 72, 4);
VTCP_FIELD(vtcp_info, ifindex, 76, 4);
VTCP_FIELD(vtcp_info, error, 80, 4);
VTCP_FIELD(vtcp_info, __pad2, 84, 4);
VTCP_FIELD(vtcp_info, bytes_sent, 88, 8);
VTCP_FIELD(vtcp_info, bytes_retrans, 96, 8);
VTCP_FIELD(vtcp_info, bytes_acked, 104, 8);
VTCP_FIELD(vtcp_info, bytes_received, 112, 8);
VTCP_FIELD(vtcp_info, segs_out, 120, 4);
VTCP_FIELD(vtcp_info, segs_in, 124, 4);
VTCP_FIELD(vtcp_info, data_segs_out, 128, 4);
VTCP_FIELD(vtcp_info, data_segs_in, 132, 4);
VTCP_FIELD(vtcp_info, total_retrans, 136, 4);
VTCP_FIELD(vtcp_info, rto_expirations, 140, 4);
VTCP_FIELD(vtcp_info, fast_retrans, 144, 4);
VTCP_FIELD(vtcp_info, dsacks, 148, 4);
VTCP_FIELD(vtcp_info, ooo_segs, 152, 4);
VTCP_FIELD(vtcp_info, challenge_acks, 156, 4);
VTCP_FIELD(vtcp_info, zero_window_probes, 160, 4);
VTCP_FIELD(vtcp_info, keepalive_probes, 164, 4);
VTCP_FIELD(vtcp_info, congestion, 168, 16);
VTCP_FIELD(vtcp_info, local, 184, 24);
VTCP_FIELD(vtcp_info, remote, 208, 24);
VTCP_FIELD(vtcp_info, snd_records, 232, 4);
VTCP_FIELD(vtcp_info, snd_records_max, 236, 4);
VTCP_FIELD(vtcp_info, records_walked_max, 240, 4);
VTCP_FIELD(vtcp_info, sack_splits_refused, 244, 4);
/* Callers built against the first version pass this much. */
_Static_assert(VTCP_INFO_SIZE_VER0 == 232, "INFO's first version");

/* The ioctl numbers carry those sizes: the same numbers for both ABIs. */
_Static_assert(_IOC_SIZE(VTCP_IOC_LISTEN) == 40, "LISTEN");
/* ACCEPT is at version 1; version 0 (56, 0xc038d702) is still taken. */
_Static_assert(_IOC_SIZE(VTCP_IOC_ACCEPT) == 64, "ACCEPT");
_Static_assert(_IOC_SIZE(VTCP_IOC_CONNECT) == 56, "CONNECT");
_Static_assert(_IOC_SIZE(VTCP_IOC_SHUTDOWN) == 4, "SHUTDOWN");
_Static_assert(_IOC_SIZE(VTCP_IOC_ABORT) == 0, "ABORT");
_Static_assert(_IOC_SIZE(VTCP_IOC_SETOPT) == 24, "SETOPT");
_Static_assert(_IOC_SIZE(VTCP_IOC_GETOPT) == 24, "GETOPT");
_Static_assert(_IOC_SIZE(VTCP_IOC_INFO) == 248, "INFO");
_Static_assert(_IOC_SIZE(VTCP_IOC_PACKET) == 16, "PACKET");
_Static_assert(_IOC_SIZE(VTCP_IOC_COMPLETE) == 0, "COMPLETE");
_Static_assert(_IOC_SIZE(VTCP_IOC_REFUSE) == 8, "REFUSE");
_Static_assert(_IOC_SIZE(VTCP_IOC_CONNECT_FD) == 64, "CONNECT_FD");
_Static_assert(VTCP_IOC_LISTEN == 0x4028d701, "LISTEN number");
_Static_assert(VTCP_IOC_ACCEPT == 0xc040d702, "ACCEPT number");
_Static_assert(VTCP_IOC_CONNECT == 0x4038d703, "CONNECT number");
_Static_assert(VTCP_IOC_SHUTDOWN == 0x4004d704, "SHUTDOWN number");
_Static_assert(VTCP_IOC_ABORT == 0x0000d705, "ABORT number");
_Static_assert(VTCP_IOC_SETOPT == 0x4018d706, "SETOPT number");
_Static_assert(VTCP_IOC_GETOPT == 0xc018d707, "GETOPT number");
_Static_assert(VTCP_IOC_INFO == 0x80f8d708, "INFO number");
_Static_assert(VTCP_IOC_PACKET == 0x4010d709, "PACKET number");
_Static_assert(VTCP_IOC_COMPLETE == 0x0000d70a, "COMPLETE number");
_Static_assert(VTCP_IOC_REFUSE == 0x4008d70b, "REFUSE number");
_Static_assert(VTCP_IOC_CONNECT_FD == 0xc040d70c, "CONNECT_FD number");

#endif /* _VTCP_SELFTEST_LAYOUT_H */
