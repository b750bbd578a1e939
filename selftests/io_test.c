// SPDX-License-Identifier: GPL-2.0
/*
 * A vtcp connection as a file: readv/writev, splice and sendfile in both
 * directions, sharing across fork, passing over a unix socket
 * (SCM_RIGHTS), and the flags and addresses ACCEPT gives.
 */
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/uio.h>
#include "kselftest_harness.h"
#include "vtcp_util.h"
#include "vtcp_pkt.h"

FIXTURE(io) {
	struct vtcp_pair p;
};

FIXTURE_SETUP(io)
{
	ASSERT_EQ(0, vtcp_module_ensure());
	ASSERT_EQ(0, vtcp_net_up("vtcp0"));
	ASSERT_EQ(0, vtcp_pair_open(&self->p, VTCP_ADDR4, 10000));
	signal(SIGPIPE, SIG_IGN);
}

FIXTURE_TEARDOWN(io)
{
	vtcp_pair_close(&self->p);
}

TEST_F(io, writev_gathers_and_readv_scatters)
{
	unsigned char out[1000], in[1000];
	struct iovec w[3] = {
		{ out, 1 }, { out + 1, 599 }, { out + 600, 400 },
	};
	struct iovec r[4] = {
		{ in, 100 }, { in + 100, 0 }, { in + 100, 400 }, { in + 500, 500 },
	};
	size_t got = 0;

	vtcp_fill(out, sizeof(out), 11, 0);
	EXPECT_EQ(1000, writev(self->p.vfd, w, 3));
	EXPECT_EQ(0, vtcp_read_all(self->p.hfd, in, sizeof(in)));
	EXPECT_EQ(-1, vtcp_check(in, sizeof(in), 11, 0));

	memset(in, 0, sizeof(in));
	ASSERT_EQ(0, vtcp_write_all(self->p.hfd, out, sizeof(out)));
	ASSERT_EQ(1000, vtcp_wait_queued(self->p.vfd, 1000, 5000));
	while (got < sizeof(in)) {
		ssize_t n = readv(self->p.vfd, r, 4);

		ASSERT_LT(0, n);
		got += n;
		/* One call takes all that is queued, across the vectors. */
		EXPECT_EQ(1000, n);
	}
	EXPECT_EQ(-1, vtcp_check(in, sizeof(in), 11, 0));
}

TEST_F(io, writev_with_a_bad_vector_sends_the_good_prefix_only)
{
	void *bad = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS,
			 -1, 0);
	struct iovec w[2] = { { "prefix", 6 }, { bad, 100 } };
	char buf[16];

	ASSERT_NE(MAP_FAILED, bad);
	ASSERT_EQ(0, munmap(bad, 4096));
	EXPECT_EQ(6, writev(self->p.vfd, w, 2));
	EXPECT_EQ(0, vtcp_read_all(self->p.hfd, buf, 6));
	EXPECT_EQ(0, memcmp(buf, "prefix", 6));
	/* Nothing more went out. */
	EXPECT_EQ(0, vtcp_poll1(self->p.hfd, POLLIN, 200));
}

TEST_F(io, readv_with_a_bad_vector_is_efault_and_keeps_the_data)
{
	void *bad = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS,
			 -1, 0);
	char head[4], buf[16];
	struct iovec r[2] = { { head, sizeof(head) }, { bad, 100 } };

	ASSERT_NE(MAP_FAILED, bad);
	ASSERT_EQ(0, munmap(bad, 4096));
	ASSERT_EQ(0, vtcp_write_all(self->p.hfd, "0123456789", 10));
	ASSERT_EQ(10, vtcp_wait_queued(self->p.vfd, 10, 5000));
	EXPECT_EQ(-1, readv(self->p.vfd, r, 2));
	EXPECT_EQ(EFAULT, errno);
	EXPECT_EQ(10, vtcp_rcv_queued(self->p.vfd));
	EXPECT_EQ(10, read(self->p.vfd, buf, sizeof(buf)));
	EXPECT_EQ(0, memcmp(buf, "0123456789", 10));
}

TEST_F(io, zero_length_read_and_write_return_zero)
{
	char c;

	EXPECT_EQ(0, read(self->p.vfd, &c, 0));
	EXPECT_EQ(0, write(self->p.vfd, &c, 0));
	EXPECT_EQ(0, readv(self->p.vfd, NULL, 0));
	EXPECT_EQ(0, vtcp_poll1(self->p.hfd, POLLIN, 100));
}

