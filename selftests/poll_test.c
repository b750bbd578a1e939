// SPDX-License-Identifier: GPL-2.0
/*
 * Waiting on vtcp files: poll, select and epoll (level- and edge-
 * triggered) report EPOLLIN, EPOLLOUT, EPOLLRDHUP, EPOLLHUP and EPOLLERR
 * when read() or write() would not block, as for TCP sockets; listeners
 * are readable while a connection waits; O_NONBLOCK calls say EAGAIN and
 * a non-blocking CONNECT EINPROGRESS; signals interrupt every blocking
 * call, which restarts under SA_RESTART.
 */
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <sys/epoll.h>
#include <sys/select.h>
#include <sys/time.h>
#include <sys/uio.h>
#include "kselftest_harness.h"
#include "vtcp_util.h"

#define VTCP_ALL_EVENTS	(EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLHUP | EPOLLERR)

/* One epoll_wait() for @fd's events, waiting up to @ms; 0 if none. */
static int vtcp_epoll_wait1(int ep, int ms)
{
	struct epoll_event ev;
	int n = epoll_wait(ep, &ev, 1, ms);

	return n < 0 ? -errno : n ? (int)ev.events : 0;
}

static int vtcp_epoll_for(int fd, unsigned int events)
{
	struct epoll_event ev = { .events = events, .data.fd = fd };
	int ep = epoll_create1(EPOLL_CLOEXEC);

	if (ep < 0 || epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev))
		return -1;
	return ep;
}

static int vtcp_set_nonblock(int fd, int on)
{
	int fl = fcntl(fd, F_GETFL);

	return fcntl(fd, F_SETFL, on ? fl | O_NONBLOCK : fl & ~O_NONBLOCK);
}

/* A host connection to @addr:@port with a small receive buffer. */
static int vtcp_host_connect_rcvbuf(const char *addr, unsigned short port,
				    int rcvbuf)
{
	struct sockaddr_in sin = { .sin_family = AF_INET,
				   .sin_port = htons(port) };
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	inet_pton(AF_INET, addr, &sin.sin_addr);
	if (fd < 0)
		return -errno;
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
	if (connect(fd, (void *)&sin, sizeof(sin))) {
		close(fd);
		return -errno;
	}
	return fd;
}

/* Write (non-blocking) until EAGAIN; the bytes it took. */
static long vtcp_fill_up(int fd)
{
	static char buf[16384];
	long total = 0;

	for (;;) {
		ssize_t n = write(fd, buf, sizeof(buf));

		if (n < 0)
			return errno == EAGAIN ? total : -errno;
		total += n;
	}
}

/* Read and drop @len bytes. */
static int vtcp_drain(int fd, long len)
{
	static char buf[16384];

	while (len > 0) {
		ssize_t n = read(fd, buf, len < (long)sizeof(buf) ? len : sizeof(buf));

		if (n <= 0)
			return n ? -errno : -EPIPE;
		len -= n;
	}
	return 0;
}

static volatile sig_atomic_t vtcp_signals;

static void vtcp_on_signal(int sig)
{
	vtcp_signals++;
}

/* SIGALRM after @ms, with or without SA_RESTART. */
static void vtcp_alarm_ms(int ms, int restart)
{
	struct sigaction sa = { .sa_handler = vtcp_on_signal,
				.sa_flags = restart ? SA_RESTART : 0 };
	struct itimerval it = { .it_value = { .tv_sec = ms / 1000,
					      .tv_usec = ms % 1000 * 1000 } };

	sigemptyset(&sa.sa_mask);
	sigaction(SIGALRM, &sa, NULL);
	setitimer(ITIMER_REAL, &it, NULL);
}

FIXTURE(poll) {
	struct vtcp_pair p;
};

