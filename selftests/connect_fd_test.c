// SPDX-License-Identifier: GPL-2.0
/*
 * VTCP_IOC_CONNECT_FD: a listener's handle opens connections of its own,
 * each a new descriptor as VTCP_IOC_ACCEPT returns. What it opens (data
 * both ways, blocking and not, the descriptor's flags, the listener's
 * options), and every errno of Documentation/vtcp.rst, each with no
 * descriptor and no connection left behind.
 */
#include <signal.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include "kselftest_harness.h"
#include "vtcp_util.h"

#define CFD_LPORT	5100	/* the listener the connections come from */
#define CFD_HPORT	5101	/* the host's listener they go to */
#define CFD_CLOSED	5102	/* a host port nobody listens on */

#define VTCP_IOC_RESIZE(cmd, size) \
	(((cmd) & ~(_IOC_SIZEMASK << _IOC_SIZESHIFT)) | \
	 ((unsigned long)(size) << _IOC_SIZESHIFT))

static void cfd_req(struct vtcp_connect_fd *req, unsigned short rport,
		    unsigned int fd_flags)
{
	memset(req, 0, sizeof(*req));
	vtcp_ep(&req->connect.local, VTCP_ADDR4, 0);
	vtcp_ep(&req->connect.remote, VTCP_HOST4, rport);
	req->fd_flags = fd_flags;
}

/* -errno of a CONNECT_FD, or its descriptor. */
static int cfd(int lfd, struct vtcp_connect_fd *req)
{
	int fd = ioctl(lfd, VTCP_IOC_CONNECT_FD, req);

	return fd < 0 ? -errno : fd;
}

/*
 * Whether the module's connections are back to @n at most, within a
 * second (a closed one is freed after an RCU grace period): a failed call
 * may leave none behind. Others' may end meanwhile, never begin.
 */
static int cfd_conns_back_to(long n)
{
	long long end = vtcp_now_ms() + 1000;

	while (vtcp_objects("connections") > n) {
		if (vtcp_now_ms() > end)
			return 0;
		usleep(10000);
	}
	return 1;
}

FIXTURE(cfd) {
	int lfd;	/* vtcp listener on vtcp0 */
	int hfd;	/* host listener */
	long conns0;
};

FIXTURE_SETUP(cfd)
{
	ASSERT_EQ(0, vtcp_module_ensure());
	ASSERT_EQ(0, vtcp_net_up("vtcp0"));
	self->lfd = vtcp_listen_on("vtcp0", VTCP_ADDR4, CFD_LPORT, 0);
	ASSERT_LE(0, self->lfd);
	self->hfd = vtcp_host_listen(VTCP_HOST4, CFD_HPORT);
	ASSERT_LE(0, self->hfd);
	self->conns0 = vtcp_objects("connections");
	ASSERT_LE(0, self->conns0);
}

FIXTURE_TEARDOWN(cfd)
{
	close(self->hfd);
	close(self->lfd);
}

TEST_F(cfd, blocking_connect_returns_an_established_fd_carrying_data_both_ways)
{
	struct vtcp_connect_fd req;
	char buf[6];
	int fd, hc;

	cfd_req(&req, CFD_HPORT, VTCP_ACCEPT_CLOEXEC);
	fd = cfd(self->lfd, &req);
	ASSERT_LE(0, fd);
	EXPECT_EQ(fd, req.fd);
	EXPECT_EQ(VTCP_ESTABLISHED, vtcp_state_of(fd));
	EXPECT_EQ(FD_CLOEXEC, fcntl(fd, F_GETFD) & FD_CLOEXEC);
	EXPECT_EQ(0, fcntl(fd, F_GETFL) & O_NONBLOCK);
	hc = accept(self->hfd, NULL, NULL);
	ASSERT_LE(0, hc);
	ASSERT_EQ(6, write(fd, "vtcp->", 6));
	ASSERT_EQ(0, vtcp_read_all(hc, buf, 6));
	EXPECT_EQ(0, memcmp(buf, "vtcp->", 6));
	ASSERT_EQ(6, write(hc, "<-host", 6));
	ASSERT_EQ(0, vtcp_read_all(fd, buf, 6));
	EXPECT_EQ(0, memcmp(buf, "<-host", 6));
	close(hc);
	close(fd);
}