TEST_F(io, splice_from_a_connection_into_a_pipe)
{
	static unsigned char buf[65536];
	size_t len = sizeof(buf), got = 0;
	int pipefd[2];

	ASSERT_EQ(0, pipe(pipefd));
	vtcp_fill(buf, len, 12, 0);
	ASSERT_EQ(0, vtcp_write_all(self->p.hfd, buf, len));
	memset(buf, 0, len);
	while (got < len) {
		ssize_t n = splice(self->p.vfd, NULL, pipefd[1], NULL,
				   len - got, 0);

		ASSERT_LT(0, n) TH_LOG("splice: %m");
		ASSERT_EQ(0, vtcp_read_all(pipefd[0], buf + got, n));
		got += n;
	}
	EXPECT_EQ(-1, vtcp_check(buf, len, 12, 0));
	close(pipefd[0]);
	close(pipefd[1]);
}

/* Reads @len bytes of stream @seed from @fd and checks them. */
struct vtcp_checker {
	int fd;
	unsigned int seed;
	size_t len;
	long bad;		/* first wrong offset, -1 if none, -2 short */
	pthread_t thread;
};

static void *vtcp_checker_run(void *arg)
{
	static unsigned char buf[1 << 16];
	struct vtcp_checker *c = arg;
	size_t off = 0;

	c->bad = -1;
	while (off < c->len) {
		ssize_t n = read(c->fd, buf, sizeof(buf));
		long at;

		if (n <= 0) {
			c->bad = -2;
			break;
		}
		at = vtcp_check(buf, n, c->seed, off);
		if (at >= 0 && c->bad == -1)
			c->bad = off + at;
		off += n;
	}
	return NULL;
}

/*
 * The relay a network helper runs, vtcp -> pipe -> host socket, moves
 * every byte in order, and the pipe gets the received pages by reference:
 * almost every pipe buffer lends a page of the skbs the host sent.
 */
TEST_F(io, splice_64mib_through_a_pipe_to_a_socket_lends_the_pages)
{
	long long lent = vtcp_dev_stat("vtcp0", "splice_pages_lent");
	long long copied = vtcp_dev_stat("vtcp0", "splice_pages_copied");
	struct vtcp_writer w = { .fd = self->p.hfd, .seed = 15,
				 .len = 64 << 20 };
	struct vtcp_checker c = { .seed = 15, .len = 64 << 20 };
	int lfd, out, pipefd[2];
	size_t moved = 0;

	ASSERT_LE(0, lent);
	ASSERT_EQ(0, vtcp_sh("ip link set lo up"));
	lfd = vtcp_host_listen("127.0.0.1", 10001);
	ASSERT_LE(0, lfd);
	out = vtcp_host_connect("127.0.0.1", 10001);
	ASSERT_LE(0, out);
	c.fd = accept(lfd, NULL, NULL);
	ASSERT_LE(0, c.fd);
	ASSERT_EQ(0, pipe(pipefd));
	ASSERT_EQ(0, pthread_create(&c.thread, NULL, vtcp_checker_run, &c));
	ASSERT_EQ(0, vtcp_writer_start(&w));
	while (moved < w.len) {
		ssize_t n = splice(self->p.vfd, NULL, pipefd[1], NULL,
				   w.len - moved, SPLICE_F_MOVE);

		ASSERT_LT(0, n) TH_LOG("splice in: %m");
		while (n) {
			ssize_t m = splice(pipefd[0], NULL, out, NULL, n,
					   SPLICE_F_MOVE);

			ASSERT_LT(0, m) TH_LOG("splice out: %m");
			n -= m;
			moved += m;
		}
	}
	EXPECT_EQ(0, vtcp_writer_join(&w));
	ASSERT_EQ(0, pthread_join(c.thread, NULL));
	EXPECT_EQ(-1, c.bad);
	lent = vtcp_dev_stat("vtcp0", "splice_pages_lent") - lent;
	copied = vtcp_dev_stat("vtcp0", "splice_pages_copied") - copied;
	TH_LOG("pipe buffers: %lld lent, %lld copied", lent, copied);
	EXPECT_LT(copied * 10, lent);
	close(pipefd[0]);
	close(pipefd[1]);
	close(out);
	close(c.fd);
	close(lfd);
}

/*
 * splice() out of a connection answers as read() does: EAGAIN with
 * nothing queued and SPLICE_F_NONBLOCK, 0 at the end of the stream, and
 * ENOTCONN on a handle that is no connection.
 */
