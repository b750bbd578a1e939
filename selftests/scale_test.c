// SPDX-License-Identifier: GPL-2.0
/*
 * Many connections at once: 10,000 (100,000 with VTCP_LONG=1, or
 * VTCP_SCALE_CONNS), each carrying data both ways, then all closed, and
 * vtcp's objects and queued memory back where they started
 * (/sys/kernel/debug/vtcp/objects). And TIME-WAIT at scale: orphans that
 * vtcp closed first shrink into TIME-WAIT entries, which leave on time.
 */
#include <sys/resource.h>
#include "kselftest_harness.h"
#include "vtcp_util.h"

#define PORT	8500

/* Connections listed in /proc/net/vtcp (not counting listeners). */
static long vtcp_proc_conns(void)
{
	char line[512];
	long n = 0;
	FILE *f = fopen("/proc/net/vtcp", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strstr(line, " LISTEN ") && strncmp(line, "dev ", 4))
			n++;
	fclose(f);
	return n;
}

FIXTURE(scale) {
	char ports[64];
};

FIXTURE_SETUP(scale)
{
	FILE *f = fopen("/proc/sys/net/ipv4/ip_local_port_range", "r");

	ASSERT_NE(NULL, f);
	ASSERT_NE(NULL, fgets(self->ports, sizeof(self->ports), f));
	fclose(f);
	ASSERT_EQ(0, vtcp_module_ensure());
	/*
	 * Enough host ports for every connection to one vtcp address, above
	 * the fixed ports other tests bind (below 10000): host sockets of
	 * this test may outlive it (FIN-WAIT-2 after the module unloads).
	 */
	ASSERT_EQ(0, vtcp_sh("sysctl -qw net.ipv4.ip_local_port_range='10000 65000'"));
}

FIXTURE_TEARDOWN(scale)
{
	/* Later tests bind fixed ports below the usual range. */
	vtcp_sh("sysctl -qw net.ipv4.ip_local_port_range='%.*s'",
		(int)strcspn(self->ports, "\n"), self->ports);
}

TEST_F_TIMEOUT(scale, many_connections_carry_data_and_close, 1800)
{
	const char *env = getenv("VTCP_SCALE_CONNS");
	long conns = env ? atol(env) : getenv("VTCP_LONG") ? 100000 : 10000;
	struct rlimit rl = { 4 * conns + 64, 4 * conns + 64 };
	long base_conn, base_mem, peak;
	int *hfd, *vfd, lfd, o;
	char dst[32];
	long i;

	ASSERT_EQ(0, setrlimit(RLIMIT_NOFILE, &rl));
	/* Enough vtcp addresses that host ports never run short. */
	ASSERT_EQ(0, vtcp_sh("ip link set vtcp0 up && "
			     "ip addr replace " VTCP_HOST4 "/16 dev vtcp0"));
	base_conn = vtcp_objects("connections");
	base_mem = vtcp_objects("queued_bytes");
	ASSERT_LE(0, base_conn);

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
	peak = vtcp_objects("connections");
	EXPECT_LE(base_conn + conns, peak);
	EXPECT_EQ(conns, vtcp_proc_conns());

	/* Every connection carries a message each way, checked. */
	for (i = 0; i < conns; i++) {
		unsigned char buf[256], got[256];

		vtcp_fill(buf, sizeof(buf), i, 0);
		ASSERT_EQ(0, vtcp_write_all(hfd[i], buf, sizeof(buf)));
		ASSERT_EQ(0, vtcp_read_all(vfd[i], got, sizeof(got)));
		ASSERT_EQ(-1, vtcp_check(got, sizeof(got), i, 0)) TH_LOG("conn %ld", i);
		ASSERT_EQ(0, vtcp_write_all(vfd[i], got, sizeof(got)));
		ASSERT_EQ(0, vtcp_read_all(hfd[i], buf, sizeof(buf)));
		ASSERT_EQ(-1, vtcp_check(buf, sizeof(buf), i, 0)) TH_LOG("conn %ld", i);
	}
	ksft_print_msg("scale: %ld connections, vtcp_conn objects %ld -> %ld\n",
		       conns, base_conn, peak);

	/* The host closes first: vtcp ends in LAST-ACK, then CLOSED. */
	for (i = 0; i < conns; i++)
		close(hfd[i]);
	for (i = 0; i < conns; i++) {
		char c;

		EXPECT_EQ(0, read(vfd[i], &c, 1));
		close(vfd[i]);
	}
	close(lfd);
	for (o = 0; o < 100 && vtcp_proc_conns() > 0; o++)
		usleep(100000);
	EXPECT_EQ(0, vtcp_proc_conns());
	/* Freed after an RCU grace period: give it one. */
	for (o = 0; o < 50 && vtcp_objects("connections") > base_conn; o++)
		usleep(100000);
	EXPECT_EQ(base_conn, vtcp_objects("connections"));
	EXPECT_EQ(base_mem, vtcp_objects("queued_bytes"));
	free(hfd);
	free(vfd);
}

TEST_F_TIMEOUT(scale, orphans_in_time_wait_become_entries_and_expire, 600)
{
	long conns = getenv("VTCP_LONG") ? 20000 : 2000;
	struct rlimit rl = { 2 * conns + 64, 2 * conns + 64 };
	/* Longer than making them all takes, short enough to wait for. */
	struct vtcp_opt tw = { .name = VTCP_OPT_TIME_WAIT, .value = 20000 };
	long base_conn, base_tw, o;
	int lfd, hfd, vfd;
	long i;
	char c;

	ASSERT_EQ(0, setrlimit(RLIMIT_NOFILE, &rl));
	ASSERT_EQ(0, vtcp_net_up4("vtcp0"));
	base_conn = vtcp_objects("connections");
	base_tw = vtcp_objects("time_wait");
	lfd = vtcp_listen_on("vtcp0", "", PORT + 1, 128);
	ASSERT_LE(0, lfd);
	ASSERT_EQ(0, ioctl(lfd, VTCP_IOC_SETOPT, &tw));
	for (i = 0; i < conns; i++) {
		hfd = vtcp_host_connect(VTCP_ADDR4, PORT + 1);
		ASSERT_LE(0, hfd);
		vfd = vtcp_accept_on(lfd, 0, NULL);
		ASSERT_LE(0, vfd);
		/* vtcp closes first: it will end in TIME-WAIT. */
		close(vfd);
		ASSERT_EQ(0, read(hfd, &c, 1));
		close(hfd);
	}
	/* The last FINs are ACKed within a round trip. */
	for (o = 0; o < 50 && vtcp_objects("connections") > base_conn; o++)
		usleep(20000);
	EXPECT_EQ(base_conn, vtcp_objects("connections"));
	EXPECT_EQ(base_tw + conns, vtcp_objects("time_wait"));
	EXPECT_LE(conns, vtcp_proc_conns());
	/* 20 s of TIME-WAIT, then nothing. */
	for (o = 0; o < 300 && vtcp_objects("time_wait") > base_tw; o++)
		usleep(100000);
	EXPECT_EQ(base_tw, vtcp_objects("time_wait"));
	close(lfd);
}

TEST_HARNESS_MAIN
