// SPDX-License-Identifier: GPL-2.0
/*
 * vtcp devices in network namespaces: a device made in one works there
 * and never leaves it, a handle reaches only devices of the namespace it
 * was opened in, and deleting a namespace or a device ends its
 * connections and listeners.
 */
#include <poll.h>
#include <sys/wait.h>
#include "kselftest_harness.h"
#include "vtcp_util.h"

#define NS	"vtcp_nstest"
#define DEV	"vtcpns"
#define IDX	4000	/* an ifindex the initial namespace does not use */

/* Run @fn in a child inside the test namespace; its exit status. */
static int vtcp_in_ns(int (*fn)(void *), void *arg)
{
	pid_t pid = fork();
	int status;

	if (pid < 0)
		return -errno;
	if (!pid)
		_exit(vtcp_setns(NS) ? 100 : fn(arg));
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

FIXTURE(netns) {};

FIXTURE_SETUP(netns)
{
	ASSERT_EQ(0, vtcp_module_ensure());
	vtcp_sh("ip netns del " NS " 2>/dev/null");
	ASSERT_EQ(0, vtcp_sh("ip netns add " NS));
	ASSERT_EQ(0, vtcp_sh("ip -n " NS " link add " DEV " index %d type vtcp",
			     IDX));
	ASSERT_EQ(0, vtcp_sh("ip -n " NS " link set lo up && "
			     "ip -n " NS " link set " DEV " up && "
			     "ip -n " NS " addr add 192.0.2.1/24 dev " DEV));
}

FIXTURE_TEARDOWN(netns)
{
	vtcp_sh("ip netns del " NS " 2>/dev/null");
}

/* In the namespace: a host connection to vtcp, data both ways. */
static int vtcp_ns_exchange(void *arg)
{
	char buf[8];
	int lfd, hfd, vfd;

	lfd = vtcp_listen_on(DEV, "", 80, 8);
	if (lfd < 0)
		return 1;
	hfd = vtcp_host_connect("192.0.2.2", 80);
	if (hfd < 0)
		return 2;
	vfd = vtcp_accept_on(lfd, 0, NULL);
	if (vfd < 0)
		return 3;
	if (vtcp_write_all(hfd, "inside!", 7) || vtcp_read_all(vfd, buf, 7) ||
	    memcmp(buf, "inside!", 7))
		return 4;
	if (vtcp_write_all(vfd, "reply", 5) || vtcp_read_all(hfd, buf, 5))
		return 5;
	close(hfd);
	close(vfd);
	close(lfd);
	return 0;
}

TEST_F(netns, device_made_in_a_namespace_works_there)
{
	EXPECT_FALSE(vtcp_netdev_exists(DEV));
	EXPECT_EQ(0, vtcp_in_ns(vtcp_ns_exchange, NULL));
}

/* ip link set netns: refused (EINVAL), both ways. */
static int vtcp_ns_move_out(void *arg)
{
	int nsfd = *(int *)arg;

	return vtcp_link_move(IDX, nsfd) == -EINVAL ? 0 : 1;
}

TEST_F(netns, device_stays_in_its_namespace)
{
	int idx, init_ns, ns;

	init_ns = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, init_ns);
	ns = open("/run/netns/" NS, O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, ns);
	EXPECT_EQ(0, vtcp_in_ns(vtcp_ns_move_out, &init_ns));
	EXPECT_FALSE(vtcp_netdev_exists(DEV));

	ASSERT_EQ(0, vtcp_sh("ip link add vtcpmv type vtcp"));
	idx = if_nametoindex("vtcpmv");
	ASSERT_LT(0, idx);
	EXPECT_EQ(-EINVAL, vtcp_link_move(idx, ns));
	EXPECT_EQ(idx, if_nametoindex("vtcpmv"));
	EXPECT_EQ(0, vtcp_sh("ip link del vtcpmv"));
	close(ns);
	close(init_ns);
}

TEST_F(netns, handle_reaches_only_its_own_namespace)
{
	struct vtcp_listen req = { .ifindex = IDX, .local.family = AF_UNSPEC };
	int fd = open(VTCP_DEV_PATH, O_RDWR);

	ASSERT_LE(0, fd);
	/* Opened in the initial namespace: the device is not there. */
	EXPECT_EQ(-1, ioctl(fd, VTCP_IOC_LISTEN, &req));
	EXPECT_EQ(ENODEV, errno);
	close(fd);
}

/* A handle opened in the initial namespace keeps it, even after setns. */
static int vtcp_ns_foreign_handle(void *arg)
{
	struct vtcp_listen req = { .ifindex = IDX, .local.family = AF_UNSPEC };
	int fd = *(int *)arg;

	return ioctl(fd, VTCP_IOC_LISTEN, &req) && errno == ENODEV ? 0 : 1;
}

