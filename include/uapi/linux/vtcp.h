/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * vtcp: a TCP endpoint behind a virtual network device, driven through
 * /dev/vtcp. See Documentation/vtcp.rst for every call and error.
 *
 * One open file of /dev/vtcp is one handle: unbound at first, then a
 * listener (VTCP_IOC_LISTEN) or a connection (VTCP_IOC_CONNECT). Accepted
 * connections are new descriptors (VTCP_IOC_ACCEPT), and so are those a
 * listener opens (VTCP_IOC_CONNECT_FD). A connection handle is read and
 * written like a stream socket. A handle may instead become its device's
 * packet channel (VTCP_IOC_PACKET): each read() gives one whole IPv4 or
 * IPv6 packet that vtcp does not take, each write() injects one as
 * received on the device.
 *
 * Every structure has fixed-width fields and no implicit padding, so 32-
 * and 64-bit callers share one layout. Each ioctl number encodes its
 * structure's size: a later version of a structure only grows at the end,
 * and the kernel accepts any size from the first version's up, treating
 * fields the caller did not pass as zero and refusing (-E2BIG) non-zero
 * fields it does not know. Unknown flag bits are -EINVAL; unknown ioctls
 * -ENOTTY.
 */
#ifndef _UAPI_LINUX_VTCP_H
#define _UAPI_LINUX_VTCP_H

#include <linux/ioctl.h>
#include <linux/types.h>

/* Connection states (RFC 9293 3.3.2), as reported by VTCP_IOC_INFO. */
enum vtcp_state {
	VTCP_CLOSED = 0,
	VTCP_LISTEN,
	VTCP_SYN_SENT,
	VTCP_SYN_RECEIVED,
	VTCP_ESTABLISHED,
	VTCP_FIN_WAIT_1,
	VTCP_FIN_WAIT_2,
	VTCP_CLOSE_WAIT,
	VTCP_CLOSING,
	VTCP_LAST_ACK,
	VTCP_TIME_WAIT,
	VTCP_NR_STATES
};

/*
 * An IPv4 or IPv6 address and a port, in network byte order as in struct
 * sockaddr_in(6). For IPv4 the address is in the first four bytes of addr.
 */
struct vtcp_endpoint {
	__u16 family;		/* AF_INET, AF_INET6; AF_UNSPEC: any (listen) */
	__be16 port;		/* 0: any (listen) or pick one (connect) */
	__u32 __reserved;	/* must be 0 */
	union {
		__be32 addr4;
		__u8 addr6[16];
	};
};

/*
 * Deferred accept: vtcp answers no SYN itself. Each is a request, taken
 * with VTCP_IOC_ACCEPT and VTCP_ACCEPT_REQUEST, then completed
 * (VTCP_IOC_COMPLETE) or refused (VTCP_IOC_REFUSE) on its descriptor. No
 * SYN cookies: past the SYN queue's bound a SYN is dropped and counted.
 */
#define VTCP_LISTEN_DEFER	(1U << 0)

/* Listen on a device: every field of @local may be a wildcard. */
struct vtcp_listen {
	__u32 ifindex;		/* a vtcp device in the caller's namespace */
	__u32 backlog;		/* accept queue length; 0: 128 */
	__u32 flags;		/* VTCP_LISTEN_* */
	__u32 __reserved;	/* must be 0 */
	struct vtcp_endpoint local;
};

#define VTCP_ACCEPT_CLOEXEC	(1U << 0)
#define VTCP_ACCEPT_NONBLOCK	(1U << 1)
/* A deferred listener's next request, not an established connection. */
#define VTCP_ACCEPT_REQUEST	(1U << 2)

#define VTCP_SYN_WSCALE		(1U << 0)	/* window scale offered */
#define VTCP_SYN_SACK_OK	(1U << 1)	/* SACK permitted */
#define VTCP_SYN_TS		(1U << 2)	/* timestamps: tsval */
#define VTCP_SYN_ECN		(1U << 3)	/* ECN-setup SYN (ECE and CWR) */

/* The options of a request's SYN, as the peer sent them. */
struct vtcp_syn_options {
	__u16 mss;		/* 0: none offered */
	__u8 wscale;		/* with VTCP_SYN_WSCALE */
	__u8 flags;		/* VTCP_SYN_* */
	__u32 tsval;		/* with VTCP_SYN_TS */
};

/*
 * Take the next established connection, or with VTCP_ACCEPT_REQUEST the
 * next request: returns (and fills in) its fd.
 */
struct vtcp_accept {
	__u32 flags;		/* VTCP_ACCEPT_* */
	__s32 fd;		/* out */
	struct vtcp_endpoint local;	/* out: vtcp's end */
	struct vtcp_endpoint remote;	/* out: the host's end */
	/* Version 1: */
	struct vtcp_syn_options syn;	/* out: a request's SYN; else 0 */
};

