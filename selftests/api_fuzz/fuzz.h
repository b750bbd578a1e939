/* SPDX-License-Identifier: GPL-2.0 */
/*
 * api_fuzz_test's shared state and operations: main.c holds the state,
 * the random numbers and the table of operations, ioctl.c and io.c the
 * operations on a handle, host.c the host's side.
 */
#ifndef _VTCP_API_FUZZ_H
#define _VTCP_API_FUZZ_H

#include <signal.h>
#include <stdatomic.h>
#include "vtcp_util.h"

#define MAX_FDS		160
#define MAX_HANDLES	48
#define LPORT_BASE	12000	/* vtcp listeners: LPORT_BASE + 0..7 */
#define NLPORTS		8
#define HPORT_BASE	12100	/* host listeners: HPORT_BASE + 0..3 */
#define NHPORTS		4
#define BUF_SIZE	65536

enum fz_kind { K_NONE, K_UNBOUND, K_LISTENER, K_CONN };

/*
 * Every descriptor the fuzzer holds, with what its file is. Descriptors
 * of one file (dup) share an id, so that binding one binds them all.
 */
struct fz_slot {
	int fd;
	enum fz_kind kind;
	int file;
};

/* main.c */
extern struct fz_slot fz_fds[MAX_FDS];
extern unsigned long long fz_rng;
extern unsigned char *fz_buf;
extern int fz_ifindex, fz_epfd;
extern atomic_int fz_stop;
extern long fz_impossible;
extern long fz_accepted, fz_listened, fz_connected, fz_bytes_in, fz_bytes_out;

unsigned long long fz_rnd(void);
unsigned int fz_rnd_below(unsigned int n);
int fz_chance(int percent);
void fz_problem(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void fz_check_errno(const char *op, int e);
void *fz_rnd_ptr(size_t len, int *valid);
int fz_add_fd(int fd, enum fz_kind kind, int file);
void fz_set_kind(int s, enum fz_kind kind);
void fz_refresh_kind(int s);
int fz_nr_fds(void);
int fz_pick(void);
void fz_op_open(void);
void fz_op_close(int s);
void fz_one_op(void);

/* ioctl.c: the ioctls, with arguments a little off now and then. */
void fz_op_listen(int s);
void fz_op_connect(int s);
void fz_op_accept(int s);
void fz_op_info(int s);
void fz_op_setopt(int s);
void fz_op_getopt(int s);
void fz_op_shutdown(int s);
void fz_op_abort(int s);
void fz_op_bad_ioctl(int s);

/* io.c: reads, writes, polls and the rest of the file operations. */
extern volatile sig_atomic_t fz_alarms;

void fz_on_alarm(int sig);
void fz_op_read(int s);
void fz_op_write(int s);
void fz_op_poll(int s);
void fz_op_epoll(int s);
void fz_op_splice(int s);
void fz_op_dup(int s);
void fz_op_blocking(int s);
void fz_op_fork(int s);

/* host.c: the host's TCP, connecting to vtcp and taking its connections. */
void *fz_host_client(void *arg);
void *fz_host_server(void *arg);

#endif /* _VTCP_API_FUZZ_H */