TEST_F(io, splice_from_a_connection_answers_as_read_does)
{
	int pipefd[2], fd = open(VTCP_DEV_PATH, O_RDWR);

	ASSERT_EQ(0, pipe(pipefd));
	ASSERT_LE(0, fd);
	EXPECT_EQ(-1, splice(fd, NULL, pipefd[1], NULL, 100, 0));
	EXPECT_EQ(ENOTCONN, errno);
	close(fd);
	EXPECT_EQ(-1, splice(self->p.vfd, NULL, pipefd[1], NULL, 100,
			     SPLICE_F_NONBLOCK));
	EXPECT_EQ(EAGAIN, errno);
	ASSERT_EQ(0, vtcp_shut_wr(self->p.hfd));
	EXPECT_EQ(0, splice(self->p.vfd, NULL, pipefd[1], NULL, 100, 0));
	close(pipefd[0]);
	close(pipefd[1]);
}

TEST_F(io, splice_from_a_pipe_into_a_connection)
{
	unsigned char buf[60000];
	size_t len = sizeof(buf), put = 0;
	int pipefd[2];

	ASSERT_EQ(0, pipe(pipefd));
	ASSERT_LE(65536, fcntl(pipefd[1], F_SETPIPE_SZ, 65536));
	vtcp_fill(buf, len, 13, 0);
	ASSERT_EQ(0, vtcp_write_all(pipefd[1], buf, len));
	while (put < len) {
		ssize_t n = splice(pipefd[0], NULL, self->p.vfd, NULL,
				   len - put, 0);

		ASSERT_LT(0, n) TH_LOG("splice: %m");
		put += n;
	}
	memset(buf, 0, len);
	EXPECT_EQ(0, vtcp_read_all(self->p.hfd, buf, len));
	EXPECT_EQ(-1, vtcp_check(buf, len, 13, 0));
	close(pipefd[0]);
	close(pipefd[1]);
}

/* A file in /tmp holding @len bytes of pattern @seed. */
static int vtcp_pattern_file(size_t len, unsigned int seed)
{
	char path[] = "/tmp/vtcp_io_XXXXXX";
	static unsigned char buf[65536];
	int fd = mkstemp(path);
	size_t off;

	if (fd < 0)
		return -errno;
	unlink(path);
	for (off = 0; off < len; off += sizeof(buf)) {
		size_t n = len - off < sizeof(buf) ? len - off : sizeof(buf);

		vtcp_fill(buf, n, seed, off);
		if (vtcp_write_all(fd, buf, n))
			return -EIO;
	}
	lseek(fd, 0, SEEK_SET);
	return fd;
}

TEST_F(io, sendfile_from_a_file_into_a_connection)
{
	size_t len = 1 << 20, got = 0;
	static unsigned char buf[1 << 20];
	int fd = vtcp_pattern_file(len, 14);
	off_t off = 0;

	ASSERT_LE(0, fd);
	while ((size_t)off < len) {
		ssize_t n = sendfile(self->p.vfd, fd, &off, len - off);

		ASSERT_LT(0, n) TH_LOG("sendfile: %m");
		/* The host reads as we go: the send buffer is finite. */
		while (got < (size_t)off) {
			ssize_t r = read(self->p.hfd, buf + got, off - got);

			ASSERT_LT(0, r);
			got += r;
		}
	}
	EXPECT_EQ(-1, vtcp_check(buf, len, 14, 0));
	close(fd);
}

/*
 * sendfile() reads only from regular files and block devices (the
 * kernel's rule, for sockets as well): out of a connection it is -EINVAL,
 * and splice() through a pipe is the way. Nothing is consumed.
 */
TEST_F(io, sendfile_out_of_a_connection_is_einval_and_splice_does_it)
{
	char path[] = "/tmp/vtcp_io_XXXXXX";
	int fd = mkstemp(path), pipefd[2];
	char buf[8];
	ssize_t n;

	ASSERT_LE(0, fd);
	unlink(path);
	ASSERT_EQ(0, pipe(pipefd));
	ASSERT_EQ(0, vtcp_write_all(self->p.hfd, "to file", 7));
	ASSERT_EQ(7, vtcp_wait_queued(self->p.vfd, 7, 5000));
	EXPECT_EQ(-1, sendfile(fd, self->p.vfd, NULL, 7));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(7, vtcp_rcv_queued(self->p.vfd));
	n = splice(self->p.vfd, NULL, pipefd[1], NULL, 7, 0);
	ASSERT_EQ(7, n);
	EXPECT_EQ(7, splice(pipefd[0], NULL, fd, NULL, 7, 0));
	EXPECT_EQ(7, pread(fd, buf, 7, 0));
	EXPECT_EQ(0, memcmp(buf, "to file", 7));
	close(pipefd[0]);
	close(pipefd[1]);
	close(fd);
}