FIXTURE_SETUP(poll)
{
	ASSERT_EQ(0, vtcp_module_ensure());
	ASSERT_EQ(0, vtcp_net_up("vtcp0"));
	ASSERT_EQ(0, vtcp_pair_open(&self->p, VTCP_ADDR4, 7000));
	signal(SIGPIPE, SIG_IGN);
}

FIXTURE_TEARDOWN(poll)
{
	vtcp_pair_close(&self->p);
	vtcp_sh("tc qdisc del dev vtcp0 root 2>/dev/null");
}

TEST_F(poll, established_connection_is_writable_not_readable)
{
	EXPECT_EQ(POLLOUT, vtcp_poll1(self->p.vfd, POLLIN | POLLOUT | POLLRDHUP, 0));
}

TEST_F(poll, level_triggered_epollin_stays_until_read)
{
	int ep = vtcp_epoll_for(self->p.vfd, EPOLLIN);
	char buf[8];

	ASSERT_LE(0, ep);
	EXPECT_EQ(0, vtcp_epoll_wait1(ep, 0));
	ASSERT_EQ(0, vtcp_write_all(self->p.hfd, "ab", 2));
	EXPECT_EQ(EPOLLIN, vtcp_epoll_wait1(ep, 5000));
	EXPECT_EQ(EPOLLIN, vtcp_epoll_wait1(ep, 0));
	EXPECT_EQ(1, read(self->p.vfd, buf, 1));
	EXPECT_EQ(EPOLLIN, vtcp_epoll_wait1(ep, 0));
	EXPECT_EQ(1, read(self->p.vfd, buf, 1));
	EXPECT_EQ(0, vtcp_epoll_wait1(ep, 0));
	close(ep);
}

TEST_F(poll, edge_triggered_epollin_once_per_arrival)
{
	int ep = vtcp_epoll_for(self->p.vfd, EPOLLIN | EPOLLET);
	char buf[8];

	ASSERT_LE(0, ep);
	ASSERT_EQ(0, vtcp_write_all(self->p.hfd, "a", 1));
	EXPECT_EQ(EPOLLIN, vtcp_epoll_wait1(ep, 5000));
	/* Unread, but no new edge. */
	EXPECT_EQ(0, vtcp_epoll_wait1(ep, 50));
	ASSERT_EQ(0, vtcp_write_all(self->p.hfd, "b", 1));
	EXPECT_EQ(EPOLLIN, vtcp_epoll_wait1(ep, 5000));
	EXPECT_EQ(2, read(self->p.vfd, buf, sizeof(buf)));
	EXPECT_EQ(0, vtcp_epoll_wait1(ep, 50));
	close(ep);
}

TEST_F(poll, epollout_goes_when_full_and_comes_back_when_drained)
{
	int hfd, vfd, ep, i;
	long filled, n;

	/* A host that keeps its window small, and a small send buffer. */
	hfd = vtcp_host_connect_rcvbuf(VTCP_ADDR4, 7000, 4096);
	ASSERT_LE(0, hfd);
	vfd = vtcp_accept_on(self->p.lfd, VTCP_ACCEPT_NONBLOCK, NULL);
	ASSERT_LE(0, vfd);
	ASSERT_EQ(0, vtcp_set_opt(vfd, VTCP_OPT_SNDBUF, 8192));
	ep = vtcp_epoll_for(vfd, EPOLLOUT | EPOLLET);
	ASSERT_LE(0, ep);
	EXPECT_EQ(EPOLLOUT, vtcp_epoll_wait1(ep, 0));
	EXPECT_EQ(0, vtcp_epoll_wait1(ep, 0));

	/* Fill until what the host acknowledges no longer makes room. */
	filled = 0;
	for (i = 0; i < 100; i++) {
		n = vtcp_fill_up(vfd);
		ASSERT_LE(0, n);
		filled += n;
		if (!n && i)
			break;
		usleep(100000);
	}
	ASSERT_LT(0, filled);
	/* Stays full: the host reads nothing, its window is closed. */
	EXPECT_EQ(-EAGAIN, write(vfd, "x", 1) < 0 ? -errno : 0);
	EXPECT_EQ(0, vtcp_poll1(vfd, POLLOUT, 100));
	EXPECT_EQ(0, vtcp_epoll_wait1(ep, 0));

	ASSERT_EQ(0, vtcp_drain(hfd, filled));
	EXPECT_EQ(EPOLLOUT, vtcp_epoll_wait1(ep, 5000));
	EXPECT_EQ(POLLOUT, vtcp_poll1(vfd, POLLOUT, 0));
	close(ep);
	close(vfd);
	close(hfd);
}

