// SPDX-License-Identifier: GPL-2.0
/*
 * What vtcp has: ls (every listener and connection, from /proc/net/vtcp),
 * stat (each vtcp device's traffic, ethtool counters and drop reasons
 * through SIOCETHTOOL, and its connections by state) and, for -v, one
 * connection's VTCP_IOC_INFO in the manner of ss -ti.
 */
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>
#include <linux/ethtool.h>
#include <linux/sockios.h>

#include "vtcpctl.h"

#define PROC_NET_VTCP	"/proc/net/vtcp"

/* A line of /proc/net/vtcp (see vtcp/proc.c): */
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

/* Every row of /proc/net/vtcp (of @dev, if given); NULL after an error. */
static struct row *read_rows(const char *dev, unsigned int *nr)
{
	struct row *rows = NULL, *r;
	char line[512];
	FILE *f;

	*nr = 0;
	f = fopen(PROC_NET_VTCP, "r");
	if (!f) {
		vtcpctl_err(errno, "%s", PROC_NET_VTCP);
		if (errno == ENOENT)
			vtcpctl_warn("(is vtcp loaded?)");
		return NULL;
	}
	rows = malloc(sizeof(*rows));
	while (rows && fgets(line, sizeof(line), f)) {
		r = &rows[*nr];
		if (sscanf(line, "%63s %63s %63s %63s %63s %63s %63s %63s %63s %63s",
			   r->f[0], r->f[1], r->f[2], r->f[3], r->f[4], r->f[5],
			   r->f[6], r->f[7], r->f[8], r->f[9]) != NR_FIELDS ||
		    !strcmp(r->f[F_DEV], "dev"))
			continue;	/* the header */
		if (dev && strcmp(r->f[F_DEV], dev))
			continue;
		r = realloc(rows, (++*nr + 1) * sizeof(*rows));
		if (!r) {
			free(rows);
			rows = NULL;
		}
		rows = r;
	}
	fclose(f);
	if (!rows)
		vtcpctl_err(ENOMEM, "reading " PROC_NET_VTCP);
	return rows;
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

/* One ethtool request on @dev through @sock; 0 or -1 with errno. */
static int ethtool(int sock, const char *dev, void *cmd)
{
	struct ifreq ifr = { .ifr_data = cmd };

	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", dev);
	return ioctl(sock, SIOCETHTOOL, &ifr);
}

static bool is_vtcp(int sock, const char *dev)
{
	struct ethtool_drvinfo di = { .cmd = ETHTOOL_GDRVINFO };

	return !ethtool(sock, dev, &di) && !strcmp(di.driver, "vtcp");
}

static unsigned long long sysfs_num(const char *dev, const char *what)
{
	unsigned long long v = 0;
	char path[128];
	FILE *f;

	snprintf(path, sizeof(path), "/sys/class/net/%s/statistics/%s", dev, what);
	f = fopen(path, "r");
	if (f) {
		if (fscanf(f, "%llu", &v) != 1)
			v = 0;
		fclose(f);
	}
	return v;
}

struct ethstats {
	unsigned int n;
	struct ethtool_gstrings *names;
	struct ethtool_stats *vals;
};

static int get_ethstats(int sock, const char *dev, struct ethstats *es)
{
	struct ethtool_drvinfo di = { .cmd = ETHTOOL_GDRVINFO };

	memset(es, 0, sizeof(*es));
	if (ethtool(sock, dev, &di))
		return -1;
	es->n = di.n_stats;
	es->names = calloc(1, sizeof(*es->names) + es->n * ETH_GSTRING_LEN);
	es->vals = calloc(1, sizeof(*es->vals) + es->n * sizeof(__u64));
	if (!es->names || !es->vals) {
		errno = ENOMEM;
		return -1;
	}
	es->names->cmd = ETHTOOL_GSTRINGS;
	es->names->string_set = ETH_SS_STATS;
	es->names->len = es->n;
	es->vals->cmd = ETHTOOL_GSTATS;
	es->vals->n_stats = es->n;
	if (ethtool(sock, dev, es->names) || ethtool(sock, dev, es->vals))
		return -1;
	return 0;
}

static const char *stat_name(const struct ethstats *es, unsigned int i)
{
	return (const char *)es->names->data + i * ETH_GSTRING_LEN;
}

static bool is_drop(const char *name)
{
	return !strncmp(name, "drop_", 5);
}

static void print_device(int sock, const struct vtcpctl_opts *o,
			 const char *dev, const struct ethstats *es,
			 bool first)
{
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
		if (is_drop(stat_name(es, i)))
			drops += es->vals->data[i];

	if (o->json) {
		printf("%s\n  {\"name\": ", first ? "" : ",");
		json_str(dev);
		printf(", \"ifindex\": %u, \"up\": %s, \"mtu\": %d,\n",
		       if_nametoindex(dev), up ? "true" : "false", mtu);
		/* The host's tx is what vtcp received. */
		printf("   \"host_to_vtcp\": {\"packets\": %llu, \"bytes\": %llu},\n",
		       sysfs_num(dev, "tx_packets"), sysfs_num(dev, "tx_bytes"));
		printf("   \"vtcp_to_host\": {\"packets\": %llu, \"bytes\": %llu},\n",
		       sysfs_num(dev, "rx_packets"), sysfs_num(dev, "rx_bytes"));
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
				if (is_drop(stat_name(es, i)) != pass)
					continue;
				printf("%s\"%s\": %llu", sep, stat_name(es, i),
				       (unsigned long long)es->vals->data[i]);
				sep = ", ";
			}
		}
		printf("}}");
		return;
	}

	printf("%s%s: %s, mtu %d, ifindex %u\n", first ? "" : "\n", dev,
	       up ? "up" : "down", mtu, if_nametoindex(dev));
	printf("  host -> vtcp: %llu packets, %llu bytes\n",
	       sysfs_num(dev, "tx_packets"), sysfs_num(dev, "tx_bytes"));
	printf("  vtcp -> host: %llu packets, %llu bytes\n",
	       sysfs_num(dev, "rx_packets"), sysfs_num(dev, "rx_bytes"));
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
			if (is_drop(stat_name(es, i)) == pass &&
			    (o->all || es->vals->data[i]))
				printf("    %-24s %llu\n", stat_name(es, i),
				       (unsigned long long)es->vals->data[i]);
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

