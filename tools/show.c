// SPDX-License-Identifier: GPL-2.0
/*
 * What vtcp has: ls (every listener, connection and TIME-WAIT entry) and
 * stat (each vtcp device's traffic, counters and drop reasons, and its
 * connections by state), both from vtcp's generic netlink family
 * (genl.c; /proc/net/vtcp shows the same for people), and, for -v, one
 * connection's VTCP_IOC_INFO in the manner of ss -ti.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "vtcpctl.h"

/* The columns of ls, those of /proc/net/vtcp (see vtcp/net/proc.c): */
enum {
	F_DEV, F_STATE, F_LOCAL, F_REMOTE, F_SENDQ, F_RECVQ, F_RTO, F_SRTT,
	F_CWND, F_RETRANS, NR_FIELDS
};
static const char *const field_keys[NR_FIELDS] = {
	"dev", "state", "local", "remote", "sendq", "recvq", "rto_ms",
	"srtt_us", "cwnd", "retrans",
};

struct row {
	char f[NR_FIELDS][64];
};

static const char *const state_names[VTCP_NR_STATES] = {
	"CLOSED", "LISTEN", "SYN_SENT", "SYN_RECEIVED", "ESTABLISHED",
	"FIN_WAIT_1", "FIN_WAIT_2", "CLOSE_WAIT", "CLOSING", "LAST_ACK",
	"TIME_WAIT",
};

const char *vtcpctl_state_name(unsigned int state)
{
	return state < VTCP_NR_STATES ? state_names[state] : "?";
}

static void json_str(const char *s)
{
	putchar('"');
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			printf("\\%c", *s);
		else if ((unsigned char)*s < 0x20)
			printf("\\u%04x", *s);
		else
			putchar(*s);
	}
	putchar('"');
}

/* a.b.c.d:port, [v6]:port, * for any address or port, as proc.c. */
static void format_ep(const struct vtcp_endpoint *ep, char *buf, size_t len)
{
	static const unsigned char zero[16];
	char a[INET6_ADDRSTRLEN] = "*";
	bool any = !memcmp(ep->addr6, zero, sizeof(zero));

	if (ep->family == AF_INET && !any)
		inet_ntop(AF_INET, &ep->addr4, a, sizeof(a));
	else if (ep->family == AF_INET6 && !any)
		inet_ntop(AF_INET6, ep->addr6, a, sizeof(a));
	if (ep->port)
		snprintf(buf, len, ep->family == AF_INET6 && !any ?
			 "[%s]:%u" : "%s:%u", a, ntohs(ep->port));
	else
		snprintf(buf, len, "%s:*", a);
}

struct rows {
	struct row *rows;
	unsigned int nr;
};

static int add_row(const struct vtcp_info *i, bool has_remote, void *arg)
{
	struct rows *rs = arg;
	struct row *r;

	r = realloc(rs->rows, (rs->nr + 1) * sizeof(*r));
	if (!r)
		return -ENOMEM;
	rs->rows = r;
	r = &rs->rows[rs->nr++];
	if (!if_indextoname(i->ifindex, r->f[F_DEV]))
		snprintf(r->f[F_DEV], sizeof(r->f[F_DEV]), "%u", i->ifindex);
	snprintf(r->f[F_STATE], sizeof(r->f[F_STATE]), "%s",
		 vtcpctl_state_name(i->state));
	format_ep(&i->local, r->f[F_LOCAL], sizeof(r->f[F_LOCAL]));
	if (has_remote)
		format_ep(&i->remote, r->f[F_REMOTE], sizeof(r->f[F_REMOTE]));
	else
		strcpy(r->f[F_REMOTE], "*");
	snprintf(r->f[F_SENDQ], sizeof(r->f[0]), "%u", i->unacked);
	snprintf(r->f[F_RECVQ], sizeof(r->f[0]), "%u", i->rcv_queued);
	snprintf(r->f[F_RTO], sizeof(r->f[0]), "%u", i->rto / 1000);
	snprintf(r->f[F_SRTT], sizeof(r->f[0]), "%u", i->srtt);
	snprintf(r->f[F_CWND], sizeof(r->f[0]), "%u", i->snd_cwnd);
	snprintf(r->f[F_RETRANS], sizeof(r->f[0]), "%u", i->total_retrans);
	return 0;
}

