// SPDX-License-Identifier: GPL-2.0
/*
 * Deferred accept (VTCP_LISTEN_DEFER): vtcp answers no SYN itself; its
 * user takes each as a request (VTCP_ACCEPT_REQUEST) and completes or
 * refuses it. What the host's client sees of each answer (the handshake
 * and data both ways; ECONNREFUSED for a RST; EHOSTUNREACH, ENETUNREACH
 * for ICMP and ICMPv6 errors), a request that expires at its listener's
 * timeout, a resent SYN that joins its request, a client's RST that ends
 * one, a SYN flood that stays within the SYN queue's bound while other
 * connections move, and every errno of the calls.
 */
#include <netinet/in.h>
#include <sys/socket.h>
#include "kselftest_harness.h"
#include "vtcp_pkt.h"
#include "vtcp_util.h"

#define DEF_PORT	5200	/* the deferred listener */
#define DEF_OTHER	5201	/* an ordinary listener beside it */

#define VTCP_IOC_RESIZE(cmd, size) \
	(((cmd) & ~(_IOC_SIZEMASK << _IOC_SIZESHIFT)) | \
	 ((unsigned long)(size) << _IOC_SIZESHIFT))

/* A deferred listener on vtcp0 at @addr:@port; its fd or -errno. */
static int def_listen(const char *addr, unsigned short port, int backlog,
		      unsigned int timeout_ms)
{
	struct vtcp_listen req = { .ifindex = if_nametoindex("vtcp0"),
				   .backlog = backlog,
				   .flags = VTCP_LISTEN_DEFER };
	int fd = open(VTCP_DEV_PATH, O_RDWR | O_CLOEXEC);
	int err;

	if (fd < 0)
		return -errno;
	vtcp_ep(&req.local, addr, port);
	if (timeout_ms &&
	    vtcp_set_opt(fd, VTCP_OPT_DEFER_TIMEOUT, timeout_ms))
		goto err_close;
	if (ioctl(fd, VTCP_IOC_LISTEN, &req))
		goto err_close;
	return fd;

err_close:
	err = -errno;
	close(fd);
	return err;
}

/* The next request, waiting up to @ms; its fd or -errno. */
static int def_take(int lfd, struct vtcp_accept *out, int ms)
{
	struct vtcp_accept req = { .flags = VTCP_ACCEPT_REQUEST |
					    VTCP_ACCEPT_CLOEXEC };
	int fd;

	if (vtcp_poll1(lfd, POLLIN, ms) <= 0)
		return -ETIMEDOUT;
	fd = ioctl(lfd, VTCP_IOC_ACCEPT, &req);
	if (fd < 0)
		return -errno;
	if (out)
		*out = req;
	return fd;
}

/* A host socket connecting to @addr:@port, without waiting; fd or -errno. */
static int def_host_start(const char *addr, unsigned short port)
{
	struct sockaddr_storage ss;
	socklen_t len = vtcp_host_sockaddr(&ss, addr, port);
	int fd = socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
			0);

	if (fd < 0)
		return -errno;
	if (connect(fd, (void *)&ss, len) && errno != EINPROGRESS) {
		int err = -errno;

		close(fd);
		return err;
	}
	return fd;
}

/* How the host's connect() ended: 0 or -errno; -EINPROGRESS: not yet. */
static int def_host_result(int fd, int ms)
{
	int err = 0;
	socklen_t len = sizeof(err);

	if (vtcp_poll1(fd, POLLOUT, ms) <= 0)
		return -EINPROGRESS;
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len))
		return -errno;
	return -err;
}

/* Whether counter @name of vtcp0 reaches @want within a second. */
static int def_stat_reaches(const char *name, long long want)
{
	int i;

	for (i = 0; i < 100; i++) {
		if (vtcp_dev_stat("vtcp0", name) >= want)
			return vtcp_dev_stat("vtcp0", name) == want;
		usleep(10000);
	}
	return 0;
}

static int def_refuse(int fd, __u32 how, __u8 type, __u8 code)
{
	struct vtcp_refuse r = { .how = how, .type = type, .code = code };

	return ioctl(fd, VTCP_IOC_REFUSE, &r) ? -errno : 0;
}