TEST_F(io, connection_is_shared_across_fork)
{
	char buf[16];
	int status;
	pid_t pid = fork();

	ASSERT_LE(0, pid);
	if (pid == 0) {
		char in[5];

		if (vtcp_read_all(self->p.vfd, in, 5) || memcmp(in, "toward", 5))
			_exit(1);
		_exit(vtcp_write_all(self->p.vfd, "child", 5) ? 2 : 0);
	}
	ASSERT_EQ(0, vtcp_write_all(self->p.hfd, "toward", 5));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_EQ(0, WEXITSTATUS(status));
	ASSERT_EQ(0, vtcp_write_all(self->p.vfd, "parent", 6));
	EXPECT_EQ(0, vtcp_read_all(self->p.hfd, buf, 11));
	EXPECT_EQ(0, memcmp(buf, "childparent", 11));
}

static int vtcp_send_fd(int sock, int fd)
{
	char cbuf[CMSG_SPACE(sizeof(int))] = {};
	struct iovec iov = { "F", 1 };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1,
			      .msg_control = cbuf, .msg_controllen = sizeof(cbuf) };
	struct cmsghdr *c = CMSG_FIRSTHDR(&msg);

	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &fd, sizeof(int));
	return sendmsg(sock, &msg, 0) == 1 ? 0 : -errno;
}

static int vtcp_recv_fd(int sock)
{
	char cbuf[CMSG_SPACE(sizeof(int))], b;
	struct iovec iov = { &b, 1 };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1,
			      .msg_control = cbuf, .msg_controllen = sizeof(cbuf) };
	struct cmsghdr *c;
	int fd;

	if (recvmsg(sock, &msg, MSG_CMSG_CLOEXEC) != 1)
		return -errno;
	c = CMSG_FIRSTHDR(&msg);
	if (!c || c->cmsg_type != SCM_RIGHTS)
		return -EBADMSG;
	memcpy(&fd, CMSG_DATA(c), sizeof(int));
	return fd;
}

TEST_F(io, connection_and_listener_pass_over_a_unix_socket)
{
	int sv[2], status, h2;
	char buf[16];
	pid_t pid;

	ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv));
	/* The child exists before the descriptors reach it. */
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		int v, l, v2;
		char in[4];

		close(sv[0]);
		close(self->p.vfd);
		close(self->p.lfd);
		v = vtcp_recv_fd(sv[1]);
		l = vtcp_recv_fd(sv[1]);
		if (v < 0 || l < 0)
			_exit(1);
		if (vtcp_read_all(v, in, 4) || memcmp(in, "ping", 4) ||
		    vtcp_write_all(v, "pong", 4))
			_exit(2);
		v2 = vtcp_accept_on(l, 0, NULL);
		if (v2 < 0 || vtcp_write_all(v2, "second", 6))
			_exit(3);
		_exit(0);
	}
	close(sv[1]);
	ASSERT_EQ(0, vtcp_send_fd(sv[0], self->p.vfd));
	ASSERT_EQ(0, vtcp_send_fd(sv[0], self->p.lfd));
	/* Only the child holds them now. */
	close(self->p.vfd);
	close(self->p.lfd);
	self->p.vfd = -1;
	self->p.lfd = -1;
	h2 = vtcp_host_connect(VTCP_ADDR4, 10000);
	ASSERT_LE(0, h2);
	ASSERT_EQ(0, vtcp_write_all(self->p.hfd, "ping", 4));
	EXPECT_EQ(0, vtcp_read_all(self->p.hfd, buf, 4));
	EXPECT_EQ(0, memcmp(buf, "pong", 4));
	EXPECT_EQ(0, vtcp_read_all(h2, buf, 6));
	EXPECT_EQ(0, memcmp(buf, "second", 6));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_EQ(0, WEXITSTATUS(status));
	/* The child's exit was the last close: FIN, and the port is closed. */
	EXPECT_EQ(0, read(self->p.hfd, buf, sizeof(buf)));
	EXPECT_EQ(0, read(h2, buf, sizeof(buf)));
	EXPECT_EQ(-ECONNREFUSED, vtcp_host_connect(VTCP_ADDR4, 10000));
	close(h2);
	close(sv[0]);
}

