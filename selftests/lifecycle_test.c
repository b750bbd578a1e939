// SPDX-License-Identifier: GPL-2.0
/*
 * Every way a connection or a listener ends, one ordering per test: close
 * before and after the peer's FIN, shutdown then close, abort, close with
 * data unread or unsent, listeners closed with connections waiting, the
 * module unloaded, the namespace or the device deleted under open files.
 * What the host's socket sees each time is what Linux's TCP would show.
 */
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <sys/syscall.h>
#include "kselftest_harness.h"
#include "vtcp_util.h"

/* Blocking calls on host sockets give up after @ms instead of hanging. */
static void vtcp_host_timeout(int fd, int ms)
{
	struct timeval tv = { .tv_sec = ms / 1000, .tv_usec = ms % 1000 * 1000 };

	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
}

/* read() once: its count, or -errno. */
static int vtcp_read1(int fd, void *buf, size_t len)
{
	ssize_t n = read(fd, buf, len);

	return n < 0 ? -errno : (int)n;
}

/* Lines of /proc/net/vtcp that mention @what. */
static int vtcp_proc_count(const char *what)
{
	char line[512];
	int n = 0;
	FILE *f = fopen("/proc/net/vtcp", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (strstr(line, what))
			n++;
	fclose(f);
	return n;
}

FIXTURE(lifecycle) {
	struct vtcp_pair p;
};

FIXTURE_SETUP(lifecycle)
{
	ASSERT_EQ(0, vtcp_module_ensure());
	ASSERT_EQ(0, vtcp_net_up("vtcp0"));
	ASSERT_EQ(0, vtcp_pair_open(&self->p, VTCP_ADDR4, 6000));
	vtcp_host_timeout(self->p.hfd, 10000);
	/* Tests that expect -EPIPE check SIGPIPE elsewhere. */
	signal(SIGPIPE, SIG_IGN);
}

FIXTURE_TEARDOWN(lifecycle)
{
	vtcp_pair_close(&self->p);
	vtcp_sh("tc qdisc del dev vtcp0 root 2>/dev/null");
}

TEST_F(lifecycle, close_before_peer_fin_sends_data_then_fin)
{
	char buf[8];

	ASSERT_EQ(0, vtcp_write_all(self->p.vfd, "bye", 3));
	ASSERT_EQ(0, close(self->p.vfd));
	self->p.vfd = -1;
	EXPECT_EQ(0, vtcp_read_all(self->p.hfd, buf, 3));
	EXPECT_EQ(0, memcmp(buf, "bye", 3));
	EXPECT_EQ(0, vtcp_read1(self->p.hfd, buf, sizeof(buf)));
}

TEST_F(lifecycle, close_after_peer_fin_sends_the_rest_then_fin)
{
	char buf[8];

	ASSERT_EQ(0, shutdown(self->p.hfd, SHUT_WR));
	EXPECT_EQ(0, vtcp_read1(self->p.vfd, buf, sizeof(buf)));
	EXPECT_EQ(VTCP_CLOSE_WAIT, vtcp_state_of(self->p.vfd));
	/* CLOSE-WAIT still sends. */
	ASSERT_EQ(0, vtcp_write_all(self->p.vfd, "last", 4));
	ASSERT_EQ(0, close(self->p.vfd));
	self->p.vfd = -1;
	EXPECT_EQ(0, vtcp_read_all(self->p.hfd, buf, 4));
	EXPECT_EQ(0, memcmp(buf, "last", 4));
	EXPECT_EQ(0, vtcp_read1(self->p.hfd, buf, sizeof(buf)));
}

/* The /proc/net/vtcp text of the connection behind host socket @hfd. */
static void vtcp_proc_key(int hfd, char *key, size_t len)
{
	struct sockaddr_in local, peer;
	socklen_t alen = sizeof(local);
	char a[INET_ADDRSTRLEN], b[INET_ADDRSTRLEN];

	getsockname(hfd, (void *)&local, &alen);
	alen = sizeof(peer);
	getpeername(hfd, (void *)&peer, &alen);
	snprintf(key, len, "%s:%u %s:%u ",
		 inet_ntop(AF_INET, &peer.sin_addr, a, sizeof(a)),
		 ntohs(peer.sin_port),
		 inet_ntop(AF_INET, &local.sin_addr, b, sizeof(b)),
		 ntohs(local.sin_port));
}

TEST_F(lifecycle, close_after_peer_closed_completes_quietly)
{
	char buf[8], key[128];
	int i;

	vtcp_proc_key(self->p.hfd, key, sizeof(key));
	ASSERT_EQ(1, vtcp_proc_count(key)) TH_LOG("%s", key);
	ASSERT_EQ(0, close(self->p.hfd));
	self->p.hfd = -1;
	EXPECT_EQ(0, vtcp_read1(self->p.vfd, buf, sizeof(buf)));
	EXPECT_EQ(0, close(self->p.vfd));
	self->p.vfd = -1;
	/* vtcp's FIN is acknowledged: nothing is left, not even TIME-WAIT. */
	for (i = 0; i < 250 && vtcp_proc_count(key) > 0; i++)
		usleep(20000);
	EXPECT_EQ(0, vtcp_proc_count(key));
}

TEST_F(lifecycle, shutdown_rd_then_close_sends_fin)
{
	__u32 how = VTCP_SHUT_RD;
	char buf[8];

	ASSERT_EQ(0, ioctl(self->p.vfd, VTCP_IOC_SHUTDOWN, &how));
	EXPECT_EQ(0, vtcp_read1(self->p.vfd, buf, sizeof(buf)));
	/* Reading is over; writing is not. */
	EXPECT_EQ(0, vtcp_write_all(self->p.vfd, "w", 1));
	EXPECT_EQ(0, vtcp_read_all(self->p.hfd, buf, 1));
	ASSERT_EQ(0, close(self->p.vfd));
	self->p.vfd = -1;
	EXPECT_EQ(0, vtcp_read1(self->p.hfd, buf, sizeof(buf)));
}

TEST_F(lifecycle, shutdown_wr_then_close_still_reads_until_close)
{
	__u32 how = VTCP_SHUT_WR;
	char buf[8];

	ASSERT_EQ(0, ioctl(self->p.vfd, VTCP_IOC_SHUTDOWN, &how));
	EXPECT_EQ(0, vtcp_read1(self->p.hfd, buf, sizeof(buf)));
	/* Half-closed: the host still sends, vtcp still reads. */
	ASSERT_EQ(0, vtcp_write_all(self->p.hfd, "late", 4));
	EXPECT_EQ(0, vtcp_read_all(self->p.vfd, buf, 4));
	EXPECT_EQ(0, memcmp(buf, "late", 4));
	EXPECT_EQ(VTCP_FIN_WAIT_2, vtcp_wait_state(self->p.vfd,
						   VTCP_FIN_WAIT_2, 5000));
	ASSERT_EQ(0, close(self->p.vfd));
	self->p.vfd = -1;
	/* Closed with nothing unread: no RST, the host can finish. */
	EXPECT_EQ(0, shutdown(self->p.hfd, SHUT_WR));
	EXPECT_EQ(0, vtcp_read1(self->p.hfd, buf, sizeof(buf)));
}

TEST_F(lifecycle, shutdown_rdwr_then_close)
{
	__u32 how = VTCP_SHUT_RDWR;
	char buf[8];

	ASSERT_EQ(0, ioctl(self->p.vfd, VTCP_IOC_SHUTDOWN, &how));
	EXPECT_EQ(0, vtcp_read1(self->p.hfd, buf, sizeof(buf)));
	EXPECT_EQ(0, vtcp_read1(self->p.vfd, buf, sizeof(buf)));
	EXPECT_EQ(-EPIPE, vtcp_write_all(self->p.vfd, "x", 1));
	/* Shutting down again is harmless. */
	EXPECT_EQ(0, ioctl(self->p.vfd, VTCP_IOC_SHUTDOWN, &how));
	ASSERT_EQ(0, close(self->p.vfd));
	self->p.vfd = -1;
	EXPECT_EQ(0, vtcp_read1(self->p.hfd, buf, sizeof(buf)));
}

TEST_F(lifecycle, abort_resets_the_peer)
{
	char buf[8];

	ASSERT_EQ(0, vtcp_write_all(self->p.vfd, "unsent?", 7));
	ASSERT_EQ(0, ioctl(self->p.vfd, VTCP_IOC_ABORT));
	EXPECT_EQ(VTCP_CLOSED, vtcp_state_of(self->p.vfd));
	/* The host sees the RST, whatever it had read. */
	for (;;) {
		int n = vtcp_read1(self->p.hfd, buf, sizeof(buf));

		if (n <= 0) {
			EXPECT_EQ(-ECONNRESET, n);
			break;
		}
	}
	/* vtcp's side reports the abort once, then the end. */
	EXPECT_EQ(-ECONNABORTED, vtcp_read1(self->p.vfd, buf, sizeof(buf)));
	EXPECT_EQ(0, vtcp_read1(self->p.vfd, buf, sizeof(buf)));
	EXPECT_EQ(-EPIPE, vtcp_write_all(self->p.vfd, "x", 1));
	/* Aborting again changes nothing. */
	EXPECT_EQ(0, ioctl(self->p.vfd, VTCP_IOC_ABORT));
}

TEST_F(lifecycle, close_with_unread_data_resets_the_peer)
{
	char buf[8];

	ASSERT_EQ(0, vtcp_write_all(self->p.hfd, "unread", 6));
	ASSERT_EQ(6, vtcp_wait_queued(self->p.vfd, 6, 5000));
	ASSERT_EQ(0, close(self->p.vfd));
	self->p.vfd = -1;
	EXPECT_EQ(-ECONNRESET, vtcp_read1(self->p.hfd, buf, sizeof(buf)));
}

TEST_F(lifecycle, close_with_linger_abort_resets_the_peer)
{
	char buf[8];

	ASSERT_EQ(0, vtcp_set_opt(self->p.vfd, VTCP_OPT_LINGER_ABORT, 1));
	ASSERT_EQ(0, close(self->p.vfd));
	self->p.vfd = -1;
	EXPECT_EQ(-ECONNRESET, vtcp_read1(self->p.hfd, buf, sizeof(buf)));
}

TEST_F(lifecycle, close_with_unsent_data_drains_it_before_fin)
{
	size_t len = 1 << 20;
	unsigned char *buf = malloc(len);

	ASSERT_NE(NULL, buf);
	vtcp_fill(buf, len, 7, 0);
	ASSERT_EQ(0, vtcp_write_all(self->p.vfd, buf, len));
	ASSERT_EQ(0, close(self->p.vfd));
	self->p.vfd = -1;
	memset(buf, 0, len);
	EXPECT_EQ(0, vtcp_read_all(self->p.hfd, buf, len));
	EXPECT_EQ(-1, vtcp_check(buf, len, 7, 0));
	EXPECT_EQ(0, vtcp_read1(self->p.hfd, buf, len));
	free(buf);
}

TEST_F(lifecycle, closing_a_listener_resets_connections_not_yet_accepted)
{
	int h1 = vtcp_host_connect(VTCP_ADDR4, 6000);
	int h2 = vtcp_host_connect(VTCP_ADDR4, 6000);
	char buf[8];

	ASSERT_LE(0, h1);
	ASSERT_LE(0, h2);
	vtcp_host_timeout(h1, 10000);
	vtcp_host_timeout(h2, 10000);
	ASSERT_EQ(2, vtcp_wait_queued(self->p.lfd, 2, 5000));
	ASSERT_EQ(0, close(self->p.lfd));
	self->p.lfd = -1;
	EXPECT_EQ(-ECONNRESET, vtcp_read1(h1, buf, sizeof(buf)));
	EXPECT_EQ(-ECONNRESET, vtcp_read1(h2, buf, sizeof(buf)));
	/* The connection accepted before lives on. */
	EXPECT_EQ(0, vtcp_write_all(self->p.hfd, "alive", 5));
	EXPECT_EQ(0, vtcp_read_all(self->p.vfd, buf, 5));
	/* And the port is free again at once. */
	EXPECT_EQ(-ECONNREFUSED, vtcp_host_connect(VTCP_ADDR4, 6000));
	close(h1);
	close(h2);
}

TEST_F(lifecycle, exit_of_the_last_owner_closes_the_connection)
{
	int status, h, v;
	pid_t pid;
	char buf[8];

	h = vtcp_host_connect(VTCP_ADDR4, 6000);
	ASSERT_LE(0, h);
	vtcp_host_timeout(h, 10000);
	v = vtcp_accept_on(self->p.lfd, VTCP_ACCEPT_CLOEXEC, NULL);
	ASSERT_LE(0, v);
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0)
		_exit(vtcp_write_all(v, "child", 5) ? 1 : 0);
	/* The parent's copy keeps it open while the child exits... */
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_EQ(0, WEXITSTATUS(status));
	EXPECT_EQ(0, vtcp_read_all(h, buf, 5));
	EXPECT_EQ(0, memcmp(buf, "child", 5));
	EXPECT_EQ(VTCP_ESTABLISHED, vtcp_state_of(v));
	/* ...and the last exit closes it: the host reads the FIN. */
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0)
		_exit(0);
	close(v);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_EQ(0, vtcp_read1(h, buf, sizeof(buf)));
	close(h);
}

