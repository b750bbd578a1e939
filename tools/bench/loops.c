// SPDX-License-Identifier: GPL-2.0
/*
 * The measuring loops of vtcp's load generators; see loops.h.
 */
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <netinet/in.h>

#include "loops.h"

struct bench_stream {
	int fd;
	int sink;		/* relays: the host socket written to */
	int pipe[2];		/* splice relay: the pipe in between */
	char *buf;
	size_t bufsize;
	int *stop;		/* set by the main thread, read atomically */
	uint64_t bytes;		/* read by others with __atomic_load_n */
	uint64_t calls;		/* read() or write() calls */
	int err;
	char pad[64];
};

static void *bench_reader(void *arg)
{
	struct bench_stream *s = arg;

	while (!__atomic_load_n(s->stop, __ATOMIC_RELAXED)) {
		ssize_t n = read(s->fd, s->buf, s->bufsize);

		if (n <= 0) {
			s->err = n ? errno : 0;
			break;
		}
		__atomic_add_fetch(&s->bytes, n, __ATOMIC_RELAXED);
		__atomic_add_fetch(&s->calls, 1, __ATOMIC_RELAXED);
	}
	return NULL;
}

static int bench_write_all(int fd, const char *buf, size_t len)
{
	while (len) {
		ssize_t n = write(fd, buf, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		buf += n;
		len -= n;
	}
	return 0;
}

/* Relay by copying: read() into the buffer, write() it to the sink. */
static void *bench_relay_rw(void *arg)
{
	struct bench_stream *s = arg;

	while (!__atomic_load_n(s->stop, __ATOMIC_RELAXED)) {
		ssize_t n = read(s->fd, s->buf, s->bufsize);

		if (n <= 0 || bench_write_all(s->sink, s->buf, n)) {
			s->err = n ? errno : 0;
			break;
		}
		__atomic_add_fetch(&s->bytes, n, __ATOMIC_RELAXED);
		__atomic_add_fetch(&s->calls, 1, __ATOMIC_RELAXED);
	}
	return NULL;
}

/* Relay by splice(): connection -> pipe -> sink, no copy in userspace. */
static void *bench_relay_splice(void *arg)
{
	unsigned int fl = SPLICE_F_MOVE | SPLICE_F_MORE;
	struct bench_stream *s = arg;

	while (!__atomic_load_n(s->stop, __ATOMIC_RELAXED)) {
		ssize_t n = splice(s->fd, NULL, s->pipe[1], NULL, s->bufsize, fl);
		ssize_t left = n;

		while (left > 0) {
			ssize_t m = splice(s->pipe[0], NULL, s->sink, NULL,
					   left, fl);

			if (m <= 0)
				break;
			left -= m;
		}
		if (n <= 0 || left) {
			s->err = n ? errno : 0;
			break;
		}
		__atomic_add_fetch(&s->bytes, n, __ATOMIC_RELAXED);
		__atomic_add_fetch(&s->calls, 1, __ATOMIC_RELAXED);
	}
	return NULL;
}

static void *bench_writer(void *arg)
{
	struct bench_stream *s = arg;

	while (!__atomic_load_n(s->stop, __ATOMIC_RELAXED)) {
		ssize_t n = write(s->fd, s->buf, s->bufsize);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			s->err = errno;
			break;
		}
		__atomic_add_fetch(&s->bytes, n, __ATOMIC_RELAXED);
	}
	return NULL;
}

static uint64_t bench_total(const struct bench_stream *s, int n)
{
	uint64_t sum = 0;
	int i;

	for (i = 0; i < n; i++)
		sum += __atomic_load_n(&s[i].bytes, __ATOMIC_RELAXED);
	return sum;
}

static uint64_t bench_calls(const struct bench_stream *s, int n)
{
	uint64_t sum = 0;
	int i;

	for (i = 0; i < n; i++)
		sum += __atomic_load_n(&s[i].calls, __ATOMIC_RELAXED);
	return sum;
}

static struct bench_stream *bench_streams_start(const int *fds,
						const int *sinks, int n,
						const struct bench_opts *o,
						int *stop,
						void *(*fn)(void *),
						pthread_t *tids)
{
	struct bench_stream *s = calloc(n, sizeof(*s));
	int i;

	if (!s)
		bench_die("out of memory");
	for (i = 0; i < n; i++) {
		s[i].fd = fds[i];
		s[i].sink = sinks ? sinks[i] : -1;
		s[i].pipe[0] = s[i].pipe[1] = -1;
		if (o->relay == BENCH_RELAY_SPLICE) {
			if (pipe(s[i].pipe))
				bench_die("pipe: %s", strerror(errno));
			fcntl(s[i].pipe[1], F_SETPIPE_SZ, (int)o->bufsize);
		}
		s[i].bufsize = o->bufsize;
		s[i].buf = malloc(o->bufsize);
		s[i].stop = stop;
		if (!s[i].buf)
			bench_die("out of memory");
		memset(s[i].buf, 0x5a, o->bufsize);
		if (pthread_create(&tids[i], NULL, fn, &s[i]))
			bench_die("pthread_create failed");
	}
	return s;
}

