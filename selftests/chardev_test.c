// SPDX-License-Identifier: GPL-2.0
/*
 * /dev/vtcp as a character device: open to everyone (binding a handle is
 * what needs permission: perm_test), many openers, and the answer to an
 * ioctl it does not know.
 */
#include <sys/ioctl.h>
#include <sys/wait.h>
#include "kselftest_harness.h"
#include "vtcp_util.h"

FIXTURE(chardev) {};

FIXTURE_SETUP(chardev)
{
	ASSERT_EQ(0, vtcp_module_ensure());
}

FIXTURE_TEARDOWN(chardev) {}

TEST_F(chardev, node_is_open_to_everyone)
{
	struct stat st;

	ASSERT_EQ(0, stat(VTCP_DEV_PATH, &st));
	EXPECT_TRUE(S_ISCHR(st.st_mode));
	EXPECT_EQ(0666, st.st_mode & 0777);
	EXPECT_EQ(0, st.st_uid);
}

/* An unprivileged user gets an unbound handle, as with /dev/net/tun. */
TEST_F(chardev, unprivileged_open_gives_an_unbound_handle)
{
	pid_t pid = fork();
	int status;

	ASSERT_LE(0, pid);
	if (pid == 0) {
		struct vtcp_opt opt = { .name = VTCP_OPT_NODELAY, .value = 1 };
		int fd;

		if (setgid(65534) || setuid(65534))
			_exit(2);
		fd = open(VTCP_DEV_PATH, O_RDWR);
		_exit(fd >= 0 && !ioctl(fd, VTCP_IOC_SETOPT, &opt) ? 0 : 1);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
}

TEST_F(chardev, unknown_ioctl_is_enotty)
{
	unsigned long cmds[] = { 0, 1, 0x5401 /* TCGETS */, _IO('v', 0xff),
				 _IOR('v', 0x7f, int), _IOWR(0xff, 0, long), ~0UL };
	int fd = open(VTCP_DEV_PATH, O_RDWR);
	unsigned int i;
	long arg = 0;

	ASSERT_LE(0, fd);
	for (i = 0; i < ARRAY_SIZE(cmds); i++) {
		errno = 0;
		EXPECT_EQ(-1, ioctl(fd, cmds[i], &arg));
		EXPECT_EQ(ENOTTY, errno) TH_LOG("cmd %#lx", cmds[i]);
	}
	close(fd);
}

TEST_F(chardev, open_close_from_many_processes)
{
	enum { PROCS = 32, ROUNDS = 200 };
	int i, status, failed = 0;

	for (i = 0; i < PROCS; i++) {
		pid_t pid = fork();

		ASSERT_LE(0, pid);
		if (pid == 0) {
			int r, fds[4];

			for (r = 0; r < ROUNDS; r++) {
				for (int k = 0; k < 4; k++) {
					fds[k] = open(VTCP_DEV_PATH, O_RDWR);
					if (fds[k] < 0)
						_exit(1);
				}
				for (int k = 0; k < 4; k++)
					close(fds[k]);
			}
			_exit(0);
		}
	}
	for (i = 0; i < PROCS; i++) {
		ASSERT_LT(0, wait(&status));
		if (!WIFEXITED(status) || WEXITSTATUS(status))
			failed++;
	}
	EXPECT_EQ(0, failed);
}

TEST_F(chardev, file_survives_fork_and_closes_in_both)
{
	int fd = open(VTCP_DEV_PATH, O_RDWR);
	pid_t pid;
	int status;

	ASSERT_LE(0, fd);
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0)
		_exit(close(fd) == 0 ? 0 : 1);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_EQ(0, WEXITSTATUS(status));
	EXPECT_EQ(0, close(fd));
}

TEST_F(chardev, seek_is_espipe)
{
	int fd = open(VTCP_DEV_PATH, O_RDWR);

	ASSERT_LE(0, fd);
	EXPECT_EQ(-1, lseek(fd, 0, SEEK_SET));
	EXPECT_EQ(ESPIPE, errno);
	close(fd);
}

TEST_HARNESS_MAIN
