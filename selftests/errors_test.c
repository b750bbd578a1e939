// SPDX-License-Identifier: GPL-2.0
/*
 * The errors of a connection, as sockets report them: a reset is
 * ECONNRESET once and then the end (EOF for reads, EPIPE for writes);
 * writing after shutting down is EPIPE with SIGPIPE unless
 * VTCP_OPT_NOSIGPIPE; a peer that stops answering is ETIMEDOUT through
 * the user timeout or keepalive; VTCP_OPT_ERROR reads and clears the
 * pending error.
 */
#include <pthread.h>
#include <signal.h>
#include <sys/wait.h>
#include "kselftest_harness.h"
#include "vtcp_util.h"

static volatile sig_atomic_t vtcp_sigpipes;

static void vtcp_on_sigpipe(int sig)
{
	vtcp_sigpipes++;
}

/* write() once: its count, or -errno. */
static int vtcp_write1(int fd, const void *buf, size_t len)
{
	ssize_t n = write(fd, buf, len);

	return n < 0 ? -errno : (int)n;
}

static int vtcp_read1(int fd, void *buf, size_t len)
{
	ssize_t n = read(fd, buf, len);

	return n < 0 ? -errno : (int)n;
}

/* Wait up to @ms for the pending error (EPOLLERR) on @fd. */
static int vtcp_wait_error(int fd, int ms)
{
	int ev = vtcp_poll1(fd, POLLIN, ms);

	return ev < 0 ? ev : !!(ev & POLLERR);
}

FIXTURE(err) {
	struct vtcp_pair p;
};

FIXTURE_SETUP(err)
{
	struct sigaction sa = { .sa_handler = vtcp_on_sigpipe };

	ASSERT_EQ(0, vtcp_module_ensure());
	ASSERT_EQ(0, vtcp_net_up("vtcp0"));
	ASSERT_EQ(0, vtcp_pair_open(&self->p, VTCP_ADDR4, 9000));
	sigemptyset(&sa.sa_mask);
	sigaction(SIGPIPE, &sa, NULL);
	vtcp_sigpipes = 0;
}

FIXTURE_TEARDOWN(err)
{
	vtcp_pair_close(&self->p);
	vtcp_sh("tc qdisc del dev vtcp0 root 2>/dev/null");
}

TEST_F(err, read_after_peer_reset_is_econnreset_once_then_eof)
{
	char buf[8];

	ASSERT_EQ(0, vtcp_host_abort(self->p.hfd));
	self->p.hfd = -1;
	ASSERT_EQ(1, vtcp_wait_error(self->p.vfd, 5000));
	EXPECT_EQ(-ECONNRESET, vtcp_read1(self->p.vfd, buf, sizeof(buf)));
	EXPECT_EQ(0, vtcp_read1(self->p.vfd, buf, sizeof(buf)));
	EXPECT_EQ(0, vtcp_read1(self->p.vfd, buf, sizeof(buf)));
	EXPECT_EQ(0, vtcp_sigpipes);
}

TEST_F(err, data_received_before_a_reset_is_read_first)
{
	char buf[8];

	ASSERT_EQ(0, vtcp_write_all(self->p.hfd, "before", 6));
	ASSERT_EQ(6, vtcp_wait_queued(self->p.vfd, 6, 5000));
	ASSERT_EQ(0, vtcp_host_abort(self->p.hfd));
	self->p.hfd = -1;
	ASSERT_EQ(1, vtcp_wait_error(self->p.vfd, 5000));
	EXPECT_EQ(6, vtcp_read1(self->p.vfd, buf, sizeof(buf)));
	EXPECT_EQ(-ECONNRESET, vtcp_read1(self->p.vfd, buf, sizeof(buf)));
	EXPECT_EQ(0, vtcp_read1(self->p.vfd, buf, sizeof(buf)));
}

TEST_F(err, write_after_peer_reset_is_econnreset_once_then_epipe)
{
	ASSERT_EQ(0, vtcp_host_abort(self->p.hfd));
	self->p.hfd = -1;
	ASSERT_EQ(1, vtcp_wait_error(self->p.vfd, 5000));
	EXPECT_EQ(-ECONNRESET, vtcp_write1(self->p.vfd, "x", 1));
	EXPECT_EQ(0, vtcp_sigpipes);
	EXPECT_EQ(-EPIPE, vtcp_write1(self->p.vfd, "x", 1));
	EXPECT_EQ(1, vtcp_sigpipes);
	EXPECT_EQ(-EPIPE, vtcp_write1(self->p.vfd, "x", 1));
	EXPECT_EQ(2, vtcp_sigpipes);
}

