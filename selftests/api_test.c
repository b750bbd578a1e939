// SPDX-License-Identifier: GPL-2.0
/*
 * The ioctl interface of /dev/vtcp: how every call is decoded and every
 * error it returns before any TCP happens. Unknown numbers, flags and
 * reserved fields; structure sizes (include/uapi/linux/vtcp.h: a size
 * below the first version is -EINVAL, a larger one with a non-zero tail
 * -E2BIG); bad pointers; the wrong kind of handle; devices that are not
 * vtcp's or not in the opener's namespace; addresses in use.
 */
#include <sched.h>
#include <stddef.h>
#include <sys/mman.h>
#include <sys/uio.h>
#include "kselftest_harness.h"
#include "vtcp_util.h"

/* @cmd with its size field replaced by @size. */
#define VTCP_IOC_RESIZE(cmd, size) \
	(((cmd) & ~(_IOC_SIZEMASK << _IOC_SIZESHIFT)) | \
	 ((unsigned long)(size) << _IOC_SIZESHIFT))

static int vtcp_open(void)
{
	return open(VTCP_DEV_PATH, O_RDWR | O_CLOEXEC);
}

static void vtcp_listen_req(struct vtcp_listen *req, const char *addr,
			    unsigned short port)
{
	memset(req, 0, sizeof(*req));
	req->ifindex = if_nametoindex("vtcp0");
	vtcp_ep(&req->local, addr, port);
}

static void vtcp_connect_req(struct vtcp_connect *req, const char *laddr,
			     unsigned short lport, unsigned short rport)
{
	memset(req, 0, sizeof(*req));
	req->ifindex = if_nametoindex("vtcp0");
	vtcp_ep(&req->local, laddr, lport);
	vtcp_ep(&req->remote, VTCP_HOST4, rport);
}

/* -errno of one ioctl, or 0. */
static int vtcp_ioctl_err(int fd, unsigned long cmd, void *arg)
{
	return ioctl(fd, cmd, arg) < 0 ? -errno : 0;
}

/* NULL, hidden from the compiler's checks of read() and write(). */
static __attribute__((noipa)) void *vtcp_null(void)
{
	return NULL;
}

/*
 * An address with nothing mapped at it. (A PROT_NONE page is no bad
 * pointer for the kernel everywhere: UML's uaccess reads it.)
 */
static void *vtcp_unmapped(void)
{
	void *p = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS,
		       -1, 0);

	if (p == MAP_FAILED || munmap(p, 4096))
		return NULL;
	return p;
}

/* A page the process may only read. */
static void *vtcp_page(int prot)
{
	void *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return NULL;
	memset(p, 0, 4096);
	if (mprotect(p, 4096, prot)) {
		munmap(p, 4096);
		return NULL;
	}
	return p;
}

FIXTURE(api) {
	struct vtcp_pair pair;	/* host connected to a vtcp listener */
};

FIXTURE_SETUP(api)
{
	ASSERT_EQ(0, vtcp_module_ensure());
	ASSERT_EQ(0, vtcp_net_up("vtcp0"));
	ASSERT_EQ(0, vtcp_pair_open(&self->pair, VTCP_ADDR4, 5000));
}

FIXTURE_TEARDOWN(api)
{
	vtcp_pair_close(&self->pair);
}

TEST_F(api, unknown_ioctl_is_enotty_on_every_kind_of_handle)
{
	unsigned long cmds[] = {
		_IO(VTCP_IOC_MAGIC, 0), _IO(VTCP_IOC_MAGIC, 9),
		_IOWR(VTCP_IOC_MAGIC, 200, struct vtcp_info),
		/* A known number in the wrong direction. */
		_IOR(VTCP_IOC_MAGIC, 1, struct vtcp_listen),
		_IOW(VTCP_IOC_MAGIC, 8, struct vtcp_info),
		/* SHUTDOWN and ABORT take no versioned structure. */
		VTCP_IOC_RESIZE(VTCP_IOC_SHUTDOWN, 8),
		VTCP_IOC_RESIZE(VTCP_IOC_ABORT, 4),
		FIONREAD, SIOCGIFINDEX,
	};
	int unbound = vtcp_open();
	int fds[] = { unbound, self->pair.lfd, self->pair.vfd };
	char arg[512] = {};
	unsigned int i, k;

	ASSERT_LE(0, unbound);
	for (k = 0; k < 3; k++) {
		for (i = 0; i < ARRAY_SIZE(cmds); i++) {
			unsigned long cmd = cmds[i];

			EXPECT_EQ(-ENOTTY, vtcp_ioctl_err(fds[k], cmd, arg))
				TH_LOG("fd %u cmd %#lx", k, cmd);
		}
	}
	close(unbound);
}

