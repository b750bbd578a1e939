// SPDX-License-Identifier: GPL-2.0
/*
 * Who may bind /dev/vtcp handles and make vtcp devices (Documentation/
 * vtcp.rst, "Permissions"): tun's model. The parts of each test run as
 * unprivileged users (uids 65534 and 65533, no capability in the initial
 * namespaces), some in user and network namespaces of their own, as
 * "unshare --user --map-root-user --net" makes them; the test (root) sets
 * the switch vtcp.unprivileged as it says. A part reports each failed
 * check on stderr, as a TAP comment, and exits non-zero.
 */
#include <sched.h>
#include <sys/time.h>
#include "kselftest_harness.h"
#include "vtcp_util.h"

#define SWITCH	"/sys/module/vtcp/parameters/unprivileged"
#define USER_A	65534
#define USER_B	65533
/* Indexes no namespace of the test has otherwise: vtcp0 is far below. */
#define IDX_A	4242
#define IDX_B	4343

#define CHECK(cond) do {						\
	if (!(cond)) {							\
		fprintf(stderr, "# %s:%d: %s: not so (errno %s)\n",	\
			__FILE__, __LINE__, #cond, strerrorname_np(errno)); \
		return 1;						\
	}								\
} while (0)

/* @call, a system call, must fail with errno @err. */
#define CHECK_ERRNO(call, err) do {					\
	long __r;							\
									\
	errno = 0;							\
	__r = (call);							\
	if (__r != -1 || errno != (err)) {				\
		fprintf(stderr, "# %s:%d: %s = %ld (errno %s), not %s\n", \
			__FILE__, __LINE__, #call, __r,			\
			strerrorname_np(errno), strerrorname_np(err));	\
		return 1;						\
	}								\
} while (0)

/* @call, a helper returning -errno, must return -@err. */
#define CHECK_RET(call, err) do {					\
	long __r = (call);						\
									\
	if (__r != -(err)) {						\
		fprintf(stderr, "# %s:%d: %s = %ld, not -%s\n",	\
			__FILE__, __LINE__, #call, __r,			\
			strerrorname_np(err));				\
		return 1;						\
	}								\
} while (0)

static int vtcp_switch(bool on)
{
	return vtcp_write_file(SWITCH, on ? "1" : "0");
}

/*
 * Start @fn(@arg) in a child as @uid, in namespaces of its own if @own_ns.
 * Its exit status says how it went: 0 passed, 100 and 101 could not
 * become that user or enter its namespaces.
 */
static pid_t vtcp_part_start(uid_t uid, bool own_ns, int (*fn)(void *),
			     void *arg)
{
	pid_t pid = fork();
	int ret;

	if (pid)
		return pid;
	ret = vtcp_become_user(uid);
	if (ret) {
		fprintf(stderr, "# cannot become uid %u: %s\n", uid,
			strerror(-ret));
		_exit(100);
	}
	ret = own_ns ? vtcp_own_namespaces() : 0;
	if (ret) {
		fprintf(stderr, "# no namespaces of its own: %s\n",
			strerror(-ret));
		_exit(101);
	}
	_exit(fn(arg));
}

static int vtcp_part_end(pid_t pid)
{
	int status;

	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) :
				   128 + WTERMSIG(status);
}

static int vtcp_part_run(uid_t uid, bool own_ns, int (*fn)(void *), void *arg)
{
	return vtcp_part_end(vtcp_part_start(uid, own_ns, fn, arg));
}

