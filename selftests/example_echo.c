// SPDX-License-Identifier: GPL-2.0
/*
 * example_echo: an echo server that lives on /dev/vtcp, and the host
 * programs that use it through ordinary TCP sockets.
 *
 * The server listens on vtcp0 at 192.0.2.2:7 and serves every
 * connection with poll(): what it reads, it writes back; when the client
 * has finished sending, it finishes too. The clients connect to
 * 192.0.2.2:7 as to any TCP server: the host routes 192.0.2.0/24 into
 * vtcp0, and vtcp terminates the connection.
 *
 * Build: cc -I include/uapi -o example_echo selftests/example_echo.c
 * Run as root with vtcp loaded. It prints one TAP line, so that it also
 * runs among vtcp's selftests.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/vtcp.h>

#define SERVER_ADDR	"192.0.2.2"
#define SERVER_PORT	7
#define CLIENTS		3
#define MAX_FDS		(1 + CLIENTS)

static void die(const char *what)
{
	perror(what);
	printf("not ok 1 example_echo\n");
	exit(1);
}

/* A listener on vtcp0 at SERVER_ADDR:SERVER_PORT. */
static int echo_listen(void)
{
	struct vtcp_listen req = {
		.ifindex = if_nametoindex("vtcp0"),
		.backlog = 16,
		.local = {
			.family = AF_INET,
			.port = htons(SERVER_PORT),
		},
	};
	struct vtcp_opt nodelay = { .name = VTCP_OPT_NODELAY, .value = 1 };
	int fd;

	inet_pton(AF_INET, SERVER_ADDR, &req.local.addr4);
	fd = open("/dev/vtcp", O_RDWR | O_CLOEXEC);
	if (fd < 0)
		die("open /dev/vtcp");
	/* Options set on a listener are every accepted connection's. */
	if (ioctl(fd, VTCP_IOC_SETOPT, &nodelay))
		die("VTCP_IOC_SETOPT");
	if (ioctl(fd, VTCP_IOC_LISTEN, &req))
		die("VTCP_IOC_LISTEN");
	return fd;
}

/* Echo what @fd has; returns 0 while the connection goes on. */
static int echo_serve(int fd)
{
	char buf[4096];
	ssize_t n = read(fd, buf, sizeof(buf));

	if (n > 0) {
		/* Blocking writes take all they are given. */
		return write(fd, buf, n) == n ? 0 : -1;
	}
	if (n == 0) {
		/* The client's FIN: say goodbye with ours. */
		struct vtcp_info info;

		if (ioctl(fd, VTCP_IOC_INFO, &info) == 0)
			printf("# served %llu bytes, srtt %u us\n",
			       (unsigned long long)info.bytes_received,
			       info.srtt);
		return 1;
	}
	return errno == EINTR ? 0 : -1;
}

/* Accept and serve @clients connections, then return. */
static void echo_server(int lfd, int clients)
{
	struct pollfd pfd[MAX_FDS] = { { .fd = lfd, .events = POLLIN } };
	int nfds = 1, done = 0;

	while (done < clients) {
		int i;

		if (poll(pfd, nfds, -1) < 0)
			die("poll");
		if ((pfd[0].revents & POLLIN) && nfds < MAX_FDS) {
			struct vtcp_accept acc = { .flags = VTCP_ACCEPT_CLOEXEC };
			char peer[INET6_ADDRSTRLEN];
			int fd = ioctl(lfd, VTCP_IOC_ACCEPT, &acc);

			if (fd < 0)
				die("VTCP_IOC_ACCEPT");
			inet_ntop(acc.remote.family, acc.remote.addr6, peer,
				  sizeof(peer));
			printf("# connection from %s port %u\n", peer,
			       ntohs(acc.remote.port));
			pfd[nfds].fd = fd;
			pfd[nfds].events = POLLIN;
			nfds++;
		}
		for (i = 1; i < nfds; i++) {
			int ret;

			if (!pfd[i].revents)
				continue;
			ret = echo_serve(pfd[i].fd);
			if (ret < 0)
				die("echo");
			if (ret > 0) {
				/* close() sends our FIN after the data. */
				close(pfd[i].fd);
				pfd[i--] = pfd[--nfds];
				done++;
			}
		}
	}
}

/* A host TCP client: send @msg @times times, check the echo. */
static int echo_client(const char *msg, int times)
{
	struct sockaddr_in srv = { .sin_family = AF_INET,
				   .sin_port = htons(SERVER_PORT) };
	size_t len = strlen(msg);
	char buf[256];
	int fd, i;

	inet_pton(AF_INET, SERVER_ADDR, &srv.sin_addr);
	fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0 || connect(fd, (void *)&srv, sizeof(srv)))
		return -1;
	for (i = 0; i < times; i++) {
		size_t got = 0;

		if (write(fd, msg, len) != (ssize_t)len)
			return -1;
		while (got < len) {
			ssize_t n = read(fd, buf + got, len - got);

			if (n <= 0)
				return -1;
			got += n;
		}
		if (memcmp(buf, msg, len))
			return -1;
	}
	/* Done sending; the server's FIN follows. */
	shutdown(fd, SHUT_WR);
	if (read(fd, buf, sizeof(buf)) != 0)
		return -1;
	close(fd);
	return 0;
}

int main(void)
{
	int lfd, i, status, failed = 0;
	pid_t pid;

	printf("1..1\n");
	/* What an administrator does once: the host's end of vtcp0. */
	if (system("ip link set vtcp0 up && "
		   "ip addr replace 192.0.2.1/24 dev vtcp0"))
		die("ip");
	lfd = echo_listen();

	pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0) {
		for (i = 0; i < CLIENTS; i++)
			if (fork() == 0)
				_exit(echo_client("hello, vtcp\n", 100) ? 1 : 0);
		for (i = 0; i < CLIENTS; i++)
			if (wait(&status) < 0 || !WIFEXITED(status) ||
			    WEXITSTATUS(status))
				failed++;
		_exit(failed ? 1 : 0);
	}

	echo_server(lfd, CLIENTS);
	close(lfd);
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status))
		failed = 1;
	printf("%sok 1 example_echo\n", failed ? "not " : "");
	return failed;
}
