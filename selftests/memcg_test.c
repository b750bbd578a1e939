// SPDX-License-Identifier: GPL-2.0
/*
 * What vtcp allocates for a handle is charged to the memory cgroup of the
 * handle's opener, and a container's memory.max holds: a listener opened
 * inside a cgroup v2 group with a small memory.max takes a connection and
 * data flood from the host; the group's memory grows with it, never past
 * memory.max (nothing is forced past the limit from softirq), and what no
 * longer fits is dropped and counted (drop_memory).
 *
 * cgroup2 is mounted if it is not; the test skips only if the kernel has
 * no memory controller.
 */
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/vfs.h>
#include "kselftest_harness.h"
#include "vtcp_util.h"
#include "vtcp_pkt.h"

#define CGROUP2_MAGIC	0x63677270
#define LPORT		7300
#define HEADROOM	(1 << 20)	/* memory.max above the group's use */

static char vtcp_cg_root[256];

/* A cgroup2 mount with the memory controller: 0, or why not. */
static const char *vtcp_cg_mount(void)
{
	const char *dirs[] = { "/sys/fs/cgroup", "/tmp/vtcp_cgroup2" };
	char path[300], ctl[256] = "";
	struct statfs sf;
	size_t i;
	FILE *f;

	for (i = 0; i < ARRAY_SIZE(dirs); i++) {
		if (!statfs(dirs[i], &sf) && sf.f_type == CGROUP2_MAGIC)
			break;
		mkdir(dirs[i], 0755);
		if (!mount("none", dirs[i], "cgroup2", 0, NULL))
			break;
	}
	if (i == ARRAY_SIZE(dirs))
		return "cannot mount cgroup2";
	snprintf(vtcp_cg_root, sizeof(vtcp_cg_root), "%s", dirs[i]);
	snprintf(path, sizeof(path), "%s/cgroup.controllers", vtcp_cg_root);
	f = fopen(path, "r");
	if (!f || !fgets(ctl, sizeof(ctl), f)) {
		if (f)
			fclose(f);
		return "no cgroup.controllers";
	}
	fclose(f);
	if (!strstr(ctl, "memory"))
		return "no memory controller in cgroup2";
	snprintf(path, sizeof(path), "%s/cgroup.subtree_control", vtcp_cg_root);
	vtcp_write_file(path, "+memory");
	return NULL;
}

static long long vtcp_cg_read(const char *cg, const char *file)
{
	return vtcp_read_num("%s/%s/%s", vtcp_cg_root, cg, file);
}

/* @v into the group's @file; -1 writes "max". */
static int vtcp_cg_write(const char *cg, const char *file, long long v)
{
	char path[400], val[32] = "max";

	snprintf(path, sizeof(path), "%s/%s/%s", vtcp_cg_root, cg, file);
	if (v >= 0)
		snprintf(val, sizeof(val), "%lld", v);
	return vtcp_write_file(path, val);
}

/*
 * In the group: open a listener (the handle's opener is in the group),
 * say so on @ready and hold it until @done closes.
 */
static int vtcp_cg_listener(const char *cg, int ready, int done)
{
	char c = 0;
	int lfd;

	if (vtcp_cg_write(cg, "cgroup.procs", getpid()))
		return 1;
	lfd = vtcp_listen_on("vtcp0", VTCP_ADDR4, LPORT, 65535);
	if (lfd < 0)
		return 2;
	if (write(ready, &c, 1) != 1)
		return 3;
	(void)!read(done, &c, 1);
	close(lfd);
	return 0;
}

TEST(memory_max_holds_against_a_flood_charged_to_the_opener)
{
	const char *cg = "vtcp_memcg_test", *why;
	int n = (getenv("VTCP_LONG") ? 20000 : 3000), i, ready[2], done[2];
	struct rlimit rl = { n + 64, n + 64 };
	long long max, before, peak, drop0;
	static char msg[200];
	char path[400], c;
	int *fds, status;
	pid_t pid;

	ASSERT_EQ(0, vtcp_module_ensure());
	ASSERT_EQ(0, vtcp_net_up4("vtcp0"));
	why = vtcp_cg_mount();
	if (why)
		SKIP(return, "%s", why);
	snprintf(path, sizeof(path), "%s/%s", vtcp_cg_root, cg);
	rmdir(path);
	ASSERT_EQ(0, mkdir(path, 0755));
	ASSERT_EQ(0, setrlimit(RLIMIT_NOFILE, &rl));
	fds = calloc(n, sizeof(*fds));
	ASSERT_NE(NULL, fds);

	ASSERT_EQ(0, pipe(ready));
	ASSERT_EQ(0, pipe(done));
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		close(done[1]);
		_exit(vtcp_cg_listener(cg, ready[1], done[0]));
	}
	close(done[0]);
	close(ready[1]);
	ASSERT_EQ(1, read(ready[0], &c, 1));

	before = vtcp_cg_read(cg, "memory.current");
	ASSERT_LT(0, before);
	max = (before + HEADROOM + 4095) & ~4095LL;
	ASSERT_EQ(0, vtcp_cg_write(cg, "memory.max", max));
	drop0 = vtcp_dev_stat("vtcp0", "drop_memory");

	/* The host, outside the group: connections, a little data each. */
	for (i = 0; i < n; i++) {
		struct sockaddr_storage ss;
		socklen_t len = vtcp_host_sockaddr(&ss, VTCP_ADDR4, LPORT);

		fds[i] = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
		ASSERT_LE(0, fds[i]);
		connect(fds[i], (void *)&ss, len);
	}
	usleep(500000);
	for (i = 0; i < n; i++)
		(void)!write(fds[i], "a little data for the queue", 27);
	usleep(500000);

	peak = vtcp_cg_read(cg, "memory.peak");
	if (peak < 0)
		peak = vtcp_cg_read(cg, "memory.current");
	snprintf(msg, sizeof(msg), "memory.max %lld, before %lld, peak %lld, now %lld",
		 max, before, peak, vtcp_cg_read(cg, "memory.current"));
	TH_LOG("%s", msg);
	/* Charged to the opener's group: it grew towards its limit... */
	EXPECT_LT(before + HEADROOM / 2, vtcp_cg_read(cg, "memory.current"));
	/* ...never past it... */
	EXPECT_GE(max, peak);
	EXPECT_GE(max, vtcp_cg_read(cg, "memory.current"));
	/* ...and what did not fit was dropped and counted. */
	EXPECT_LT(drop0, vtcp_dev_stat("vtcp0", "drop_memory"));

	/* Lift the limit: the listener's end must not wait on reclaim. */
	EXPECT_EQ(0, vtcp_cg_write(cg, "memory.max", -1));
	for (i = 0; i < n; i++)
		close(fds[i]);
	free(fds);
	close(done[1]);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status) && !WEXITSTATUS(status));
	/* Connections are freed after an RCU grace period: then it goes. */
	for (i = 0; i < 100 && rmdir(path); i++)
		usleep(50000);
}

TEST_HARNESS_MAIN