/* Wake a reader blocked on @fd: shutdown(2), or vtcp's SHUTDOWN. */
static void bench_shutdown(int fd)
{
	__u32 how = VTCP_SHUT_RDWR;

	if (shutdown(fd, SHUT_RDWR) && errno == ENOTSOCK)
		ioctl(fd, VTCP_IOC_SHUTDOWN, &how);
}

static int bench_recv_loop(const int *fds, const int *sinks, int n,
			   const struct bench_opts *o)
{
	void *(*fn)(void *) = o->relay == BENCH_RELAY_RW ? bench_relay_rw :
			      o->relay == BENCH_RELAY_SPLICE ?
			      bench_relay_splice : bench_reader;
	pthread_t *tids = calloc(n, sizeof(*tids));
	int stop = 0;
	struct bench_cpu c0, c1;
	struct bench_stream *s;
	uint64_t t, t0, t1, b0, b1, r0, r1, deadline;
	int i;

	s = bench_streams_start(fds, sinks, n, o, &stop, fn, tids);
	deadline = bench_now_ns() + 60ULL * 1000000000ULL;
	while (!bench_total(s, n)) {
		if (bench_now_ns() > deadline)
			bench_die("no data within 60 s");
		usleep(1000);
	}
	t = bench_now_ns();
	bench_sleep_until(t + o->warm_ms * 1000000ULL);
	bench_cpu_read(&c0);
	t0 = bench_now_ns();
	b0 = bench_total(s, n);
	r0 = bench_calls(s, n);
	bench_sleep_until(t0 + o->dur_ms * 1000000ULL);
	b1 = bench_total(s, n);
	r1 = bench_calls(s, n);
	t1 = bench_now_ns();
	bench_cpu_read(&c1);
	__atomic_store_n(&stop, 1, __ATOMIC_RELAXED);

	printf("{\"role\": \"recv\", \"streams\": %d, \"bytes\": %llu, "
	       "\"secs\": %.6f, \"gbps\": %.4f, \"reads\": %llu", n,
	       (unsigned long long)(b1 - b0), (t1 - t0) / 1e9,
	       (b1 - b0) * 8.0 / (t1 - t0), (unsigned long long)(r1 - r0));
	bench_print_cpu(stdout, &c0, &c1);
	if (o->info)
		bench_print_info(stdout, "info", fds[0]);
	for (i = 0; i < n; i++)
		if (s[i].err)
			printf(", \"error\": \"stream %d: %s\"", i,
			       strerror(s[i].err));
	printf("}\n");
	fflush(stdout);

	for (i = 0; i < n; i++)
		bench_shutdown(fds[i]);
	for (i = 0; i < n; i++) {
		pthread_join(tids[i], NULL);
		close(fds[i]);
		if (s[i].pipe[0] >= 0) {
			close(s[i].pipe[0]);
			close(s[i].pipe[1]);
		}
		free(s[i].buf);
	}
	free(s);
	free(tids);
	return 0;
}

int bench_recv_run(const int *fds, int n, const struct bench_opts *o)
{
	return bench_recv_loop(fds, NULL, n, o);
}

/* The far end of a relay's sink: read and drop until EOF. */
static void *bench_drain(void *arg)
{
	static char buf[1 << 17];
	int fd = (intptr_t)arg;

	while (read(fd, buf, sizeof(buf)) > 0)
		;
	close(fd);
	return NULL;
}

/* A host TCP connection over lo: returns the end to write to. */
static int bench_sink_open(pthread_t *drain)
{
	struct sockaddr_in a = { .sin_family = AF_INET,
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof(a);
	int lfd = socket(AF_INET, SOCK_STREAM, 0), fd, peer;

	if (lfd < 0 || bind(lfd, (struct sockaddr *)&a, sizeof(a)) ||
	    listen(lfd, 1) || getsockname(lfd, (struct sockaddr *)&a, &len))
		bench_die("sink listener: %s", strerror(errno));
	fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof(a)))
		bench_die("sink connect: %s", strerror(errno));
	peer = accept(lfd, NULL, NULL);
	if (peer < 0)
		bench_die("sink accept: %s", strerror(errno));
	close(lfd);
	if (pthread_create(drain, NULL, bench_drain, (void *)(intptr_t)peer))
		bench_die("pthread_create failed");
	return fd;
}