#define VTCP_REFUSE_RST		0	/* as a closed port: RST */
#define VTCP_REFUSE_ICMP	1	/* ICMP(v6) destination unreachable */

/*
 * Refuse a request. VTCP_REFUSE_ICMP: @type and @code of an ICMP (IPv4:
 * type 3, code 0-15 but 4) or ICMPv6 (type 1, code 0-6) destination
 * unreachable, which vtcp builds quoting the SYN.
 */
struct vtcp_refuse {
	__u32 how;		/* VTCP_REFUSE_* */
	__u8 type;
	__u8 code;
	__u16 __reserved;	/* must be 0 */
};

/*
 * Open a connection from vtcp's side to a listener of the host. @local is
 * vtcp's address (required) and port (0: one is picked). Blocks until the
 * connection is established unless the handle is O_NONBLOCK, in which case
 * it returns -EINPROGRESS and poll() reports EPOLLOUT (or EPOLLERR) when
 * done; VTCP_OPT_ERROR then tells how it went.
 */
struct vtcp_connect {
	__u32 ifindex;
	__u32 flags;		/* none defined yet */
	struct vtcp_endpoint local;
	struct vtcp_endpoint remote;
};

/*
 * VTCP_IOC_CONNECT from a listener's handle: the connection is a new
 * descriptor, returned (and filled in @fd) as VTCP_IOC_ACCEPT does, on the
 * listener's device (@connect.ifindex 0 or that device's index) and with
 * the options set on the listener. No /dev/vtcp open per connection, and
 * no unbound handle pinning a namespace. @fd_flags (VTCP_ACCEPT_*) are the
 * new descriptor's: with VTCP_ACCEPT_NONBLOCK the call returns it at once,
 * the handshake under way (EPOLLOUT or EPOLLERR on it when done, then
 * VTCP_OPT_ERROR); without, it returns once the connection is established
 * and fails, with no descriptor, if it is not.
 */
struct vtcp_connect_fd {
	struct vtcp_connect connect;
	__u32 fd_flags;		/* VTCP_ACCEPT_* */
	__s32 fd;		/* out */
};

#define VTCP_SHUT_RD		0
#define VTCP_SHUT_WR		1
#define VTCP_SHUT_RDWR		2

enum vtcp_opt_name {
	VTCP_OPT_KEEPALIVE = 1,	/* 0 or 1 */
	VTCP_OPT_KEEPIDLE,	/* seconds idle before the first probe */
	VTCP_OPT_KEEPINTVL,	/* seconds between probes */
	VTCP_OPT_KEEPCNT,	/* unanswered probes before giving up */
	VTCP_OPT_NODELAY,	/* 0 or 1: no Nagle */
	VTCP_OPT_CORK,		/* 0 or 1: only full segments */
	VTCP_OPT_USER_TIMEOUT,	/* ms data may stay unacknowledged; 0: off */
	VTCP_OPT_SNDBUF,	/* bytes */
	VTCP_OPT_RCVBUF,	/* bytes */
	VTCP_OPT_CONGESTION,	/* str: "cubic" (default) or "newreno" */
	VTCP_OPT_MAXSEG,	/* MSS clamp, before the connection opens */
	VTCP_OPT_LINGER_ABORT,	/* 0 or 1: close sends RST, drops data */
	VTCP_OPT_SACK,		/* 0 or 1, before the connection opens */
	VTCP_OPT_TIMESTAMPS,	/* 0 or 1, before the connection opens */
	VTCP_OPT_WINDOW_SCALING, /* 0 or 1, before the connection opens */
	VTCP_OPT_TIME_WAIT,	/* ms in TIME-WAIT */
	VTCP_OPT_ERROR,		/* get only: pending error (-errno), cleared */
	VTCP_OPT_NOSIGPIPE,	/* 0 or 1: write() gets -EPIPE, no SIGPIPE */
	VTCP_OPT_ECN,		/* 0 or 1 (default): ECN, before the connection opens */
	VTCP_OPT_RACK,		/* 0 or 1 (default): RACK-TLP loss detection */
	VTCP_OPT_DEFER_TIMEOUT,	/* ms a deferred listener's request waits */
	VTCP_OPT_MAX
};

struct vtcp_opt {
	__u32 name;		/* enum vtcp_opt_name */
	__u32 __reserved;	/* must be 0 */
	union {
		__u64 value;
		char str[16];	/* NUL-terminated */
	};
};

#define VTCP_INFO_OPT_TIMESTAMPS	(1U << 0)
#define VTCP_INFO_OPT_SACK		(1U << 1)
#define VTCP_INFO_OPT_WSCALE		(1U << 2)
#define VTCP_INFO_OPT_ECN		(1U << 3)

