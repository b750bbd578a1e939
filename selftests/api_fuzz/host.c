// SPDX-License-Identifier: GPL-2.0
/* The fuzzer's host side: the host's TCP against vtcp's listeners and connects. */
#include "fuzz.h"

/* The host's side: connect to vtcp's listeners, talk a little, go away. */
void *fz_host_client(void *arg)
{
	unsigned long long st = (unsigned long long)(long)arg * 0x9E3779B97F4A7C15ULL + 1;
	char data[4096];

	memset(data, 'h', sizeof(data));
	while (!fz_stop) {
		const char *addr = (st & 1) ? VTCP_ADDR4 : VTCP_ADDR6;
		struct sockaddr_storage ss;
		socklen_t len;
		int fd, i;

		st ^= st << 13;
		st ^= st >> 7;
		st ^= st << 17;
		len = vtcp_host_sockaddr(&ss, addr, LPORT_BASE + st % NLPORTS);
		fd = socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
		if (fd < 0)
			continue;
		if (connect(fd, (void *)&ss, len) && errno != EINPROGRESS) {
			close(fd);
			usleep(1000);
			continue;
		}
		for (i = 0; i < 20 && !fz_stop; i++) {
			char in[4096];

			if (vtcp_poll1(fd, POLLIN | POLLOUT, 5) <= 0)
				continue;
			if (write(fd, data, 1 + (st >> 8) % sizeof(data)) < 0 &&
			    errno != EAGAIN)
				break;
			if (read(fd, in, sizeof(in)) == 0)
				break;
			if ((st >> 20) % 16 == 0)
				shutdown(fd, SHUT_WR);
		}
		if ((st >> 24) % 4 == 0)
			vtcp_host_abort(fd);
		else
			close(fd);
	}
	return NULL;
}

/* The host's listeners that vtcp's CONNECTs reach; echo, then drop. */
void *fz_host_server(void *arg)
{
	struct pollfd pfd[NHPORTS * 2 + 32];
	int nl = 0, n, i;

	for (i = 0; i < NHPORTS; i++) {
		int a = vtcp_host_listen(VTCP_HOST4, HPORT_BASE + i);
		int b = vtcp_host_listen(VTCP_HOST6, HPORT_BASE + i);

		if (a >= 0)
			pfd[nl++] = (struct pollfd){ .fd = a, .events = POLLIN };
		if (b >= 0)
			pfd[nl++] = (struct pollfd){ .fd = b, .events = POLLIN };
	}
	n = nl;
	while (!fz_stop) {
		if (poll(pfd, n, 20) <= 0)
			continue;
		for (i = 0; i < n; i++) {
			char in[4096];
			ssize_t r;

			if (!pfd[i].revents)
				continue;
			if (i < nl) {
				int c = accept4(pfd[i].fd, NULL, NULL,
						SOCK_NONBLOCK | SOCK_CLOEXEC);

				if (c >= 0 && n < (int)ARRAY_SIZE(pfd))
					pfd[n++] = (struct pollfd){ .fd = c,
								    .events = POLLIN };
				else if (c >= 0)
					close(c);
				continue;
			}
			r = read(pfd[i].fd, in, sizeof(in));
			if (r > 0 && write(pfd[i].fd, in, r) >= 0 && r % 7)
				continue;
			if (r < 0 && errno == EAGAIN)
				continue;
			if (r % 2)
				vtcp_host_abort(pfd[i].fd);
			else
				close(pfd[i].fd);
			pfd[i--] = pfd[--n];
		}
	}
	for (i = 0; i < n; i++)
		close(pfd[i].fd);
	return NULL;
}