TEST_F(netns, handle_keeps_the_namespace_it_was_opened_in)
{
	int fd = open(VTCP_DEV_PATH, O_RDWR);

	ASSERT_LE(0, fd);
	EXPECT_EQ(0, vtcp_in_ns(vtcp_ns_foreign_handle, &fd));
	close(fd);
}

/* Make a connection in the namespace and send its vtcp fd out. */
static int vtcp_ns_hand_out(void *arg)
{
	int sock = *(int *)arg;
	char cbuf[CMSG_SPACE(sizeof(int))] = {};
	struct iovec iov = { .iov_base = "c", .iov_len = 1 };
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf, .msg_controllen = sizeof(cbuf),
	};
	struct cmsghdr *cm = CMSG_FIRSTHDR(&msg);
	int lfd, hfd, vfd;

	lfd = vtcp_listen_on(DEV, "", 81, 8);
	hfd = vtcp_host_connect("192.0.2.2", 81);
	if (lfd < 0 || hfd < 0)
		return 1;
	vfd = vtcp_accept_on(lfd, 0, NULL);
	if (vfd < 0 || vtcp_write_all(hfd, "pending", 7))
		return 2;
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &vfd, sizeof(int));
	if (sendmsg(sock, &msg, 0) != 1)
		return 3;
	return 0;	/* exiting closes the host side and the listener */
}

static int vtcp_recv_fd(int sock)
{
	char cbuf[CMSG_SPACE(sizeof(int))] = {};
	char c;
	struct iovec iov = { .iov_base = &c, .iov_len = 1 };
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf, .msg_controllen = sizeof(cbuf),
	};
	int fd = -1;

	if (recvmsg(sock, &msg, 0) != 1 || !CMSG_FIRSTHDR(&msg))
		return -1;
	memcpy(&fd, CMSG_DATA(CMSG_FIRSTHDR(&msg)), sizeof(int));
	return fd;
}

/* Wait until the connection is over: the device is gone or the peer left. */
static struct vtcp_info vtcp_wait_closed(int fd, int ms)
{
	struct vtcp_info info = {};

	while (ms > 0) {
		if (ioctl(fd, VTCP_IOC_INFO, &info) || info.state == VTCP_CLOSED)
			break;
		usleep(20000);
		ms -= 20;
	}
	return info;
}

TEST_F(netns, namespace_deletion_ends_its_connections)
{
	struct vtcp_info info;
	int sv[2], vfd;
	char buf[16];
	ssize_t n;

	ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	ASSERT_EQ(0, vtcp_in_ns(vtcp_ns_hand_out, &sv[0]));
	vfd = vtcp_recv_fd(sv[1]);
	ASSERT_LE(0, vfd);
	close(sv[0]);
	close(sv[1]);

	/* Nothing holds the namespace now but its name. */
	ASSERT_EQ(0, vtcp_sh("ip netns del " NS));
	info = vtcp_wait_closed(vfd, 10000);
	EXPECT_EQ(VTCP_CLOSED, info.state);
	/* What arrived before stays readable; then the end is reported. */
	n = read(vfd, buf, sizeof(buf));
	EXPECT_EQ(7, n);
	n = read(vfd, buf, sizeof(buf));
	EXPECT_TRUE(n == 0 || (n < 0 && errno == ENETDOWN)) TH_LOG("read %zd %m", n);
	EXPECT_EQ(0, close(vfd));
}

TEST(device_deletion_ends_its_connections_and_listeners)
{
	struct pollfd pfd;
	struct vtcp_info info;
	struct vtcp_accept acc = {};
	int lfd, hfd, vfd;
	char c;

	ASSERT_EQ(0, vtcp_module_ensure());
	ASSERT_EQ(0, vtcp_sh("ip link add vtcpdel type vtcp && "
			     "ip link set vtcpdel up && "
			     "ip addr add 198.51.100.1/24 dev vtcpdel"));
	lfd = vtcp_listen_on("vtcpdel", "", 80, 8);
	ASSERT_LE(0, lfd);
	hfd = vtcp_host_connect("198.51.100.2", 80);
	ASSERT_LE(0, hfd);
	vfd = vtcp_accept_on(lfd, 0, NULL);
	ASSERT_LE(0, vfd);

	ASSERT_EQ(0, vtcp_sh("ip link del vtcpdel"));
	info = vtcp_wait_closed(vfd, 5000);
	EXPECT_EQ(VTCP_CLOSED, info.state);
	EXPECT_EQ(-1, read(vfd, &c, 1));
	EXPECT_EQ(ENETDOWN, errno);
	EXPECT_EQ(0, read(vfd, &c, 1));
	pfd.fd = lfd;
	pfd.events = POLLIN;
	EXPECT_EQ(1, poll(&pfd, 1, 1000));
	EXPECT_TRUE(pfd.revents & (POLLERR | POLLHUP));
	EXPECT_EQ(-1, ioctl(lfd, VTCP_IOC_ACCEPT, &acc));
	EXPECT_EQ(ENODEV, errno);
	close(vfd);
	close(lfd);
	close(hfd);
}

TEST_HARNESS_MAIN
