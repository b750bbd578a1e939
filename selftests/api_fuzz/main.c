// SPDX-License-Identifier: GPL-2.0
/*
 * A random-operation fuzzer for /dev/vtcp. Many handles take random
 * calls with random and half-valid arguments (every ioctl with sizes and
 * fields a little off, bad pointers of every kind, reads and writes of
 * random lengths, poll, epoll, splice, dup, fork, close), while host
 * threads open, feed and drop connections to vtcp's listeners and accept
 * vtcp's connections. It passes if no call gives an impossible result
 * (an errno the API never returns, more bytes than asked, a malformed
 * INFO) and the kernel stays clean: the guest fails the run on any KASAN,
 * lockdep, KCSAN or kmemleak report. At the end a fresh connection must
 * still carry data.
 *
 * Runs for 20 s, or 300 s with VTCP_LONG=1 (VTCP_FUZZ_SECONDS overrides
 * both). The seed is printed; VTCP_SEED=<seed> replays the same calls
 * (the host threads' timing is not replayed).
 */
#include <pthread.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include "kselftest_harness.h"
#include "fuzz.h"

struct fz_slot fz_fds[MAX_FDS];
static int next_file;

unsigned long long fz_rng;
unsigned char *fz_buf;			/* BUF_SIZE bytes, read-write */
static unsigned char *ro_page;		/* read-only */
static unsigned char *unmapped;		/* nothing mapped */
int fz_ifindex;
int fz_epfd;
atomic_int fz_stop;			/* the host threads end */
long fz_impossible;
long fz_accepted, fz_listened, fz_connected, fz_bytes_in, fz_bytes_out;
static long ops[32];
static char first_problem[256];

unsigned long long fz_rnd(void)
{
	fz_rng ^= fz_rng >> 12;
	fz_rng ^= fz_rng << 25;
	fz_rng ^= fz_rng >> 27;
	return fz_rng * 0x2545F4914F6CDD1DULL;
}

unsigned int fz_rnd_below(unsigned int n)
{
	return n ? fz_rnd() % n : 0;
}

int fz_chance(int percent)
{
	return fz_rnd_below(100) < (unsigned int)percent;
}

/* A result the API can never give: kept, and the first ten printed. */
void fz_problem(const char *fmt, ...)
{
	va_list ap, again;

	va_start(ap, fmt);
	va_copy(again, ap);
	if (!fz_impossible)
		vsnprintf(first_problem, sizeof(first_problem), fmt, ap);
	if (fz_impossible++ < 10) {
		printf("# impossible: ");
		vprintf(fmt, again);
		printf("\n");
		fflush(stdout);
	}
	va_end(again);
	va_end(ap);
}

/* Every errno the API documents; anything else is impossible. */
static int errno_known(int e)
{
	switch (e) {
	case EAGAIN: case ENOTCONN: case EFAULT: case EINVAL: case E2BIG:
	case ENOTTY: case EISCONN: case ENODEV: case EADDRINUSE:
	case EADDRNOTAVAIL: case EAFNOSUPPORT: case ENOPROTOOPT: case ENOENT:
	case EPIPE: case ECONNRESET: case ECONNABORTED: case ECONNREFUSED:
	case ETIMEDOUT: case ENETDOWN: case EINTR: case EINPROGRESS:
	case EALREADY: case ENOBUFS: case ENOMEM: case EBADF: case EMFILE:
	case ESPIPE:
		return 1;
	}
	return 0;
}

void fz_check_errno(const char *op, int e)
{
	if (!errno_known(e))
		fz_problem("%s: unexpected errno %d (%s)", op, e, strerror(e));
}