TEST_F(io, accept_flags_set_cloexec_and_nonblock)
{
	int h[4], v[4], i;
	unsigned int flags[4] = { 0, VTCP_ACCEPT_CLOEXEC, VTCP_ACCEPT_NONBLOCK,
				  VTCP_ACCEPT_CLOEXEC | VTCP_ACCEPT_NONBLOCK };
	char c;

	for (i = 0; i < 4; i++) {
		struct vtcp_accept acc = { .fd = -7 };

		h[i] = vtcp_host_connect(VTCP_ADDR4, 10000);
		ASSERT_LE(0, h[i]);
		v[i] = vtcp_accept_on(self->p.lfd, flags[i], &acc);
		ASSERT_LE(0, v[i]);
		EXPECT_EQ(v[i], acc.fd);
		EXPECT_EQ(!!(flags[i] & VTCP_ACCEPT_CLOEXEC),
			  !!(fcntl(v[i], F_GETFD) & FD_CLOEXEC));
		EXPECT_EQ(!!(flags[i] & VTCP_ACCEPT_NONBLOCK),
			  !!(fcntl(v[i], F_GETFL) & O_NONBLOCK));
		EXPECT_EQ(O_RDWR, fcntl(v[i], F_GETFL) & O_ACCMODE);
		if (flags[i] & VTCP_ACCEPT_NONBLOCK) {
			EXPECT_EQ(-1, read(v[i], &c, 1));
			EXPECT_EQ(EAGAIN, errno);
		}
	}
	for (i = 0; i < 4; i++) {
		close(v[i]);
		close(h[i]);
	}
}

/* Both endpoints, as the host's socket sees them the other way round. */
static void vtcp_check_endpoints(struct __test_metadata *_metadata,
				 const struct vtcp_accept *acc, int hfd)
{
	struct sockaddr_storage local, peer;
	socklen_t len = sizeof(local);

	ASSERT_EQ(0, getsockname(hfd, (void *)&local, &len));
	len = sizeof(peer);
	ASSERT_EQ(0, getpeername(hfd, (void *)&peer, &len));
	EXPECT_EQ(local.ss_family, acc->remote.family);
	EXPECT_EQ(peer.ss_family, acc->local.family);
	if (local.ss_family == AF_INET) {
		struct sockaddr_in *l = (void *)&local, *p = (void *)&peer;

		EXPECT_EQ(l->sin_port, acc->remote.port);
		EXPECT_EQ(l->sin_addr.s_addr, acc->remote.addr4);
		EXPECT_EQ(p->sin_port, acc->local.port);
		EXPECT_EQ(p->sin_addr.s_addr, acc->local.addr4);
	} else {
		struct sockaddr_in6 *l = (void *)&local, *p = (void *)&peer;

		EXPECT_EQ(l->sin6_port, acc->remote.port);
		EXPECT_EQ(0, memcmp(&l->sin6_addr, acc->remote.addr6, 16));
		EXPECT_EQ(p->sin6_port, acc->local.port);
		EXPECT_EQ(0, memcmp(&p->sin6_addr, acc->local.addr6, 16));
	}
	EXPECT_EQ(0, acc->local.__reserved);
	EXPECT_EQ(0, acc->remote.__reserved);
}

TEST_F(io, accept_reports_both_endpoints_ipv4_and_ipv6)
{
	struct vtcp_accept acc;
	int l, h, v;

	l = vtcp_listen_on("vtcp0", "", 10001, 4);
	ASSERT_LE(0, l);
	h = vtcp_host_connect("192.0.2.9", 10001);
	ASSERT_LE(0, h);
	v = vtcp_accept_on(l, 0, &acc);
	ASSERT_LE(0, v);
	vtcp_check_endpoints(_metadata, &acc, h);
	close(v);
	close(h);
	h = vtcp_host_connect("2001:db8::9", 10001);
	ASSERT_LE(0, h);
	v = vtcp_accept_on(l, 0, &acc);
	ASSERT_LE(0, v);
	vtcp_check_endpoints(_metadata, &acc, h);
	close(v);
	close(h);
	close(l);
}

TEST_F(io, dup_shares_the_connection_until_the_last_close)
{
	int d = dup(self->p.vfd);
	char buf[4];

	ASSERT_LE(0, d);
	close(self->p.vfd);
	self->p.vfd = -1;
	EXPECT_EQ(0, vtcp_write_all(d, "dup", 3));
	EXPECT_EQ(0, vtcp_read_all(self->p.hfd, buf, 3));
	EXPECT_EQ(0, vtcp_poll1(self->p.hfd, POLLIN, 100));
	close(d);
	EXPECT_EQ(0, read(self->p.hfd, buf, sizeof(buf)));
}

TEST_HARNESS_MAIN