TEST_F(api, listen_with_unknown_flags_is_einval)
{
	struct vtcp_listen req;
	int fd = vtcp_open();

	ASSERT_LE(0, fd);
	vtcp_listen_req(&req, VTCP_ADDR4, 5001);
	req.flags = 1U << 1;	/* the first after VTCP_LISTEN_DEFER */
	EXPECT_EQ(-EINVAL, vtcp_ioctl_err(fd, VTCP_IOC_LISTEN, &req));
	req.flags = 1U << 31;
	EXPECT_EQ(-EINVAL, vtcp_ioctl_err(fd, VTCP_IOC_LISTEN, &req));
	/* Refused without effect: the handle can still listen. */
	req.flags = 0;
	EXPECT_EQ(0, vtcp_ioctl_err(fd, VTCP_IOC_LISTEN, &req));
	close(fd);
}

TEST_F(api, listen_with_nonzero_reserved_fields_is_einval)
{
	struct vtcp_listen req;
	int fd = vtcp_open();

	ASSERT_LE(0, fd);
	vtcp_listen_req(&req, VTCP_ADDR4, 5001);
	req.__reserved = 1;
	EXPECT_EQ(-EINVAL, vtcp_ioctl_err(fd, VTCP_IOC_LISTEN, &req));
	vtcp_listen_req(&req, VTCP_ADDR4, 5001);
	req.local.__reserved = 0x100;
	EXPECT_EQ(-EINVAL, vtcp_ioctl_err(fd, VTCP_IOC_LISTEN, &req));
	/* IPv4 leaves the rest of the address zero. */
	vtcp_listen_req(&req, VTCP_ADDR4, 5001);
	req.local.addr6[15] = 1;
	EXPECT_EQ(-EINVAL, vtcp_ioctl_err(fd, VTCP_IOC_LISTEN, &req));
	/* "Any" family is any address too. */
	vtcp_listen_req(&req, "", 5001);
	req.local.addr6[0] = 1;
	EXPECT_EQ(-EINVAL, vtcp_ioctl_err(fd, VTCP_IOC_LISTEN, &req));
	close(fd);
}

TEST_F(api, accept_with_unknown_flags_is_einval)
{
	struct vtcp_accept req = { .flags = 1U << 2 };
	int next = vtcp_next_fd();

	ASSERT_LE(0, vtcp_host_connect(VTCP_ADDR4, 5000));
	ASSERT_EQ(1, vtcp_wait_queued(self->pair.lfd, 1, 5000));
	EXPECT_EQ(-EINVAL, vtcp_ioctl_err(self->pair.lfd, VTCP_IOC_ACCEPT, &req));
	/* Nothing was taken off the queue, and no descriptor made. */
	EXPECT_EQ(next + 1, vtcp_next_fd());
	EXPECT_EQ(1, vtcp_rcv_queued(self->pair.lfd));
}

TEST_F(api, connect_with_unknown_flags_is_einval)
{
	struct vtcp_connect req;
	int fd = vtcp_open();

	ASSERT_LE(0, fd);
	vtcp_connect_req(&req, VTCP_ADDR4, 0, 9);
	req.flags = 1;
	EXPECT_EQ(-EINVAL, vtcp_ioctl_err(fd, VTCP_IOC_CONNECT, &req));
	vtcp_connect_req(&req, VTCP_ADDR4, 0, 9);
	req.remote.__reserved = 1;
	EXPECT_EQ(-EINVAL, vtcp_ioctl_err(fd, VTCP_IOC_CONNECT, &req));
	vtcp_connect_req(&req, VTCP_ADDR4, 0, 9);
	req.local.__reserved = 1;
	EXPECT_EQ(-EINVAL, vtcp_ioctl_err(fd, VTCP_IOC_CONNECT, &req));
	close(fd);
}

TEST_F(api, option_with_nonzero_reserved_field_is_einval)
{
	struct vtcp_opt opt = { .name = VTCP_OPT_NODELAY, .__reserved = 1,
				.value = 1 };

	EXPECT_EQ(-EINVAL, vtcp_ioctl_err(self->pair.vfd, VTCP_IOC_SETOPT, &opt));
	EXPECT_EQ(-EINVAL, vtcp_ioctl_err(self->pair.vfd, VTCP_IOC_GETOPT, &opt));
	EXPECT_EQ(-EINVAL, vtcp_ioctl_err(self->pair.lfd, VTCP_IOC_SETOPT, &opt));
}

