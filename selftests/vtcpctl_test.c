// SPDX-License-Identifier: GPL-2.0
/*
 * vtcpctl, the command-line tool, against the host's own sockets: echo,
 * discard and HTTP servers, vtcp connecting out, the connection options,
 * ls showing a live connection, stat showing counters, and its exit codes
 * and error messages.
 *
 * The binary is $VTCP_TOOLS/vtcpctl, else tools/vtcpctl beside this test's
 * directory (build/selftests -> build/tools); without it every test skips.
 */
#include <signal.h>
#include <sys/wait.h>
#include "kselftest_harness.h"
#include "vtcp_util.h"

static char vtcpctl[4096];

/* Where vtcpctl is; false if it is not there. */
static bool vtcpctl_find(void)
{
	const char *env = getenv("VTCP_TOOLS");
	char exe[2048];
	ssize_t n;

	if (env) {
		snprintf(vtcpctl, sizeof(vtcpctl), "%s/vtcpctl", env);
	} else {
		n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
		if (n < 0)
			return false;
		exe[n] = '\0';
		*strrchr(exe, '/') = '\0';
		snprintf(vtcpctl, sizeof(vtcpctl), "%s/../tools/vtcpctl", exe);
	}
	return access(vtcpctl, X_OK) == 0;
}

/*
 * Start vtcpctl with @args (NULL-terminated, after the program name). Its
 * stdin is the read end of a pipe whose write end goes to *@in (or
 * /dev/null if @in is NULL); stdout and stderr go to the file @out.
 */
static pid_t vtcpctl_start(int *in, const char *out, const char *const *args)
{
	const char *argv[32] = { "vtcpctl" };
	int p[2] = { -1, -1 }, i;
	pid_t pid;

	for (i = 0; args[i] && i < 30; i++)
		argv[i + 1] = args[i];
	if (in && pipe2(p, O_CLOEXEC))
		return -1;
	pid = fork();
	if (pid == 0) {
		int fd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0600);

		dup2(in ? p[0] : open("/dev/null", O_RDONLY), 0);
		dup2(fd, 1);
		dup2(fd, 2);
		execv(vtcpctl, (char **)argv);
		_exit(127);
	}
	if (in) {
		close(p[0]);
		*in = p[1];
	}
	return pid;
}

/* Exit status of @pid within 10 s (then it is killed): -1 if no exit. */
static int vtcpctl_wait(pid_t pid)
{
	int st, i;

	for (i = 0; i < 1000; i++) {
		if (waitpid(pid, &st, WNOHANG) == pid)
			return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
		usleep(10000);
	}
	kill(pid, SIGKILL);
	waitpid(pid, &st, 0);
	return -1;
}

/* Run vtcpctl to its end with stdout and stderr in @buf; its status. */
static int vtcpctl_run(char *buf, size_t len, const char *args)
{
	char cmd[8192];
	size_t n = 0;
	FILE *f;
	int st;

	snprintf(cmd, sizeof(cmd), "%s %s 2>&1", vtcpctl, args);
	f = popen(cmd, "r");
	if (!f)
		return -1;
	while (n + 1 < len && !feof(f))
		n += fread(buf + n, 1, len - n - 1, f);
	buf[n] = '\0';
	st = pclose(f);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* Wait up to 5 s for vtcp to list a listener on @ep (e.g. 192.0.2.2:80). */
static int wait_listening(const char *ep)
{
	char line[512], needle[128];
	int i, found = 0;
	FILE *f;

	snprintf(needle, sizeof(needle), " LISTEN %s ", ep);
	for (i = 0; i < 500 && !found; i++) {
		f = fopen("/proc/net/vtcp", "r");
		while (f && !found && fgets(line, sizeof(line), f))
			found = !!strstr(line, needle + 1);
		if (f)
			fclose(f);
		if (!found)
			usleep(10000);
	}
	return found ? 0 : -1;
}

/* Show vtcpctl's output as TAP diagnostics: every line behind "# ". */
static void log_output(const char *what, const char *buf)
{
	const char *p = buf, *nl;

	printf("# %s:\n", what);
	for (; *p; p = nl + 1) {
		nl = strchrnul(p, '\n');
		printf("#   %.*s\n", (int)(nl - p), p);
		if (!*nl)
			break;
	}
	fflush(stdout);
}

static size_t read_file(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY);
	ssize_t n = fd < 0 ? 0 : read(fd, buf, len - 1);

	if (fd >= 0)
		close(fd);
	buf[n > 0 ? n : 0] = '\0';
	return n > 0 ? n : 0;
}

/* Read until EOF; returns the byte count, or -errno. */
static ssize_t read_to_eof(int fd, char *buf, size_t len)
{
	size_t n = 0;

	for (;;) {
		ssize_t r = read(fd, buf + n, len - n - 1);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -errno;
		if (!r)
			break;
		n += r;
		if (n + 1 == len)
			break;
	}
	buf[n] = '\0';
	return n;
}