TEST_F(poll, peer_fin_is_epollrdhup_and_both_ends_closed_is_epollhup)
{
	__u32 how = VTCP_SHUT_WR;
	int ep = vtcp_epoll_for(self->p.vfd, VTCP_ALL_EVENTS);

	ASSERT_LE(0, ep);
	EXPECT_EQ(EPOLLOUT, vtcp_epoll_wait1(ep, 0));
	ASSERT_EQ(0, shutdown(self->p.hfd, SHUT_WR));
	EXPECT_EQ(EPOLLIN | EPOLLOUT | EPOLLRDHUP, vtcp_epoll_wait1(ep, 5000));
	ASSERT_EQ(0, ioctl(self->p.vfd, VTCP_IOC_SHUTDOWN, &how));
	EXPECT_EQ(EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLHUP,
		  vtcp_epoll_wait1(ep, 0));
	close(ep);
}

TEST_F(poll, local_shutdown_rd_is_epollrdhup_and_rdwr_epollhup)
{
	__u32 rd = VTCP_SHUT_RD, rdwr = VTCP_SHUT_RDWR;

	ASSERT_EQ(0, ioctl(self->p.vfd, VTCP_IOC_SHUTDOWN, &rd));
	EXPECT_EQ(POLLIN | POLLOUT | POLLRDHUP,
		  vtcp_poll1(self->p.vfd, POLLIN | POLLOUT | POLLRDHUP, 0));
	ASSERT_EQ(0, ioctl(self->p.vfd, VTCP_IOC_SHUTDOWN, &rdwr));
	EXPECT_EQ(POLLIN | POLLOUT | POLLRDHUP | POLLHUP,
		  vtcp_poll1(self->p.vfd, POLLIN | POLLOUT | POLLRDHUP, 0));
}

TEST_F(poll, writable_after_shutdown_wr_since_write_fails_at_once)
{
	__u32 how = VTCP_SHUT_WR;
	int ep = vtcp_epoll_for(self->p.vfd, EPOLLOUT);

	ASSERT_LE(0, ep);
	ASSERT_EQ(0, ioctl(self->p.vfd, VTCP_IOC_SHUTDOWN, &how));
	EXPECT_EQ(EPOLLOUT, vtcp_epoll_wait1(ep, 1000));
	EXPECT_EQ(-1, write(self->p.vfd, "x", 1));
	EXPECT_EQ(EPIPE, errno);
	close(ep);
}

TEST_F(poll, peer_reset_is_epollerr_until_the_error_is_read)
{
	int ep = vtcp_epoll_for(self->p.vfd, VTCP_ALL_EVENTS);
	char buf[8];
	int ev;

	ASSERT_LE(0, ep);
	ASSERT_EQ(0, vtcp_host_abort(self->p.hfd));
	self->p.hfd = -1;
	ev = vtcp_epoll_wait1(ep, 5000);
	EXPECT_EQ(EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLHUP | EPOLLERR, ev);
	EXPECT_EQ(-1, read(self->p.vfd, buf, sizeof(buf)));
	EXPECT_EQ(ECONNRESET, errno);
	/* Reported once: the error is gone, the hang-up stays. */
	EXPECT_EQ(EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLHUP,
		  vtcp_epoll_wait1(ep, 0));
	EXPECT_EQ(0, read(self->p.vfd, buf, sizeof(buf)));
	close(ep);
}