TEST_F(api, structure_smaller_than_its_first_version_is_einval)
{
	struct {
		unsigned long cmd;
		size_t size;
		int fd;
	} c[] = {
		{ VTCP_IOC_LISTEN, sizeof(struct vtcp_listen), -1 },
		{ VTCP_IOC_CONNECT, sizeof(struct vtcp_connect), -1 },
		/* Version 0 ends before the SYN's options. */
		{ VTCP_IOC_ACCEPT, offsetof(struct vtcp_accept, syn),
		  self->pair.lfd },
		{ VTCP_IOC_SETOPT, sizeof(struct vtcp_opt), self->pair.vfd },
		{ VTCP_IOC_GETOPT, sizeof(struct vtcp_opt), self->pair.vfd },
		{ VTCP_IOC_INFO, VTCP_INFO_SIZE_VER0, self->pair.vfd },
	};
	char buf[512] = {};
	unsigned int i;
	int fd = vtcp_open();

	ASSERT_LE(0, fd);
	for (i = 0; i < ARRAY_SIZE(c); i++) {
		int target = c[i].fd < 0 ? fd : c[i].fd;
		unsigned long small = VTCP_IOC_RESIZE(c[i].cmd, c[i].size - 1);
		unsigned long none = VTCP_IOC_RESIZE(c[i].cmd, 0);

		EXPECT_EQ(-EINVAL, vtcp_ioctl_err(target, small, buf))
			TH_LOG("cmd %#lx", c[i].cmd);
		EXPECT_EQ(-EINVAL, vtcp_ioctl_err(target, none, buf))
			TH_LOG("cmd %#lx", c[i].cmd);
	}
	close(fd);
}

TEST_F(api, larger_structure_with_nonzero_tail_is_e2big)
{
	struct {
		unsigned long cmd;
		size_t size;
		int fd;
	} c[] = {
		{ VTCP_IOC_LISTEN, sizeof(struct vtcp_listen), -1 },
		{ VTCP_IOC_CONNECT, sizeof(struct vtcp_connect), -1 },
		{ VTCP_IOC_ACCEPT, sizeof(struct vtcp_accept), self->pair.lfd },
		{ VTCP_IOC_SETOPT, sizeof(struct vtcp_opt), self->pair.vfd },
		{ VTCP_IOC_GETOPT, sizeof(struct vtcp_opt), self->pair.vfd },
	};
	unsigned int i;
	int fd = vtcp_open();

	ASSERT_LE(0, fd);
	for (i = 0; i < ARRAY_SIZE(c); i++) {
		int target = c[i].fd < 0 ? fd : c[i].fd;
		char buf[512] = {};
		struct vtcp_listen *l = (void *)buf;
		struct vtcp_connect *cn = (void *)buf;
		struct vtcp_opt *o = (void *)buf;
		unsigned long cmd;

		if (c[i].cmd == VTCP_IOC_LISTEN)
			vtcp_listen_req(l, VTCP_ADDR4, 5002);
		else if (c[i].cmd == VTCP_IOC_CONNECT)
			vtcp_connect_req(cn, VTCP_ADDR4, 0, 9);
		else if (c[i].fd == self->pair.vfd)
			o->name = VTCP_OPT_NODELAY;
		buf[c[i].size + 5] = 1;
		cmd = VTCP_IOC_RESIZE(c[i].cmd, c[i].size + 8);
		EXPECT_EQ(-E2BIG, vtcp_ioctl_err(target, cmd, buf))
			TH_LOG("cmd %#lx", c[i].cmd);
	}
	/* The handle is still unbound: the refused calls did nothing. */
	EXPECT_EQ(-ENOTCONN, vtcp_state_of(fd));
	close(fd);
}

TEST_F(api, larger_structure_with_zero_tail_is_accepted)
{
	struct {
		struct vtcp_listen req;
		char tail[24];
	} l = {};
	struct {
		struct vtcp_opt opt;
		char tail[8];
	} o = { .opt.name = VTCP_OPT_SNDBUF, .opt.value = 65536 };
	int fd = vtcp_open();

	ASSERT_LE(0, fd);
	vtcp_listen_req(&l.req, VTCP_ADDR4, 5003);
	EXPECT_EQ(0, vtcp_ioctl_err(fd, VTCP_IOC_RESIZE(VTCP_IOC_LISTEN, sizeof(l)),
				    &l));
	EXPECT_EQ(VTCP_LISTEN, vtcp_state_of(fd));
	EXPECT_EQ(0, vtcp_ioctl_err(self->pair.vfd,
				    VTCP_IOC_RESIZE(VTCP_IOC_SETOPT, sizeof(o)), &o));
	o.opt.value = 0;
	EXPECT_EQ(0, vtcp_ioctl_err(self->pair.vfd,
				    VTCP_IOC_RESIZE(VTCP_IOC_GETOPT, sizeof(o)), &o));
	EXPECT_EQ(65536, o.opt.value);
	close(fd);
}

