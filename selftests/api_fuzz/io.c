// SPDX-License-Identifier: GPL-2.0
/*
 * The fuzzer's file operations: reads and writes of random lengths and
 * places, poll, epoll, splice, dup, blocking calls ended by a signal, and
 * fork.
 */
#include <sys/epoll.h>
#include <sys/time.h>
#include <sys/uio.h>
#include "fuzz.h"

/* One to four buffers of random sizes and places; their total in *len. */
static int rnd_iov(struct iovec iov[4], size_t *len)
{
	int i, valid, cnt = 1 + fz_rnd_below(4);

	*len = 0;
	for (i = 0; i < cnt; i++) {
		iov[i].iov_len = fz_rnd_below(BUF_SIZE / 4);
		iov[i].iov_base = fz_rnd_ptr(iov[i].iov_len, &valid);
		*len += iov[i].iov_len;
	}
	return cnt;
}

void fz_op_read(int s)
{
	size_t len = fz_chance(30) ? fz_rnd_below(16) : fz_rnd_below(BUF_SIZE + 1);
	int valid;
	void *p = fz_rnd_ptr(len, &valid);
	ssize_t n;

	if (fz_chance(20)) {
		struct iovec iov[4];
		int cnt = rnd_iov(iov, &len);

		n = readv(fz_fds[s].fd, iov, cnt);
	} else {
		n = read(fz_fds[s].fd, p, len);
	}
	if (n > (ssize_t)len)
		fz_problem("read %zd > %zu asked", n, len);
	if (n < 0) {
		fz_check_errno("read", errno);
		if (errno == ENOTCONN && fz_fds[s].kind == K_CONN)
			fz_problem("read: ENOTCONN on a connection");
	} else if (n > 0 && fz_fds[s].kind != K_CONN) {
		fz_problem("read %zd bytes from kind %d", n, fz_fds[s].kind);
	} else {
		fz_bytes_in += n;
	}
}

void fz_op_write(int s)
{
	size_t len = fz_chance(30) ? fz_rnd_below(16) : fz_rnd_below(BUF_SIZE + 1);
	int valid;
	void *p = fz_rnd_ptr(len, &valid);
	ssize_t n;

	if (fz_chance(20)) {
		struct iovec iov[4];
		int cnt = rnd_iov(iov, &len);

		n = writev(fz_fds[s].fd, iov, cnt);
	} else {
		n = write(fz_fds[s].fd, p, len);
	}
	if (n > (ssize_t)len)
		fz_problem("write %zd > %zu given", n, len);
	if (n < 0) {
		fz_check_errno("write", errno);
		if (errno == ENOTCONN && fz_fds[s].kind == K_CONN)
			fz_problem("write: ENOTCONN on a connection");
	} else {
		fz_bytes_out += n;
	}
}

/* Poll a few random slots, not only @s, for random events. */
void fz_op_poll(int s)
{
	struct pollfd pfd[8];
	int i, n = 1 + fz_rnd_below(8), ret;

	for (i = 0; i < n; i++) {
		int s = fz_pick();

		pfd[i].fd = s < 0 ? -1 : fz_fds[s].fd;
		pfd[i].events = fz_rnd() & (POLLIN | POLLOUT | POLLRDHUP | POLLPRI);
		pfd[i].revents = 0;
	}
	ret = poll(pfd, n, fz_rnd_below(3));
	if (ret < 0) {
		fz_check_errno("poll", errno);
		return;
	}
	for (i = 0; i < n; i++)
		if (pfd[i].revents & ~(pfd[i].events | POLLERR | POLLHUP |
				       POLLNVAL | POLLRDNORM | POLLWRNORM))
			fz_problem("poll: revents %#x for events %#x",
				   pfd[i].revents, pfd[i].events);
}

void fz_op_epoll(int s)
{
	struct epoll_event ev = { .events = fz_rnd() & (EPOLLIN | EPOLLOUT |
				  EPOLLRDHUP | EPOLLET | EPOLLONESHOT) };
	struct epoll_event out[8];

	if (fz_chance(50))
		epoll_ctl(fz_epfd, EPOLL_CTL_ADD, fz_fds[s].fd, &ev);
	else
		epoll_ctl(fz_epfd, EPOLL_CTL_DEL, fz_fds[s].fd, NULL);
	if (epoll_wait(fz_epfd, out, 8, 0) < 0)
		fz_check_errno("epoll_wait", errno);
}

void fz_op_splice(int s)
{
	int p[2];
	ssize_t n;

	if (pipe2(p, O_NONBLOCK | O_CLOEXEC))
		return;
	n = splice(fz_fds[s].fd, NULL, p[1], NULL, fz_rnd_below(BUF_SIZE),
		   SPLICE_F_NONBLOCK);
	if (n < 0 && errno != EINVAL)
		fz_check_errno("splice", errno);
	close(p[0]);
	close(p[1]);
}

void fz_op_dup(int s)
{
	int d;

	if (fz_nr_fds() >= MAX_HANDLES)
		return;
	d = dup(fz_fds[s].fd);
	if (d >= 0)
		fz_add_fd(d, fz_fds[s].kind, fz_fds[s].file);
}

volatile sig_atomic_t fz_alarms;

void fz_on_alarm(int sig)
{
	fz_alarms++;
}

/* A blocking call, ended by a signal if nothing else ends it. */
void fz_op_blocking(int s)
{
	struct itimerval it = { .it_value = { .tv_usec = 20000 } };
	int fl = fcntl(fz_fds[s].fd, F_GETFL);

	fcntl(fz_fds[s].fd, F_SETFL, fl & ~O_NONBLOCK);
	setitimer(ITIMER_REAL, &it, NULL);
	switch (fz_rnd_below(4)) {
	case 0:
		fz_op_read(s);
		break;
	case 1:
		fz_op_write(s);
		break;
	case 2:
		fz_op_accept(s);
		break;
	default:
		fz_op_connect(s);
		break;
	}
	memset(&it, 0, sizeof(it));
	setitimer(ITIMER_REAL, &it, NULL);
	/* Dup'ed descriptors share the flag: set it back. */
	fcntl(fz_fds[s].fd, F_SETFL, fl | O_NONBLOCK);
}

/* A child runs a few calls on all it inherited, not only @s, then exits. */
void fz_op_fork(int s)
{
	pid_t pid = fork();
	int status, i;

	if (pid < 0)
		return;
	if (pid == 0) {
		fz_rng ^= 0x5bd1e995ULL * getpid();
		for (i = 0; i < 20; i++)
			fz_one_op();
		_exit(fz_impossible ? 1 : 0);
	}
	if (waitpid(pid, &status, 0) != pid)
		return;
	if (!WIFEXITED(status) || WEXITSTATUS(status))
		fz_problem("forked child: status %#x", status);
	for (i = 0; i < MAX_FDS; i++)
		if (fz_fds[i].kind != K_NONE)
			fz_refresh_kind(i);
}