TEST_F(lifecycle, close_while_connecting_leaves_nothing_behind)
{
	int fd;

	/* The host's SYN-ACKs never reach vtcp: the handshake hangs. */
	ASSERT_EQ(0, vtcp_sh("tc qdisc replace dev vtcp0 root netem loss 100%%"));
	fd = vtcp_connect_to("vtcp0", "192.0.2.77", 0, VTCP_HOST4, 6100,
			     O_NONBLOCK);
	ASSERT_LE(0, fd);
	EXPECT_EQ(1, vtcp_proc_count("192.0.2.77"));
	EXPECT_EQ(VTCP_SYN_SENT, vtcp_state_of(fd));
	close(fd);
	EXPECT_EQ(0, vtcp_proc_count("192.0.2.77"));
	vtcp_sh("tc qdisc del dev vtcp0 root");
}

/* A thread blocked in read() or ACCEPT, and what it got. */
struct vtcp_blocked {
	pthread_t thread;
	int fd;
	int accept;
	int ret;
};

static void *vtcp_blocked_fn(void *arg)
{
	struct vtcp_blocked *b = arg;
	char buf[16];

	if (b->accept)
		b->ret = vtcp_accept_on(b->fd, 0, NULL);
	else
		b->ret = vtcp_read1(b->fd, buf, sizeof(buf));
	return NULL;
}