TEST_F(poll, listener_is_readable_only_while_a_connection_waits)
{
	int ep = vtcp_epoll_for(self->p.lfd, EPOLLIN | EPOLLET);
	int h1, h2, v;

	ASSERT_LE(0, ep);
	EXPECT_EQ(0, vtcp_poll1(self->p.lfd, POLLIN | POLLOUT, 0));
	EXPECT_EQ(0, vtcp_epoll_wait1(ep, 0));
	h1 = vtcp_host_connect(VTCP_ADDR4, 7000);
	ASSERT_LE(0, h1);
	EXPECT_EQ(POLLIN, vtcp_poll1(self->p.lfd, POLLIN, 5000));
	EXPECT_EQ(EPOLLIN, vtcp_epoll_wait1(ep, 5000));
	EXPECT_EQ(0, vtcp_epoll_wait1(ep, 0));
	h2 = vtcp_host_connect(VTCP_ADDR4, 7000);
	ASSERT_LE(0, h2);
	EXPECT_EQ(EPOLLIN, vtcp_epoll_wait1(ep, 5000));
	v = vtcp_accept_on(self->p.lfd, 0, NULL);
	EXPECT_LE(0, v);
	close(v);
	EXPECT_EQ(POLLIN, vtcp_poll1(self->p.lfd, POLLIN, 0));
	v = vtcp_accept_on(self->p.lfd, 0, NULL);
	EXPECT_LE(0, v);
	close(v);
	EXPECT_EQ(0, vtcp_poll1(self->p.lfd, POLLIN, 0));
	close(h1);
	close(h2);
	close(ep);
}

TEST_F(poll, select_sees_readable_and_writable)
{
	struct timeval tv = { .tv_sec = 5 };
	fd_set r, w;

	FD_ZERO(&r);
	FD_ZERO(&w);
	FD_SET(self->p.vfd, &r);
	FD_SET(self->p.vfd, &w);
	EXPECT_EQ(1, select(self->p.vfd + 1, &r, &w, NULL, &tv));
	EXPECT_FALSE(FD_ISSET(self->p.vfd, &r));
	EXPECT_TRUE(FD_ISSET(self->p.vfd, &w));
	ASSERT_EQ(0, vtcp_write_all(self->p.hfd, "x", 1));
	FD_ZERO(&r);
	FD_SET(self->p.vfd, &r);
	tv.tv_sec = 5;
	EXPECT_EQ(1, select(self->p.vfd + 1, &r, NULL, NULL, &tv));
	EXPECT_TRUE(FD_ISSET(self->p.vfd, &r));
}

TEST_F(poll, unbound_handle_is_writable_and_hung_up)
{
	int fd = open(VTCP_DEV_PATH, O_RDWR | O_CLOEXEC);

	ASSERT_LE(0, fd);
	EXPECT_EQ(POLLOUT | POLLHUP, vtcp_poll1(fd, POLLIN | POLLOUT, 0));
	close(fd);
}

/*
 * Event loops add a file to epoll when they create it: an epoll entry
 * made while the handle was unbound still sees what the listener it
 * became reports (epoll registers its wait only once, at EPOLL_CTL_ADD).
 */
TEST_F(poll, epoll_added_before_listen_sees_a_connection_arrive)
{
	struct vtcp_listen req = { .ifindex = if_nametoindex("vtcp0") };
	int fd = open(VTCP_DEV_PATH, O_RDWR | O_CLOEXEC);
	int ep = vtcp_epoll_for(fd, EPOLLIN);
	int h;

	ASSERT_LE(0, fd);
	ASSERT_LE(0, ep);
	vtcp_ep(&req.local, VTCP_ADDR4, 7102);
	ASSERT_EQ(0, ioctl(fd, VTCP_IOC_LISTEN, &req));
	/* Listening, nothing waits: the unbound handle's EPOLLHUP is gone. */
	EXPECT_EQ(0, vtcp_epoll_wait1(ep, 0));
	h = vtcp_host_connect(VTCP_ADDR4, 7102);
	ASSERT_LE(0, h);
	EXPECT_EQ(EPOLLIN, vtcp_epoll_wait1(ep, 5000));
	close(h);
	close(ep);
	close(fd);
}