static int def_complete(int fd)
{
	return ioctl(fd, VTCP_IOC_COMPLETE) ? -errno : 0;
}

FIXTURE(defer) {
	int lfd;
};

FIXTURE_SETUP(defer)
{
	ASSERT_EQ(0, vtcp_module_ensure());
	ASSERT_EQ(0, vtcp_net_up("vtcp0"));
	self->lfd = def_listen(VTCP_ADDR4, DEF_PORT, 0, 0);
	ASSERT_LE(0, self->lfd);
}

FIXTURE_TEARDOWN(defer)
{
	close(self->lfd);
}

TEST_F(defer, a_request_reports_both_endpoints_and_the_syns_options)
{
	struct vtcp_accept a;
	int h, r;

	h = def_host_start(VTCP_ADDR4, DEF_PORT);
	ASSERT_LE(0, h);
	r = def_take(self->lfd, &a, 5000);
	ASSERT_LE(0, r);
	EXPECT_EQ(r, a.fd);
	EXPECT_EQ(AF_INET, a.local.family);
	EXPECT_EQ(htons(DEF_PORT), a.local.port);
	EXPECT_EQ(inet_addr(VTCP_ADDR4), a.local.addr4);
	EXPECT_EQ(AF_INET, a.remote.family);
	EXPECT_EQ(inet_addr(VTCP_HOST4), a.remote.addr4);
	EXPECT_NE(0, a.remote.port);
	/* Linux's SYN: MSS, SACK permitted, timestamps, window scale. */
	EXPECT_LT(500, a.syn.mss);
	EXPECT_EQ(VTCP_SYN_WSCALE | VTCP_SYN_SACK_OK | VTCP_SYN_TS,
		  a.syn.flags & (VTCP_SYN_WSCALE | VTCP_SYN_SACK_OK |
				 VTCP_SYN_TS));
	EXPECT_NE(0, a.syn.tsval);
	/* Not answered: the client is still connecting. */
	EXPECT_EQ(VTCP_LISTEN, vtcp_state_of(r));
	EXPECT_EQ(-EINPROGRESS, def_host_result(h, 300));
	close(r);
	close(h);
}

TEST_F(defer, a_completed_request_carries_data_both_ways)
{
	char buf[8];
	int h, r;

	h = def_host_start(VTCP_ADDR4, DEF_PORT);
	ASSERT_LE(0, h);
	r = def_take(self->lfd, NULL, 5000);
	ASSERT_LE(0, r);
	EXPECT_EQ(0, vtcp_poll1(r, POLLOUT, 100));
	ASSERT_EQ(0, def_complete(r));
	EXPECT_EQ(0, def_host_result(h, 5000));
	EXPECT_EQ(VTCP_ESTABLISHED, vtcp_wait_state(r, VTCP_ESTABLISHED, 5000));
	EXPECT_EQ(POLLOUT, vtcp_poll1(r, POLLOUT, 5000) & POLLOUT);
	ASSERT_EQ(0, vtcp_write_all(r, "to-host", 7));
	ASSERT_EQ(0, vtcp_read_all(h, buf, 7));
	EXPECT_EQ(0, memcmp(buf, "to-host", 7));
	ASSERT_EQ(0, vtcp_write_all(h, "to-vtcp", 7));
	ASSERT_EQ(0, vtcp_read_all(r, buf, 7));
	EXPECT_EQ(0, memcmp(buf, "to-vtcp", 7));
	/* Answered once: no second answer. */
	EXPECT_EQ(-EISCONN, def_complete(r));
	EXPECT_EQ(-EISCONN, def_refuse(r, VTCP_REFUSE_RST, 0, 0));
	close(r);
	close(h);
}

TEST_F(defer, a_refusal_with_rst_gives_the_client_econnrefused)
{
	int h, r;

	h = def_host_start(VTCP_ADDR4, DEF_PORT);
	ASSERT_LE(0, h);
	r = def_take(self->lfd, NULL, 5000);
	ASSERT_LE(0, r);
	ASSERT_EQ(0, def_refuse(r, VTCP_REFUSE_RST, 0, 0));
	EXPECT_EQ(-ECONNREFUSED, def_host_result(h, 5000));
	EXPECT_NE(0, vtcp_poll1(r, POLLIN, 1000) & POLLHUP);
	EXPECT_EQ(-ENOTCONN, def_complete(r));
	close(r);
	close(h);
}