/* A control channel between parts; a silent peer fails it in 10 s. */
static int vtcp_channel(int sv[2])
{
	struct timeval tv = { .tv_sec = 10 };

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv))
		return -errno;
	setsockopt(sv[0], SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(sv[1], SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	return 0;
}

static int vtcp_tell(int sock, int v)
{
	return write(sock, &v, sizeof(v)) == sizeof(v) ? 0 : -1;
}

static int vtcp_hear(int sock)
{
	int v;

	return read(sock, &v, sizeof(v)) == sizeof(v) ? v : -1;
}

/* A vtcp device @name (@ifindex) in this namespace, up, with @prefix. */
static int vtcp_ns_device(const char *name, int ifindex, const char *prefix)
{
	int ret = vtcp_link_add(name, ifindex, "vtcp", -1);

	if (ret)
		return ret;
	return vtcp_sh("ip link set %s up && ip addr add %s dev %s", name,
		       prefix, name) ? -EIO : 0;
}

/* A few bytes each way between two connected descriptors. */
static int vtcp_ping(int a, int b)
{
	char buf[4];

	if (vtcp_write_all(a, "ping", 4) || vtcp_read_all(b, buf, 4) ||
	    memcmp(buf, "ping", 4))
		return -1;
	if (vtcp_write_all(b, "pong", 4) || vtcp_read_all(a, buf, 4) ||
	    memcmp(buf, "pong", 4))
		return -1;
	return 0;
}

/* Accept on @lfd within 5 s (a failed peer must not hang the test). */
static int vtcp_accept_soon(int lfd)
{
	if (!(vtcp_poll1(lfd, POLLIN, 5000) & POLLIN))
		return -ETIMEDOUT;
	return vtcp_accept_on(lfd, 0, NULL);
}

static int vtcp_listen_fd(int fd, int ifindex, unsigned short port)
{
	struct vtcp_listen req = { .ifindex = ifindex, .backlog = 8 };

	vtcp_ep(&req.local, "", port);
	return ioctl(fd, VTCP_IOC_LISTEN, &req);
}

static int vtcp_connect_fd(int fd, int ifindex)
{
	struct vtcp_connect req = { .ifindex = ifindex };

	vtcp_ep(&req.local, VTCP_ADDR4, 0);
	vtcp_ep(&req.remote, VTCP_HOST4, 9);
	return ioctl(fd, VTCP_IOC_CONNECT, &req);
}

FIXTURE(perm) {};

FIXTURE_SETUP(perm)
{
	ASSERT_EQ(0, vtcp_module_ensure());
	ASSERT_EQ(0, vtcp_switch(true));
}

FIXTURE_TEARDOWN(perm)
{
	vtcp_switch(false);
}

/* The namespace's root: its device, a listener, a host connection in. */
static int vtcp_owner_accepts(void *arg)
{
	int lfd, hfd, vfd;

	CHECK(vtcp_ns_device("tap0", 0, "192.0.2.1/24") == 0);
	lfd = vtcp_listen_on("tap0", "", 80, 8);
	CHECK(lfd >= 0);
	hfd = vtcp_host_connect(VTCP_ADDR4, 80);
	CHECK(hfd >= 0);
	vfd = vtcp_accept_soon(lfd);
	CHECK(vfd >= 0);
	CHECK(vtcp_ping(hfd, vfd) == 0);
	return 0;
}

TEST_F(perm, namespace_owner_listens_and_accepts_on_its_device)
{
	EXPECT_EQ(0, vtcp_part_run(USER_A, true, vtcp_owner_accepts, NULL));
}

/*
 * Connecting out from an address the namespace has nowhere (a forwarded
 * client's): the host sees the connection come from it.
 */
static int vtcp_owner_connects(void *arg)
{
	struct sockaddr_in peer;
	socklen_t len = sizeof(peer);
	int hl, vfd, hfd;

	CHECK(vtcp_ns_device("tap0", 0, "192.0.2.1/24") == 0);
	CHECK(vtcp_sh("ip route add 198.51.100.0/24 dev tap0") == 0);
	hl = vtcp_host_listen(VTCP_HOST4, 8080);
	CHECK(hl >= 0);
	vfd = vtcp_connect_to("tap0", "198.51.100.77", 40000, VTCP_HOST4,
			      8080, 0);
	CHECK(vfd >= 0);
	hfd = accept4(hl, (void *)&peer, &len, SOCK_CLOEXEC);
	CHECK(hfd >= 0);
	CHECK(peer.sin_addr.s_addr == inet_addr("198.51.100.77"));
	CHECK(peer.sin_port == htons(40000));
	CHECK(vtcp_ping(hfd, vfd) == 0);
	return 0;
}

TEST_F(perm, namespace_owner_connects_out_from_any_address)
{
	EXPECT_EQ(0, vtcp_part_run(USER_A, true, vtcp_owner_connects, NULL));
}

/*
 * The container side of a handle passed out: its device, a listener and
 * an unbound handle sent to the manager outside, then, when told, host
 * connections to both (the manager binds the second on port 81).
 */
static int vtcp_container_hands_out(void *arg)
{
	int sock = *(int *)arg;
	int fds[2], hfd;

	CHECK(vtcp_ns_device("tap0", IDX_A, "192.0.2.1/24") == 0);
	fds[0] = vtcp_listen_on("tap0", "", 80, 8);
	CHECK(fds[0] >= 0);
	fds[1] = open(VTCP_DEV_PATH, O_RDWR | O_CLOEXEC);
	CHECK(fds[1] >= 0);
	CHECK(vtcp_send_fds(sock, fds, 2) == 0);
	close(fds[0]);
	close(fds[1]);
	CHECK(vtcp_hear(sock) == 1);
	hfd = vtcp_host_connect(VTCP_ADDR4, 80);
	CHECK(hfd >= 0);
	CHECK(vtcp_write_all(hfd, "to80", 4) == 0);
	hfd = vtcp_host_connect(VTCP_ADDR4, 81);
	CHECK(hfd >= 0);
	CHECK(vtcp_write_all(hfd, "to81", 4) == 0);
	/* Stay (and keep the namespace) until the manager has read both. */
	CHECK(vtcp_hear(sock) == 2);
	return 0;
}

/* The manager: unprivileged too, in the initial namespaces. */
static int vtcp_manager_uses(void *arg)
{
	int sock = *(int *)arg;
	int fds[2], own, vfd;
	char buf[4];

	CHECK(vtcp_recv_fds(sock, fds, 2) == 0);
	/* The opener's credentials and namespace count, not the user's. */
	CHECK(vtcp_listen_fd(fds[1], IDX_A, 81) == 0);
	own = open(VTCP_DEV_PATH, O_RDWR | O_CLOEXEC);
	CHECK(own >= 0);
	CHECK_ERRNO(vtcp_listen_fd(own, IDX_A, 82), ENODEV);
	CHECK(vtcp_tell(sock, 1) == 0);
	vfd = vtcp_accept_soon(fds[0]);
	CHECK(vfd >= 0);
	CHECK(vtcp_read_all(vfd, buf, 4) == 0 && !memcmp(buf, "to80", 4));
	vfd = vtcp_accept_soon(fds[1]);
	CHECK(vfd >= 0);
	CHECK(vtcp_read_all(vfd, buf, 4) == 0 && !memcmp(buf, "to81", 4));
	CHECK(vtcp_tell(sock, 2) == 0);
	return 0;
}

TEST_F(perm, handle_passed_out_keeps_working_on_its_namespace)
{
	pid_t container, manager;
	int sv[2];

	ASSERT_EQ(0, vtcp_channel(sv));
	container = vtcp_part_start(USER_A, true, vtcp_container_hands_out,
				    &sv[0]);
	manager = vtcp_part_start(USER_A, false, vtcp_manager_uses, &sv[1]);
	close(sv[0]);
	close(sv[1]);
	EXPECT_EQ(0, vtcp_part_end(container));
	EXPECT_EQ(0, vtcp_part_end(manager));
}

/* A user on vtcp0: the handle opens, binding it does not. */
static int vtcp_user_on_vtcp0(void *arg)
{
	int idx = if_nametoindex("vtcp0");
	int fd;

	CHECK(idx > 0);
	fd = open(VTCP_DEV_PATH, O_RDWR | O_CLOEXEC);
	CHECK(fd >= 0);
	CHECK_ERRNO(vtcp_listen_fd(fd, idx, 80), EPERM);
	CHECK_ERRNO(vtcp_connect_fd(fd, idx), EPERM);
	/* Root of a user namespace of its own: still the opener's creds. */
	CHECK(vtcp_own_namespaces() == 0);
	CHECK_ERRNO(vtcp_listen_fd(fd, idx, 80), EPERM);
	return 0;
}

TEST_F(perm, user_may_not_bind_the_initial_namespace_devices)
{
	EXPECT_EQ(0, vtcp_part_run(USER_A, false, vtcp_user_on_vtcp0, NULL));
}

static int vtcp_user_hands_up(void *arg)
{
	int fd = open(VTCP_DEV_PATH, O_RDWR | O_CLOEXEC);

	CHECK(fd >= 0);
	CHECK(vtcp_send_fds(*(int *)arg, &fd, 1) == 0);
	return 0;
}

TEST_F(perm, user_handle_passed_to_root_stays_unprivileged)
{
	int sv[2], fd;

	ASSERT_EQ(0, vtcp_channel(sv));
	EXPECT_EQ(0, vtcp_part_run(USER_A, false, vtcp_user_hands_up, &sv[0]));
	ASSERT_EQ(0, vtcp_recv_fds(sv[1], &fd, 1));
	EXPECT_EQ(-1, vtcp_listen_fd(fd, if_nametoindex("vtcp0"), 80));
	EXPECT_EQ(EPERM, errno);
	close(fd);
	close(sv[0]);
	close(sv[1]);
}

static int vtcp_user_binds_roots_handle(void *arg)
{
	CHECK(vtcp_listen_fd(*(int *)arg, if_nametoindex("vtcp0"), 80) == 0);
	return 0;
}

TEST_F(perm, root_handle_given_to_a_user_binds)
{
	int fd = open(VTCP_DEV_PATH, O_RDWR | O_CLOEXEC);

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, vtcp_switch(false));
	EXPECT_EQ(0, vtcp_part_run(USER_A, false, vtcp_user_binds_roots_handle,
				   &fd));
	close(fd);
}