enum vtcp_ca_state {
	VTCP_CA_STATE_OPEN = 0,
	VTCP_CA_STATE_DISORDER,
	VTCP_CA_STATE_RECOVERY,
	VTCP_CA_STATE_LOSS,
};

/* What VTCP_IOC_INFO reports; like struct tcp_info. Times in us. */
struct vtcp_info {
	__u8 state;		/* enum vtcp_state */
	__u8 ca_state;		/* enum vtcp_ca_state */
	__u8 options;		/* VTCP_INFO_OPT_* in use */
	__u8 snd_wscale;
	__u8 rcv_wscale;
	__u8 backoff;
	__u8 probes;
	__u8 __pad;
	__u32 rto;
	__u32 srtt;
	__u32 rttvar;
	__u32 rtt_min;
	__u32 snd_mss;
	__u32 rcv_mss;
	__u32 snd_cwnd;		/* bytes */
	__u32 snd_ssthresh;	/* bytes */
	__u32 snd_wnd;
	__u32 rcv_wnd;
	__u32 unacked;		/* bytes sent, not acknowledged */
	__u32 sacked;
	__u32 lost;
	__u32 retrans;
	__u32 reordering;
	__u32 notsent;		/* bytes written, not yet sent */
	__u32 rcv_queued;	/* bytes ready for read() */
	__u32 ifindex;
	__s32 error;		/* pending error, -errno */
	__u32 __pad2;
	__u64 bytes_sent;
	__u64 bytes_retrans;
	__u64 bytes_acked;
	__u64 bytes_received;
	__u32 segs_out;
	__u32 segs_in;
	__u32 data_segs_out;
	__u32 data_segs_in;
	__u32 total_retrans;	/* segments */
	__u32 rto_expirations;
	__u32 fast_retrans;
	__u32 dsacks;
	__u32 ooo_segs;
	__u32 challenge_acks;
	__u32 zero_window_probes;
	__u32 keepalive_probes;
	char congestion[16];
	struct vtcp_endpoint local;
	struct vtcp_endpoint remote;
	/* The first version ends here (VTCP_INFO_SIZE_VER0). */
	__u32 snd_records;	/* send-queue records (in-flight pieces) now */
	__u32 snd_records_max;	/* the most there have been */
	__u32 records_walked_max; /* the most records one ACK made vtcp visit */
	__u32 sack_splits_refused; /* SACK blocks left unmarked: record cap */
};

#define VTCP_INFO_SIZE_VER0	232	/* up to and with @remote */
/*
 * Make the handle its device's packet channel: read() returns, one whole
 * packet per call, what the host routes into the device that vtcp does not
 * terminate (every protocol but TCP, and IPv4 fragments), segmented and
 * with its checksums complete as on a wire; write() injects one whole,
 * checked packet as received on the device. One per device.
 */
struct vtcp_packet {
	__u32 ifindex;
	__u32 flags;		/* none defined yet */
	__u32 queue_len;	/* packets waiting for read(); 0: 512, max 4096 */
	__u32 __reserved;	/* must be 0 */
};

#define VTCP_IOC_MAGIC		0xD7

#define VTCP_IOC_LISTEN		_IOW(VTCP_IOC_MAGIC, 1, struct vtcp_listen)
#define VTCP_IOC_ACCEPT		_IOWR(VTCP_IOC_MAGIC, 2, struct vtcp_accept)
#define VTCP_IOC_CONNECT	_IOW(VTCP_IOC_MAGIC, 3, struct vtcp_connect)
#define VTCP_IOC_SHUTDOWN	_IOW(VTCP_IOC_MAGIC, 4, __u32)
#define VTCP_IOC_ABORT		_IO(VTCP_IOC_MAGIC, 5)
#define VTCP_IOC_SETOPT		_IOW(VTCP_IOC_MAGIC, 6, struct vtcp_opt)
#define VTCP_IOC_GETOPT		_IOWR(VTCP_IOC_MAGIC, 7, struct vtcp_opt)
#define VTCP_IOC_INFO		_IOR(VTCP_IOC_MAGIC, 8, struct vtcp_info)
#define VTCP_IOC_PACKET		_IOW(VTCP_IOC_MAGIC, 9, struct vtcp_packet)
#define VTCP_IOC_COMPLETE	_IO(VTCP_IOC_MAGIC, 10)
#define VTCP_IOC_REFUSE		_IOW(VTCP_IOC_MAGIC, 11, struct vtcp_refuse)
#define VTCP_IOC_CONNECT_FD	_IOWR(VTCP_IOC_MAGIC, 12, struct vtcp_connect_fd)

#endif /* _UAPI_LINUX_VTCP_H */