FIXTURE(vtcpctl) {
	pid_t pid;		/* a vtcpctl in the background, or 0 */
	char out[64];		/* its output file */
	char buf[65536];
};

FIXTURE_SETUP(vtcpctl)
{
	self->pid = 0;
	snprintf(self->out, sizeof(self->out), "/tmp/vtcpctl-test.%d", getpid());
	if (!vtcpctl_find())
		SKIP(return, "no vtcpctl at %.900s (make -C tools)", vtcpctl);
	ASSERT_EQ(0, vtcp_module_ensure());
	ASSERT_EQ(0, vtcp_net_up("vtcp0"));
}

FIXTURE_TEARDOWN(vtcpctl)
{
	if (self->pid > 0) {
		kill(self->pid, SIGKILL);
		waitpid(self->pid, NULL, 0);
	}
	unlink(self->out);
}

/* 256 KiB through --echo come back intact; -n 1 then ends it with 0. */
TEST_F(vtcpctl, echo_round_trip)
{
	const char *args[] = { "listen", "-n", "1", "--echo", VTCP_ADDR4 ":7001", NULL };
	/* Write the pattern, then half-close: the echo comes back meanwhile. */
	struct vtcp_writer w = { .len = 256 * 1024, .seed = 7, .shut_wr = true };
	size_t got = 0;
	ssize_t n;

	self->pid = vtcpctl_start(NULL, self->out, args);
	ASSERT_LT(0, self->pid);
	ASSERT_EQ(0, wait_listening(VTCP_ADDR4 ":7001"));
	w.fd = vtcp_host_connect(VTCP_ADDR4, 7001);
	ASSERT_LE(0, w.fd);
	ASSERT_EQ(0, vtcp_writer_start(&w));
	while ((n = read(w.fd, self->buf, sizeof(self->buf))) > 0) {
		ASSERT_EQ(-1, vtcp_check((unsigned char *)self->buf, n, 7, got));
		got += n;
	}
	EXPECT_EQ(0, vtcp_writer_join(&w));
	EXPECT_EQ(0, n);
	EXPECT_EQ(w.len, got);
	close(w.fd);
	EXPECT_EQ(0, vtcpctl_wait(self->pid));
	self->pid = 0;
}

/* --discard reads everything, then closes; -v reports the byte count. */
TEST_F(vtcpctl, discard_counts_bytes)
{
	const char *args[] = { "listen", "-n", "1", "-v", "--discard",
			       VTCP_ADDR4 ":7002", NULL };
	static unsigned char data[1 << 20];
	int fd;

	self->pid = vtcpctl_start(NULL, self->out, args);
	ASSERT_LT(0, self->pid);
	ASSERT_EQ(0, wait_listening(VTCP_ADDR4 ":7002"));
	fd = vtcp_host_connect(VTCP_ADDR4, 7002);
	ASSERT_LE(0, fd);
	vtcp_fill(data, sizeof(data), 2, 0);
	ASSERT_EQ(0, vtcp_write_all(fd, data, sizeof(data)));
	ASSERT_EQ(0, vtcp_shut_wr(fd));
	EXPECT_EQ(0, read_to_eof(fd, self->buf, sizeof(self->buf)));
	close(fd);
	EXPECT_EQ(0, vtcpctl_wait(self->pid));
	self->pid = 0;
	read_file(self->out, self->buf, sizeof(self->buf));
	log_output("vtcpctl listen -v", self->buf);
	EXPECT_NE(NULL, strstr(self->buf, "accepted " VTCP_ADDR4 ":7002 <- " VTCP_HOST4 ":"));
	EXPECT_NE(NULL, strstr(self->buf, "bytes_received:1048576 "));
}

/* --http=TEXT answers a request with a well-formed response. */
TEST_F(vtcpctl, http_response)
{
	const char *args[] = { "listen", "-n", "1", "--http=hello-test",
			       VTCP_ADDR4 ":7003", NULL };
	const char req[] = "GET / HTTP/1.0\r\nHost: " VTCP_ADDR4 "\r\n\r\n";
	int fd;

	self->pid = vtcpctl_start(NULL, self->out, args);
	ASSERT_LT(0, self->pid);
	ASSERT_EQ(0, wait_listening(VTCP_ADDR4 ":7003"));
	fd = vtcp_host_connect(VTCP_ADDR4, 7003);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, vtcp_write_all(fd, req, sizeof(req) - 1));
	ASSERT_LT(0, read_to_eof(fd, self->buf, sizeof(self->buf)));
	close(fd);
	EXPECT_EQ(0, strncmp(self->buf, "HTTP/1.1 200 OK\r\n", 17));
	EXPECT_NE(NULL, strstr(self->buf, "Content-Length: 11\r\n"));
	EXPECT_NE(NULL, strstr(self->buf, "\r\n\r\nhello-test\n"));
	EXPECT_EQ(0, vtcpctl_wait(self->pid));
	self->pid = 0;
}

