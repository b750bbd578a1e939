// SPDX-License-Identifier: GPL-2.0
/*
 * A 32-bit (i386) caller of /dev/vtcp, for compat_test: the kernel sees
 * its ioctls through compat_ioctl. Built with -m32 and no C library (the
 * build machine need not have a 32-bit one), so it makes its system
 * calls itself. Its layout is held to vtcp_layout.h's figures at build
 * time.
 *
 *   compat32 <ifindex> <port>
 *
 * It listens on <ifindex> at 192.0.2.2:<port>, writes "L" to stdout,
 * accepts one connection, checks what ACCEPT, INFO, SETOPT and GETOPT
 * say, reads "hello", answers "32bit" and exits 0; on a failure, exits
 * with 10 + the number of the step that failed.
 */
#include "vtcp_layout.h"

#define NR_EXIT		1
#define NR_READ		3
#define NR_WRITE	4
#define NR_OPEN		5
#define NR_CLOSE	6
#define NR_IOCTL	54
#define O_RDWR		2

static long sys3(long nr, long a, long b, long c)
{
	long ret;

	__asm__ volatile ("int $0x80"
			  : "=a" (ret)
			  : "a" (nr), "b" (a), "c" (b), "d" (c)
			  : "memory");
	return ret;
}

/* The compiler may call these for structure copies and initialisers. */
void *memset(void *s, int c, unsigned long n)
{
	unsigned char *p = s;

	while (n--)
		*p++ = c;
	return s;
}

void *memcpy(void *d, const void *s, unsigned long n)
{
	unsigned char *dp = d;
	const unsigned char *sp = s;

	while (n--)
		*dp++ = *sp++;
	return d;
}

static int same(const void *a, const void *b, unsigned long n)
{
	const unsigned char *x = a, *y = b;

	while (n--)
		if (*x++ != *y++)
			return 0;
	return 1;
}

static unsigned long number(const char *s)
{
	unsigned long v = 0;

	while (*s >= '0' && *s <= '9')
		v = v * 10 + (*s++ - '0');
	return v;
}

static void __attribute__((noreturn)) finish(int code)
{
	sys3(NR_EXIT, code, 0, 0);
	for (;;)
		;
}

#define CHECK(step, cond) do { if (!(cond)) finish(10 + (step)); } while (0)

static void __attribute__((used, noreturn)) start_c(long *sp)
{
	char **argv = (char **)(sp + 1);
	unsigned int ifindex = sp[0] == 3 ? number(argv[1]) : 0;
	unsigned short port = sp[0] == 3 ? number(argv[2]) : 0;
	unsigned short nport = (unsigned short)(port << 8 | port >> 8);
	struct vtcp_listen l = { .ifindex = ifindex, .backlog = 1 };
	struct vtcp_opt opt = { .name = VTCP_OPT_SNDBUF, .value = 123456 };
	struct vtcp_accept acc = { .flags = VTCP_ACCEPT_CLOEXEC };
	struct vtcp_info info;
	char buf[8];
	long lfd, fd;

	CHECK(0, sp[0] == 3);
	l.local.family = 2;		/* AF_INET */
	l.local.port = nport;
	l.local.addr4 = 0x020200c0;	/* 192.0.2.2 */
	lfd = sys3(NR_OPEN, (long)"/dev/vtcp", O_RDWR, 0);
	CHECK(1, lfd >= 0);
	CHECK(2, sys3(NR_IOCTL, lfd, VTCP_IOC_LISTEN, (long)&l) == 0);
	/* A 64-bit value in the union: SETOPT on the listener, read back. */
	CHECK(3, sys3(NR_IOCTL, lfd, VTCP_IOC_SETOPT, (long)&opt) == 0);
	opt.value = 0;
	CHECK(4, sys3(NR_IOCTL, lfd, VTCP_IOC_GETOPT, (long)&opt) == 0);
	CHECK(5, opt.value == 123456);
	CHECK(6, sys3(NR_WRITE, 1, (long)"L", 1) == 1);

	fd = sys3(NR_IOCTL, lfd, VTCP_IOC_ACCEPT, (long)&acc);
	CHECK(7, fd >= 0 && acc.fd == fd);
	CHECK(8, acc.local.family == 2 && acc.local.port == nport &&
		 acc.local.addr4 == 0x020200c0 && acc.remote.family == 2 &&
		 acc.remote.addr4 == 0x010200c0);
	CHECK(9, sys3(NR_READ, fd, (long)buf, 5) == 5 && same(buf, "hello", 5));

	memset(&info, 0xa5, sizeof(info));
	CHECK(10, sys3(NR_IOCTL, fd, VTCP_IOC_INFO, (long)&info) == 0);
	CHECK(11, info.state == VTCP_ESTABLISHED && info.ifindex == ifindex &&
		  info.error == 0 && info.__pad == 0 && info.__pad2 == 0);
	/* The 64-bit counters, at the same offsets as for 64-bit callers. */
	CHECK(12, info.bytes_received == 5 && info.bytes_sent == 0);
	CHECK(13, same(info.congestion, "cubic", 6));
	CHECK(14, info.local.port == nport && info.remote.port == acc.remote.port);
	opt.name = VTCP_OPT_SNDBUF;
	opt.value = 0;
	CHECK(15, sys3(NR_IOCTL, fd, VTCP_IOC_GETOPT, (long)&opt) == 0 &&
		  opt.value == 123456);
	CHECK(16, sys3(NR_WRITE, fd, (long)"32bit", 5) == 5);
	sys3(NR_CLOSE, fd, 0, 0);
	sys3(NR_CLOSE, lfd, 0, 0);
	finish(0);
}

__asm__(".globl _start\n"
	"_start:\n"
	"	movl %esp, %eax\n"
	"	andl $-16, %esp\n"
	"	subl $12, %esp\n"
	"	pushl %eax\n"
	"	call start_c\n"
	"	hlt\n");