int bench_relay_run(const int *fds, int n, const struct bench_opts *o)
{
	pthread_t drains[64];
	int sinks[64] = { 0 }, i, ret;

	if (n > 64)
		bench_die("at most 64 relayed streams");
	for (i = 0; i < n; i++)
		sinks[i] = bench_sink_open(&drains[i]);
	ret = bench_recv_loop(fds, sinks, n, o);
	for (i = 0; i < n; i++) {
		close(sinks[i]);
		pthread_join(drains[i], NULL);
	}
	return ret;
}

int bench_send_run(const int *fds, int n, const struct bench_opts *o)
{
	pthread_t *tids = calloc(n, sizeof(*tids));
	int stop = 0;
	struct bench_stream *s;
	uint64_t t0 = bench_now_ns(), t1;
	int i;

	signal(SIGPIPE, SIG_IGN);
	s = bench_streams_start(fds, NULL, n, o, &stop, bench_writer, tids);
	for (i = 0; i < n; i++)
		pthread_join(tids[i], NULL);
	t1 = bench_now_ns();
	printf("{\"role\": \"send\", \"streams\": %d, \"bytes_written\": %llu, "
	       "\"secs\": %.6f", n, (unsigned long long)bench_total(s, n),
	       (t1 - t0) / 1e9);
	bench_print_rusage(stdout);
	if (o->info)
		bench_print_info(stdout, "info", fds[0]);
	printf("}\n");
	fflush(stdout);
	for (i = 0; i < n; i++) {
		close(fds[i]);
		free(s[i].buf);
	}
	free(s);
	free(tids);
	return 0;
}

int bench_rr_serve(int fd)
{
	char c;

	for (;;) {
		ssize_t n = read(fd, &c, 1);

		if (n <= 0)
			break;
		if (write(fd, &c, 1) != 1)
			break;
	}
	close(fd);
	return 0;
}

/* One transaction: a byte there and back. */
static int bench_rr_once(int fd)
{
	char c = 'r';

	if (write(fd, &c, 1) != 1)
		return -1;
	return read(fd, &c, 1) == 1 ? 0 : -1;
}

void bench_lat_add(struct bench_lat *l, uint64_t ns)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 65536;
		l->ns = realloc(l->ns, l->cap * sizeof(*l->ns));
		if (!l->ns)
			bench_die("out of memory");
	}
	l->ns[l->n++] = ns > UINT32_MAX ? UINT32_MAX : ns;
}

int bench_cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/* Median, p99, mean and max in microseconds, as JSON fields. */
void bench_lat_print(FILE *f, struct bench_lat *l)
{
	double sum = 0;
	size_t i;

	if (!l->n) {
		fprintf(f, ", \"p50_us\": null, \"p99_us\": null");
		return;
	}
	qsort(l->ns, l->n, sizeof(*l->ns), bench_cmp_u32);
	for (i = 0; i < l->n; i++)
		sum += l->ns[i];
	fprintf(f, ", \"p50_us\": %.2f, \"p99_us\": %.2f, \"mean_us\": %.2f, "
		"\"max_us\": %.2f", l->ns[l->n / 2] / 1e3,
		l->ns[(size_t)(l->n * 0.99)] / 1e3, sum / l->n / 1e3,
		l->ns[l->n - 1] / 1e3);
}

int bench_rr_run(int fd, const struct bench_opts *o)
{
	struct bench_lat lat = {};
	struct bench_cpu c0, c1;
	uint64_t t, t0, t1, end;

	t = bench_now_ns();
	end = t + o->warm_ms * 1000000ULL;
	while (bench_now_ns() < end)
		if (bench_rr_once(fd))
			bench_die("request/response failed in warm-up");
	bench_cpu_read(&c0);
	t0 = bench_now_ns();
	end = t0 + o->dur_ms * 1000000ULL;
	for (t = t0; t < end;) {
		uint64_t done;

		if (bench_rr_once(fd))
			bench_die("request/response failed");
		done = bench_now_ns();
		bench_lat_add(&lat, done - t);
		t = done;
	}
	t1 = t;
	bench_cpu_read(&c1);
	printf("{\"role\": \"rr\", \"transactions\": %zu, \"secs\": %.6f, "
	       "\"tps\": %.1f", lat.n, (t1 - t0) / 1e9, lat.n * 1e9 / (t1 - t0));
	bench_lat_print(stdout, &lat);
	bench_print_cpu(stdout, &c0, &c1);
	if (o->info)
		bench_print_info(stdout, "info", fd);
	printf("}\n");
	fflush(stdout);
	close(fd);
	free(lat.ns);
	return 0;
}