TEST_F(api, larger_info_structure_gets_a_zeroed_tail)
{
	struct {
		struct vtcp_info info;
		unsigned char tail[40];
	} big;
	unsigned int i;

	memset(&big, 0xa5, sizeof(big));
	EXPECT_EQ(0, vtcp_ioctl_err(self->pair.vfd,
				    VTCP_IOC_RESIZE(VTCP_IOC_INFO, sizeof(big)), &big));
	EXPECT_EQ(VTCP_ESTABLISHED, big.info.state);
	for (i = 0; i < sizeof(big.tail); i++)
		EXPECT_EQ(0, big.tail[i]) TH_LOG("tail byte %u", i);
}

/* A caller built against the first struct vtcp_info gets just that much. */
TEST_F(api, first_version_info_structure_is_filled_and_no_more)
{
	unsigned char buf[sizeof(struct vtcp_info) + 8];
	struct vtcp_info *info = (struct vtcp_info *)buf;
	unsigned int i;

	memset(buf, 0xa5, sizeof(buf));
	EXPECT_EQ(0, vtcp_ioctl_err(self->pair.vfd,
				    VTCP_IOC_RESIZE(VTCP_IOC_INFO,
						    VTCP_INFO_SIZE_VER0), buf));
	EXPECT_EQ(VTCP_ESTABLISHED, info->state);
	for (i = VTCP_INFO_SIZE_VER0; i < sizeof(buf); i++)
		EXPECT_EQ(0xa5, buf[i]) TH_LOG("byte %u written", i);
}

TEST_F(api, bad_pointer_is_efault_for_every_structure)
{
	void *none = vtcp_unmapped();
	void *ptrs[] = { NULL, none, (void *)-4096L };
	unsigned int i;
	int fd = vtcp_open();

	ASSERT_NE(NULL, none);
	ASSERT_LE(0, fd);
	for (i = 0; i < 3; i++) {
		EXPECT_EQ(-EFAULT, vtcp_ioctl_err(fd, VTCP_IOC_LISTEN, ptrs[i]));
		EXPECT_EQ(-EFAULT, vtcp_ioctl_err(fd, VTCP_IOC_CONNECT, ptrs[i]));
		EXPECT_EQ(-EFAULT, vtcp_ioctl_err(fd, VTCP_IOC_SETOPT, ptrs[i]));
		EXPECT_EQ(-EFAULT, vtcp_ioctl_err(fd, VTCP_IOC_GETOPT, ptrs[i]));
		EXPECT_EQ(-EFAULT, vtcp_ioctl_err(self->pair.lfd,
						  VTCP_IOC_ACCEPT, ptrs[i]));
		EXPECT_EQ(-EFAULT, vtcp_ioctl_err(self->pair.vfd,
						  VTCP_IOC_INFO, ptrs[i]));
		EXPECT_EQ(-EFAULT, vtcp_ioctl_err(self->pair.vfd,
						  VTCP_IOC_SHUTDOWN, ptrs[i]));
		EXPECT_EQ(-EFAULT, vtcp_ioctl_err(self->pair.vfd,
						  VTCP_IOC_GETOPT, ptrs[i]));
	}
	/* None of it touched the connection. */
	EXPECT_EQ(VTCP_ESTABLISHED, vtcp_state_of(self->pair.vfd));
	EXPECT_EQ(-ENOTCONN, vtcp_state_of(fd));
	close(fd);
}

