// SPDX-License-Identifier: GPL-2.0
/*
 * Integrity against the host's own TCP: transfers of 1 MiB to 64 MiB
 * (256 MiB with VTCP_LONG=1) in both directions, several at once, each
 * checked byte for byte; half-close in either direction; and many short
 * connections back to back.
 */
#include "kselftest_harness.h"
#include "vtcp_util.h"

#define PORT	9300

FIXTURE(integrity) {
	int lfd;
};

FIXTURE_SETUP(integrity)
{
	ASSERT_EQ(0, vtcp_module_ensure());
	ASSERT_EQ(0, vtcp_net_up4("vtcp0"));
	self->lfd = vtcp_listen_on("vtcp0", VTCP_ADDR4, PORT, 64);
	ASSERT_LE(0, self->lfd);
}

FIXTURE_TEARDOWN(integrity)
{
	close(self->lfd);
}

/*
 * One transfer: @w writes @len bytes of stream @seed to its fd and
 * half-closes it, so that the reader sees the end of the stream at @rfd.
 */
struct vtcp_xfer {
	struct vtcp_writer w;
	int rfd;
	long bad;		/* offset of the first wrong byte, or -1 */
	int err;		/* the reader's */
	pthread_t reader;
};

static void *vtcp_xfer_read(void *arg)
{
	struct vtcp_xfer *x = arg;
	unsigned char buf[65536];
	size_t off = 0;

	x->bad = -1;
	for (;;) {
		ssize_t n = read(x->rfd, buf, sizeof(buf));

		if (n < 0) {
			x->err = -errno;
			return NULL;
		}
		if (!n)
			break;
		if (x->bad < 0)
			x->bad = vtcp_check(buf, n, x->w.seed, off);
		off += n;
	}
	if (off != x->w.len)
		x->err = -EPIPE;
	return NULL;
}

/* @n connections, each with @len bytes each way at once; all checked. */
static void vtcp_run_xfers(struct __test_metadata *_metadata, int lfd, int n,
			   size_t len)
{
	struct vtcp_xfer *x = calloc(2 * n, sizeof(*x));
	int i;

	ASSERT_NE(NULL, x);
	for (i = 0; i < n; i++) {
		int hfd = vtcp_host_connect(VTCP_ADDR4, PORT);
		int vfd;

		ASSERT_LE(0, hfd);
		vfd = vtcp_accept_on(lfd, 0, NULL);
		ASSERT_LE(0, vfd);
		x[2 * i] = (struct vtcp_xfer){
			.w = { .fd = hfd, .len = len, .seed = 100 + 2 * i,
			       .shut_wr = true },
			.rfd = vfd,
		};
		x[2 * i + 1] = (struct vtcp_xfer){
			.w = { .fd = vfd, .len = len, .seed = 101 + 2 * i,
			       .shut_wr = true },
			.rfd = hfd,
		};
	}
	for (i = 0; i < 2 * n; i++) {
		ASSERT_EQ(0, vtcp_writer_start(&x[i].w));
		ASSERT_EQ(0, pthread_create(&x[i].reader, NULL, vtcp_xfer_read, &x[i]));
	}
	for (i = 0; i < 2 * n; i++) {
		int err = vtcp_writer_join(&x[i].w);

		pthread_join(x[i].reader, NULL);
		if (!err)
			err = x[i].err;
		EXPECT_EQ(0, err) TH_LOG("transfer %d (%s): %s", i,
					 i % 2 ? "vtcp->host" : "host->vtcp",
					 strerror(-err));
		EXPECT_EQ(-1, x[i].bad) TH_LOG("transfer %d: wrong byte at %ld",
					       i, x[i].bad);
	}
	for (i = 0; i < n; i++) {
		close(x[2 * i].w.fd);
		close(x[2 * i].rfd);
	}
	free(x);
}

TEST_F_TIMEOUT(integrity, one_mib_both_ways, 300)
{
	vtcp_run_xfers(_metadata, self->lfd, 1, 1 << 20);
}

TEST_F_TIMEOUT(integrity, four_connections_sixteen_mib_both_ways, 900)
{
	vtcp_run_xfers(_metadata, self->lfd, 4, 16 << 20);
}