/* A pointer for the kernel to read or write @len bytes at. */
void *fz_rnd_ptr(size_t len, int *valid)
{
	*valid = 0;
	switch (fz_rnd_below(12)) {
	case 0:
		return NULL;
	case 1:
		return unmapped + fz_rnd_below(4096);
	case 2:
		return ro_page;
	case 3:	/* straddles the end of the buffer into nothing */
		return fz_buf + BUF_SIZE - (len > 1 ? fz_rnd_below(len - 1) + 1 : 1);
	case 4:
		return (void *)0xffff888000000000ULL;
	default:
		*valid = len <= BUF_SIZE;
		return *valid ? fz_buf + fz_rnd_below(BUF_SIZE - len + 1) : fz_buf;
	}
}

int fz_add_fd(int fd, enum fz_kind kind, int file)
{
	int i;

	for (i = 0; i < MAX_FDS; i++) {
		if (fz_fds[i].kind == K_NONE) {
			fz_fds[i].fd = fd;
			fz_fds[i].kind = kind;
			fz_fds[i].file = file < 0 ? next_file++ : file;
			fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
			return i;
		}
	}
	close(fd);
	return -1;
}

/* The file of slot @s is now a @kind, under every descriptor of it. */
void fz_set_kind(int s, enum fz_kind kind)
{
	int i;

	for (i = 0; i < MAX_FDS; i++)
		if (fz_fds[i].kind != K_NONE && fz_fds[i].file == fz_fds[s].file)
			fz_fds[i].kind = kind;
}

/* What the kernel says slot @s is (a forked child may have bound it). */
void fz_refresh_kind(int s)
{
	char path[64], line[128];
	FILE *f;

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fz_fds[s].fd);
	f = fopen(path, "r");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		if (strstr(line, "vtcp-kind:\tunbound"))
			fz_fds[s].kind = K_UNBOUND;
		else if (strstr(line, "vtcp-kind:\tlistener"))
			fz_fds[s].kind = K_LISTENER;
		else if (strstr(line, "vtcp-kind:\tconnection"))
			fz_fds[s].kind = K_CONN;
	}
	fclose(f);
}

int fz_nr_fds(void)
{
	int i, n = 0;

	for (i = 0; i < MAX_FDS; i++)
		n += fz_fds[i].kind != K_NONE;
	return n;
}

/* A random slot in use, or -1. */
int fz_pick(void)
{
	int i, start = fz_rnd_below(MAX_FDS);

	for (i = 0; i < MAX_FDS; i++) {
		int s = (start + i) % MAX_FDS;

		if (fz_fds[s].kind != K_NONE)
			return s;
	}
	return -1;
}