TEST_F(cfd, nonblocking_connect_returns_at_once_and_polls_writable_when_established)
{
	struct vtcp_connect_fd req;
	int fd, hc;

	cfd_req(&req, CFD_HPORT, VTCP_ACCEPT_NONBLOCK);
	fd = cfd(self->lfd, &req);
	ASSERT_LE(0, fd);
	EXPECT_EQ(0, fcntl(fd, F_GETFD) & FD_CLOEXEC);
	EXPECT_EQ(O_NONBLOCK, fcntl(fd, F_GETFL) & O_NONBLOCK);
	EXPECT_EQ(POLLOUT, vtcp_poll1(fd, POLLOUT, 5000) & POLLOUT);
	EXPECT_EQ(0, vtcp_so_error(fd));
	EXPECT_EQ(VTCP_ESTABLISHED, vtcp_state_of(fd));
	hc = accept(self->hfd, NULL, NULL);
	EXPECT_LE(0, hc);
	close(hc);
	close(fd);
}

TEST_F(cfd, nonblocking_connect_to_a_closed_port_reports_econnrefused_on_the_fd)
{
	struct vtcp_connect_fd req;
	int fd;

	cfd_req(&req, CFD_CLOSED, VTCP_ACCEPT_NONBLOCK);
	fd = cfd(self->lfd, &req);
	ASSERT_LE(0, fd);
	EXPECT_NE(0, vtcp_poll1(fd, POLLOUT, 5000) & (POLLERR | POLLHUP));
	EXPECT_EQ(-ECONNREFUSED, vtcp_so_error(fd));
	close(fd);
}

TEST_F(cfd, one_listener_opens_many_connections_and_still_accepts)
{
	struct vtcp_connect_fd req;
	int fds[8], i, hc, vc, host;

	for (i = 0; i < 8; i++) {
		cfd_req(&req, CFD_HPORT, 0);
		fds[i] = cfd(self->lfd, &req);
		ASSERT_LE(0, fds[i]);
		hc = accept(self->hfd, NULL, NULL);
		ASSERT_LE(0, hc);
		close(hc);
	}
	/* The listener still listens. */
	host = vtcp_host_connect(VTCP_ADDR4, CFD_LPORT);
	ASSERT_LE(0, host);
	vc = vtcp_accept_on(self->lfd, 0, NULL);
	EXPECT_LE(0, vc);
	close(vc);
	close(host);
	for (i = 0; i < 8; i++)
		close(fds[i]);
}

TEST_F(cfd, the_connection_starts_with_the_listeners_options)
{
	struct vtcp_connect_fd req;
	__u64 v = 0;
	int fd, hc;

	ASSERT_EQ(0, vtcp_set_opt(self->lfd, VTCP_OPT_NODELAY, 1));
	cfd_req(&req, CFD_HPORT, 0);
	fd = cfd(self->lfd, &req);
	ASSERT_LE(0, fd);
	EXPECT_EQ(0, vtcp_get_opt(fd, VTCP_OPT_NODELAY, &v));
	EXPECT_EQ(1, v);
	hc = accept(self->hfd, NULL, NULL);
	close(hc);
	close(fd);
}

TEST_F(cfd, ifindex_zero_or_the_listeners_device_and_any_other_is_einval)
{
	struct vtcp_connect_fd req;
	int fd, hc;

	cfd_req(&req, CFD_HPORT, 0);
	req.connect.ifindex = if_nametoindex("vtcp0");
	fd = cfd(self->lfd, &req);
	ASSERT_LE(0, fd);
	hc = accept(self->hfd, NULL, NULL);
	close(hc);
	close(fd);
	cfd_req(&req, CFD_HPORT, 0);
	req.connect.ifindex = if_nametoindex("lo");
	EXPECT_EQ(-EINVAL, cfd(self->lfd, &req));
	EXPECT_EQ(-1, req.fd);
	EXPECT_TRUE(cfd_conns_back_to(self->conns0));
}

TEST_F(cfd, a_handle_that_is_no_listener_is_einval)
{
	struct vtcp_connect_fd req;
	int unbound = open(VTCP_DEV_PATH, O_RDWR | O_CLOEXEC);
	int conn, hc, acc, host;

	ASSERT_LE(0, unbound);
	cfd_req(&req, CFD_HPORT, 0);
	EXPECT_EQ(-EINVAL, cfd(unbound, &req));
	/* A /dev/vtcp connection handle, and an accepted connection. */
	conn = vtcp_connect_to("vtcp0", VTCP_ADDR4, 0, VTCP_HOST4, CFD_HPORT, 0);
	ASSERT_LE(0, conn);
	hc = accept(self->hfd, NULL, NULL);
	EXPECT_EQ(-EINVAL, cfd(conn, &req));
	host = vtcp_host_connect(VTCP_ADDR4, CFD_LPORT);
	ASSERT_LE(0, host);
	acc = vtcp_accept_on(self->lfd, 0, NULL);
	ASSERT_LE(0, acc);
	EXPECT_EQ(-EINVAL, cfd(acc, &req));
	close(acc);
	close(host);
	close(hc);
	close(conn);
	close(unbound);
}

