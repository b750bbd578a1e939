// SPDX-License-Identifier: GPL-2.0
/*
 * Reading and writing either end of a connection: whole buffers, the
 * reproducible byte pattern that transfers are checked against, and a
 * writer thread for transfers larger than the buffers in between.
 */
#include "vtcp_util.h"

/* Half-close for writing: a host socket or a vtcp connection. */
int vtcp_shut_wr(int fd)
{
	__u32 how = VTCP_SHUT_WR;

	if (!shutdown(fd, SHUT_WR))
		return 0;
	if (errno != ENOTSOCK)
		return -errno;
	return ioctl(fd, VTCP_IOC_SHUTDOWN, &how) ? -errno : 0;
}

/* Write all of @len bytes; returns 0 or -errno. */
int vtcp_write_all(int fd, const void *buf, size_t len)
{
	while (len) {
		ssize_t n = write(fd, buf, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		buf = (const char *)buf + n;
		len -= n;
	}
	return 0;
}

/* Read exactly @len bytes; returns 0, -errno, or -EPIPE at early EOF. */
int vtcp_read_all(int fd, void *buf, size_t len)
{
	while (len) {
		ssize_t n = read(fd, buf, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (!n)
			return -EPIPE;
		buf = (char *)buf + n;
		len -= n;
	}
	return 0;
}

/* poll() one fd for @events for up to @ms; returns revents (0: timeout). */
int vtcp_poll1(int fd, short events, int ms)
{
	struct pollfd pfd = { .fd = fd, .events = events };
	int n = poll(&pfd, 1, ms);

	return n < 0 ? -errno : n ? pfd.revents : 0;
}

/* @len bytes of stream @seed from byte @off on. */
void vtcp_fill(unsigned char *buf, size_t len, unsigned int seed,
	       unsigned long off)
{
	size_t i;

	for (i = 0; i < len; i++)
		buf[i] = vtcp_pattern(seed, off + i);
}

/* Offset of the first byte that differs from the pattern, or -1. */
long vtcp_check(const unsigned char *buf, size_t len, unsigned int seed,
		unsigned long off)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (buf[i] != vtcp_pattern(seed, off + i))
			return off + i;
	return -1;
}

/* Write @len bytes of stream @seed, from its start, in 64 KiB writes. */
int vtcp_write_pattern(int fd, size_t len, unsigned int seed)
{
	unsigned char buf[65536];
	size_t off = 0;
	int ret = 0;

	while (off < len && !ret) {
		size_t n = len - off < sizeof(buf) ? len - off : sizeof(buf);

		vtcp_fill(buf, n, seed, off);
		ret = vtcp_write_all(fd, buf, n);
		off += n;
	}
	return ret;
}

static void *vtcp_writer_main(void *arg)
{
	struct vtcp_writer *w = arg;

	if (w->buf)
		w->ret = vtcp_write_all(w->fd, w->buf, w->len);
	else
		w->ret = vtcp_write_pattern(w->fd, w->len, w->seed);
	if (!w->ret && w->shut_wr)
		w->ret = vtcp_shut_wr(w->fd);
	return NULL;
}

/* Start @w's thread; 0 or -errno. */
int vtcp_writer_start(struct vtcp_writer *w)
{
	int ret;

	w->ret = 0;
	ret = pthread_create(&w->thread, NULL, vtcp_writer_main, w);
	return -ret;
}

/* Wait for @w's thread; what it wrote: 0 or -errno. */
int vtcp_writer_join(struct vtcp_writer *w)
{
	pthread_join(w->thread, NULL);
	return w->ret;
}

/*
 * Move @len bytes of @in from @wfd to @rfd into @out, writing from a
 * thread while reading: more than the buffers between the two ends hold
 * (receive buffers start small and grow as the reader reads, as Linux's).
 * Returns 0 or -errno.
 */
int vtcp_pass(int wfd, int rfd, const void *in, void *out, size_t len)
{
	struct vtcp_writer w = { .fd = wfd, .buf = in, .len = len };
	int ret;

	ret = vtcp_writer_start(&w);
	if (ret)
		return ret;
	ret = vtcp_read_all(rfd, out, len);
	if (ret)
		/* Unblock the writer: nobody reads any more. */
		shutdown(wfd, SHUT_RDWR);
	vtcp_writer_join(&w);
	return ret ?: w.ret;
}
