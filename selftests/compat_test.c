// SPDX-License-Identifier: GPL-2.0
/*
 * 32-bit callers share the 64-bit layout: vtcp_layout.h fixes every
 * structure's size and every field's offset, and is checked at build
 * time for both ABIs (this file, and compat32.c built with -m32). At run
 * time the kernel reads and writes exactly those sizes, and a real i386
 * program (embedded here; see compat32.c) listens, accepts, reads and
 * asks for INFO through compat_ioctl. That case skips where the compiler
 * cannot build i386 code or the kernel cannot run it.
 */
#include <sys/mman.h>
#include <sys/wait.h>
#include "kselftest_harness.h"
#include "vtcp_util.h"
#include "vtcp_layout.h"

#ifndef VTCP_COMPAT32_BIN
#error "the Makefile passes VTCP_COMPAT32_BIN, the i386 program to embed"
#endif

__asm__(".section .rodata\n"
	".balign 16\n"
	"vtcp_compat32_start:\n"
	".incbin \"" VTCP_COMPAT32_BIN "\"\n"
	"vtcp_compat32_end:\n"
	".previous\n");
extern const char vtcp_compat32_start[] __asm__("vtcp_compat32_start");
extern const char vtcp_compat32_end[] __asm__("vtcp_compat32_end");

FIXTURE(compat) {
	char *page;	/* a page followed by an unmapped one */
};

FIXTURE_SETUP(compat)
{
	ASSERT_EQ(0, vtcp_module_ensure());
	ASSERT_EQ(0, vtcp_net_up("vtcp0"));
	self->page = mmap(NULL, 8192, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, self->page);
	ASSERT_EQ(0, munmap(self->page + 4096, 4096));
}

FIXTURE_TEARDOWN(compat)
{
	munmap(self->page, 4096);
}

TEST_F(compat, structures_ending_at_a_page_end_are_read_exactly)
{
	struct vtcp_listen *l = (void *)(self->page + 4096 - sizeof(*l));
	struct vtcp_opt *o = (void *)(self->page + 4096 - sizeof(*o));
	int fd = open(VTCP_DEV_PATH, O_RDWR | O_CLOEXEC);

	ASSERT_LE(0, fd);
	o->name = VTCP_OPT_NODELAY;
	o->value = 1;
	EXPECT_EQ(0, ioctl(fd, VTCP_IOC_SETOPT, o)) TH_LOG("%m");
	memset(l, 0, sizeof(*l));
	l->ifindex = if_nametoindex("vtcp0");
	vtcp_ep(&l->local, VTCP_ADDR4, 11000);
	EXPECT_EQ(0, ioctl(fd, VTCP_IOC_LISTEN, l)) TH_LOG("%m");
	close(fd);
}

TEST_F(compat, info_writes_exactly_its_size)
{
	struct vtcp_pair p;
	unsigned char buf[sizeof(struct vtcp_info) + 64];
	unsigned int i;

	ASSERT_EQ(0, vtcp_pair_open(&p, VTCP_ADDR4, 11001));
	memset(buf, 0xa5, sizeof(buf));
	ASSERT_EQ(0, ioctl(p.vfd, VTCP_IOC_INFO, buf));
	for (i = sizeof(struct vtcp_info); i < sizeof(buf); i++)
		EXPECT_EQ(0xa5, buf[i]) TH_LOG("byte %u", i);
	/* Every byte of the structure is written: no padding leaks. */
	EXPECT_EQ(0, ((struct vtcp_info *)buf)->__pad);
	EXPECT_EQ(0, ((struct vtcp_info *)buf)->__pad2);
	vtcp_pair_close(&p);
}

/* Run the embedded i386 program; its exit status, or -errno. */
static int vtcp_run_compat32(int out[2], unsigned short port, pid_t *pid)
{
	size_t len = vtcp_compat32_end - vtcp_compat32_start;
	char ifindex[16], portstr[16];
	char *argv[] = { "compat32", ifindex, portstr, NULL };
	char *envp[] = { NULL };
	int mfd;

	snprintf(ifindex, sizeof(ifindex), "%u", if_nametoindex("vtcp0"));
	snprintf(portstr, sizeof(portstr), "%u", port);
	mfd = memfd_create("vtcp_compat32", 0);
	if (mfd < 0 || write(mfd, vtcp_compat32_start, len) != (ssize_t)len)
		return -errno;
	if (pipe(out))
		return -errno;
	*pid = fork();
	if (*pid < 0)
		return -errno;
	if (*pid == 0) {
		dup2(out[1], 1);
		close(out[0]);
		fexecve(mfd, argv, envp);
		_exit(errno == ENOEXEC ? 4 : 3);
	}
	close(out[1]);
	close(mfd);
	return 0;
}

TEST_F(compat, i386_caller_listens_accepts_and_reads_info)
{
	int out[2], status, h;
	pid_t pid;
	char c = 0, buf[8];

	if (!(vtcp_compat32_end - vtcp_compat32_start))
		SKIP(return, "no i386 build of compat32 (gcc -m32 unavailable)");
	ASSERT_EQ(0, vtcp_run_compat32(out, 11002, &pid));
	if (vtcp_poll1(out[0], POLLIN, 10000) <= 0 || read(out[0], &c, 1) != 1) {
		ASSERT_EQ(pid, waitpid(pid, &status, 0));
		if (WIFEXITED(status) && WEXITSTATUS(status) == 4)
			SKIP(return, "this kernel runs no i386 programs");
		ASSERT_EQ(0, WEXITSTATUS(status)) TH_LOG("compat32 failed");
		ASSERT_EQ('L', c);
	}
	ASSERT_EQ('L', c);
	h = vtcp_host_connect(VTCP_ADDR4, 11002);
	ASSERT_LE(0, h);
	ASSERT_EQ(0, vtcp_write_all(h, "hello", 5));
	EXPECT_EQ(0, vtcp_read_all(h, buf, 5));
	EXPECT_EQ(0, memcmp(buf, "32bit", 5));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status)) TH_LOG("failed at step %d",
						 WEXITSTATUS(status) - 10);
	close(h);
	close(out[0]);
}

TEST_HARNESS_MAIN