TEST_F_TIMEOUT(integrity, large_transfer_both_ways, 1800)
{
	vtcp_run_xfers(_metadata, self->lfd, 1,
		       getenv("VTCP_LONG") ? 256UL << 20 : 64UL << 20);
}

/* The host stops sending first; vtcp keeps sending, then stops too. */
TEST_F(integrity, host_half_closes_first)
{
	unsigned char buf[4096];
	int hfd, vfd;

	hfd = vtcp_host_connect(VTCP_ADDR4, PORT);
	ASSERT_LE(0, hfd);
	vfd = vtcp_accept_on(self->lfd, 0, NULL);
	ASSERT_LE(0, vfd);
	ASSERT_EQ(0, shutdown(hfd, SHUT_WR));
	EXPECT_EQ(0, read(vfd, buf, sizeof(buf)));	/* EOF at vtcp */
	vtcp_fill(buf, sizeof(buf), 5, 0);
	/* vtcp's direction is still open (CLOSE-WAIT). */
	EXPECT_EQ(0, vtcp_write_all(vfd, buf, sizeof(buf)));
	memset(buf, 0, sizeof(buf));
	EXPECT_EQ(0, vtcp_read_all(hfd, buf, sizeof(buf)));
	EXPECT_EQ(-1, vtcp_check(buf, sizeof(buf), 5, 0));
	EXPECT_EQ(0, close(vfd));
	EXPECT_EQ(0, read(hfd, buf, 1));
	close(hfd);
}

/* vtcp stops sending first; the host keeps sending, then stops too. */
TEST_F(integrity, vtcp_half_closes_first)
{
	unsigned char buf[4096];
	int hfd, vfd;

	hfd = vtcp_host_connect(VTCP_ADDR4, PORT);
	ASSERT_LE(0, hfd);
	vfd = vtcp_accept_on(self->lfd, 0, NULL);
	ASSERT_LE(0, vfd);
	ASSERT_EQ(0, vtcp_shut_wr(vfd));
	EXPECT_EQ(0, read(hfd, buf, sizeof(buf)));	/* EOF at the host */
	vtcp_fill(buf, sizeof(buf), 6, 0);
	/* The host's direction is still open (vtcp in FIN-WAIT-2). */
	EXPECT_EQ(0, vtcp_write_all(hfd, buf, sizeof(buf)));
	memset(buf, 0, sizeof(buf));
	EXPECT_EQ(0, vtcp_read_all(vfd, buf, sizeof(buf)));
	EXPECT_EQ(-1, vtcp_check(buf, sizeof(buf), 6, 0));
	EXPECT_EQ(0, close(hfd));
	EXPECT_EQ(0, read(vfd, buf, 1));
	close(vfd);
}

/* Short connections back to back, the two sides taking turns to close first. */
TEST_F_TIMEOUT(integrity, many_short_connections, 600)
{
	int i, n = getenv("VTCP_LONG") ? 20000 : 2000;

	for (i = 0; i < n; i++) {
		char req[32], got[32];
		int hfd, vfd, len;

		hfd = vtcp_host_connect(VTCP_ADDR4, PORT);
		ASSERT_LE(0, hfd) TH_LOG("connection %d: %s", i, strerror(-hfd));
		vfd = vtcp_accept_on(self->lfd, 0, NULL);
		ASSERT_LE(0, vfd);
		len = snprintf(req, sizeof(req), "request %d", i);
		ASSERT_EQ(0, vtcp_write_all(hfd, req, len));
		ASSERT_EQ(0, vtcp_read_all(vfd, got, len));
		ASSERT_EQ(0, memcmp(req, got, len));
		ASSERT_EQ(0, vtcp_write_all(vfd, got, len));
		ASSERT_EQ(0, vtcp_read_all(hfd, req, len));
		if (i % 2) {
			close(hfd);
			ASSERT_EQ(0, read(vfd, got, 1));
			close(vfd);
		} else {
			close(vfd);
			ASSERT_EQ(0, read(hfd, got, 1));
			close(hfd);
		}
	}
}

TEST_HARNESS_MAIN