TEST_F(poll, epoll_added_before_connect_sees_it_established)
{
	struct vtcp_connect req = { .ifindex = if_nametoindex("vtcp0") };
	int hl = vtcp_host_listen(VTCP_HOST4, 7103);
	int fd = open(VTCP_DEV_PATH, O_RDWR | O_NONBLOCK | O_CLOEXEC);
	int ep = vtcp_epoll_for(fd, EPOLLOUT);
	int h;

	ASSERT_LE(0, hl);
	ASSERT_LE(0, fd);
	ASSERT_LE(0, ep);
	/* The host's SYN-ACKs are lost until the qdisc goes. */
	ASSERT_EQ(0, vtcp_sh("tc qdisc replace dev vtcp0 root netem loss 100%%"));
	vtcp_ep(&req.local, VTCP_ADDR4, 0);
	vtcp_ep(&req.remote, VTCP_HOST4, 7103);
	EXPECT_EQ(-1, ioctl(fd, VTCP_IOC_CONNECT, &req));
	EXPECT_EQ(EINPROGRESS, errno);
	/* In SYN-SENT: not writable, the unbound handle's EPOLLOUT is gone. */
	EXPECT_EQ(0, vtcp_epoll_wait1(ep, 0));
	ASSERT_EQ(0, vtcp_sh("tc qdisc del dev vtcp0 root"));
	/* The SYN is sent again; its answer establishes the connection. */
	EXPECT_EQ(EPOLLOUT, vtcp_epoll_wait1(ep, 5000));
	EXPECT_EQ(VTCP_ESTABLISHED, vtcp_state_of(fd));
	h = accept(hl, NULL, NULL);
	EXPECT_LE(0, h);
	close(h);
	close(ep);
	close(fd);
	close(hl);
}

TEST_F(poll, nonblocking_read_write_and_accept_are_eagain)
{
	static char big[1 << 20];
	char buf[8];
	int fl = fcntl(self->p.lfd, F_GETFL);
	ssize_t n;

	ASSERT_EQ(0, vtcp_set_nonblock(self->p.vfd, 1));
	EXPECT_EQ(-1, read(self->p.vfd, buf, sizeof(buf)));
	EXPECT_EQ(EAGAIN, errno);
	ASSERT_EQ(0, fcntl(self->p.lfd, F_SETFL, fl | O_NONBLOCK));
	EXPECT_EQ(-EAGAIN, vtcp_accept_on(self->p.lfd, 0, NULL));
	/* A write of more than the buffer holds takes what fits. */
	ASSERT_EQ(0, vtcp_set_opt(self->p.vfd, VTCP_OPT_SNDBUF, 4096));
	n = write(self->p.vfd, big, sizeof(big));
	EXPECT_LT(0, n);
	EXPECT_GT((ssize_t)sizeof(big), n);
}

TEST_F(poll, nonblocking_connect_is_einprogress_then_writable)
{
	struct vtcp_connect req = { .ifindex = if_nametoindex("vtcp0") };
	int hl = vtcp_host_listen(VTCP_HOST4, 7100);
	int fd = open(VTCP_DEV_PATH, O_RDWR | O_NONBLOCK | O_CLOEXEC);
	int h;

	ASSERT_LE(0, hl);
	ASSERT_LE(0, fd);
	vtcp_ep(&req.local, VTCP_ADDR4, 0);
	vtcp_ep(&req.remote, VTCP_HOST4, 7100);
	EXPECT_EQ(-1, ioctl(fd, VTCP_IOC_CONNECT, &req));
	EXPECT_EQ(EINPROGRESS, errno);
	EXPECT_EQ(POLLOUT, vtcp_poll1(fd, POLLOUT | POLLIN, 5000));
	EXPECT_EQ(0, vtcp_so_error(fd));
	EXPECT_EQ(VTCP_ESTABLISHED, vtcp_state_of(fd));
	/* Established: connecting again is EISCONN. */
	EXPECT_EQ(-1, ioctl(fd, VTCP_IOC_CONNECT, &req));
	EXPECT_EQ(EISCONN, errno);
	h = accept(hl, NULL, NULL);
	EXPECT_LE(0, h);
	close(h);
	close(fd);
	close(hl);
}