/*
 * Two users, each in namespaces of their own: B's handle, its own or
 * received by A, never reaches A's device.
 */
static int vtcp_user_a_owns(void *arg)
{
	int sock = *(int *)arg;
	int fd, lfd;

	CHECK(vtcp_ns_device("tap0", IDX_A, "192.0.2.1/24") == 0);
	/* IDX_A is a live vtcp device that A may bind. */
	lfd = open(VTCP_DEV_PATH, O_RDWR | O_CLOEXEC);
	CHECK(lfd >= 0);
	CHECK(vtcp_listen_fd(lfd, IDX_A, 80) == 0);
	CHECK(vtcp_tell(sock, 1) == 0);
	CHECK(vtcp_recv_fds(sock, &fd, 1) == 0);
	CHECK_ERRNO(vtcp_listen_fd(fd, IDX_A, 81), ENODEV);
	CHECK_ERRNO(vtcp_connect_fd(fd, IDX_A), ENODEV);
	/* B's handle still works on B's own device. */
	CHECK(vtcp_listen_fd(fd, IDX_B, 81) == 0);
	return 0;
}

static int vtcp_user_b_tries(void *arg)
{
	int sock = *(int *)arg;
	int fd;

	CHECK(vtcp_ns_device("tap0", IDX_B, "192.0.2.1/24") == 0);
	CHECK(vtcp_hear(sock) == 1);
	fd = open(VTCP_DEV_PATH, O_RDWR | O_CLOEXEC);
	CHECK(fd >= 0);
	CHECK_ERRNO(vtcp_listen_fd(fd, IDX_A, 80), ENODEV);
	CHECK_ERRNO(vtcp_connect_fd(fd, IDX_A), ENODEV);
	CHECK(vtcp_send_fds(sock, &fd, 1) == 0);
	return 0;
}