/* Every entry (of @dev, if given) over netlink; NULL after an error. */
static struct row *read_rows(const char *dev, unsigned int *nr)
{
	struct rows rs = { NULL, 0 };
	unsigned int ifindex = 0;

	*nr = 0;
	if (dev) {
		ifindex = if_nametoindex(dev);
		if (!ifindex) {
			vtcpctl_err(ENODEV, "device %s", dev);
			return NULL;
		}
	}
	if (vtcpctl_nl_conns(ifindex, add_row, &rs)) {
		free(rs.rows);
		return NULL;
	}
	*nr = rs.nr;
	/* Callers free what they get, even when there is nothing. */
	return rs.rows ?: calloc(1, sizeof(struct row));
}

/* ls: like ss -tan, with vtcp's RTO, RTT, cwnd and retransmissions. */
int vtcpctl_ls(const struct vtcpctl_opts *o)
{
	static const char *const heads[NR_FIELDS] = {
		"Dev", "State", "Local", "Peer", "Send-Q", "Recv-Q",
		"RTO-ms", "SRTT-us", "Cwnd", "Retrans",
	};
	/* Columns in the order ss shows them. */
	static const int order[NR_FIELDS] = {
		F_DEV, F_STATE, F_RECVQ, F_SENDQ, F_LOCAL, F_REMOTE, F_RTO,
		F_SRTT, F_CWND, F_RETRANS,
	};
	unsigned int nr, i, j, w[NR_FIELDS];
	struct row *rows = read_rows(o->dev, &nr);

	if (!rows)
		return EXIT_FAIL;
	if (o->json) {
		printf("{\"connections\": [");
		for (i = 0; i < nr; i++) {
			printf("%s\n  {", i ? "," : "");
			for (j = 0; j < NR_FIELDS; j++) {
				printf("%s\"%s\": ", j ? ", " : "", field_keys[j]);
				if (j < F_SENDQ)
					json_str(rows[i].f[j]);
				else
					printf("%s", rows[i].f[j]);
			}
			printf("}");
		}
		printf("\n]}\n");
		free(rows);
		return EXIT_OK;
	}
	for (j = 0; j < NR_FIELDS; j++) {
		w[j] = strlen(heads[j]);
		for (i = 0; i < nr; i++)
			if (strlen(rows[i].f[j]) > w[j])
				w[j] = strlen(rows[i].f[j]);
	}
	for (i = 0; i <= nr; i++) {
		for (j = 0; j < NR_FIELDS; j++) {
			int k = order[j];
			const char *s = i ? rows[i - 1].f[k] : heads[k];
			bool last = j == NR_FIELDS - 1;

			/* Text to the left, numbers to the right. */
			if (k < F_SENDQ)
				printf("%-*s%s", (int)w[k], s, last ? "" : "  ");
			else
				printf("%*s%s", (int)w[k], s, last ? "" : "  ");
		}
		putchar('\n');
	}
	free(rows);
	return EXIT_OK;
}

static bool is_drop(const char *name)
{
	return !strncmp(name, "drop_", 5);
}