TEST_F(poll, nonblocking_connect_to_a_closed_port_is_epollerr_econnrefused)
{
	int fd = vtcp_connect_to("vtcp0", VTCP_ADDR4, 0, VTCP_HOST4, 9,
				 O_NONBLOCK);
	int ep = vtcp_epoll_for(fd, VTCP_ALL_EVENTS);
	int ev;

	ASSERT_LE(0, fd);
	ASSERT_LE(0, ep);
	ev = vtcp_epoll_wait1(ep, 5000);
	EXPECT_TRUE(ev & EPOLLERR) TH_LOG("events %#x", ev);
	EXPECT_TRUE(ev & EPOLLHUP) TH_LOG("events %#x", ev);
	EXPECT_EQ(-ECONNREFUSED, vtcp_so_error(fd));
	EXPECT_EQ(0, vtcp_so_error(fd));
	EXPECT_EQ(0, vtcp_epoll_wait1(ep, 0) & EPOLLERR);
	EXPECT_EQ(VTCP_CLOSED, vtcp_state_of(fd));
	close(ep);
	close(fd);
}

TEST_F(poll, connect_again_while_connecting_is_ealready)
{
	struct vtcp_connect req = { .ifindex = if_nametoindex("vtcp0") };
	int hl = vtcp_host_listen(VTCP_HOST4, 7101);
	int fd;
	char c;

	ASSERT_LE(0, hl);
	/* The host's SYN-ACKs are lost until the qdisc goes. */
	ASSERT_EQ(0, vtcp_sh("tc qdisc replace dev vtcp0 root netem loss 100%%"));
	fd = vtcp_connect_to("vtcp0", VTCP_ADDR4, 0, VTCP_HOST4, 7101,
			     O_NONBLOCK);
	ASSERT_LE(0, fd);
	vtcp_ep(&req.local, VTCP_ADDR4, 0);
	vtcp_ep(&req.remote, VTCP_HOST4, 7101);
	EXPECT_EQ(-1, ioctl(fd, VTCP_IOC_CONNECT, &req));
	EXPECT_EQ(EALREADY, errno);
	EXPECT_EQ(0, vtcp_poll1(fd, POLLIN | POLLOUT, 100));
	/* Nothing to read or write yet. */
	EXPECT_EQ(-1, read(fd, &c, 1));
	EXPECT_EQ(EAGAIN, errno);
	EXPECT_EQ(-1, write(fd, &c, 1));
	EXPECT_EQ(EAGAIN, errno);
	ASSERT_EQ(0, vtcp_sh("tc qdisc del dev vtcp0 root"));
	/* The SYN is sent again; this time the answer arrives. */
	EXPECT_EQ(POLLOUT, vtcp_poll1(fd, POLLOUT, 10000));
	EXPECT_EQ(0, vtcp_so_error(fd));
	close(fd);
	close(hl);
}

TEST_F(poll, blocked_read_is_interrupted_by_a_signal)
{
	char buf[8];
	ssize_t n;

	vtcp_signals = 0;
	vtcp_alarm_ms(200, 0);
	n = read(self->p.vfd, buf, sizeof(buf));
	EXPECT_EQ(-1, n);
	EXPECT_EQ(EINTR, errno);
	EXPECT_EQ(1, vtcp_signals);
	/* The connection is unharmed. */
	ASSERT_EQ(0, vtcp_write_all(self->p.hfd, "ok", 2));
	EXPECT_EQ(0, vtcp_read_all(self->p.vfd, buf, 2));
}

