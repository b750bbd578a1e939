/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vtcpctl: drive and inspect vtcp from the command line. Shared between
 * vtcpctl.c (commands and options), addr.c (endpoints), serve.c (the
 * connection loop of listen and connect) and show.c (ls, stat, -v).
 */
#ifndef _VTCPCTL_H
#define _VTCPCTL_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/vtcp.h>

/* Exit codes. */
#define EXIT_OK		0
#define EXIT_FAIL	1
#define EXIT_USAGE	2

enum vtcpctl_mode {
	MODE_CAT,	/* the connection to stdout, stdin to it */
	MODE_ECHO,	/* every byte back to the sender */
	MODE_DISCARD,	/* read and drop */
	MODE_HTTP,	/* one fixed HTTP/1.1 response per connection */
};

struct vtcpctl_opts {
	const char *dev;		/* -d: a vtcp device (NULL: vtcp0, or all) */
	enum vtcpctl_mode mode;
	const char *http_body;		/* --http=TEXT */
	unsigned long count;		/* -n: connections to serve, 0: no end */
	bool count_set;
	bool verbose;			/* -v */
	bool json;			/* -j */
	bool all;			/* -a: stat shows zero counters too */
	/* Options for VTCP_IOC_SETOPT, set on the handle before it opens. */
	struct vtcp_opt setopts[16];
	unsigned int nr_setopts;
};

/* Messages: vtcpctl: what: strerror (ENAME), with a hint where useful. */
void vtcpctl_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void vtcpctl_err(int err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
const char *vtcpctl_errname(int err);

/* addr.c */
int vtcpctl_parse_ep(const char *text, struct vtcp_endpoint *ep,
		     bool need_addr, bool need_port);
void vtcpctl_format_ep(const struct vtcp_endpoint *ep, char *buf, size_t len);
int vtcpctl_ifindex(const char *dev);

/* serve.c */
int vtcpctl_listen(const struct vtcpctl_opts *o, const char *addr);
int vtcpctl_connect(const struct vtcpctl_opts *o, const char *local,
		    const char *remote);

/* genl.c: the vtcp generic netlink family (see vtcp.yaml) */
#define VTCPCTL_MAX_STATS	64
struct vtcpctl_dev {
	char name[16];
	unsigned int ifindex;
	unsigned long long rx_packets, rx_bytes;	/* vtcp's view */
	unsigned long long tx_packets, tx_bytes;
	unsigned int n;			/* drop reasons, then counters */
	char names[VTCPCTL_MAX_STATS][32];
	unsigned long long vals[VTCPCTL_MAX_STATS];
};
/* @i has what ls shows; a listener has no remote end. */
typedef int (*vtcpctl_conn_fn)(const struct vtcp_info *i, bool has_remote,
			       void *arg);
typedef int (*vtcpctl_dev_fn)(const struct vtcpctl_dev *d, void *arg);
/* Every entry (of @ifindex, if not 0); 0 or -errno, said on stderr. */
int vtcpctl_nl_conns(unsigned int ifindex, vtcpctl_conn_fn fn, void *arg);
int vtcpctl_nl_devs(unsigned int ifindex, vtcpctl_dev_fn fn, void *arg);

/* show.c */
int vtcpctl_ls(const struct vtcpctl_opts *o);
int vtcpctl_stat(const struct vtcpctl_opts *o);
void vtcpctl_print_info(int fd, const char *what);
const char *vtcpctl_state_name(unsigned int state);

#endif /* _VTCPCTL_H */