TEST_F(perm, device_of_another_users_namespace_is_enodev)
{
	pid_t a, b;
	int sv[2];

	ASSERT_EQ(0, vtcp_channel(sv));
	a = vtcp_part_start(USER_A, true, vtcp_user_a_owns, &sv[0]);
	b = vtcp_part_start(USER_B, true, vtcp_user_b_tries, &sv[1]);
	close(sv[0]);
	close(sv[1]);
	EXPECT_EQ(0, vtcp_part_end(a));
	EXPECT_EQ(0, vtcp_part_end(b));
}

static int vtcp_owner_cannot_link(void *arg)
{
	CHECK_RET(vtcp_link_add("tap0", 0, "vtcp", -1), EPERM);
	return 0;
}

TEST_F(perm, switch_off_refuses_namespace_newlink)
{
	ASSERT_EQ(0, vtcp_switch(false));
	EXPECT_EQ(0, vtcp_part_run(USER_A, true, vtcp_owner_cannot_link, NULL));
}

/*
 * Switched off while the namespace's root has a listener: new binds are
 * refused, what is bound goes on.
 */
static int vtcp_owner_switched_off(void *arg)
{
	int sock = *(int *)arg;
	int lfd, fd, hfd, vfd;

	CHECK(vtcp_ns_device("tap0", 0, "192.0.2.1/24") == 0);
	lfd = vtcp_listen_on("tap0", "", 80, 8);
	CHECK(lfd >= 0);
	fd = open(VTCP_DEV_PATH, O_RDWR | O_CLOEXEC);
	CHECK(fd >= 0);
	CHECK(vtcp_tell(sock, 1) == 0);
	CHECK(vtcp_hear(sock) == 0);	/* the switch is off now */
	CHECK_ERRNO(vtcp_listen_fd(fd, if_nametoindex("tap0"), 81), EPERM);
	CHECK_ERRNO(vtcp_connect_fd(fd, if_nametoindex("tap0")), EPERM);
	CHECK_RET(vtcp_link_add("tap1", 0, "vtcp", -1), EPERM);
	hfd = vtcp_host_connect(VTCP_ADDR4, 80);
	CHECK(hfd >= 0);
	vfd = vtcp_accept_soon(lfd);
	CHECK(vfd >= 0);
	CHECK(vtcp_ping(hfd, vfd) == 0);
	return 0;
}