static void print_device(int sock, const struct vtcpctl_opts *o,
			 const struct vtcpctl_dev *es, bool first)
{
	const char *dev = es->name;
	struct ifreq ifr = { 0 };
	unsigned int i, nr, states[VTCP_NR_STATES] = { 0 }, conns = 0;
	unsigned long long drops = 0;
	struct row *rows = read_rows(dev, &nr);
	bool up = false;
	int mtu = 0, pass;

	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", dev);
	if (!ioctl(sock, SIOCGIFFLAGS, &ifr))
		up = ifr.ifr_flags & IFF_UP;
	if (!ioctl(sock, SIOCGIFMTU, &ifr))
		mtu = ifr.ifr_mtu;
	for (i = 0; rows && i < nr; i++) {
		unsigned int s;

		for (s = 0; s < VTCP_NR_STATES; s++)
			if (!strcmp(rows[i].f[F_STATE], state_names[s]))
				states[s]++;
	}
	free(rows);
	for (i = 0; i < VTCP_NR_STATES; i++)
		conns += i == VTCP_LISTEN ? 0 : states[i];
	for (i = 0; i < es->n; i++)
		if (is_drop(es->names[i]))
			drops += es->vals[i];

	if (o->json) {
		printf("%s\n  {\"name\": ", first ? "" : ",");
		json_str(dev);
		printf(", \"ifindex\": %u, \"up\": %s, \"mtu\": %d,\n",
		       es->ifindex, up ? "true" : "false", mtu);
		/* What vtcp received is what the host sent it. */
		printf("   \"host_to_vtcp\": {\"packets\": %llu, \"bytes\": %llu},\n",
		       es->rx_packets, es->rx_bytes);
		printf("   \"vtcp_to_host\": {\"packets\": %llu, \"bytes\": %llu},\n",
		       es->tx_packets, es->tx_bytes);
		printf("   \"listeners\": %u, \"connections\": {\"total\": %u",
		       states[VTCP_LISTEN], conns);
		for (i = 0; i < VTCP_NR_STATES; i++)
			if (i != VTCP_LISTEN && states[i])
				printf(", \"%s\": %u", state_names[i], states[i]);
		for (pass = 0; pass < 2; pass++) {
			const char *sep = "";

			printf("},\n   \"%s\": {", pass ? "drops" : "counters");
			if (pass) {
				printf("\"total\": %llu", drops);
				sep = ", ";
			}
			for (i = 0; i < es->n; i++) {
				if (is_drop(es->names[i]) != pass)
					continue;
				printf("%s\"%s\": %llu", sep, es->names[i],
				       es->vals[i]);
				sep = ", ";
			}
		}
		printf("}}");
		return;
	}

	printf("%s%s: %s, mtu %d, ifindex %u\n", first ? "" : "\n", dev,
	       up ? "up" : "down", mtu, es->ifindex);
	printf("  host -> vtcp: %llu packets, %llu bytes\n",
	       es->rx_packets, es->rx_bytes);
	printf("  vtcp -> host: %llu packets, %llu bytes\n",
	       es->tx_packets, es->tx_bytes);
	printf("  listeners: %u, connections: %u", states[VTCP_LISTEN], conns);
	for (i = 0, pass = 0; i < VTCP_NR_STATES; i++)
		if (i != VTCP_LISTEN && states[i])
			printf("%s%s %u", pass++ ? ", " : " (", state_names[i],
			       states[i]);
	printf("%s\n", pass ? ")" : "");
	for (pass = 0; pass < 2; pass++) {
		if (pass)
			printf("  drops: %llu%s\n", drops,
			       drops || o->all ? "" : " (none)");
		else
			printf("  counters:\n");
		for (i = 0; i < es->n; i++)
			if (is_drop(es->names[i]) == pass &&
			    (o->all || es->vals[i]))
				printf("    %-24s %llu\n", es->names[i],
				       es->vals[i]);
	}
}

/*
 * The namespace's bounds and use, and the module's, from
 * /proc/net/vtcp_limits ("scope name limit used" lines; limit 0: none).
 * Nothing when the module has no such file.
 */
static void print_limits(const struct vtcpctl_opts *o)
{
	FILE *f = fopen("/proc/net/vtcp_limits", "r");
	char line[256], scope[32], name[64], prev[64] = "";
	long long limit, used;
	bool first = true;

	if (!f)
		return;
	if (o->json)
		printf(", \"limits\": {");
	else
		printf("limits (used/limit; limit 0: none):\n");
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%31s %63s %lld %lld", scope, name, &limit,
			   &used) != 4)
			continue;
		if (o->json) {
			if (strcmp(prev, scope))
				printf("%s\"%s\": {", first ? "" : "}, ", scope);
			else
				printf(", ");
			printf("\"%s\": {\"limit\": %lld, \"used\": %lld}", name,
			       limit, used);
			first = false;
		} else {
			printf("  %-6s %-14s %lld/%lld\n", scope, name, used,
			       limit);
		}
		snprintf(prev, sizeof(prev), "%s", scope);
	}
	if (o->json)
		printf("%s}", first ? "" : "}");
	fclose(f);
}

struct stat_walk {
	const struct vtcpctl_opts *o;
	int sock;
	bool first;
};