static int vtcp_blocked_start(struct vtcp_blocked *b, int fd, int accept)
{
	b->fd = fd;
	b->accept = accept;
	b->ret = 1;
	return pthread_create(&b->thread, NULL, vtcp_blocked_fn, b);
}

/* Join the thread within @ms; -ETIMEDOUT if it is still blocked. */
static int vtcp_blocked_join(struct vtcp_blocked *b, int ms)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += ms / 1000;
	ts.tv_nsec += ms % 1000 * 1000000L;
	if (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}
	return -pthread_timedjoin_np(b->thread, NULL, &ts);
}

/* The descriptors of either device fixture, those that were opened. */
static void vtcp_lc_close(int lfd, int vfd, int cfd, int h1, int h2, int hc)
{
	int fds[] = { lfd, vfd, cfd, h1, h2, hc };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(fds); i++)
		if (fds[i] >= 0)
			close(fds[i]);
}

/*
 * The device goes away under a listener, an accepted connection, one
 * waiting to be accepted and an active one; a reader and an acceptor
 * sleep meanwhile. Each wakes up and learns it; nothing is left.
 */
FIXTURE(lifecycle_dev) {
	int lfd, vfd, cfd, h1, h2, hc;
};

#define VTCP_LC_DEV	"vtcplc0"
#define VTCP_LC_HOST	"198.51.100.1"
#define VTCP_LC_VTCP	"198.51.100.2"