/* connect: stdin goes to the host's listener, its answer to stdout. */
TEST_F(vtcpctl, connect_to_host)
{
	const char *args[] = { "connect", VTCP_ADDR4, VTCP_HOST4 ":7004", NULL };
	int lfd, fd, in;

	lfd = vtcp_host_listen(VTCP_HOST4, 7004);
	ASSERT_LE(0, lfd);
	self->pid = vtcpctl_start(&in, self->out, args);
	ASSERT_LT(0, self->pid);
	ASSERT_EQ(0, vtcp_write_all(in, "ping\n", 5));
	close(in);
	fd = accept(lfd, NULL, NULL);
	ASSERT_LE(0, fd);
	EXPECT_EQ(5, read_to_eof(fd, self->buf, sizeof(self->buf)));
	EXPECT_STREQ("ping\n", self->buf);
	ASSERT_EQ(0, vtcp_write_all(fd, "pong\n", 5));
	close(fd);
	close(lfd);
	EXPECT_EQ(0, vtcpctl_wait(self->pid));
	self->pid = 0;
	read_file(self->out, self->buf, sizeof(self->buf));
	EXPECT_STREQ("pong\n", self->buf);
}

/* Every connection option is accepted, here on an IPv6 echo server. */
TEST_F(vtcpctl, options_ipv6)
{
	const char *args[] = { "listen", "-n", "1", "--echo", "--nodelay",
			       "--keepalive", "60,10,5", "--sndbuf", "65536",
			       "--rcvbuf", "65536", "--cc", "newreno",
			       "--user-timeout", "10000", "[2001:db8::2]:7005",
			       NULL };
	char c = 0;
	int fd;

	self->pid = vtcpctl_start(NULL, self->out, args);
	ASSERT_LT(0, self->pid);
	if (wait_listening("[2001:db8::2]:7005")) {
		read_file(self->out, self->buf, sizeof(self->buf));
		log_output("vtcpctl did not listen", self->buf);
		ASSERT_TRUE(0);
	}
	fd = vtcp_host_connect("2001:db8::2", 7005);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, vtcp_write_all(fd, "x", 1));
	ASSERT_EQ(0, vtcp_read_all(fd, &c, 1));
	EXPECT_EQ('x', c);
	close(fd);
	EXPECT_EQ(0, vtcpctl_wait(self->pid));
	self->pid = 0;
}

/* ls lists the listener and a live connection, as text and JSON. */
TEST_F(vtcpctl, ls_shows_connection)
{
	const char *args[] = { "listen", "--echo", VTCP_ADDR4 ":7006", NULL };
	struct sockaddr_in me;
	socklen_t len = sizeof(me);
	char line[256], c;
	int fd;

	self->pid = vtcpctl_start(NULL, self->out, args);
	ASSERT_LT(0, self->pid);
	ASSERT_EQ(0, wait_listening(VTCP_ADDR4 ":7006"));
	fd = vtcp_host_connect(VTCP_ADDR4, 7006);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, getsockname(fd, (struct sockaddr *)&me, &len));
	/* Once the echo came back, vtcpctl holds the connection. */
	ASSERT_EQ(0, vtcp_write_all(fd, "y", 1));
	ASSERT_EQ(0, vtcp_read_all(fd, &c, 1));

	ASSERT_EQ(0, vtcpctl_run(self->buf, sizeof(self->buf), "ls"));
	log_output("vtcpctl ls", self->buf);
	EXPECT_EQ(0, strncmp(self->buf, "Dev ", 4));
	EXPECT_NE(NULL, strstr(self->buf, "LISTEN"));
	snprintf(line, sizeof(line), "%s:%u", VTCP_HOST4, ntohs(me.sin_port));
	EXPECT_NE(NULL, strstr(self->buf, line));
	EXPECT_NE(NULL, strstr(self->buf, "ESTABLISHED"));

	ASSERT_EQ(0, vtcpctl_run(self->buf, sizeof(self->buf), "ls -j -d vtcp0"));
	snprintf(line, sizeof(line),
		 "\"state\": \"ESTABLISHED\", \"local\": \"%s:7006\", \"remote\": \"%s:%u\"",
		 VTCP_ADDR4, VTCP_HOST4, ntohs(me.sin_port));
	EXPECT_NE(NULL, strstr(self->buf, line));
	EXPECT_NE(NULL, strstr(self->buf, "\"state\": \"LISTEN\", "
			       "\"local\": \"" VTCP_ADDR4 ":7006\""));

	close(fd);
	kill(self->pid, SIGTERM);
	EXPECT_EQ(0, vtcpctl_wait(self->pid));
	self->pid = 0;
}

