// SPDX-License-Identifier: GPL-2.0
/*
 * The generic netlink family "vtcp", read by the kernel tree's own YNL
 * client (tools/net/ynl/cli.py with Documentation/netlink/specs/vtcp.yaml):
 * with 10,000 connections open (100,000 with VTCP_LONG=1, or
 * VTCP_GENL_CONNS), a dump has every one exactly once and says of each
 * exactly what VTCP_IOC_INFO says; filters, dev-get and the permission
 * check as well (genl_check.py compares). And no dump message looked at
 * more than 256 objects (debugfs dump_visits_max): the dump is resumable,
 * never one pass over the table.
 */
#include <sys/resource.h>
#include <sys/wait.h>
#include "kselftest_harness.h"
#include "vtcp_util.h"

#define PORT		8600
#define VISITS_MAX	256	/* api/genl.c: VTCP_GENL_DUMP_VISITS */
#define EXPECTED	"/tmp/genl_expected.json"
#define VISITS		"/sys/kernel/debug/vtcp/dump_visits_max"

static const char *ksrc(void)
{
	return getenv("VTCP_KSRC") ?: VTCP_GENL_KSRC;
}

static void put_ep(FILE *f, const char *name, const struct vtcp_endpoint *ep)
{
	const unsigned char *a = ep->addr6;
	int i, n = ep->family == AF_INET ? 4 : 16;

	fprintf(f, ", \"%s\": {\"family\": %u, \"port\": %u, \"addr\": \"",
		name, ep->family, ntohs(ep->port));
	for (i = 0; i < n; i++)
		fprintf(f, "%02x", a[i]);
	fprintf(f, "\"}");
}

/* One line of EXPECTED: VTCP_IOC_INFO under the spec's attribute names. */
static void put_info(FILE *f, const struct vtcp_info *i)
{
	fprintf(f, "{\"ifindex\": %u, \"state\": %u, \"ca-state\": %u, "
		"\"options\": %u, \"snd-wscale\": %u, \"rcv-wscale\": %u, "
		"\"backoff\": %u, \"probes\": %u, \"rto\": %u, \"srtt\": %u, "
		"\"rttvar\": %u, \"rtt-min\": %u, \"snd-mss\": %u, "
		"\"rcv-mss\": %u, \"snd-cwnd\": %u, \"snd-ssthresh\": %u, "
		"\"snd-wnd\": %u, \"rcv-wnd\": %u, \"unacked\": %u, "
		"\"sacked\": %u, \"lost\": %u, \"retrans\": %u, "
		"\"reordering\": %u, \"notsent\": %u, \"rcv-queued\": %u, "
		"\"error\": %d, ",
		i->ifindex, i->state, i->ca_state, i->options, i->snd_wscale,
		i->rcv_wscale, i->backoff, i->probes, i->rto, i->srtt,
		i->rttvar, i->rtt_min, i->snd_mss, i->rcv_mss, i->snd_cwnd,
		i->snd_ssthresh, i->snd_wnd, i->rcv_wnd, i->unacked, i->sacked,
		i->lost, i->retrans, i->reordering, i->notsent, i->rcv_queued,
		i->error);
	fprintf(f, "\"bytes-sent\": %llu, \"bytes-retrans\": %llu, "
		"\"bytes-acked\": %llu, \"bytes-received\": %llu, ",
		(unsigned long long)i->bytes_sent,
		(unsigned long long)i->bytes_retrans,
		(unsigned long long)i->bytes_acked,
		(unsigned long long)i->bytes_received);
	fprintf(f, "\"segs-out\": %u, \"segs-in\": %u, \"data-segs-out\": %u, "
		"\"data-segs-in\": %u, \"total-retrans\": %u, "
		"\"rto-expirations\": %u, \"fast-retrans\": %u, "
		"\"dsacks\": %u, \"ooo-segs\": %u, \"challenge-acks\": %u, "
		"\"zero-window-probes\": %u, \"keepalive-probes\": %u, "
		"\"congestion\": \"%.16s\", \"snd-records\": %u, "
		"\"snd-records-max\": %u, \"records-walked-max\": %u, "
		"\"sack-splits-refused\": %u",
		i->segs_out, i->segs_in, i->data_segs_out, i->data_segs_in,
		i->total_retrans, i->rto_expirations, i->fast_retrans,
		i->dsacks, i->ooo_segs, i->challenge_acks,
		i->zero_window_probes, i->keepalive_probes, i->congestion,
		i->snd_records, i->snd_records_max, i->records_walked_max,
		i->sack_splits_refused);
	put_ep(f, "local", &i->local);
	put_ep(f, "remote", &i->remote);
	fprintf(f, "}\n");
}