FIXTURE_SETUP(lifecycle_dev)
{
	int hl;

	self->lfd = -1;
	self->vfd = -1;
	self->cfd = -1;
	self->h1 = -1;
	self->h2 = -1;
	self->hc = -1;
	ASSERT_EQ(0, vtcp_module_ensure());
	vtcp_sh("ip link del " VTCP_LC_DEV " 2>/dev/null");
	ASSERT_EQ(0, vtcp_sh("ip link add " VTCP_LC_DEV " type vtcp && "
			     "ip link set " VTCP_LC_DEV " up && "
			     "ip addr add " VTCP_LC_HOST "/24 dev " VTCP_LC_DEV));
	self->lfd = vtcp_listen_on(VTCP_LC_DEV, VTCP_LC_VTCP, 6200, 4);
	ASSERT_LE(0, self->lfd);
	self->h1 = vtcp_host_connect(VTCP_LC_VTCP, 6200);
	ASSERT_LE(0, self->h1);
	self->vfd = vtcp_accept_on(self->lfd, 0, NULL);
	ASSERT_LE(0, self->vfd);
	self->h2 = vtcp_host_connect(VTCP_LC_VTCP, 6200);
	ASSERT_LE(0, self->h2);
	hl = vtcp_host_listen(VTCP_LC_HOST, 6201);
	ASSERT_LE(0, hl);
	self->cfd = vtcp_connect_to(VTCP_LC_DEV, VTCP_LC_VTCP, 0, VTCP_LC_HOST,
				    6201, 0);
	ASSERT_LE(0, self->cfd);
	self->hc = accept(hl, NULL, NULL);
	close(hl);
	ASSERT_LE(0, self->hc);
	ASSERT_EQ(1, vtcp_wait_queued(self->lfd, 1, 5000));
	signal(SIGPIPE, SIG_IGN);
}