TEST_F(perm, switch_off_refuses_binds_and_keeps_what_is_bound)
{
	int sv[2];
	pid_t pid;

	ASSERT_EQ(0, vtcp_channel(sv));
	pid = vtcp_part_start(USER_A, true, vtcp_owner_switched_off, &sv[0]);
	EXPECT_EQ(1, vtcp_hear(sv[1]));
	EXPECT_EQ(0, vtcp_switch(false));
	EXPECT_EQ(0, vtcp_tell(sv[1], 0));
	EXPECT_EQ(0, vtcp_part_end(pid));
	close(sv[0]);
	close(sv[1]);
}

/* A container's namespaces, kept until told to go: the test works in them. */
static int vtcp_container_waits(void *arg)
{
	int sock = *(int *)arg;

	CHECK(vtcp_tell(sock, 1) == 0);
	CHECK(vtcp_hear(sock) == 1);
	/* The device the administrator made: binding it is not the root's. */
	CHECK(if_nametoindex("tap0") == IDX_A);
	CHECK_RET(vtcp_listen_on("tap0", "", 80, 8), EPERM);
	return 0;
}

TEST_F(perm, administrator_makes_a_container_device_with_switch_off)
{
	char path[64];
	int sv[2], nsfd;
	pid_t pid;

	ASSERT_EQ(0, vtcp_switch(false));
	ASSERT_EQ(0, vtcp_channel(sv));
	pid = vtcp_part_start(USER_A, true, vtcp_container_waits, &sv[0]);
	ASSERT_EQ(1, vtcp_hear(sv[1]));
	snprintf(path, sizeof(path), "/proc/%d/ns/net", pid);
	nsfd = open(path, O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, nsfd);
	EXPECT_EQ(0, vtcp_link_add("tap0", IDX_A, "vtcp", nsfd));
	EXPECT_EQ(0, vtcp_tell(sv[1], 1));
	EXPECT_EQ(0, vtcp_part_end(pid));
	close(nsfd);
	close(sv[0]);
	close(sv[1]);
}

/* The namespace's root may not move its device to another it owns. */
static int vtcp_owner_moves(void *arg)
{
	int here, there;

	CHECK(vtcp_ns_device("tap0", IDX_A, "192.0.2.1/24") == 0);
	here = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	CHECK(here >= 0);
	CHECK(unshare(CLONE_NEWNET) == 0);
	there = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	CHECK(there >= 0);
	CHECK(setns(here, CLONE_NEWNET) == 0);
	CHECK_RET(vtcp_link_move(IDX_A, there), EINVAL);
	CHECK(if_nametoindex("tap0") == IDX_A);
	return 0;
}

TEST_F(perm, namespace_owner_cannot_move_its_device)
{
	EXPECT_EQ(0, vtcp_part_run(USER_A, true, vtcp_owner_moves, NULL));
}

TEST_HARNESS_MAIN