TEST_F(cfd, bad_fields_are_einval_or_eafnosupport_and_open_nothing)
{
	struct vtcp_connect_fd req;

	cfd_req(&req, CFD_HPORT, 1U << 2);
	EXPECT_EQ(-EINVAL, cfd(self->lfd, &req));
	cfd_req(&req, CFD_HPORT, 0);
	req.connect.flags = 1;
	EXPECT_EQ(-EINVAL, cfd(self->lfd, &req));
	cfd_req(&req, 0, 0);
	EXPECT_EQ(-EINVAL, cfd(self->lfd, &req));
	cfd_req(&req, CFD_HPORT, 0);
	vtcp_ep(&req.connect.remote, VTCP_HOST6, CFD_HPORT);
	EXPECT_EQ(-EINVAL, cfd(self->lfd, &req));
	cfd_req(&req, CFD_HPORT, 0);
	req.connect.local.addr4 = 0;
	EXPECT_EQ(-EINVAL, cfd(self->lfd, &req));
	cfd_req(&req, CFD_HPORT, 0);
	req.connect.local.__reserved = 1;
	EXPECT_EQ(-EINVAL, cfd(self->lfd, &req));
	cfd_req(&req, CFD_HPORT, 0);
	req.connect.local.family = 99;
	req.connect.remote.family = 99;
	EXPECT_EQ(-EAFNOSUPPORT, cfd(self->lfd, &req));
	EXPECT_TRUE(cfd_conns_back_to(self->conns0));
}

TEST_F(cfd, sizes_below_the_first_version_are_einval_a_nonzero_tail_e2big)
{
	struct {
		struct vtcp_connect_fd req;
		__u64 tail;
	} big;
	struct vtcp_connect_fd req;
	unsigned long cmd;
	int fd, hc;

	cfd_req(&req, CFD_HPORT, 0);
	cmd = VTCP_IOC_RESIZE(VTCP_IOC_CONNECT_FD, sizeof(req) - 4);
	EXPECT_EQ(-1, ioctl(self->lfd, cmd, &req));
	EXPECT_EQ(EINVAL, errno);
	cfd_req(&big.req, CFD_HPORT, 0);
	big.tail = 1;
	cmd = VTCP_IOC_RESIZE(VTCP_IOC_CONNECT_FD, sizeof(big));
	EXPECT_EQ(-1, ioctl(self->lfd, cmd, &big));
	EXPECT_EQ(E2BIG, errno);
	/* A zero tail is a caller built with a later version: fine. */
	big.tail = 0;
	fd = ioctl(self->lfd, cmd, &big);
	ASSERT_LE(0, fd);
	EXPECT_EQ(fd, big.req.fd);
	hc = accept(self->hfd, NULL, NULL);
	close(hc);
	close(fd);
	/* The number in the wrong direction is no such ioctl. */
	cmd = _IOW(VTCP_IOC_MAGIC, 12, struct vtcp_connect_fd);
	EXPECT_EQ(-1, ioctl(self->lfd, cmd, &req));
	EXPECT_EQ(ENOTTY, errno);
}

TEST_F(cfd, bad_pointers_are_efault_and_open_nothing)
{
	struct vtcp_connect_fd *ro;
	void *gone;

	gone = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, gone);
	ASSERT_EQ(0, munmap(gone, 4096));
	EXPECT_EQ(-EFAULT, cfd(self->lfd, gone));
	/* Readable, not writable: refused before any SYN is sent. */
	ro = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
		  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, ro);
	cfd_req(ro, CFD_HPORT, 0);
	ASSERT_EQ(0, mprotect(ro, 4096, PROT_READ));
	EXPECT_EQ(-EFAULT, cfd(self->lfd, ro));
	munmap(ro, 4096);
	EXPECT_TRUE(cfd_conns_back_to(self->conns0));
}

TEST_F(cfd, a_blocking_connect_to_a_closed_port_is_econnrefused_with_no_fd)
{
	struct vtcp_connect_fd req;
	int next = vtcp_next_fd();

	cfd_req(&req, CFD_CLOSED, 0);
	EXPECT_EQ(-ECONNREFUSED, cfd(self->lfd, &req));
	EXPECT_EQ(-1, req.fd);
	EXPECT_EQ(next, vtcp_next_fd());
	EXPECT_TRUE(cfd_conns_back_to(self->conns0));
}

