// SPDX-License-Identifier: GPL-2.0
/*
 * CONNECT racing what can end a connection as it is being made: segments
 * sprayed at the tuple it binds, and the device being deleted. CONNECT
 * succeeds or fails with an errno; nothing oopses or hangs. The forced
 * versions of these races are KUnit's vtcp_race suite; here they run
 * free, which finds more under KCSAN with two CPUs.
 */
#include <pthread.h>
#include <stdatomic.h>
#include "kselftest_harness.h"
#include "vtcp_pkt.h"
#include "vtcp_util.h"

#define ROUNDS		300
#define LPORT		5000
#define RPORT		7200

struct vtcp_spray {
	const char *dev;
	atomic_int stop;
	long sent;
};

/* RSTs and ACKs for the tuple CONNECT binds, as fast as they go. */
static void *vtcp_spray(void *arg)
{
	struct vtcp_spray *s = arg;
	struct vtcp_seg_desc d = {
		.family = AF_INET,
		.src = VTCP_HOST4,
		.dst = VTCP_ADDR4,
		.sport = RPORT,
		.dport = LPORT,
		.win = 65535,
	};
	int fd = vtcp_pkt_open(s->dev);
	uint32_t n = 0;

	if (fd < 0)
		return NULL;
	while (!atomic_load(&s->stop)) {
		d.seq = n * 7919;
		d.ack = n * 104729;
		d.flags = n & 1 ? VTCP_TH_RST : VTCP_TH_ACK;
		if (!vtcp_pkt_send(fd, s->dev, &d))
			s->sent++;
		n++;
	}
	close(fd);
	return NULL;
}

/* One non-blocking CONNECT from the fixed port; its errno, or 0. */
static int vtcp_connect_once(const char *dev, unsigned short lport)
{
	int fd = vtcp_connect_to(dev, VTCP_ADDR4, lport, VTCP_HOST4, RPORT,
				 O_NONBLOCK);

	if (fd < 0)
		return -fd;
	close(fd);
	return EINPROGRESS;
}

FIXTURE(race) {};
FIXTURE_SETUP(race)
{
	ASSERT_EQ(0, vtcp_module_ensure());
}
FIXTURE_TEARDOWN(race) {}

TEST_F_TIMEOUT(race, connect_while_segments_are_sprayed_at_its_port, 300)
{
	struct vtcp_spray s = { .dev = "vtcp0" };
	pthread_t t;
	int i, err;

	ASSERT_EQ(0, vtcp_net_up("vtcp0"));
	ASSERT_EQ(0, pthread_create(&t, NULL, vtcp_spray, &s));
	for (i = 0; i < ROUNDS; i++) {
		err = vtcp_connect_once("vtcp0", LPORT);
		/* Closed at once: the tuple may be busy for a moment. */
		if (err == EADDRINUSE)
			continue;
		EXPECT_EQ(EINPROGRESS, err) TH_LOG("round %d: %s", i,
						   strerror(err));
	}
	atomic_store(&s.stop, 1);
	pthread_join(t, NULL);
	EXPECT_LT(0, s.sent);
}

struct vtcp_connector {
	atomic_int stop;
	long made, failed;
	int bad;		/* an errno a vanishing device does not give */
};

/* CONNECT on vtcprc, over and over, whether the device is there or not. */
static void *vtcp_connector(void *arg)
{
	struct vtcp_connector *c = arg;

	while (!atomic_load(&c->stop)) {
		int err = vtcp_connect_once("vtcprc", 0);

		if (err == EINPROGRESS) {
			c->made++;
		} else if (err == ENODEV || err == ENETDOWN) {
			c->failed++;
		} else {
			c->bad = err;
			break;
		}
	}
	return NULL;
}

TEST_F_TIMEOUT(race, connect_while_the_device_is_deleted, 300)
{
	struct vtcp_connector c = {};
	pthread_t t;
	int i;

	ASSERT_EQ(0, pthread_create(&t, NULL, vtcp_connector, &c));
	for (i = 0; i < ROUNDS / 10; i++) {
		ASSERT_EQ(0, vtcp_sh("ip link add vtcprc type vtcp && "
				     "ip link set vtcprc up && "
				     "ip addr add 192.0.2.1/24 dev vtcprc"));
		usleep(20000);
		ASSERT_EQ(0, vtcp_sh("ip link del vtcprc"));
	}
	atomic_store(&c.stop, 1);
	pthread_join(t, NULL);
	/* Every error was one of the two a vanishing device gives. */
	EXPECT_EQ(0, c.bad) TH_LOG("CONNECT: %s", strerror(c.bad));
	EXPECT_LT(0, c.made);
	TH_LOG("%ld connects made, %ld failed with the device gone",
	       c.made, c.failed);
}

TEST_HARNESS_MAIN