FIXTURE(genl) {
	char ports[64];
};

FIXTURE_SETUP(genl)
{
	FILE *f = fopen("/proc/sys/net/ipv4/ip_local_port_range", "r");
	char path[512];

	snprintf(path, sizeof(path), "%s/tools/net/ynl/cli.py", ksrc());
	if (access(path, R_OK) || vtcp_sh("python3 -c 'import yaml, jsonschema'"))
		SKIP(return, "no %s, or no python3 with yaml and jsonschema",
		     path);
	ASSERT_NE(NULL, f);
	ASSERT_NE(NULL, fgets(self->ports, sizeof(self->ports), f));
	fclose(f);
	ASSERT_EQ(0, vtcp_module_ensure());
	ASSERT_EQ(0, vtcp_sh("sysctl -qw net.ipv4.ip_local_port_range='10000 65000'"));
}

FIXTURE_TEARDOWN(genl)
{
	if (self->ports[0])
		vtcp_sh("sysctl -qw net.ipv4.ip_local_port_range='%.*s'",
			(int)strcspn(self->ports, "\n"), self->ports);
}

TEST_F_TIMEOUT(genl, dump_has_every_connection_as_info_reports_it, 3600)
{
	const char *env = getenv("VTCP_GENL_CONNS");
	long conns = env ? atol(env) : getenv("VTCP_LONG") ? 100000 : 10000;
	struct rlimit rl = { 2 * conns + 64, 2 * conns + 64 };
	struct vtcp_info info;
	long i, visits;
	int *hfd, *vfd, lfd;
	char dst[32];
	FILE *f;

	ASSERT_EQ(0, setrlimit(RLIMIT_NOFILE, &rl));
	ASSERT_EQ(0, vtcp_sh("ip link set vtcp0 up && "
			     "ip addr replace " VTCP_HOST4 "/16 dev vtcp0"));
	lfd = vtcp_listen_on("vtcp0", "", PORT, 4096);
	ASSERT_LE(0, lfd);
	hfd = calloc(conns, sizeof(int));
	vfd = calloc(conns, sizeof(int));
	ASSERT_NE(NULL, hfd);
	ASSERT_NE(NULL, vfd);
	for (i = 0; i < conns; i++) {
		/* 50,000 host ports per vtcp address, then the next. */
		snprintf(dst, sizeof(dst), "192.0.%ld.%ld", 2 + i / 50000 / 250,
			 2 + (i / 50000) % 250);
		hfd[i] = vtcp_host_connect(dst, PORT);
		ASSERT_LE(0, hfd[i]) TH_LOG("connection %ld: %s", i, strerror(-hfd[i]));
		vfd[i] = vtcp_accept_on(lfd, 0, NULL);
		ASSERT_LE(0, vfd[i]) TH_LOG("accept %ld: %s", i, strerror(-vfd[i]));
	}

	/* All idle now: what INFO says stays true while cli.py dumps. */
	f = fopen(EXPECTED, "w");
	ASSERT_NE(NULL, f);
	for (i = 0; i < conns; i++) {
		ASSERT_EQ(0, vtcp_get_info(vfd[i], &info));
		ASSERT_EQ(VTCP_ESTABLISHED, info.state);
		put_info(f, &info);
	}
	ASSERT_EQ(0, fclose(f));
	ASSERT_EQ(0, vtcp_write_file(VISITS, "0"));

	EXPECT_EQ(0, vtcp_sh("python3 %s/genl_check.py %s %s %s",
			     VTCP_GENL_SRCDIR, ksrc(),
			     VTCP_GENL_SRCDIR "/../Documentation/netlink/specs/vtcp.yaml",
			     EXPECTED));

	visits = vtcp_read_num(VISITS);
	ksft_print_msg("genl: %ld connections; at most %ld objects per dump message\n",
		       conns, visits);
	EXPECT_LT(0, visits);
	EXPECT_GE(VISITS_MAX, visits);

	for (i = 0; i < conns; i++) {
		close(vfd[i]);
		close(hfd[i]);
	}
	close(lfd);
	unlink(EXPECTED);
	free(hfd);
	free(vfd);
}

TEST_HARNESS_MAIN