TEST_F(err, error_option_reads_a_reset_once)
{
	char buf[8];

	ASSERT_EQ(0, vtcp_host_abort(self->p.hfd));
	self->p.hfd = -1;
	ASSERT_EQ(1, vtcp_wait_error(self->p.vfd, 5000));
	EXPECT_EQ(-ECONNRESET, vtcp_so_error(self->p.vfd));
	EXPECT_EQ(0, vtcp_so_error(self->p.vfd));
	/* Taken: read() sees only the end. */
	EXPECT_EQ(0, vtcp_read1(self->p.vfd, buf, sizeof(buf)));
	EXPECT_EQ(0, vtcp_wait_error(self->p.vfd, 0));
}

TEST_F(err, control_calls_after_a_reset)
{
	struct vtcp_info info;
	__u32 how = VTCP_SHUT_WR;

	ASSERT_EQ(0, vtcp_host_abort(self->p.hfd));
	self->p.hfd = -1;
	ASSERT_EQ(1, vtcp_wait_error(self->p.vfd, 5000));
	ASSERT_EQ(0, vtcp_get_info(self->p.vfd, &info));
	EXPECT_EQ(VTCP_CLOSED, info.state);
	EXPECT_EQ(-ECONNRESET, info.error);
	EXPECT_EQ(-1, ioctl(self->p.vfd, VTCP_IOC_SHUTDOWN, &how));
	EXPECT_EQ(ENOTCONN, errno);
	EXPECT_EQ(0, ioctl(self->p.vfd, VTCP_IOC_ABORT));
	/* INFO does not take the error. */
	EXPECT_EQ(-ECONNRESET, vtcp_so_error(self->p.vfd));
}

TEST_F(err, write_after_shutdown_wr_is_epipe_with_sigpipe)
{
	__u32 how = VTCP_SHUT_WR;

	ASSERT_EQ(0, ioctl(self->p.vfd, VTCP_IOC_SHUTDOWN, &how));
	EXPECT_EQ(-EPIPE, vtcp_write1(self->p.vfd, "x", 1));
	EXPECT_EQ(1, vtcp_sigpipes);
	/* A zero-length write does nothing, not even fail. */
	EXPECT_EQ(0, vtcp_write1(self->p.vfd, "x", 0));
	EXPECT_EQ(1, vtcp_sigpipes);
}

TEST_F(err, nosigpipe_gives_epipe_without_the_signal)
{
	__u32 how = VTCP_SHUT_WR;

	ASSERT_EQ(0, vtcp_set_opt(self->p.vfd, VTCP_OPT_NOSIGPIPE, 1));
	ASSERT_EQ(0, ioctl(self->p.vfd, VTCP_IOC_SHUTDOWN, &how));
	EXPECT_EQ(-EPIPE, vtcp_write1(self->p.vfd, "x", 1));
	EXPECT_EQ(0, vtcp_sigpipes);
	ASSERT_EQ(0, vtcp_set_opt(self->p.vfd, VTCP_OPT_NOSIGPIPE, 0));
	EXPECT_EQ(-EPIPE, vtcp_write1(self->p.vfd, "x", 1));
	EXPECT_EQ(1, vtcp_sigpipes);
}

TEST_F(err, nosigpipe_is_inherited_from_the_listener)
{
	__u32 how = VTCP_SHUT_WR;
	int h, v;

	ASSERT_EQ(0, vtcp_set_opt(self->p.lfd, VTCP_OPT_NOSIGPIPE, 1));
	h = vtcp_host_connect(VTCP_ADDR4, 9000);
	ASSERT_LE(0, h);
	v = vtcp_accept_on(self->p.lfd, 0, NULL);
	ASSERT_LE(0, v);
	ASSERT_EQ(0, ioctl(v, VTCP_IOC_SHUTDOWN, &how));
	EXPECT_EQ(-EPIPE, vtcp_write1(v, "x", 1));
	EXPECT_EQ(0, vtcp_sigpipes);
	close(v);
	close(h);
}

TEST_F(err, sigpipe_by_default_ends_the_writer)
{
	__u32 how = VTCP_SHUT_WR;
	int status;
	pid_t pid;

	ASSERT_EQ(0, ioctl(self->p.vfd, VTCP_IOC_SHUTDOWN, &how));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		signal(SIGPIPE, SIG_DFL);
		write(self->p.vfd, "x", 1);
		_exit(0);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFSIGNALED(status));
	EXPECT_EQ(SIGPIPE, WTERMSIG(status));
}