TEST_F(api, structure_straddling_an_unmapped_page_is_efault)
{
	char *p = mmap(NULL, 8192, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	struct vtcp_info *info;

	ASSERT_NE(MAP_FAILED, p);
	ASSERT_EQ(0, munmap(p + 4096, 4096));
	info = (void *)(p + 4096 - sizeof(*info) / 2);
	EXPECT_EQ(-EFAULT, vtcp_ioctl_err(self->pair.vfd, VTCP_IOC_INFO, info));
	munmap(p, 4096);
}

TEST_F(api, accept_into_read_only_memory_is_efault_and_keeps_the_connection)
{
	struct vtcp_accept *ro = vtcp_page(PROT_READ);
	struct vtcp_accept acc = {};
	int hfd, next, vfd;
	char buf[5];

	ASSERT_NE(NULL, ro);
	hfd = vtcp_host_connect(VTCP_ADDR4, 5000);
	ASSERT_LE(0, hfd);
	ASSERT_EQ(0, vtcp_write_all(hfd, "hello", 5));
	ASSERT_EQ(1, vtcp_wait_queued(self->pair.lfd, 1, 5000));
	next = vtcp_next_fd();
	EXPECT_EQ(-EFAULT, vtcp_ioctl_err(self->pair.lfd, VTCP_IOC_ACCEPT, ro));
	EXPECT_EQ(-EFAULT, vtcp_ioctl_err(self->pair.lfd, VTCP_IOC_ACCEPT,
					  (char *)ro + 4096 - 8));
	/* No descriptor leaked, and the connection still waits. */
	EXPECT_EQ(next, vtcp_next_fd());
	EXPECT_EQ(1, vtcp_rcv_queued(self->pair.lfd));
	vfd = vtcp_accept_on(self->pair.lfd, 0, &acc);
	ASSERT_EQ(next, vfd);
	EXPECT_EQ(vfd, acc.fd);
	EXPECT_EQ(0, vtcp_read_all(vfd, buf, 5));
	EXPECT_EQ(0, memcmp(buf, "hello", 5));
	close(vfd);
	close(hfd);
	munmap(ro, 4096);
}

TEST_F(api, read_and_write_with_bad_pointers_are_efault_and_lose_nothing)
{
	void *none = vtcp_unmapped();
	char buf[4];

	ASSERT_NE(NULL, none);
	ASSERT_EQ(0, vtcp_write_all(self->pair.hfd, "data", 4));
	ASSERT_EQ(4, vtcp_wait_queued(self->pair.vfd, 4, 5000));
	EXPECT_EQ(-1, read(self->pair.vfd, vtcp_null(), 4));
	EXPECT_EQ(EFAULT, errno);
	EXPECT_EQ(-1, read(self->pair.vfd, none, 4));
	EXPECT_EQ(EFAULT, errno);
	EXPECT_EQ(4, vtcp_rcv_queued(self->pair.vfd));
	EXPECT_EQ(4, read(self->pair.vfd, buf, 4));
	EXPECT_EQ(0, memcmp(buf, "data", 4));

	EXPECT_EQ(-1, write(self->pair.vfd, none, 100));
	EXPECT_EQ(EFAULT, errno);
	EXPECT_EQ(-1, write(self->pair.vfd, vtcp_null(), 100));
	EXPECT_EQ(EFAULT, errno);
	/* Nothing went out: the host still has nothing to read. */
	EXPECT_EQ(0, vtcp_write_all(self->pair.vfd, "ok", 2));
	EXPECT_EQ(0, vtcp_read_all(self->pair.hfd, buf, 2));
	EXPECT_EQ(0, memcmp(buf, "ok", 2));
}

TEST_F(api, accept_on_unbound_or_connection_handle_is_einval)
{
	struct vtcp_accept req = {};
	int fd = vtcp_open();
	struct vtcp_pair active;

	ASSERT_LE(0, fd);
	EXPECT_EQ(-EINVAL, vtcp_ioctl_err(fd, VTCP_IOC_ACCEPT, &req));
	EXPECT_EQ(-EINVAL, vtcp_ioctl_err(self->pair.vfd, VTCP_IOC_ACCEPT, &req));
	ASSERT_EQ(0, vtcp_pair_connect(&active, VTCP_ADDR4, VTCP_HOST4, 5100));
	EXPECT_EQ(-EINVAL, vtcp_ioctl_err(active.vfd, VTCP_IOC_ACCEPT, &req));
	vtcp_pair_close(&active);
	close(fd);
}

TEST_F(api, listen_or_connect_on_a_bound_handle_is_eisconn)
{
	struct vtcp_listen l;
	struct vtcp_connect c;
	struct vtcp_pair active;

	vtcp_listen_req(&l, VTCP_ADDR4, 5004);
	vtcp_connect_req(&c, VTCP_ADDR4, 0, 5100);
	/* A listener. */
	EXPECT_EQ(-EISCONN, vtcp_ioctl_err(self->pair.lfd, VTCP_IOC_LISTEN, &l));
	EXPECT_EQ(-EISCONN, vtcp_ioctl_err(self->pair.lfd, VTCP_IOC_CONNECT, &c));
	/* An accepted connection. */
	EXPECT_EQ(-EISCONN, vtcp_ioctl_err(self->pair.vfd, VTCP_IOC_LISTEN, &l));
	EXPECT_EQ(-EISCONN, vtcp_ioctl_err(self->pair.vfd, VTCP_IOC_CONNECT, &c));
	/* A connected handle. */
	ASSERT_EQ(0, vtcp_pair_connect(&active, VTCP_ADDR4, VTCP_HOST4, 5100));
	EXPECT_EQ(-EISCONN, vtcp_ioctl_err(active.vfd, VTCP_IOC_LISTEN, &l));
	EXPECT_EQ(-EISCONN, vtcp_ioctl_err(active.vfd, VTCP_IOC_CONNECT, &c));
	EXPECT_EQ(VTCP_ESTABLISHED, vtcp_state_of(active.vfd));
	vtcp_pair_close(&active);
}

TEST_F(api, read_and_write_without_a_connection_are_enotconn)
{
	int fd = vtcp_open();
	char c = 0;

	ASSERT_LE(0, fd);
	EXPECT_EQ(-1, read(fd, &c, 1));
	EXPECT_EQ(ENOTCONN, errno);
	EXPECT_EQ(-1, write(fd, &c, 1));
	EXPECT_EQ(ENOTCONN, errno);
	EXPECT_EQ(-1, read(self->pair.lfd, &c, 1));
	EXPECT_EQ(ENOTCONN, errno);
	EXPECT_EQ(-1, write(self->pair.lfd, &c, 1));
	EXPECT_EQ(ENOTCONN, errno);
	close(fd);
}

TEST_F(api, shutdown_abort_and_info_without_a_connection_are_enotconn)
{
	struct vtcp_info info;
	__u32 how = VTCP_SHUT_WR;
	int fd = vtcp_open();

	ASSERT_LE(0, fd);
	EXPECT_EQ(-ENOTCONN, vtcp_ioctl_err(fd, VTCP_IOC_SHUTDOWN, &how));
	EXPECT_EQ(-ENOTCONN, vtcp_ioctl_err(fd, VTCP_IOC_ABORT, NULL));
	EXPECT_EQ(-ENOTCONN, vtcp_ioctl_err(fd, VTCP_IOC_INFO, &info));
	EXPECT_EQ(-ENOTCONN, vtcp_ioctl_err(self->pair.lfd, VTCP_IOC_SHUTDOWN,
					    &how));
	EXPECT_EQ(-ENOTCONN, vtcp_ioctl_err(self->pair.lfd, VTCP_IOC_ABORT, NULL));
	/* A listener has INFO of its own. */
	EXPECT_EQ(0, vtcp_ioctl_err(self->pair.lfd, VTCP_IOC_INFO, &info));
	EXPECT_EQ(VTCP_LISTEN, info.state);
	close(fd);
}

TEST_F(api, shutdown_how_above_rdwr_is_einval)
{
	__u32 hows[] = { 3, 4, 0x80000000U, ~0U };
	unsigned int i;

	for (i = 0; i < 4; i++)
		EXPECT_EQ(-EINVAL, vtcp_ioctl_err(self->pair.vfd,
						  VTCP_IOC_SHUTDOWN, &hows[i]));
	EXPECT_EQ(VTCP_ESTABLISHED, vtcp_state_of(self->pair.vfd));
}

TEST_F(api, listen_on_a_device_that_is_not_vtcp_is_enodev)
{
	int ifindexes[] = { 0, (int)if_nametoindex("lo"), 0x7fffffff, -1 };
	struct vtcp_listen req;
	unsigned int i;
	int fd = vtcp_open();

	ASSERT_LE(0, fd);
	for (i = 0; i < 4; i++) {
		vtcp_listen_req(&req, VTCP_ADDR4, 5005);
		req.ifindex = ifindexes[i];
		EXPECT_EQ(-ENODEV, vtcp_ioctl_err(fd, VTCP_IOC_LISTEN, &req))
			TH_LOG("ifindex %d", ifindexes[i]);
	}
	close(fd);
}

TEST_F(api, connect_on_a_device_that_is_not_vtcp_is_enodev)
{
	struct vtcp_connect req;
	int fd = vtcp_open();

	ASSERT_LE(0, fd);
	vtcp_connect_req(&req, VTCP_ADDR4, 0, 5100);
	req.ifindex = if_nametoindex("lo");
	EXPECT_EQ(-ENODEV, vtcp_ioctl_err(fd, VTCP_IOC_CONNECT, &req));
	req.ifindex = 0;
	EXPECT_EQ(-ENODEV, vtcp_ioctl_err(fd, VTCP_IOC_CONNECT, &req));
	/* Still unbound. */
	EXPECT_EQ(-ENOTCONN, vtcp_state_of(fd));
	close(fd);
}

TEST_F(api, second_listener_on_the_same_address_and_port_is_eaddrinuse)
{
	int a, b, c, d;

	/* The fixture's listener has 192.0.2.2:5000. */
	EXPECT_EQ(-EADDRINUSE, vtcp_listen_on("vtcp0", VTCP_ADDR4, 5000, 1));
	/* Other ports, addresses and wildcards are other listeners. */
	a = vtcp_listen_on("vtcp0", VTCP_ADDR4, 5006, 1);
	b = vtcp_listen_on("vtcp0", "192.0.2.3", 5000, 1);
	c = vtcp_listen_on("vtcp0", "", 5000, 1);
	d = vtcp_listen_on("vtcp0", "", 0, 1);
	EXPECT_LE(0, a);
	EXPECT_LE(0, b);
	EXPECT_LE(0, c);
	EXPECT_LE(0, d);
	EXPECT_EQ(-EADDRINUSE, vtcp_listen_on("vtcp0", "", 5000, 1));
	EXPECT_EQ(-EADDRINUSE, vtcp_listen_on("vtcp0", "", 0, 1));
	close(a);
	close(b);
	close(c);
	close(d);
	/* Closing a listener frees its address at once. */
	a = vtcp_listen_on("vtcp0", "", 0, 1);
	EXPECT_LE(0, a);
	close(a);
}

TEST_F(api, connect_from_a_local_port_in_use_is_eaddrinuse)
{
	int hl = vtcp_host_listen(VTCP_HOST4, 5101);
	int a, b;

	ASSERT_LE(0, hl);
	a = vtcp_connect_to("vtcp0", VTCP_ADDR4, 40000, VTCP_HOST4, 5101, 0);
	ASSERT_LE(0, a);
	b = vtcp_connect_to("vtcp0", VTCP_ADDR4, 40000, VTCP_HOST4, 5101, 0);
	EXPECT_EQ(-EADDRINUSE, b);
	/* The same local port towards another peer port is another tuple. */
	close(hl);
	close(a);
}

TEST_F(api, unknown_address_family_is_eafnosupport)
{
	struct vtcp_listen l;
	struct vtcp_connect c;
	__u16 families[] = { AF_UNIX, AF_PACKET, AF_NETLINK, 0xffff };
	unsigned int i;
	int fd = vtcp_open();

	ASSERT_LE(0, fd);
	for (i = 0; i < 4; i++) {
		vtcp_listen_req(&l, VTCP_ADDR4, 5007);
		l.local.family = families[i];
		EXPECT_EQ(-EAFNOSUPPORT, vtcp_ioctl_err(fd, VTCP_IOC_LISTEN, &l));
		vtcp_connect_req(&c, VTCP_ADDR4, 0, 5100);
		c.remote.family = families[i];
		EXPECT_EQ(-EAFNOSUPPORT, vtcp_ioctl_err(fd, VTCP_IOC_CONNECT, &c));
	}
	close(fd);
}

TEST_F(api, connect_needs_both_addresses_a_remote_port_and_one_family)
{
	struct vtcp_connect c;
	int fd = vtcp_open();

	ASSERT_LE(0, fd);
	vtcp_connect_req(&c, VTCP_ADDR4, 0, 0);
	EXPECT_EQ(-EINVAL, vtcp_ioctl_err(fd, VTCP_IOC_CONNECT, &c));
	vtcp_connect_req(&c, "", 0, 5100);
	EXPECT_EQ(-EINVAL, vtcp_ioctl_err(fd, VTCP_IOC_CONNECT, &c));
	vtcp_connect_req(&c, "0.0.0.0", 0, 5100);
	EXPECT_EQ(-EINVAL, vtcp_ioctl_err(fd, VTCP_IOC_CONNECT, &c));
	vtcp_connect_req(&c, VTCP_ADDR6, 0, 5100);
	EXPECT_EQ(-EINVAL, vtcp_ioctl_err(fd, VTCP_IOC_CONNECT, &c));
	vtcp_connect_req(&c, VTCP_ADDR4, 0, 5100);
	vtcp_ep(&c.remote, "0.0.0.0", 5100);
	EXPECT_EQ(-EINVAL, vtcp_ioctl_err(fd, VTCP_IOC_CONNECT, &c));
	EXPECT_EQ(-ENOTCONN, vtcp_state_of(fd));
	close(fd);
}

TEST_F(api, connection_files_do_not_seek)
{
	char c;

	EXPECT_EQ(-1, lseek(self->pair.vfd, 0, SEEK_SET));
	EXPECT_EQ(ESPIPE, errno);
	EXPECT_EQ(-1, pread(self->pair.vfd, &c, 1, 0));
	EXPECT_EQ(ESPIPE, errno);
	EXPECT_EQ(-1, pwrite(self->pair.vfd, &c, 1, 0));
	EXPECT_EQ(ESPIPE, errno);
	EXPECT_EQ(-1, lseek(self->pair.lfd, 0, SEEK_SET));
	EXPECT_EQ(ESPIPE, errno);
}

TEST_F(api, fdinfo_tells_the_kind_of_handle)
{
	char path[64], buf[512];
	int fds[] = { vtcp_open(), self->pair.lfd, self->pair.vfd };
	const char *kinds[] = { "vtcp-kind:\tunbound", "vtcp-kind:\tlistener",
				"vtcp-kind:\tconnection" };
	int i;

	ASSERT_LE(0, fds[0]);
	for (i = 0; i < 3; i++) {
		FILE *f;
		size_t n;

		snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fds[i]);
		f = fopen(path, "r");
		ASSERT_NE(NULL, f);
		n = fread(buf, 1, sizeof(buf) - 1, f);
		buf[n] = 0;
		fclose(f);
		EXPECT_NE(NULL, strstr(buf, kinds[i])) TH_LOG("%s", buf);
	}
	close(fds[0]);
}

