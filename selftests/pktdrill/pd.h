/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pktdrill_test: scripted conformance in the style of packetdrill, against
 * vtcp. Documentation/pktdrill.rst describes the scripts, their format and
 * how the runner treats them; this header holds what its files share:
 *
 *   parse.c   a script's text into lines (struct pd_script)
 *   packet.c  segments: formatting, receiving vtcp's, matching, injecting
 *   cmd.c     the commands, vtcp's side through /dev/vtcp
 *   run.c     one script, line by line, in a child process of its own
 *   main.c    the scripts, XFAIL and retries, and TAP
 */
#ifndef _VTCP_PKTDRILL_PD_H
#define _VTCP_PKTDRILL_PD_H

#include "vtcp_util.h"
#include "vtcp_pkt.h"

#define PD_DEV		"vtcp0"
#define PD_HOST4	"192.0.2.1"
#define PD_VTCP4	"192.0.2.2"
#define PD_PEER4	"192.0.2.77"
#define PD_HOST6	"2001:db8::1"
#define PD_VTCP6	"2001:db8::2"
#define PD_PEER6	"2001:db8::77"

#define PD_ANY		INT64_MIN	/* "*": matches anything */
#define PD_NSEC		1000000000LL
#define PD_MAX_LINES	1024
#define PD_MAX_OPTS	16
#define PD_MAX_ARGS	4
#define PD_ANY_WAIT	(10 * PD_NSEC)
#define PD_TRACE_LINES	64

#define PD_OPT_ANY	256		/* "<...>" */

struct pd_opt {
	int kind;		/* TCP option kind, or PD_OPT_ANY */
	int nval;
	int64_t val[8];
};

struct pd_seg {
	uint8_t flags;
	int64_t start;		/* relative; PD_ANY allowed in "> " */
	uint32_t len;
	int64_t ack;		/* PD_ANY, or relative */
	bool has_ack;
	int64_t win;
	bool has_win;
	bool has_opts;
	int nopts;
	struct pd_opt opts[PD_MAX_OPTS];
};

struct pd_command;

enum pd_kind { PD_IN, PD_OUT, PD_CMD };
enum pd_timing { PD_T_ABS, PD_T_REL, PD_T_ANY };

struct pd_line {
	int lineno;
	enum pd_kind kind;
	enum pd_timing timing;
	int64_t t;		/* ns */
	int64_t tol;		/* ns; < 0: the script's default */
	struct pd_seg seg;
	const struct pd_command *command;	/* PD_CMD */
	char cmd[32];
	char args[PD_MAX_ARGS][64];
	int nargs;
	bool has_result;
	long result;		/* -errno, or a value */
	char text[256];		/* the event, for messages */
};

struct pd_script {
	const char *name;
	int family;
	int64_t tol;
	uint16_t vport, rport;
	uint32_t isn;
	int timeout;
	int nlines;
	struct pd_line lines[PD_MAX_LINES];
};

/* A segment vtcp sent, as seen on the packet socket. */
struct pd_pkt {
	int64_t ts;
	uint32_t seq, ack;
	uint8_t flags;
	uint16_t win;
	uint8_t opts[40];
	int optlen;
	uint32_t len;
	uint8_t *payload;
	bool gso;		/* cut from a GSO train */
};

struct pd_run {
	struct pd_script *s;
	const char *vaddr, *raddr;
	int pfd;		/* packet socket, to send */
	int rfd;		/* packet socket with virtio-net headers, to receive */
	struct pd_pkt train;	/* the packet being cut into segments */
	uint32_t gso_size, train_off;
	bool train_left;
	struct pd_pkt back;	/* a segment read too early, given back */
	bool back_left;
	int hfd;		/* handle not yet bound */
	int lfd;		/* listener */
	int cfd;		/* the connection */
	int retired[16];	/* connections replaced by a later accept */
	int nretired;
	uint32_t visn;		/* vtcp's ISN */
	bool visn_known;
	int syns_in;		/* SYNs injected ... */
	int syns_in_at_learn;	/* ... and when vtcp's ISN was learned */
	int64_t last_syn_rel;	/* the peer's last SYN, relative */
	uint32_t last_tsval;	/* vtcp's last TSval */
	uint64_t rx_off, tx_off;	/* bytes read from / written to cfd */
	int64_t rx_base;	/* relative sequence of the first byte read */
	bool rx_base_next_syn;	/* connect: the peer's next SYN sets it */
	int64_t t0, prev;	/* script start, previous line's time */
	int curline;
	char trace[PD_TRACE_LINES][200];
	int ntrace;
};

/* A name of a script (an errno, a state, an option) and its value. */
struct pd_name {
	const char *name;
	long value;
};

struct pd_parser {
	const char *name;
	int lineno;
	char err[200];
};

/* A command: what it is called in a script, and what runs it. */
struct pd_command {
	const char *name;
	void (*run)(struct pd_run *r, const struct pd_line *l, int64_t deadline);
};

/* parse.c */
extern const struct pd_name pd_errnos[];

int pd_parse_script(const char *path, struct pd_script *s);
int pd_parse_num(struct pd_parser *p, const char *s, bool any, int64_t *v);
bool pd_lookup(const struct pd_name *t, const char *name, long *v);
const char *pd_name_of(const struct pd_name *t, long v);
void pd_fmt_flags(uint8_t f, char *buf);

/* packet.c */
void pd_fmt_pkt(const struct pd_run *r, const struct pd_pkt *p, char *buf,
		size_t size);
int pd_recv(struct pd_run *r, struct pd_pkt *p, int64_t deadline);
void pd_check_quiet(struct pd_run *r, int64_t when);
void pd_match(struct pd_run *r, const struct pd_line *l,
	      const struct pd_pkt *p);
void pd_inject(struct pd_run *r, const struct pd_line *l);

/* cmd.c */
const struct pd_command *pd_command_find(const char *name);
void pd_cmd(struct pd_run *r, const struct pd_line *l, int64_t deadline);

/* run.c */
extern bool pd_verbose;

int64_t pd_now(void);
void pd_trace(struct pd_run *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void pd_dump_trace(struct pd_run *r);
void pd_fail(struct pd_run *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3), noreturn));
int pd_run_script(struct pd_script *s);

/* The byte at relative sequence number @rel of side @side's stream. */
static inline uint8_t pd_byte(int side, uint64_t rel)
{
	return vtcp_pattern(side, rel);
}

#endif /* _VTCP_PKTDRILL_PD_H */
