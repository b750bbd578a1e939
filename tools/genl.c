// SPDX-License-Identifier: GPL-2.0
/*
 * vtcp's generic netlink family (Documentation/netlink/specs/vtcp.yaml)
 * from plain netlink sockets: resolve the family through nlctrl, send one
 * dump request, and hand each listener, connection and TIME-WAIT entry
 * (conn-get) or each device (dev-get) to a callback. No libnl.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/vtcp_netlink.h>

#include "vtcpctl.h"

#define BUF_SIZE	(64 * 1024)

struct req {
	struct nlmsghdr nlh;
	struct genlmsghdr g;
	char attrs[64];
};

static void put_attr(struct req *r, unsigned short type, const void *data,
		     unsigned short len)
{
	struct nlattr *a = (void *)((char *)r + NLMSG_ALIGN(r->nlh.nlmsg_len));

	a->nla_type = type;
	a->nla_len = NLA_HDRLEN + len;
	memcpy((char *)a + NLA_HDRLEN, data, len);
	r->nlh.nlmsg_len = NLMSG_ALIGN(r->nlh.nlmsg_len) + NLA_ALIGN(a->nla_len);
}

/* Each attribute of a message or a nest, by type: tb[type] or NULL. */
static void parse(const void *data, int len, const struct nlattr **tb,
		  int max)
{
	const struct nlattr *a = data;

	memset(tb, 0, (max + 1) * sizeof(*tb));
	while (len >= NLA_HDRLEN && a->nla_len >= NLA_HDRLEN &&
	       a->nla_len <= len) {
		int type = a->nla_type & NLA_TYPE_MASK;

		if (type <= max)
			tb[type] = a;
		len -= NLA_ALIGN(a->nla_len);
		a = (const void *)((const char *)a + NLA_ALIGN(a->nla_len));
	}
}

static const void *payload(const struct nlattr *a)
{
	return (const char *)a + NLA_HDRLEN;
}

static int plen(const struct nlattr *a)
{
	return a->nla_len - NLA_HDRLEN;
}

static uint64_t get_num(const struct nlattr *a)
{
	uint64_t v = 0;

	if (!a)
		return 0;
	switch (plen(a)) {
	case 1: v = *(const uint8_t *)payload(a); break;
	case 2: v = *(const uint16_t *)payload(a); break;
	case 4: v = *(const uint32_t *)payload(a); break;
	case 8: memcpy(&v, payload(a), 8); break;
	}
	return v;
}

typedef int (*msg_fn)(const struct nlattr *attrs, int len, void *arg);

/*
 * Send @r on @fd and read the answers until the dump (or the single
 * answer) ends, calling @fn on each message's attributes. 0, or -errno.
 */
static int transact(int fd, struct req *r, msg_fn fn, void *arg)
{
	char *buf = malloc(BUF_SIZE);
	int ret = 0, done = 0;

	if (!buf)
		return -ENOMEM;
	if (send(fd, r, r->nlh.nlmsg_len, 0) < 0) {
		free(buf);
		return -errno;
	}
	while (!done) {
		ssize_t n = recv(fd, buf, BUF_SIZE, 0);
		struct nlmsghdr *h;

		if (n < 0) {
			ret = -errno;
			break;
		}
		/* A message may be empty: the kernel bounds each one's work. */
		for (h = (void *)buf; NLMSG_OK(h, n); h = NLMSG_NEXT(h, n)) {
			if (h->nlmsg_type == NLMSG_DONE) {
				done = 1;
				break;
			}
			if (h->nlmsg_type == NLMSG_ERROR) {
				struct nlmsgerr *e = NLMSG_DATA(h);

				ret = e->error;
				done = 1;
				break;
			}
			if (!ret)
				ret = fn((const void *)((char *)NLMSG_DATA(h) +
							GENL_HDRLEN),
					 h->nlmsg_len - NLMSG_LENGTH(GENL_HDRLEN),
					 arg);
			if (!(h->nlmsg_flags & NLM_F_MULTI))
				done = 1;
		}
	}
	free(buf);
	return ret;
}