struct def_icmp {
	const char *addr, *vaddr;
	__u8 type, code;
	int err;
};

static void def_icmp_case(struct __test_metadata *_metadata,
			  const struct def_icmp *c)
{
	int lfd, h, r;

	lfd = def_listen(c->vaddr, DEF_PORT + 10, 0, 0);
	ASSERT_LE(0, lfd);
	h = def_host_start(c->addr, DEF_PORT + 10);
	ASSERT_LE(0, h);
	r = def_take(lfd, NULL, 5000);
	ASSERT_LE(0, r);
	ASSERT_EQ(0, def_refuse(r, VTCP_REFUSE_ICMP, c->type, c->code));
	EXPECT_EQ(c->err, def_host_result(h, 5000))
		TH_LOG("%s type %u code %u", c->addr, c->type, c->code);
	close(r);
	close(h);
	close(lfd);
}

TEST(icmp_refusals_give_the_client_ehostunreach_or_enetunreach)
{
	static const struct def_icmp cases[] = {
		{ VTCP_ADDR4, VTCP_ADDR4, 3, 0, -ENETUNREACH },
		{ VTCP_ADDR4, VTCP_ADDR4, 3, 1, -EHOSTUNREACH },
		{ VTCP_ADDR4, VTCP_ADDR4, 3, 13, -EHOSTUNREACH },
		{ VTCP_ADDR4, VTCP_ADDR4, 3, 3, -ECONNREFUSED },
		{ VTCP_ADDR6, VTCP_ADDR6, 1, 0, -ENETUNREACH },
		{ VTCP_ADDR6, VTCP_ADDR6, 1, 3, -EHOSTUNREACH },
		{ VTCP_ADDR6, VTCP_ADDR6, 1, 4, -ECONNREFUSED },
	};
	unsigned int i;

	ASSERT_EQ(0, vtcp_module_ensure());
	ASSERT_EQ(0, vtcp_net_up("vtcp0"));
	for (i = 0; i < ARRAY_SIZE(cases); i++)
		def_icmp_case(_metadata, &cases[i]);
}

TEST_F(defer, refusals_that_are_no_destination_unreachable_are_einval)
{
	struct vtcp_refuse bad = { .how = VTCP_REFUSE_RST, .__reserved = 1 };
	int h, r;

	h = def_host_start(VTCP_ADDR4, DEF_PORT);
	ASSERT_LE(0, h);
	r = def_take(self->lfd, NULL, 5000);
	ASSERT_LE(0, r);
	EXPECT_EQ(-EINVAL, def_refuse(r, 2, 0, 0));
	EXPECT_EQ(-EINVAL, def_refuse(r, VTCP_REFUSE_RST, 3, 1));
	EXPECT_EQ(-EINVAL, def_refuse(r, VTCP_REFUSE_ICMP, 1, 0));
	EXPECT_EQ(-EINVAL, def_refuse(r, VTCP_REFUSE_ICMP, 11, 0));
	EXPECT_EQ(-EINVAL, def_refuse(r, VTCP_REFUSE_ICMP, 3, 4));
	EXPECT_EQ(-EINVAL, def_refuse(r, VTCP_REFUSE_ICMP, 3, 16));
	EXPECT_EQ(-1, ioctl(r, VTCP_IOC_REFUSE, &bad));
	EXPECT_EQ(EINVAL, errno);
	/* A size below the structure's is no refusal either. */
	EXPECT_EQ(-1, ioctl(r, VTCP_IOC_RESIZE(VTCP_IOC_REFUSE, 4), &bad));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, ioctl(r, VTCP_IOC_REFUSE, NULL));
	EXPECT_EQ(EFAULT, errno);
	/* None of them answered it: it still completes. */
	EXPECT_EQ(0, def_complete(r));
	EXPECT_EQ(0, def_host_result(h, 5000));
	close(r);
	close(h);
}