TEST_F(err, data_for_a_peer_that_closed_gets_a_reset)
{
	char buf[8];
	int i, r = 0;

	ASSERT_EQ(0, close(self->p.hfd));
	self->p.hfd = -1;
	EXPECT_EQ(0, vtcp_read1(self->p.vfd, buf, sizeof(buf)));
	/* CLOSE-WAIT may send; the host's closed socket answers with RST. */
	EXPECT_EQ(1, vtcp_write1(self->p.vfd, "x", 1));
	ASSERT_EQ(1, vtcp_wait_error(self->p.vfd, 5000));
	for (i = 0; i < 3 && r != -ECONNRESET; i++)
		r = vtcp_write1(self->p.vfd, "x", 1);
	EXPECT_EQ(-ECONNRESET, r);
	EXPECT_EQ(-EPIPE, vtcp_write1(self->p.vfd, "x", 1));
}

/* A blocking write of @len bytes in a thread, and what it returned. */
struct vtcp_big_write {
	int fd;
	size_t len;
	ssize_t ret;
};

static void *vtcp_big_write_fn(void *arg)
{
	struct vtcp_big_write *w = arg;
	char *buf = calloc(1, w->len);

	w->ret = buf ? write(w->fd, buf, w->len) : -1;
	free(buf);
	return NULL;
}