FIXTURE_TEARDOWN(lifecycle_dev)
{
	vtcp_lc_close(self->lfd, self->vfd, self->cfd, self->h1, self->h2,
		      self->hc);
	vtcp_sh("ip link del " VTCP_LC_DEV " 2>/dev/null");
}

TEST_F(lifecycle_dev, device_deletion_ends_connections_and_listeners)
{
	struct vtcp_blocked reader, acceptor;
	struct vtcp_info info;
	char buf[8];
	int v;

	/* Take the waiting connection so the acceptor has to sleep. */
	v = vtcp_accept_on(self->lfd, 0, NULL);
	ASSERT_LE(0, v);
	close(v);
	ASSERT_EQ(0, vtcp_blocked_start(&reader, self->vfd, 0));
	ASSERT_EQ(0, vtcp_blocked_start(&acceptor, self->lfd, 1));
	usleep(100000);
	ASSERT_EQ(0, vtcp_sh("ip link del " VTCP_LC_DEV));
	ASSERT_EQ(0, vtcp_blocked_join(&reader, 10000));
	ASSERT_EQ(0, vtcp_blocked_join(&acceptor, 10000));
	EXPECT_EQ(-ENETDOWN, reader.ret);
	EXPECT_EQ(-ENODEV, acceptor.ret);
	/* Every handle says so, once, then reports the end. */
	EXPECT_EQ(0, vtcp_read1(self->vfd, buf, sizeof(buf)));
	EXPECT_EQ(-ENETDOWN, vtcp_read1(self->cfd, buf, sizeof(buf)));
	EXPECT_EQ(0, vtcp_read1(self->cfd, buf, sizeof(buf)));
	EXPECT_EQ(-EPIPE, vtcp_write_all(self->cfd, "x", 1));
	EXPECT_EQ(-ENODEV, vtcp_accept_on(self->lfd, 0, NULL));
	EXPECT_EQ(POLLERR | POLLHUP,
		  vtcp_poll1(self->lfd, POLLIN, 0) & (POLLERR | POLLHUP));
	EXPECT_NE(0, vtcp_poll1(self->vfd, POLLIN, 0) & POLLHUP);
	EXPECT_EQ(0, vtcp_get_info(self->cfd, &info));
	EXPECT_EQ(VTCP_CLOSED, info.state);
	EXPECT_EQ(0, info.ifindex);
	EXPECT_EQ(0, vtcp_get_info(self->lfd, &info));
	EXPECT_EQ(VTCP_CLOSED, info.state);
	/* A new device of that name is a new device: no listener on it. */
	ASSERT_EQ(0, vtcp_sh("ip link add " VTCP_LC_DEV " type vtcp && "
			     "ip link set " VTCP_LC_DEV " up && "
			     "ip addr add " VTCP_LC_HOST "/24 dev " VTCP_LC_DEV));
	EXPECT_EQ(-ECONNREFUSED, vtcp_host_connect(VTCP_LC_VTCP, 6200));
}