TEST_F(poll, blocked_accept_is_interrupted_by_a_signal)
{
	vtcp_signals = 0;
	vtcp_alarm_ms(200, 0);
	EXPECT_EQ(-EINTR, vtcp_accept_on(self->p.lfd, 0, NULL));
	EXPECT_EQ(1, vtcp_signals);
}

TEST_F(poll, blocked_write_is_interrupted_with_what_it_wrote)
{
	static unsigned char big[1 << 20], got[1 << 20];
	int hfd, vfd;
	ssize_t n;

	hfd = vtcp_host_connect_rcvbuf(VTCP_ADDR4, 7000, 4096);
	ASSERT_LE(0, hfd);
	vfd = vtcp_accept_on(self->p.lfd, 0, NULL);
	ASSERT_LE(0, vfd);
	ASSERT_EQ(0, vtcp_set_opt(vfd, VTCP_OPT_SNDBUF, 8192));
	vtcp_fill(big, sizeof(big), 3, 0);
	vtcp_alarm_ms(300, 0);
	n = write(vfd, big, sizeof(big));
	/* Interrupted after some bytes: their count, like a socket. */
	ASSERT_LT(0, n);
	EXPECT_GT((ssize_t)sizeof(big), n);
	close(vfd);
	/* Exactly those bytes arrive, then the end. */
	EXPECT_EQ(0, vtcp_read_all(hfd, got, n));
	EXPECT_EQ(-1, vtcp_check(got, n, 3, 0));
	EXPECT_EQ(0, read(hfd, got, 1));
	close(hfd);
}

TEST_F(poll, blocked_connect_is_interrupted_and_connect_again_waits)
{
	struct vtcp_connect req = { .ifindex = if_nametoindex("vtcp0") };
	int hl = vtcp_host_listen(VTCP_HOST4, 7102);
	int fd = open(VTCP_DEV_PATH, O_RDWR | O_CLOEXEC);

	ASSERT_LE(0, hl);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, vtcp_sh("tc qdisc replace dev vtcp0 root netem loss 100%%"));
	vtcp_ep(&req.local, VTCP_ADDR4, 0);
	vtcp_ep(&req.remote, VTCP_HOST4, 7102);
	vtcp_alarm_ms(200, 0);
	EXPECT_EQ(-1, ioctl(fd, VTCP_IOC_CONNECT, &req));
	EXPECT_EQ(EINTR, errno);
	EXPECT_EQ(VTCP_SYN_SENT, vtcp_state_of(fd));
	ASSERT_EQ(0, vtcp_sh("tc qdisc del dev vtcp0 root"));
	/* The same call again waits for the handshake it started. */
	EXPECT_EQ(0, ioctl(fd, VTCP_IOC_CONNECT, &req));
	EXPECT_EQ(VTCP_ESTABLISHED, vtcp_state_of(fd));
	close(fd);
	close(hl);
}

/* Lift the qdisc after @arg milliseconds. */
static void *vtcp_unblock_later(void *arg)
{
	usleep((long)arg * 1000);
	vtcp_sh("tc qdisc del dev vtcp0 root");
	return NULL;
}