/* stat shows the device, its counters and drop reasons. */
TEST_F(vtcpctl, stat_counters)
{
	const char *args[] = { "listen", "-n", "1", "--discard", VTCP_ADDR4 ":7007",
			       NULL };
	char *p;
	int fd;

	self->pid = vtcpctl_start(NULL, self->out, args);
	ASSERT_LT(0, self->pid);
	ASSERT_EQ(0, wait_listening(VTCP_ADDR4 ":7007"));
	fd = vtcp_host_connect(VTCP_ADDR4, 7007);
	ASSERT_LE(0, fd);
	close(fd);
	EXPECT_EQ(0, vtcpctl_wait(self->pid));
	self->pid = 0;

	ASSERT_EQ(0, vtcpctl_run(self->buf, sizeof(self->buf), "stat"));
	log_output("vtcpctl stat", self->buf);
	EXPECT_EQ(0, strncmp(self->buf, "vtcp0: up, mtu ", 15));
	EXPECT_NE(NULL, strstr(self->buf, "host -> vtcp: "));
	EXPECT_NE(NULL, strstr(self->buf, "passive_opens"));

	ASSERT_EQ(0, vtcpctl_run(self->buf, sizeof(self->buf), "stat -j -a"));
	p = strstr(self->buf, "\"passive_opens\": ");
	ASSERT_NE(NULL, p);
	EXPECT_LE(1, atoi(p + strlen("\"passive_opens\": ")));
	EXPECT_NE(NULL, strstr(self->buf, "\"drops\": {\"total\": "));
	EXPECT_NE(NULL, strstr(self->buf, "\"drop_no_socket\": "));
}

/* stat shows the namespace's limits and their use, as text and JSON. */
TEST_F(vtcpctl, stat_shows_limits)
{
	char *p;

	ASSERT_EQ(0, vtcpctl_run(self->buf, sizeof(self->buf), "stat"));
	log_output("vtcpctl stat", self->buf);
	EXPECT_NE(NULL, strstr(self->buf, "\nlimits (used/limit"));
	EXPECT_NE(NULL, strstr(self->buf, "  netns  conns "));
	EXPECT_NE(NULL, strstr(self->buf, "  all    time_wait "));
	EXPECT_NE(NULL, strstr(self->buf, "  netns  rcv_mem_bytes "));

	ASSERT_EQ(0, vtcpctl_run(self->buf, sizeof(self->buf), "stat -j"));
	p = strstr(self->buf, "\"limits\": {\"netns\": {\"conns\": {\"limit\": ");
	ASSERT_NE(NULL, p);
	EXPECT_LT(0, atoi(p + strlen("\"limits\": {\"netns\": {\"conns\": {\"limit\": ")));
	EXPECT_NE(NULL, strstr(self->buf, "\"all\": {\"conns\": "));
	EXPECT_NE(NULL, strstr(self->buf, "\"snd_mem_bytes\": {\"limit\": "));
}

/* Exit 2 for bad usage, 1 with the errno's name for a failure. */
TEST_F(vtcpctl, exit_codes_and_errors)
{
	EXPECT_EQ(2, vtcpctl_run(self->buf, sizeof(self->buf), ""));
	EXPECT_EQ(2, vtcpctl_run(self->buf, sizeof(self->buf), "listen --bogus"));
	EXPECT_EQ(2, vtcpctl_run(self->buf, sizeof(self->buf), "listen 1.2.3.4.5"));
	EXPECT_EQ(2, vtcpctl_run(self->buf, sizeof(self->buf),
				 "connect " VTCP_ADDR4 " [2001:db8::1]:1"));
	EXPECT_EQ(0, vtcpctl_run(self->buf, sizeof(self->buf), "--help"));

	EXPECT_EQ(1, vtcpctl_run(self->buf, sizeof(self->buf),
				 "listen -d lo " VTCP_ADDR4 ":7008"));
	EXPECT_NE(NULL, strstr(self->buf, "(ENODEV)"));
	EXPECT_EQ(1, vtcpctl_run(self->buf, sizeof(self->buf),
				 "connect " VTCP_ADDR4 " " VTCP_HOST4 ":7009 </dev/null"));
	EXPECT_NE(NULL, strstr(self->buf, "(ECONNREFUSED)"));
	EXPECT_EQ(1, vtcpctl_run(self->buf, sizeof(self->buf),
				 "listen --cc nosuchcc " VTCP_ADDR4 ":7010"));
	EXPECT_NE(NULL, strstr(self->buf, "(ENOENT)"));
}

TEST_HARNESS_MAIN