TEST(icmpv6_refusals_take_icmpv6_types_only)
{
	int lfd, h, r;

	ASSERT_EQ(0, vtcp_module_ensure());
	ASSERT_EQ(0, vtcp_net_up("vtcp0"));
	lfd = def_listen(VTCP_ADDR6, DEF_PORT, 0, 0);
	ASSERT_LE(0, lfd);
	h = def_host_start(VTCP_ADDR6, DEF_PORT);
	ASSERT_LE(0, h);
	r = def_take(lfd, NULL, 5000);
	ASSERT_LE(0, r);
	EXPECT_EQ(-EINVAL, def_refuse(r, VTCP_REFUSE_ICMP, 3, 1));
	EXPECT_EQ(-EINVAL, def_refuse(r, VTCP_REFUSE_ICMP, 1, 7));
	EXPECT_EQ(-EINVAL, def_refuse(r, VTCP_REFUSE_ICMP, 2, 0));
	EXPECT_EQ(0, def_refuse(r, VTCP_REFUSE_RST, 0, 0));
	EXPECT_EQ(-ECONNREFUSED, def_host_result(h, 5000));
	close(r);
	close(h);
	close(lfd);
}

TEST(an_unanswered_request_expires_at_the_listeners_timeout)
{
	long long t0, t1;
	int lfd, h, r;

	ASSERT_EQ(0, vtcp_module_ensure());
	ASSERT_EQ(0, vtcp_net_up("vtcp0"));
	lfd = def_listen(VTCP_ADDR4, DEF_PORT, 0, 400);
	ASSERT_LE(0, lfd);
	h = def_host_start(VTCP_ADDR4, DEF_PORT);
	ASSERT_LE(0, h);
	t0 = vtcp_now_ms();
	r = def_take(lfd, NULL, 5000);
	ASSERT_LE(0, r);
	/* Not before the timeout; well within ten of them. */
	EXPECT_EQ(0, vtcp_poll1(r, POLLIN, 250));
	EXPECT_NE(0, vtcp_poll1(r, POLLIN, 4000) & POLLHUP);
	t1 = vtcp_now_ms();
	EXPECT_LE(400, t1 - t0 + 20);
	EXPECT_EQ(-ETIMEDOUT, def_complete(r));
	EXPECT_EQ(-ENOTCONN, def_complete(r));
	close(r);
	close(h);
	close(lfd);
}

TEST(the_defer_timeout_is_a_listener_option_with_bounds)
{
	int fd = open(VTCP_DEV_PATH, O_RDWR | O_CLOEXEC);
	__u64 v = 0;

	ASSERT_LE(0, fd);
	EXPECT_EQ(0, vtcp_get_opt(fd, VTCP_OPT_DEFER_TIMEOUT, &v));
	/* The SYN-RECEIVED timeout: 1 + 2 + ... + 32 s. */
	EXPECT_EQ(63000, v);
	EXPECT_EQ(-EINVAL, vtcp_set_opt(fd, VTCP_OPT_DEFER_TIMEOUT, 0));
	EXPECT_EQ(-EINVAL, vtcp_set_opt(fd, VTCP_OPT_DEFER_TIMEOUT, 600001));
	EXPECT_EQ(0, vtcp_set_opt(fd, VTCP_OPT_DEFER_TIMEOUT, 1500));
	EXPECT_EQ(0, vtcp_get_opt(fd, VTCP_OPT_DEFER_TIMEOUT, &v));
	EXPECT_EQ(1500, v);
	close(fd);
}

/* A crafted SYN from a source the host does not own. */
static void def_syn(struct vtcp_seg_desc *d, unsigned short sport)
{
	memset(d, 0, sizeof(*d));
	d->family = AF_INET;
	strcpy(d->src, "198.51.100.7");
	strcpy(d->dst, VTCP_ADDR4);
	d->sport = sport;
	d->dport = DEF_PORT;
	d->seq = 1000;
	d->flags = VTCP_TH_SYN;
	d->win = 65535;
	d->opts[0] = 2;
	d->opts[1] = 4;
	d->opts[2] = 0x05;
	d->opts[3] = 0xb4;
	d->optlen = 4;
}