static int family_id_of(const struct nlattr *attrs, int len, void *arg)
{
	const struct nlattr *tb[CTRL_ATTR_MAX + 1];

	parse(attrs, len, tb, CTRL_ATTR_MAX);
	if (tb[CTRL_ATTR_FAMILY_ID])
		*(int *)arg = get_num(tb[CTRL_ATTR_FAMILY_ID]);
	return 0;
}

/* A generic netlink socket and vtcp's family id; -errno on failure. */
static int open_family(int *fd)
{
	struct req r = {
		.nlh = { .nlmsg_len = NLMSG_LENGTH(GENL_HDRLEN),
			 .nlmsg_type = GENL_ID_CTRL,
			 .nlmsg_flags = NLM_F_REQUEST },
		.g = { .cmd = CTRL_CMD_GETFAMILY, .version = 1 },
	};
	int id = -ENOENT, ret;

	*fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (*fd < 0)
		return -errno;
	put_attr(&r, CTRL_ATTR_FAMILY_NAME, VTCP_FAMILY_NAME,
		 sizeof(VTCP_FAMILY_NAME));
	ret = transact(*fd, &r, family_id_of, &id);
	if (ret == -ENOENT || (!ret && id < 0)) {
		vtcpctl_warn("no generic netlink family \"%s\" (is vtcp loaded?)",
			     VTCP_FAMILY_NAME);
		ret = -ENOENT;
	} else if (ret) {
		vtcpctl_err(-ret, "resolving netlink family %s", VTCP_FAMILY_NAME);
	}
	if (ret) {
		close(*fd);
		return ret;
	}
	return id;
}

static int dump(unsigned char cmd, unsigned short attr, uint32_t ifindex,
		msg_fn fn, void *arg)
{
	struct req r = {
		.nlh = { .nlmsg_len = NLMSG_LENGTH(GENL_HDRLEN),
			 .nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP, .nlmsg_seq = 1 },
		.g = { .cmd = cmd, .version = VTCP_FAMILY_VERSION },
	};
	int fd, id, ret;

	id = open_family(&fd);
	if (id < 0)
		return id;
	r.nlh.nlmsg_type = id;
	if (ifindex)
		put_attr(&r, attr, &ifindex, sizeof(ifindex));
	ret = transact(fd, &r, fn, arg);
	close(fd);
	if (ret < 0 && ret != -ENOENT)
		vtcpctl_err(-ret, "netlink dump of vtcp");
	return ret;
}

static void get_ep(const struct nlattr *nest, struct vtcp_endpoint *ep)
{
	const struct nlattr *tb[VTCP_A_ENDPOINT_MAX + 1];

	memset(ep, 0, sizeof(*ep));
	if (!nest)
		return;
	parse(payload(nest), plen(nest), tb, VTCP_A_ENDPOINT_MAX);
	ep->family = get_num(tb[VTCP_A_ENDPOINT_FAMILY]);
	ep->port = get_num(tb[VTCP_A_ENDPOINT_PORT]);
	if (tb[VTCP_A_ENDPOINT_ADDR] && plen(tb[VTCP_A_ENDPOINT_ADDR]) <= 16)
		memcpy(ep->addr6, payload(tb[VTCP_A_ENDPOINT_ADDR]),
		       plen(tb[VTCP_A_ENDPOINT_ADDR]));
}

struct conn_walk {
	vtcpctl_conn_fn fn;
	void *arg;
};