TEST_F(lifecycle_dev, device_deletion_then_close_in_any_order)
{
	ASSERT_EQ(0, vtcp_sh("ip link del " VTCP_LC_DEV));
	EXPECT_EQ(0, close(self->lfd));
	EXPECT_EQ(0, close(self->cfd));
	EXPECT_EQ(0, close(self->vfd));
	self->lfd = -1;
	self->cfd = -1;
	self->vfd = -1;
}

/*
 * Module unload: refused with EWOULDBLOCK while any vtcp file is open, of
 * any kind; done once the last one closes, whatever state the
 * connections they left behind are in.
 */
FIXTURE(lifecycle_module) {
	struct vtcp_pair p;
};

FIXTURE_SETUP(lifecycle_module)
{
	ASSERT_EQ(0, vtcp_module_ensure());
	ASSERT_EQ(0, vtcp_net_up("vtcp0"));
	ASSERT_EQ(0, vtcp_pair_open(&self->p, VTCP_ADDR4, 6300));
}

FIXTURE_TEARDOWN(lifecycle_module)
{
	vtcp_pair_close(&self->p);
	vtcp_sh("tc qdisc del dev vtcp0 root 2>/dev/null");
	vtcp_module_ensure();
}

TEST_F(lifecycle_module, unload_refused_while_a_listener_is_open)
{
	close(self->p.vfd);
	self->p.vfd = -1;
	EXPECT_EQ(-EWOULDBLOCK, vtcp_module_unload());
	EXPECT_EQ(0, close(self->p.lfd));
	self->p.lfd = -1;
	EXPECT_EQ(0, vtcp_module_unload());
	EXPECT_FALSE(vtcp_module_loaded());
}

TEST_F(lifecycle_module, unload_refused_while_an_accepted_connection_is_open)
{
	close(self->p.lfd);
	self->p.lfd = -1;
	EXPECT_EQ(-EWOULDBLOCK, vtcp_module_unload());
	EXPECT_EQ(0, close(self->p.vfd));
	self->p.vfd = -1;
	EXPECT_EQ(0, vtcp_module_unload());
}

TEST_F(lifecycle_module, unload_refused_while_a_connected_handle_is_open)
{
	struct vtcp_pair a;

	vtcp_pair_close(&self->p);
	ASSERT_EQ(0, vtcp_pair_connect(&a, VTCP_ADDR4, VTCP_HOST4, 6301));
	EXPECT_EQ(-EWOULDBLOCK, vtcp_module_unload());
	EXPECT_EQ(0, close(a.vfd));
	a.vfd = -1;
	EXPECT_EQ(0, vtcp_module_unload());
	vtcp_pair_close(&a);
}