/*
 * A handle belongs to the namespace that opened it: it reaches that
 * namespace's devices, whoever calls and from wherever.
 */
#define VTCP_NS		"vtcp_api_ns"
#define VTCP_NS_DEV	"vtcpns0"
#define VTCP_NS_INDEX	4242

FIXTURE(api_netns) {
	int init_index;
};

FIXTURE_SETUP(api_netns)
{
	ASSERT_EQ(0, vtcp_module_ensure());
	vtcp_sh("ip netns del " VTCP_NS " 2>/dev/null");
	ASSERT_EQ(0, vtcp_sh("ip netns add " VTCP_NS));
	ASSERT_EQ(0, vtcp_sh("ip -n " VTCP_NS " link add " VTCP_NS_DEV
			     " index %d type vtcp", VTCP_NS_INDEX));
	self->init_index = if_nametoindex("vtcp0");
	ASSERT_LT(0, self->init_index);
}

FIXTURE_TEARDOWN(api_netns)
{
	vtcp_sh("ip netns del " VTCP_NS " 2>/dev/null");
}

/* Open /dev/vtcp from inside @ns, and come back. */
static int vtcp_open_in(const char *ns)
{
	int self_ns = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	int fd = -1;

	if (self_ns < 0)
		return -1;
	if (!vtcp_setns(ns)) {
		fd = open(VTCP_DEV_PATH, O_RDWR | O_CLOEXEC);
		if (setns(self_ns, CLONE_NEWNET))
			abort();
	}
	close(self_ns);
	return fd;
}