TEST_F(poll, blocked_connect_restarts_under_sa_restart)
{
	struct vtcp_connect req = { .ifindex = if_nametoindex("vtcp0") };
	int hl = vtcp_host_listen(VTCP_HOST4, 7103);
	int fd = open(VTCP_DEV_PATH, O_RDWR | O_CLOEXEC);
	pthread_t t;

	ASSERT_LE(0, hl);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, vtcp_sh("tc qdisc replace dev vtcp0 root netem loss 100%%"));
	vtcp_ep(&req.local, VTCP_ADDR4, 0);
	vtcp_ep(&req.remote, VTCP_HOST4, 7103);
	vtcp_signals = 0;
	vtcp_alarm_ms(200, 1);
	ASSERT_EQ(0, pthread_create(&t, NULL, vtcp_unblock_later, (void *)500L));
	EXPECT_EQ(0, ioctl(fd, VTCP_IOC_CONNECT, &req)) TH_LOG("%m");
	EXPECT_EQ(1, vtcp_signals);
	EXPECT_EQ(VTCP_ESTABLISHED, vtcp_state_of(fd));
	pthread_join(t, NULL);
	close(fd);
	close(hl);
}

/* Write @arg's bytes to the host socket after a while. */
struct vtcp_later {
	int fd;
	int ms;
};

static void *vtcp_write_later(void *arg)
{
	struct vtcp_later *l = arg;

	usleep(l->ms * 1000);
	vtcp_write_all(l->fd, "late", 4);
	return NULL;
}

TEST_F(poll, blocked_read_restarts_under_sa_restart)
{
	struct vtcp_later l = { .fd = self->p.hfd, .ms = 500 };
	char buf[8];
	pthread_t t;

	vtcp_signals = 0;
	vtcp_alarm_ms(100, 1);
	ASSERT_EQ(0, pthread_create(&t, NULL, vtcp_write_later, &l));
	EXPECT_EQ(4, read(self->p.vfd, buf, sizeof(buf)));
	EXPECT_EQ(1, vtcp_signals);
	pthread_join(t, NULL);
}

/* A thread that sleeps in read() until data comes. */
struct vtcp_sleeper {
	int fd;
	atomic_int tid;		/* set once it runs */
};

static void *vtcp_read_blocked(void *arg)
{
	struct vtcp_sleeper *s = arg;
	char buf[8];

	s->tid = gettid();
	return (void *)(long)read(s->fd, buf, sizeof(buf));
}

/* Wait until thread @tid sleeps (state S in its stat); 0 or -ETIMEDOUT. */
static int vtcp_wait_asleep(pid_t tid)
{
	char path[64], stat[256], *p;
	int i;

	snprintf(path, sizeof(path), "/proc/self/task/%d/stat", tid);
	for (i = 0; i < 500; i++) {
		FILE *f = fopen(path, "r");
		size_t n = f ? fread(stat, 1, sizeof(stat) - 1, f) : 0;

		if (f)
			fclose(f);
		stat[n] = 0;
		p = strrchr(stat, ')');
		if (p && p[1] == ' ' && p[2] == 'S')
			return 0;
		usleep(10000);
	}
	return -ETIMEDOUT;
}

TEST_F(poll, blocked_reader_holds_up_neither_writers_nor_nonblocking_readers)
{
	struct vtcp_sleeper s = { .fd = self->p.vfd };
	pthread_t t;
	void *ret;
	char buf[8];

	ASSERT_EQ(0, pthread_create(&t, NULL, vtcp_read_blocked, &s));
	while (!s.tid)
		usleep(1000);
	ASSERT_EQ(0, vtcp_wait_asleep(s.tid));
	/* If either hung, the alarm would end it with EINTR. */
	vtcp_alarm_ms(3000, 0);
	EXPECT_EQ(5, write(self->p.vfd, "hello", 5));
	EXPECT_EQ(0, vtcp_read_all(self->p.hfd, buf, 5));
	ASSERT_EQ(0, vtcp_set_nonblock(self->p.vfd, 1));
	EXPECT_EQ(-1, read(self->p.vfd, buf, sizeof(buf)));
	EXPECT_EQ(EAGAIN, errno);
	vtcp_alarm_ms(0, 0);
	ASSERT_EQ(0, vtcp_write_all(self->p.hfd, "wake", 4));
	pthread_join(t, &ret);
	EXPECT_EQ(4, (long)ret);
}

TEST_HARNESS_MAIN