static int stat_dev(const struct vtcpctl_dev *d, void *arg)
{
	struct stat_walk *w = arg;

	print_device(w->sock, w->o, d, w->first);
	w->first = false;
	return 0;
}

/* stat: every vtcp device of the namespace (or -d DEV), and the limits. */
int vtcpctl_stat(const struct vtcpctl_opts *o)
{
	struct stat_walk w = { .o = o, .first = true };
	unsigned int ifindex = 0;
	int ret;

	if (o->dev) {
		ifindex = if_nametoindex(o->dev);
		if (!ifindex) {
			vtcpctl_err(ENODEV, "device %s", o->dev);
			return EXIT_FAIL;
		}
	}
	w.sock = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (w.sock < 0)
		w.sock = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (w.sock < 0) {
		vtcpctl_err(errno, "socket");
		return EXIT_FAIL;
	}
	if (o->json)
		printf("{\"devices\": [");
	ret = vtcpctl_nl_devs(ifindex, stat_dev, &w);
	close(w.sock);
	if (ret)
		return EXIT_FAIL;
	if (w.first && o->dev) {
		vtcpctl_warn("%s is not a vtcp device", o->dev);
		return EXIT_FAIL;
	}
	if (o->json) {
		printf("\n]");
		print_limits(o);
		printf("}\n");
		return EXIT_OK;
	}
	if (w.first)
		printf("no vtcp device in this network namespace\n");
	print_limits(o);
	return EXIT_OK;
}

/* -v: one connection's VTCP_IOC_INFO as it closes, on stderr. */
void vtcpctl_print_info(int fd, const char *what)
{
	struct vtcp_info i;

	memset(&i, 0, sizeof(i));
	if (ioctl(fd, VTCP_IOC_INFO, &i)) {
		vtcpctl_err(errno, "closing %s: VTCP_IOC_INFO", what);
		return;
	}
	fprintf(stderr, "vtcpctl: closing %s %s\n\t", what,
		vtcpctl_state_name(i.state));
	if (i.options & VTCP_INFO_OPT_TIMESTAMPS)
		fprintf(stderr, "ts ");
	if (i.options & VTCP_INFO_OPT_SACK)
		fprintf(stderr, "sack ");
	fprintf(stderr, "%.16s", i.congestion);
	if (i.options & VTCP_INFO_OPT_WSCALE)
		fprintf(stderr, " wscale:%u,%u", i.snd_wscale, i.rcv_wscale);
	fprintf(stderr, " rto:%.3g rtt:%.3f/%.3f minrtt:%.3f mss:%u rcvmss:%u",
		i.rto / 1000.0, i.srtt / 1000.0, i.rttvar / 1000.0,
		i.rtt_min / 1000.0, i.snd_mss, i.rcv_mss);
	fprintf(stderr, " cwnd:%u ssthresh:%u snd_wnd:%u rcv_wnd:%u\n\t",
		i.snd_cwnd, i.snd_ssthresh, i.snd_wnd, i.rcv_wnd);
	fprintf(stderr, "bytes_sent:%llu bytes_retrans:%llu bytes_acked:%llu bytes_received:%llu",
		(unsigned long long)i.bytes_sent,
		(unsigned long long)i.bytes_retrans,
		(unsigned long long)i.bytes_acked,
		(unsigned long long)i.bytes_received);
	fprintf(stderr, " segs_out:%u segs_in:%u data_segs_out:%u data_segs_in:%u\n\t",
		i.segs_out, i.segs_in, i.data_segs_out, i.data_segs_in);
	fprintf(stderr, "unacked:%u notsent:%u rcv_queued:%u retrans:%u/%u lost:%u",
		i.unacked, i.notsent, i.rcv_queued, i.retrans, i.total_retrans,
		i.lost);
	fprintf(stderr, " rto_expirations:%u fast_retrans:%u dsacks:%u ooo:%u",
		i.rto_expirations, i.fast_retrans, i.dsacks, i.ooo_segs);
	fprintf(stderr, " records:%u/%u walked:%u sack_refused:%u",
		i.snd_records, i.snd_records_max, i.records_walked_max,
		i.sack_splits_refused);
	if (i.error)
		fprintf(stderr, " error:%s", vtcpctl_errname(-i.error));
	fputc('\n', stderr);
}