void fz_op_open(void)
{
	int fd;

	if (fz_nr_fds() >= MAX_HANDLES)
		return;
	fd = open(VTCP_DEV_PATH, O_RDWR | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		fz_problem("open: %m");
	else
		fz_add_fd(fd, K_UNBOUND, -1);
}

void fz_op_close(int s)
{
	if (close(fz_fds[s].fd))
		fz_problem("close: %m");
	fz_fds[s].kind = K_NONE;
}

/*
 * The operations on a handle, each with the end of its share of 100 (the
 * first 6 open a handle); their counts go to ops[1..].
 */
static const struct {
	unsigned int end;
	void (*fn)(int s);
} op_table[] = {
	{ 10, fz_op_close }, { 16, fz_op_listen }, { 22, fz_op_connect },
	{ 32, fz_op_accept }, { 37, fz_op_info }, { 43, fz_op_setopt },
	{ 47, fz_op_getopt }, { 49, fz_op_shutdown }, { 50, fz_op_abort },
	{ 52, fz_op_bad_ioctl }, { 66, fz_op_read }, { 78, fz_op_write },
	{ 84, fz_op_poll }, { 87, fz_op_epoll }, { 89, fz_op_splice },
	{ 91, fz_op_dup }, { 94, fz_op_blocking }, { 95, fz_op_fork },
	{ 100, fz_op_read },
};

void fz_one_op(void)
{
	unsigned int i, r = fz_rnd_below(100);
	int s = fz_pick();

	if (s < 0 || r < 6) {
		ops[0]++;
		fz_op_open();
		return;
	}
	for (i = 0; r >= op_table[i].end; i++)
		;
	ops[i + 1]++;
	op_table[i].fn(s);
}

FIXTURE(fuzz) {};

FIXTURE_SETUP(fuzz)
{
	ASSERT_EQ(0, vtcp_module_ensure());
	ASSERT_EQ(0, vtcp_net_up("vtcp0"));
}

FIXTURE_TEARDOWN(fuzz) {}

TEST_F_TIMEOUT(fuzz, random_calls_on_many_handles_stay_sane, 1200)
{
	const char *seed_env = getenv("VTCP_SEED");
	const char *secs_env = getenv("VTCP_FUZZ_SECONDS");
	int secs = getenv("VTCP_LONG") ? 300 : 20;
	struct sigaction sa = { .sa_handler = fz_on_alarm };
	unsigned long long seed, total = 0;
	pthread_t clients[2], server;
	long long end;
	struct vtcp_pair p;
	char check[5];
	int i;

	seed = seed_env ? strtoull(seed_env, NULL, 0) :
	       (unsigned long long)time(NULL) ^ ((unsigned long long)getpid() << 32);
	if (secs_env)
		secs = atoi(secs_env);
	printf("# seed %llu (VTCP_SEED=%llu replays it), %d s\n", seed, seed,
	       secs);
	fflush(stdout);
	fz_rng = seed ? seed : 1;

	fz_buf = mmap(NULL, BUF_SIZE + 8192, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, fz_buf);
	ro_page = fz_buf + BUF_SIZE;
	unmapped = ro_page + 4096;
	ASSERT_EQ(0, mprotect(ro_page, 4096, PROT_READ));
	ASSERT_EQ(0, munmap(unmapped, 4096));
	fz_ifindex = if_nametoindex("vtcp0");
	fz_epfd = epoll_create1(EPOLL_CLOEXEC);
	ASSERT_LE(0, fz_epfd);
	signal(SIGPIPE, SIG_IGN);
	sigemptyset(&sa.sa_mask);
	sigaction(SIGALRM, &sa, NULL);

	ASSERT_EQ(0, pthread_create(&server, NULL, fz_host_server, NULL));
	for (i = 0; i < 2; i++)
		ASSERT_EQ(0, pthread_create(&clients[i], NULL, fz_host_client,
					    (void *)(long)(seed + i)));
	end = vtcp_now_ms() + secs * 1000LL;
	while (vtcp_now_ms() < end && fz_impossible < 10) {
		for (i = 0; i < 100; i++)
			fz_one_op();
		total += 100;
	}
	fz_stop = 1;
	for (i = 0; i < 2; i++)
		pthread_join(clients[i], NULL);
	pthread_join(server, NULL);
	for (i = 0; i < MAX_FDS; i++)
		if (fz_fds[i].kind != K_NONE)
			fz_op_close(i);
	close(fz_epfd);

	printf("# %llu calls:", total);
	for (i = 0; i <= (int)ARRAY_SIZE(op_table); i++)
		printf(" %ld", ops[i]);
	printf("; %d signals\n", (int)fz_alarms);
	printf("# %ld listens, %ld connects, %ld accepts, %ld bytes read, %ld written\n",
	       fz_listened, fz_connected, fz_accepted, fz_bytes_in, fz_bytes_out);
	EXPECT_EQ(0, fz_impossible) TH_LOG("first: %s", first_problem);

	/* Still a working TCP endpoint. */
	ASSERT_EQ(0, vtcp_pair_open(&p, VTCP_ADDR4, 12500));
	EXPECT_EQ(0, vtcp_write_all(p.hfd, "after", 5));
	EXPECT_EQ(0, vtcp_read_all(p.vfd, check, 5));
	EXPECT_EQ(0, memcmp(check, "after", 5));
	vtcp_pair_close(&p);
}

TEST_HARNESS_MAIN