static int conn_msg(const struct nlattr *attrs, int len, void *arg)
{
	const struct nlattr *tb[VTCP_A_CONN_MAX + 1];
	struct conn_walk *w = arg;
	struct vtcp_info i;

	parse(attrs, len, tb, VTCP_A_CONN_MAX);
	memset(&i, 0, sizeof(i));
	i.ifindex = get_num(tb[VTCP_A_CONN_IFINDEX]);
	i.state = get_num(tb[VTCP_A_CONN_STATE]);
	i.rto = get_num(tb[VTCP_A_CONN_RTO]);
	i.srtt = get_num(tb[VTCP_A_CONN_SRTT]);
	i.snd_cwnd = get_num(tb[VTCP_A_CONN_SND_CWND]);
	i.unacked = get_num(tb[VTCP_A_CONN_UNACKED]);
	i.rcv_queued = get_num(tb[VTCP_A_CONN_RCV_QUEUED]);
	i.total_retrans = get_num(tb[VTCP_A_CONN_TOTAL_RETRANS]);
	get_ep(tb[VTCP_A_CONN_LOCAL], &i.local);
	get_ep(tb[VTCP_A_CONN_REMOTE], &i.remote);
	return w->fn(&i, !!tb[VTCP_A_CONN_REMOTE], w->arg);
}

int vtcpctl_nl_conns(unsigned int ifindex, vtcpctl_conn_fn fn, void *arg)
{
	struct conn_walk w = { fn, arg };

	return dump(VTCP_CMD_CONN_GET, VTCP_A_CONN_IFINDEX, ifindex,
		    conn_msg, &w);
}

static void get_stats(const struct nlattr *attrs, int len, int type,
		      struct vtcpctl_dev *d)
{
	const struct nlattr *a = attrs, *tb[VTCP_A_STAT_MAX + 1];

	while (len >= NLA_HDRLEN && a->nla_len >= NLA_HDRLEN &&
	       a->nla_len <= len && d->n < VTCPCTL_MAX_STATS) {
		if ((a->nla_type & NLA_TYPE_MASK) == type) {
			parse(payload(a), plen(a), tb, VTCP_A_STAT_MAX);
			if (tb[VTCP_A_STAT_NAME]) {
				snprintf(d->names[d->n], sizeof(d->names[0]),
					 "%.*s", plen(tb[VTCP_A_STAT_NAME]),
					 (const char *)payload(tb[VTCP_A_STAT_NAME]));
				d->vals[d->n++] = get_num(tb[VTCP_A_STAT_VALUE]);
			}
		}
		len -= NLA_ALIGN(a->nla_len);
		a = (const void *)((const char *)a + NLA_ALIGN(a->nla_len));
	}
}

struct dev_walk {
	vtcpctl_dev_fn fn;
	void *arg;
};

static int dev_msg(const struct nlattr *attrs, int len, void *arg)
{
	const struct nlattr *tb[VTCP_A_DEV_MAX + 1];
	struct dev_walk *w = arg;
	struct vtcpctl_dev *d;
	int ret;

	d = calloc(1, sizeof(*d));
	if (!d)
		return -ENOMEM;
	parse(attrs, len, tb, VTCP_A_DEV_MAX);
	d->ifindex = get_num(tb[VTCP_A_DEV_IFINDEX]);
	if (tb[VTCP_A_DEV_NAME])
		snprintf(d->name, sizeof(d->name), "%.*s",
			 plen(tb[VTCP_A_DEV_NAME]),
			 (const char *)payload(tb[VTCP_A_DEV_NAME]));
	d->rx_packets = get_num(tb[VTCP_A_DEV_RX_PACKETS]);
	d->rx_bytes = get_num(tb[VTCP_A_DEV_RX_BYTES]);
	d->tx_packets = get_num(tb[VTCP_A_DEV_TX_PACKETS]);
	d->tx_bytes = get_num(tb[VTCP_A_DEV_TX_BYTES]);
	/* Drop reasons first, then the counters: ethtool -S's order. */
	get_stats(attrs, len, VTCP_A_DEV_DROP, d);
	get_stats(attrs, len, VTCP_A_DEV_COUNTER, d);
	ret = w->fn(d, w->arg);
	free(d);
	return ret;
}

int vtcpctl_nl_devs(unsigned int ifindex, vtcpctl_dev_fn fn, void *arg)
{
	struct dev_walk w = { fn, arg };

	return dump(VTCP_CMD_DEV_GET, VTCP_A_DEV_IFINDEX, ifindex, dev_msg, &w);
}
