// SPDX-License-Identifier: GPL-2.0
/*
 * The datapath against the host's own TCP: handshakes both ways, data both
 * ways checked byte for byte, RST to closed ports, IPv4 and IPv6.
 *
 * The host owns 192.0.2.1 and 2001:db8::1 on vtcp0; every other address of
 * those prefixes is routed into the device, where vtcp answers.
 */
#include <poll.h>
#include <sched.h>
#include <pthread.h>
#include <sys/wait.h>
#include "kselftest_harness.h"
#include "vtcp_util.h"

FIXTURE(datapath) {};

FIXTURE_VARIANT(datapath) {
	const char *host;
	const char *vtcp;
};

FIXTURE_VARIANT_ADD(datapath, ipv4) {
	.host = VTCP_HOST4,
	.vtcp = VTCP_ADDR4,
};

FIXTURE_VARIANT_ADD(datapath, ipv6) {
	.host = VTCP_HOST6,
	.vtcp = VTCP_ADDR6,
};

FIXTURE_SETUP(datapath)
{
	ASSERT_EQ(0, vtcp_module_ensure());
	ASSERT_EQ(0, vtcp_net_up("vtcp0"));
}

FIXTURE_TEARDOWN(datapath)
{
}

/* Move @len bytes from @wfd to @rfd, concurrently, and check them all. */
struct vtcp_pump {
	int fd;
	size_t len;
	unsigned int seed;
	int ret;
};

static void *vtcp_pump_writer(void *arg)
{
	struct vtcp_pump *p = arg;
	cpu_set_t cpus;

	/* Each direction's writer on its own CPU, where there are two. */
	CPU_ZERO(&cpus);
	CPU_SET(p->seed % 2, &cpus);
	if (sysconf(_SC_NPROCESSORS_ONLN) > 1)
		pthread_setaffinity_np(pthread_self(), sizeof(cpus), &cpus);
	p->ret = vtcp_write_pattern(p->fd, p->len, p->seed);
	return NULL;
}

static long vtcp_pump_read_check(int fd, size_t len, unsigned int seed)
{
	unsigned char buf[65536];
	size_t off = 0;

	while (off < len) {
		ssize_t n = read(fd, buf, sizeof(buf));

		if (n <= 0)
			return n < 0 ? -errno : -EPIPE;
		if (vtcp_check(buf, n, seed, off) >= 0)
			return -EILSEQ;
		off += n;
	}
	return 0;
}

/* Data both ways at once on a connected pair, then both close. */
static void vtcp_exchange(struct __test_metadata *_metadata, int a, int b,
			  size_t len)
{
	struct vtcp_pump pa = { .fd = a, .len = len, .seed = 1 };
	struct vtcp_pump pb = { .fd = b, .len = len, .seed = 2 };
	pthread_t ta, tb;
	char c;

	ASSERT_EQ(0, pthread_create(&ta, NULL, vtcp_pump_writer, &pa));
	ASSERT_EQ(0, pthread_create(&tb, NULL, vtcp_pump_writer, &pb));
	EXPECT_EQ(0, vtcp_pump_read_check(b, len, 1));
	EXPECT_EQ(0, vtcp_pump_read_check(a, len, 2));
	pthread_join(ta, NULL);
	pthread_join(tb, NULL);
	EXPECT_EQ(0, pa.ret);
	EXPECT_EQ(0, pb.ret);
	/* a half-closes; b sees EOF, then closes in turn. */
	EXPECT_EQ(0, vtcp_shut_wr(a));
	EXPECT_EQ(0, read(b, &c, 1));
	EXPECT_EQ(0, close(b));
	EXPECT_EQ(0, read(a, &c, 1));
	EXPECT_EQ(0, close(a));
}

TEST_F(datapath, host_connects_to_vtcp_listener)
{
	struct vtcp_accept acc = {};
	int lfd, hfd, vfd;
	char buf[10];

	lfd = vtcp_listen_on("vtcp0", variant->vtcp, 8080, 16);
	ASSERT_LE(0, lfd);
	hfd = vtcp_host_connect(variant->vtcp, 8080);
	ASSERT_LE(0, hfd);
	vfd = vtcp_accept_on(lfd, 0, &acc);
	ASSERT_LE(0, vfd);
	EXPECT_EQ(ntohs(acc.local.port), 8080);
	EXPECT_EQ(acc.remote.family, strchr(variant->vtcp, ':') ? AF_INET6 : AF_INET);
	EXPECT_EQ(0, vtcp_write_all(hfd, "hello vtcp", 10));
	EXPECT_EQ(0, vtcp_read_all(vfd, buf, 10));
	EXPECT_EQ(0, memcmp(buf, "hello vtcp", 10));
	EXPECT_EQ(0, vtcp_write_all(vfd, "hello host", 10));
	EXPECT_EQ(0, vtcp_read_all(hfd, buf, 10));
	EXPECT_EQ(0, memcmp(buf, "hello host", 10));
	close(hfd);
	close(vfd);
	close(lfd);
}

TEST_F(datapath, megabytes_both_ways_from_host_open)
{
	int lfd, hfd, vfd;

	lfd = vtcp_listen_on("vtcp0", "", 0, 16);
	ASSERT_LE(0, lfd);
	hfd = vtcp_host_connect(variant->vtcp, 9000);
	ASSERT_LE(0, hfd);
	vfd = vtcp_accept_on(lfd, 0, NULL);
	ASSERT_LE(0, vfd);
	vtcp_exchange(_metadata, hfd, vfd, 4 << 20);
	close(lfd);
}

TEST_F(datapath, vtcp_connects_to_host_listener)
{
	int lfd, hfd, vfd;

	lfd = vtcp_host_listen(variant->host, 7070);
	ASSERT_LE(0, lfd);
	vfd = vtcp_connect_to("vtcp0", variant->vtcp, 0, variant->host, 7070, 0);
	ASSERT_LE(0, vfd);
	hfd = accept(lfd, NULL, NULL);
	ASSERT_LE(0, hfd);
	vtcp_exchange(_metadata, vfd, hfd, 4 << 20);
	close(lfd);
}

TEST_F(datapath, closed_port_is_refused_with_rst)
{
	EXPECT_EQ(-ECONNREFUSED, vtcp_host_connect(variant->vtcp, 9));
}

TEST_F(datapath, vtcp_connect_to_closed_host_port_is_refused)
{
	EXPECT_EQ(-ECONNREFUSED,
		  vtcp_connect_to("vtcp0", variant->vtcp, 0, variant->host, 9, 0));
}

TEST_HARNESS_MAIN
