// SPDX-License-Identifier: GPL-2.0
/*
 * Teardown under load, repeated: a device deleted, a namespace deleted
 * and the module unloaded while connections move data and their timers
 * are armed. Transfers end with an error, nothing hangs, and the guest's
 * kmemleak scan at the end finds nothing.
 */
#include <pthread.h>
#include <signal.h>
#include <sys/wait.h>
#include "kselftest_harness.h"
#include "vtcp_util.h"

#define CONNS	8
#define ROUNDS	5

struct vtcp_flow {
	int hfd, vfd;
	pthread_t tx, rx;
};

/* Pump data until the connection fails; never check, only move bytes. */
static void *vtcp_pump(void *arg)
{
	int fd = *(int *)arg;
	static char buf[65536];

	while (write(fd, buf, sizeof(buf)) > 0)
		;
	return NULL;
}

static void *vtcp_drain(void *arg)
{
	int fd = *(int *)arg;
	char buf[65536];

	while (read(fd, buf, sizeof(buf)) > 0)
		;
	return NULL;
}

/* CONNS connections on @dev, each with data flowing both ways. */
static int vtcp_start_flows(const char *dev, const char *vaddr, int port,
			    struct vtcp_flow *f, int lfd)
{
	int i;

	for (i = 0; i < CONNS; i++) {
		f[i].hfd = vtcp_host_connect(vaddr, port);
		if (f[i].hfd < 0)
			return f[i].hfd;
		f[i].vfd = vtcp_accept_on(lfd, 0, NULL);
		if (f[i].vfd < 0)
			return f[i].vfd;
		if (pthread_create(&f[i].tx, NULL, vtcp_pump, &f[i].hfd) ||
		    pthread_create(&f[i].rx, NULL, vtcp_drain, &f[i].vfd))
			return -ENOMEM;
	}
	return 0;
}

/* The host side gives up on its own: close it, then join everything. */
static void vtcp_stop_flows(struct vtcp_flow *f)
{
	int i;

	for (i = 0; i < CONNS; i++) {
		shutdown(f[i].hfd, SHUT_RDWR);
		pthread_join(f[i].tx, NULL);
		pthread_join(f[i].rx, NULL);
		close(f[i].hfd);
		close(f[i].vfd);
	}
}

/* Each round waits for RCU and device teardown: slow under emulation. */
FIXTURE(teardown) {};
FIXTURE_SETUP(teardown) {}
FIXTURE_TEARDOWN(teardown) {}

TEST_F_TIMEOUT(teardown, device_deleted_during_transfers, 600)
{
	struct vtcp_flow f[CONNS];
	int round, lfd;

	/* Host writers see their connections die: EPIPE, not SIGPIPE. */
	signal(SIGPIPE, SIG_IGN);
	ASSERT_EQ(0, vtcp_module_ensure());
	for (round = 0; round < ROUNDS; round++) {
		ASSERT_EQ(0, vtcp_sh("ip link add vtcptd type vtcp && "
				     "ip link set vtcptd up && "
				     "ip addr add 198.51.100.1/24 dev vtcptd"));
		lfd = vtcp_listen_on("vtcptd", "", 80, CONNS);
		ASSERT_LE(0, lfd);
		ASSERT_EQ(0, vtcp_start_flows("vtcptd", "198.51.100.2", 80, f, lfd));
		usleep(200000);
		/*
		 * The vtcp side fails at once; the host side's reader is
		 * stopped by vtcp_stop_flows().
		 */
		ASSERT_EQ(0, vtcp_sh("ip link del vtcptd"));
		vtcp_stop_flows(f);
		close(lfd);
	}
}

/* In the namespace: flows, then the process dies with everything open. */
static void vtcp_ns_flows_then_die(void)
{
	struct vtcp_flow f[CONNS];
	int lfd;

	if (vtcp_setns("vtcp_td"))
		_exit(1);
	lfd = vtcp_listen_on("vtcptn", "", 80, CONNS);
	if (lfd < 0 || vtcp_start_flows("vtcptn", "198.51.100.2", 80, f, lfd))
		_exit(2);
	usleep(200000);
	/* Killed by the parent while the flows run. */
	pause();
	_exit(3);
}

TEST_F_TIMEOUT(teardown, namespace_deleted_during_transfers, 600)
{
	int round, status;

	ASSERT_EQ(0, vtcp_module_ensure());
	for (round = 0; round < ROUNDS; round++) {
		pid_t pid;

		vtcp_sh("ip netns del vtcp_td 2>/dev/null");
		ASSERT_EQ(0, vtcp_sh("ip netns add vtcp_td && "
				     "ip -n vtcp_td link set lo up && "
				     "ip -n vtcp_td link add vtcptn type vtcp && "
				     "ip -n vtcp_td link set vtcptn up && "
				     "ip -n vtcp_td addr add 198.51.100.1/24 dev vtcptn"));
		pid = fork();
		ASSERT_LE(0, pid);
		if (!pid)
			vtcp_ns_flows_then_die();
		usleep(500000);
		ASSERT_EQ(0, kill(pid, SIGKILL));
		ASSERT_EQ(pid, waitpid(pid, &status, 0));
		EXPECT_TRUE(WIFSIGNALED(status)) TH_LOG("child exited %d", WEXITSTATUS(status));
		/* Orphans still draining, timers armed: the namespace goes. */
		ASSERT_EQ(0, vtcp_sh("ip netns del vtcp_td"));
	}
	/* Namespace cleanup is asynchronous: let it finish before the end. */
	sleep(2);
}

/* Flows in a child that is killed, then the module is unloaded at once. */
TEST_F_TIMEOUT(teardown, module_unloaded_with_orphans_and_timers, 600)
{
	int round, status;

	for (round = 0; round < ROUNDS; round++) {
		struct vtcp_flow f[CONNS];
		int lfd, tries;
		pid_t pid;

		ASSERT_EQ(0, vtcp_module_ensure());
		ASSERT_EQ(0, vtcp_net_up4("vtcp0"));
		pid = fork();
		ASSERT_LE(0, pid);
		if (!pid) {
			lfd = vtcp_listen_on("vtcp0", "", 80, CONNS);
			if (lfd < 0 || vtcp_start_flows("vtcp0", VTCP_ADDR4, 80, f, lfd))
				_exit(2);
			pause();
			_exit(3);
		}
		usleep(500000);
		ASSERT_EQ(0, kill(pid, SIGKILL));
		ASSERT_EQ(pid, waitpid(pid, &status, 0));
		/* Files may still be on their way to release: retry briefly. */
		for (tries = 0; tries < 100 && vtcp_module_unload(); tries++)
			usleep(50000);
		ASSERT_FALSE(vtcp_module_loaded());
	}
}

TEST_HARNESS_MAIN