TEST_F(err, write_cut_short_by_a_reset_returns_its_count_and_keeps_the_error)
{
	struct vtcp_big_write w = { .len = 4 << 20 };
	struct sockaddr_in sin = { .sin_family = AF_INET,
				   .sin_port = htons(9000) };
	int rcvbuf = 4096, h, i;
	pthread_t t;

	/* A host that takes little and reads nothing: the writer blocks. */
	h = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	ASSERT_LE(0, h);
	setsockopt(h, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
	inet_pton(AF_INET, VTCP_ADDR4, &sin.sin_addr);
	ASSERT_EQ(0, connect(h, (void *)&sin, sizeof(sin)));
	w.fd = vtcp_accept_on(self->p.lfd, 0, NULL);
	ASSERT_LE(0, w.fd);
	ASSERT_EQ(0, vtcp_set_opt(w.fd, VTCP_OPT_SNDBUF, 8192));
	ASSERT_EQ(0, pthread_create(&t, NULL, vtcp_big_write_fn, &w));
	for (i = 0; i < 500 && (vtcp_poll1(w.fd, POLLOUT, 0) & POLLOUT); i++)
		usleep(10000);
	ASSERT_EQ(0, vtcp_poll1(w.fd, POLLOUT, 0));
	/* The host resets while the write waits for room. */
	usleep(100000);
	ASSERT_EQ(0, vtcp_host_abort(h));
	pthread_join(t, NULL);
	/* The bytes it queued are counted; the reset is the next call's. */
	EXPECT_LT(0, w.ret);
	EXPECT_GT((ssize_t)w.len, w.ret);
	EXPECT_EQ(-ECONNRESET, vtcp_write1(w.fd, "x", 1));
	EXPECT_EQ(-EPIPE, vtcp_write1(w.fd, "x", 1));
	close(w.fd);
}

TEST_F(err, user_timeout_ends_a_connection_whose_peer_stopped_answering)
{
	struct vtcp_info info;
	long long t0;
	char buf[8];

	ASSERT_EQ(0, vtcp_set_opt(self->p.vfd, VTCP_OPT_USER_TIMEOUT, 1000));
	/* From now on nothing the host sends reaches vtcp. */
	ASSERT_EQ(0, vtcp_sh("tc qdisc replace dev vtcp0 root netem loss 100%%"));
	/* The timeout counts from the first transmission, after t0. */
	t0 = vtcp_now_ms();
	ASSERT_EQ(0, vtcp_write_all(self->p.vfd, "anyone?", 7));
	EXPECT_EQ(-ETIMEDOUT, vtcp_read1(self->p.vfd, buf, sizeof(buf)));
	EXPECT_LE(1000, vtcp_now_ms() - t0);
	EXPECT_GE(10000, vtcp_now_ms() - t0);
	ASSERT_EQ(0, vtcp_get_info(self->p.vfd, &info));
	EXPECT_EQ(VTCP_CLOSED, info.state);
	EXPECT_LT(0, info.rto_expirations);
	EXPECT_LT(0, info.total_retrans);
	EXPECT_EQ(0, vtcp_read1(self->p.vfd, buf, sizeof(buf)));
	EXPECT_EQ(-EPIPE, vtcp_write1(self->p.vfd, "x", 1));
}

TEST_F(err, keepalive_ends_a_connection_whose_peer_vanished)
{
	struct vtcp_info info;
	char buf[8];

	ASSERT_EQ(0, vtcp_set_opt(self->p.vfd, VTCP_OPT_KEEPIDLE, 1));
	ASSERT_EQ(0, vtcp_set_opt(self->p.vfd, VTCP_OPT_KEEPINTVL, 1));
	ASSERT_EQ(0, vtcp_set_opt(self->p.vfd, VTCP_OPT_KEEPCNT, 2));
	ASSERT_EQ(0, vtcp_set_opt(self->p.vfd, VTCP_OPT_KEEPALIVE, 1));
	ASSERT_EQ(0, vtcp_sh("tc qdisc replace dev vtcp0 root netem loss 100%%"));
	EXPECT_EQ(-ETIMEDOUT, vtcp_read1(self->p.vfd, buf, sizeof(buf)));
	ASSERT_EQ(0, vtcp_get_info(self->p.vfd, &info));
	EXPECT_LE(2, info.keepalive_probes);
	EXPECT_EQ(VTCP_CLOSED, info.state);
}

TEST_F(err, keepalive_keeps_a_live_idle_connection)
{
	struct vtcp_info info;
	char buf[8];

	ASSERT_EQ(0, vtcp_set_opt(self->p.vfd, VTCP_OPT_KEEPIDLE, 1));
	ASSERT_EQ(0, vtcp_set_opt(self->p.vfd, VTCP_OPT_KEEPINTVL, 1));
	ASSERT_EQ(0, vtcp_set_opt(self->p.vfd, VTCP_OPT_KEEPCNT, 1));
	ASSERT_EQ(0, vtcp_set_opt(self->p.vfd, VTCP_OPT_KEEPALIVE, 1));
	sleep(3);
	ASSERT_EQ(0, vtcp_get_info(self->p.vfd, &info));
	EXPECT_EQ(VTCP_ESTABLISHED, info.state);
	EXPECT_LE(1, info.keepalive_probes);
	EXPECT_EQ(0, vtcp_write_all(self->p.hfd, "alive", 5));
	EXPECT_EQ(0, vtcp_read_all(self->p.vfd, buf, 5));
}

TEST_F(err, connect_times_out_with_the_user_timeout)
{
	struct vtcp_connect req = { .ifindex = if_nametoindex("vtcp0") };
	int hl = vtcp_host_listen(VTCP_HOST4, 9100);
	int fd = open(VTCP_DEV_PATH, O_RDWR | O_CLOEXEC);
	long long t0;

	ASSERT_LE(0, hl);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, vtcp_set_opt(fd, VTCP_OPT_USER_TIMEOUT, 1500));
	ASSERT_EQ(0, vtcp_sh("tc qdisc replace dev vtcp0 root netem loss 100%%"));
	vtcp_ep(&req.local, VTCP_ADDR4, 0);
	vtcp_ep(&req.remote, VTCP_HOST4, 9100);
	t0 = vtcp_now_ms();
	EXPECT_EQ(-1, ioctl(fd, VTCP_IOC_CONNECT, &req));
	EXPECT_EQ(ETIMEDOUT, errno);
	EXPECT_LE(1500, vtcp_now_ms() - t0);
	EXPECT_GE(10000, vtcp_now_ms() - t0);
	EXPECT_EQ(VTCP_CLOSED, vtcp_state_of(fd));
	/* A handle connects once. */
	EXPECT_EQ(-1, ioctl(fd, VTCP_IOC_CONNECT, &req));
	EXPECT_EQ(EISCONN, errno);
	close(fd);
	close(hl);
}

TEST_F(err, connect_to_a_closed_port_is_econnrefused)
{
	EXPECT_EQ(-ECONNREFUSED,
		  vtcp_connect_to("vtcp0", VTCP_ADDR4, 0, VTCP_HOST4, 9, 0));
	EXPECT_EQ(-ECONNREFUSED,
		  vtcp_connect_to("vtcp0", VTCP_ADDR6, 0, VTCP_HOST6, 9, 0));
}

TEST_HARNESS_MAIN