TEST_F(defer, a_resent_syn_joins_its_request_and_makes_no_second)
{
	long long pending0 = vtcp_dev_stat("vtcp0", "drop_defer_pending");
	struct vtcp_accept a = { .flags = VTCP_ACCEPT_REQUEST };
	struct vtcp_seg_desc d;
	int pfd, r, i;

	pfd = vtcp_pkt_open("vtcp0");
	ASSERT_LE(0, pfd);
	def_syn(&d, 4000);
	for (i = 0; i < 3; i++)
		ASSERT_EQ(0, vtcp_pkt_send(pfd, "vtcp0", &d));
	r = def_take(self->lfd, NULL, 5000);
	ASSERT_LE(0, r);
	EXPECT_TRUE(def_stat_reaches("drop_defer_pending", pending0 + 2));
	/* And nothing else waits. */
	ASSERT_EQ(0, fcntl(self->lfd, F_SETFL, O_NONBLOCK));
	EXPECT_EQ(-1, ioctl(self->lfd, VTCP_IOC_ACCEPT, &a));
	EXPECT_EQ(EAGAIN, errno);
	/* Taken, it absorbs resent SYNs still. */
	ASSERT_EQ(0, vtcp_pkt_send(pfd, "vtcp0", &d));
	EXPECT_TRUE(def_stat_reaches("drop_defer_pending", pending0 + 3));
	EXPECT_EQ(-1, ioctl(self->lfd, VTCP_IOC_ACCEPT, &a));
	EXPECT_EQ(EAGAIN, errno);
	close(r);
	close(pfd);
}

TEST_F(defer, the_clients_rst_ends_a_request_with_epollhup)
{
	struct vtcp_seg_desc d;
	int pfd, r;

	pfd = vtcp_pkt_open("vtcp0");
	ASSERT_LE(0, pfd);
	def_syn(&d, 4001);
	ASSERT_EQ(0, vtcp_pkt_send(pfd, "vtcp0", &d));
	r = def_take(self->lfd, NULL, 5000);
	ASSERT_LE(0, r);
	/* A RST off RCV.NXT is not the client's: no effect. */
	d.flags = VTCP_TH_RST;
	d.seq = 1005;
	d.optlen = 0;
	ASSERT_EQ(0, vtcp_pkt_send(pfd, "vtcp0", &d));
	EXPECT_EQ(0, vtcp_poll1(r, POLLIN, 200));
	d.seq = 1001;
	ASSERT_EQ(0, vtcp_pkt_send(pfd, "vtcp0", &d));
	EXPECT_NE(0, vtcp_poll1(r, POLLIN, 2000) & POLLHUP);
	EXPECT_EQ(-ECONNRESET, def_complete(r));
	close(r);
	close(pfd);
}

TEST(a_syn_flood_stays_within_the_bound_and_other_connections_move)
{
	long long over0 = vtcp_dev_stat("vtcp0", "drop_defer_overflow");
	struct vtcp_seg_desc d;
	int lfd, ofd, pfd, i, n = 0, r;
	char buf[8];

	ASSERT_EQ(0, vtcp_module_ensure());
	ASSERT_EQ(0, vtcp_net_up("vtcp0"));
	/* A backlog of 16: a SYN queue of 64 (listen.c). */
	lfd = def_listen(VTCP_ADDR4, DEF_PORT, 16, 0);
	ASSERT_LE(0, lfd);
	ofd = vtcp_listen_on("vtcp0", VTCP_ADDR4, DEF_OTHER, 0);
	ASSERT_LE(0, ofd);
	pfd = vtcp_pkt_open("vtcp0");
	ASSERT_LE(0, pfd);
	for (i = 0; i < 1000; i++) {
		def_syn(&d, 1024 + i);
		d.seq = 7 * i;
		ASSERT_EQ(0, vtcp_pkt_send(pfd, "vtcp0", &d));
		if (i % 100 != 99)
			continue;
		/* An ordinary connection beside it, during the flood. */
		int h = vtcp_host_connect(VTCP_ADDR4, DEF_OTHER);
		int v = vtcp_accept_on(ofd, 0, NULL);

		ASSERT_LE(0, h);
		ASSERT_LE(0, v);
		ASSERT_EQ(0, vtcp_write_all(h, "moving", 6));
		ASSERT_EQ(0, vtcp_read_all(v, buf, 6));
		ASSERT_EQ(0, vtcp_write_all(v, "along", 5));
		ASSERT_EQ(0, vtcp_read_all(h, buf, 5));
		close(v);
		close(h);
	}
	EXPECT_TRUE(def_stat_reaches("drop_defer_overflow", over0 + 1000 - 64));
	/* Exactly the bound's worth of requests, and no cookie. */
	ASSERT_EQ(0, fcntl(lfd, F_SETFL, O_NONBLOCK));
	while ((r = def_take(lfd, NULL, 0)) >= 0) {
		n++;
		close(r);
	}
	EXPECT_EQ(-ETIMEDOUT, r);
	EXPECT_EQ(64, n);
	close(pfd);
	close(ofd);
	close(lfd);
}