/* stat: every vtcp device of the namespace (or -d DEV), and the limits. */
int vtcpctl_stat(const struct vtcpctl_opts *o)
{
	struct if_nameindex *ifs, *it;
	int sock, ret = EXIT_OK;
	bool first = true;

	sock = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (sock < 0)
		sock = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (sock < 0) {
		vtcpctl_err(errno, "socket");
		return EXIT_FAIL;
	}
	if (o->dev && !is_vtcp(sock, o->dev)) {
		if (!if_nametoindex(o->dev))
			vtcpctl_err(ENODEV, "device %s", o->dev);
		else
			vtcpctl_warn("%s is not a vtcp device", o->dev);
		close(sock);
		return EXIT_FAIL;
	}
	ifs = if_nameindex();
	if (!ifs) {
		vtcpctl_err(errno, "listing network devices");
		close(sock);
		return EXIT_FAIL;
	}
	if (o->json)
		printf("{\"devices\": [");
	for (it = ifs; it->if_index; it++) {
		struct ethstats es;

		if ((o->dev && strcmp(o->dev, it->if_name)) ||
		    !is_vtcp(sock, it->if_name))
			continue;
		if (get_ethstats(sock, it->if_name, &es)) {
			vtcpctl_err(errno, "ethtool statistics of %s", it->if_name);
			ret = EXIT_FAIL;
		} else {
			print_device(sock, o, it->if_name, &es, first);
			first = false;
		}
		free(es.names);
		free(es.vals);
	}
	if (o->json) {
		printf("\n]");
		print_limits(o);
		printf("}\n");
	} else {
		if (first)
			printf("no vtcp device in this network namespace\n");
		print_limits(o);
	}
	if_freenameindex(ifs);
	close(sock);
	return ret;
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