TEST_F(cfd, a_local_port_in_use_towards_the_same_peer_is_eaddrinuse)
{
	struct vtcp_connect_fd req;
	int fd, hc;

	cfd_req(&req, CFD_HPORT, 0);
	req.connect.local.port = htons(40123);
	fd = cfd(self->lfd, &req);
	ASSERT_LE(0, fd);
	hc = accept(self->hfd, NULL, NULL);
	EXPECT_EQ(-EADDRINUSE, cfd(self->lfd, &req));
	close(hc);
	close(fd);
}

TEST_F(cfd, a_listener_whose_device_is_gone_is_enodev)
{
	struct vtcp_connect_fd req;
	int lfd;

	ASSERT_EQ(0, vtcp_sh("ip link add vtcpcfd type vtcp"));
	ASSERT_EQ(0, vtcp_sh("ip link set vtcpcfd up"));
	lfd = vtcp_listen_on("vtcpcfd", VTCP_ADDR4, CFD_LPORT, 0);
	ASSERT_LE(0, lfd);
	ASSERT_EQ(0, vtcp_sh("ip link del vtcpcfd"));
	cfd_req(&req, CFD_HPORT, 0);
	EXPECT_EQ(-ENODEV, cfd(lfd, &req));
	close(lfd);
}

/*
 * At max_conns (0 means no bound: the limit is set to what is held, one
 * connection of ours at least) the next is ENOBUFS.
 */
TEST_F(cfd, past_the_connection_limit_is_enobufs)
{
	static const char *param = "/sys/module/vtcp/parameters/max_conns";
	long long old = vtcp_read_num("%s", param);
	struct vtcp_connect_fd req;
	int fd, hc;

	ASSERT_LT(0, old);
	cfd_req(&req, CFD_HPORT, 0);
	fd = cfd(self->lfd, &req);
	ASSERT_LE(0, fd);
	hc = accept(self->hfd, NULL, NULL);
	ASSERT_LE(0, hc);
	ASSERT_EQ(0, vtcp_sh("echo %ld > %s", vtcp_objects("connections"),
			     param));
	cfd_req(&req, CFD_HPORT, 0);
	EXPECT_EQ(-ENOBUFS, cfd(self->lfd, &req));
	ASSERT_EQ(0, vtcp_sh("echo %lld > %s", old, param));
	close(fd);
	close(hc);
	EXPECT_TRUE(cfd_conns_back_to(self->conns0));
}

TEST_F(cfd, no_descriptor_left_is_emfile_and_the_connection_is_closed)
{
	struct vtcp_connect_fd req;
	struct rlimit old, low;
	char c;
	int hc;

	ASSERT_EQ(0, getrlimit(RLIMIT_NOFILE, &old));
	low = old;
	low.rlim_cur = vtcp_next_fd();
	ASSERT_EQ(0, setrlimit(RLIMIT_NOFILE, &low));
	cfd_req(&req, CFD_HPORT, 0);
	EXPECT_EQ(-EMFILE, cfd(self->lfd, &req));
	ASSERT_EQ(0, setrlimit(RLIMIT_NOFILE, &old));
	EXPECT_EQ(-1, req.fd);
	/* It was established: the host sees it open, then closed. */
	hc = accept(self->hfd, NULL, NULL);
	ASSERT_LE(0, hc);
	EXPECT_EQ(0, read(hc, &c, 1));
	close(hc);
}

static void cfd_on_alarm(int sig)
{
}

TEST_F(cfd, a_signal_before_the_handshake_ends_is_eintr_with_no_fd)
{
	struct sigaction sa = { .sa_handler = cfd_on_alarm };
	struct vtcp_connect_fd req;
	int next = vtcp_next_fd();

	/* What the host sends back is lost: the SYN stays unanswered. */
	ASSERT_EQ(0, vtcp_sh("tc qdisc add dev vtcp0 root netem loss 100%%"));
	ASSERT_EQ(0, sigaction(SIGALRM, &sa, NULL));
	cfd_req(&req, CFD_HPORT, 0);
	ualarm(200000, 0);
	EXPECT_EQ(-EINTR, cfd(self->lfd, &req));
	EXPECT_EQ(0, vtcp_sh("tc qdisc del dev vtcp0 root"));
	EXPECT_EQ(-1, req.fd);
	EXPECT_EQ(next, vtcp_next_fd());
	EXPECT_TRUE(cfd_conns_back_to(self->conns0));
}

TEST_HARNESS_MAIN