TEST_F(defer, accept_and_request_are_for_their_own_kind_of_listener)
{
	struct vtcp_accept a = { .flags = VTCP_ACCEPT_NONBLOCK };
	int ofd, h, v;

	/* A deferred listener has no established connections to accept. */
	EXPECT_EQ(-1, ioctl(self->lfd, VTCP_IOC_ACCEPT, &a));
	EXPECT_EQ(EINVAL, errno);
	ofd = vtcp_listen_on("vtcp0", VTCP_ADDR4, DEF_OTHER, 0);
	ASSERT_LE(0, ofd);
	a.flags = VTCP_ACCEPT_REQUEST;
	EXPECT_EQ(-1, ioctl(ofd, VTCP_IOC_ACCEPT, &a));
	EXPECT_EQ(EINVAL, errno);
	/* Nor are its connections requests, nor /dev/vtcp handles. */
	h = vtcp_host_connect(VTCP_ADDR4, DEF_OTHER);
	ASSERT_LE(0, h);
	v = vtcp_accept_on(ofd, 0, NULL);
	ASSERT_LE(0, v);
	EXPECT_EQ(-EINVAL, def_complete(v));
	EXPECT_EQ(-EINVAL, def_refuse(v, VTCP_REFUSE_RST, 0, 0));
	EXPECT_EQ(-EINVAL, def_complete(ofd));
	EXPECT_EQ(-EINVAL, def_refuse(self->lfd, VTCP_REFUSE_RST, 0, 0));
	close(v);
	close(h);
	close(ofd);
}

TEST(an_unknown_listen_flag_is_einval)
{
	struct vtcp_listen req = { .ifindex = if_nametoindex("vtcp0"),
				   .flags = 1U << 1 };
	int fd;

	ASSERT_EQ(0, vtcp_module_ensure());
	ASSERT_EQ(0, vtcp_net_up("vtcp0"));
	fd = open(VTCP_DEV_PATH, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, fd);
	vtcp_ep(&req.local, VTCP_ADDR4, DEF_PORT + 20);
	EXPECT_EQ(-1, ioctl(fd, VTCP_IOC_LISTEN, &req));
	EXPECT_EQ(EINVAL, errno);
	close(fd);
}

TEST(closing_a_listener_ends_the_requests_nobody_took)
{
	long long conns0;
	int lfd, i;
	int hs[4];

	ASSERT_EQ(0, vtcp_module_ensure());
	ASSERT_EQ(0, vtcp_net_up("vtcp0"));
	conns0 = vtcp_objects("connections");
	lfd = def_listen(VTCP_ADDR4, DEF_PORT, 0, 0);
	ASSERT_LE(0, lfd);
	for (i = 0; i < 4; i++) {
		hs[i] = def_host_start(VTCP_ADDR4, DEF_PORT);
		ASSERT_LE(0, hs[i]);
	}
	/* All four wait in the queue. */
	for (i = 0; i < 50 && vtcp_objects("connections") < conns0 + 4; i++)
		usleep(20000);
	EXPECT_LE(conns0 + 4, vtcp_objects("connections"));
	close(lfd);
	for (i = 0; i < 100 && vtcp_objects("connections") > conns0; i++)
		usleep(20000);
	EXPECT_GE(conns0, vtcp_objects("connections"));
	for (i = 0; i < 4; i++)
		close(hs[i]);
}

TEST_HARNESS_MAIN