TEST_F(lifecycle_module, unload_with_connections_still_closing)
{
	char buf[8];
	int h2, v2;

	/* One in TIME-WAIT: vtcp closed first, the host answered. */
	ASSERT_EQ(0, close(self->p.vfd));
	self->p.vfd = -1;
	EXPECT_EQ(0, vtcp_read1(self->p.hfd, buf, sizeof(buf)));
	close(self->p.hfd);
	self->p.hfd = -1;
	/* One in FIN-WAIT-1 with data the host will not acknowledge. */
	h2 = vtcp_host_connect(VTCP_ADDR4, 6300);
	ASSERT_LE(0, h2);
	v2 = vtcp_accept_on(self->p.lfd, 0, NULL);
	ASSERT_LE(0, v2);
	ASSERT_EQ(0, vtcp_sh("tc qdisc replace dev vtcp0 root netem loss 100%%"));
	ASSERT_EQ(0, vtcp_write_all(v2, "never acknowledged", 18));
	close(v2);
	close(self->p.lfd);
	self->p.lfd = -1;
	EXPECT_LE(2, vtcp_proc_count(":6300 "));
	EXPECT_EQ(0, vtcp_module_unload());
	close(h2);
}

/*
 * The namespace goes away under vtcp's files. vtcp's device lives in a
 * namespace that routes for the initial one (a veth pair), so that no
 * socket of the test keeps that namespace alive: deleting its name is its
 * end, which deletes the device, which ends every listener and connection.
 */
#define VTCP_LC_NS	"vtcp_lc_ns"
#define VTCP_NS_VTCP	"203.0.113.2"
#define VTCP_NS_GW	"198.51.100.2"
#define VTCP_NS_HOST	"198.51.100.1"

FIXTURE(lifecycle_netns) {
	int lfd, vfd, cfd, h1, h2, hc;
};

FIXTURE_SETUP(lifecycle_netns)
{
	struct vtcp_listen l = { .backlog = 4 };
	struct vtcp_connect c = {};
	int init_ns, hl, ifindex;

	self->lfd = -1;
	self->vfd = -1;
	self->cfd = -1;
	self->h1 = -1;
	self->h2 = -1;
	self->hc = -1;
	ASSERT_EQ(0, vtcp_module_ensure());
	vtcp_sh("ip netns del " VTCP_LC_NS " 2>/dev/null; "
		"ip link del vtcplcv0 2>/dev/null");
	ASSERT_EQ(0, vtcp_sh(
		"ip netns add " VTCP_LC_NS " && "
		"ip link add vtcplcv0 type veth peer name vtcplcv1 netns " VTCP_LC_NS " && "
		"ip addr add " VTCP_NS_HOST "/24 dev vtcplcv0 && ip link set vtcplcv0 up && "
		"ip -n " VTCP_LC_NS " link set lo up && "
		"ip -n " VTCP_LC_NS " addr add " VTCP_NS_GW "/24 dev vtcplcv1 && "
		"ip -n " VTCP_LC_NS " link set vtcplcv1 up && "
		"ip -n " VTCP_LC_NS " link add vtcpns0 type vtcp && "
		"ip -n " VTCP_LC_NS " link set vtcpns0 up && "
		"ip -n " VTCP_LC_NS " addr add 203.0.113.1/24 dev vtcpns0 && "
		"ip route replace 203.0.113.0/24 via " VTCP_NS_GW));

	/* Inside: forward, and open the handles. */
	init_ns = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, init_ns);
	ASSERT_EQ(0, vtcp_setns(VTCP_LC_NS));
	ASSERT_EQ(0, vtcp_write_file("/proc/sys/net/ipv4/conf/all/forwarding", "1"));
	ifindex = if_nametoindex("vtcpns0");
	self->lfd = open(VTCP_DEV_PATH, O_RDWR | O_CLOEXEC);
	self->cfd = open(VTCP_DEV_PATH, O_RDWR | O_CLOEXEC);
	ASSERT_EQ(0, setns(init_ns, CLONE_NEWNET));
	close(init_ns);
	ASSERT_LT(0, ifindex);
	ASSERT_LE(0, self->lfd);
	ASSERT_LE(0, self->cfd);

	/* A listener, an accepted connection and one waiting. */
	l.ifindex = ifindex;
	vtcp_ep(&l.local, VTCP_NS_VTCP, 6400);
	ASSERT_EQ(0, ioctl(self->lfd, VTCP_IOC_LISTEN, &l));
	self->h1 = vtcp_host_connect(VTCP_NS_VTCP, 6400);
	ASSERT_LE(0, self->h1);
	self->vfd = vtcp_accept_on(self->lfd, 0, NULL);
	ASSERT_LE(0, self->vfd);
	self->h2 = vtcp_host_connect(VTCP_NS_VTCP, 6400);
	ASSERT_LE(0, self->h2);
	ASSERT_EQ(1, vtcp_wait_queued(self->lfd, 1, 5000));

	/* An active one, to a listener of the initial namespace. */
	hl = vtcp_host_listen(VTCP_NS_HOST, 6401);
	ASSERT_LE(0, hl);
	c.ifindex = ifindex;
	vtcp_ep(&c.local, VTCP_NS_VTCP, 0);
	vtcp_ep(&c.remote, VTCP_NS_HOST, 6401);
	ASSERT_EQ(0, ioctl(self->cfd, VTCP_IOC_CONNECT, &c));
	self->hc = accept(hl, NULL, NULL);
	close(hl);
	ASSERT_LE(0, self->hc);
	signal(SIGPIPE, SIG_IGN);
}