static int vtcp_listen_index(int fd, int ifindex, unsigned short port)
{
	struct vtcp_listen req = { .ifindex = ifindex };

	vtcp_ep(&req.local, "", port);
	return ioctl(fd, VTCP_IOC_LISTEN, &req) ? -errno : 0;
}

TEST_F(api_netns, handle_from_initial_namespace_cannot_reach_other_namespace)
{
	int fd = vtcp_open();

	ASSERT_LE(0, fd);
	EXPECT_EQ(-ENODEV, vtcp_listen_index(fd, VTCP_NS_INDEX, 1));
	EXPECT_EQ(0, vtcp_listen_index(fd, self->init_index, 1));
	close(fd);
}

TEST_F(api_netns, handle_opened_in_a_namespace_reaches_only_its_devices)
{
	int fd = vtcp_open_in(VTCP_NS);
	int fd2 = vtcp_open_in(VTCP_NS);

	ASSERT_LE(0, fd);
	ASSERT_LE(0, fd2);
	/* The caller is back in the initial namespace: that does not count. */
	EXPECT_EQ(-ENODEV, vtcp_listen_index(fd, self->init_index, 1));
	EXPECT_EQ(0, vtcp_listen_index(fd, VTCP_NS_INDEX, 1));
	/* Nor does the process that uses the handle. */
	if (fork() == 0)
		_exit(vtcp_listen_index(fd2, VTCP_NS_INDEX, 2) ? 1 : 0);
	{
		int status;

		ASSERT_LT(0, wait(&status));
		EXPECT_EQ(0, WEXITSTATUS(status));
	}
	EXPECT_EQ(VTCP_LISTEN, vtcp_state_of(fd2));
	close(fd);
	close(fd2);
}

TEST_F(api_netns, connect_from_a_namespace_handle_uses_its_devices)
{
	struct vtcp_connect req = { .ifindex = self->init_index };
	int fd = vtcp_open_in(VTCP_NS);

	ASSERT_LE(0, fd);
	vtcp_ep(&req.local, VTCP_ADDR4, 0);
	vtcp_ep(&req.remote, VTCP_HOST4, 5100);
	EXPECT_EQ(-ENODEV, vtcp_ioctl_err(fd, VTCP_IOC_CONNECT, &req));
	close(fd);
}

TEST_HARNESS_MAIN