FIXTURE_TEARDOWN(lifecycle_netns)
{
	vtcp_lc_close(self->lfd, self->vfd, self->cfd, self->h1, self->h2,
		      self->hc);
	vtcp_sh("ip netns del " VTCP_LC_NS " 2>/dev/null; "
		"ip link del vtcplcv0 2>/dev/null; "
		"ip route del 203.0.113.0/24 2>/dev/null");
}

TEST_F(lifecycle_netns, data_flows_through_the_namespace)
{
	char buf[8];

	ASSERT_EQ(0, vtcp_write_all(self->h1, "ping", 4));
	ASSERT_EQ(0, vtcp_read_all(self->vfd, buf, 4));
	ASSERT_EQ(0, vtcp_write_all(self->cfd, "pong", 4));
	ASSERT_EQ(0, vtcp_read_all(self->hc, buf, 4));
	EXPECT_EQ(0, memcmp(buf, "pong", 4));
}

TEST_F(lifecycle_netns, namespace_deletion_ends_connections_and_listeners)
{
	struct vtcp_blocked reader;
	char buf[8];
	int r;

	ASSERT_EQ(0, vtcp_blocked_start(&reader, self->vfd, 0));
	ASSERT_EQ(0, vtcp_sh("ip netns del " VTCP_LC_NS));
	/* The namespace is cleaned up asynchronously; give it time. */
	ASSERT_EQ(0, vtcp_blocked_join(&reader, 20000));
	EXPECT_EQ(-ENETDOWN, reader.ret);
	EXPECT_NE(0, vtcp_poll1(self->lfd, POLLIN, 5000) & POLLHUP);
	EXPECT_EQ(-ENODEV, vtcp_accept_on(self->lfd, 0, NULL));
	EXPECT_NE(0, vtcp_poll1(self->cfd, POLLIN, 5000) & POLLHUP);
	r = vtcp_read1(self->cfd, buf, sizeof(buf));
	EXPECT_TRUE(r == -ENETDOWN || r == 0) TH_LOG("read: %d", r);
	EXPECT_EQ(0, vtcp_read1(self->cfd, buf, sizeof(buf)));
	EXPECT_EQ(0, vtcp_read1(self->vfd, buf, sizeof(buf)));
	EXPECT_EQ(-EPIPE, vtcp_write_all(self->vfd, "x", 1));
	EXPECT_EQ(VTCP_CLOSED, vtcp_state_of(self->lfd));
}

TEST_HARNESS_MAIN
