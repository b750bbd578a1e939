// SPDX-License-Identifier: GPL-2.0
/*
 * pktdrill_test: scripted conformance in the style of packetdrill.
 *
 * Every *.pkt file in the script directory is one TAP case. A script
 * injects crafted segments into vtcp0 through an AF_PACKET socket, as if
 * the host had routed them there, drives vtcp's side through /dev/vtcp,
 * and checks every segment vtcp sends back. The peer's address is one the
 * host does not own (192.0.2.77, 2001:db8::77), so vtcp's answers reach
 * only the packet socket and the host's stack drops them.
 *
 * The script directory is $VTCP_PKTDRILL_DIR, else ../pktdrill beside
 * this binary (the QEMU initramfs), else the source tree's
 * selftests/pktdrill (compiled in). Arguments name scripts to run instead
 * of all of them. selftests/pktdrill/XFAIL lists scripts expected to fail
 * (one "name.pkt reason" a line): they print "ok N name # SKIP XFAIL ...",
 * and one that passes is a failure ("not ok N name # XPASS"), so the list
 * cannot rot. A failing script runs again, once (VTCP_PKTDRILL_RETRIES):
 * a guest stalled by a loaded machine upsets timing, seldom twice; a bug
 * fails both times. VTCP_PKTDRILL_VERBOSE=1 prints every script's trace.
 *
 * Script format (Documentation/pktdrill.rst). One event a line; "//" and
 * "#" start comments. A line is TIME EVENT, where TIME is
 *
 *   0.5       seconds since the script started
 *   +0.1      seconds after the previous line happened (for a segment vtcp
 *             sent: when it arrived; for a command: when it finished)
 *   *         any time (a segment vtcp sends: within 10 s)
 *   T~TOL     with a tolerance of TOL s instead of the script's default
 *
 * A segment vtcp sends must arrive within TIME +- tolerance (by the
 * kernel's receive timestamp); the next one it sends on the script's
 * connection must be the one the line expects. A segment that no line
 * expects fails the script if it arrived by the time the next injected
 * segment or command is due, or by one tolerance after the last line.
 *
 * EVENT is one of
 *
 *   < FLAGS START:END(LEN) [ack N] [win N] [<OPTIONS>]
 *        the peer (the host side) sends a segment into vtcp0
 *   > FLAGS START:END(LEN) [ack N] [win N] [<OPTIONS>]
 *        vtcp must send this segment
 *   COMMAND [ARGS] [-> RESULT]
 *        vtcp's side, through /dev/vtcp
 *
 * FLAGS are packetdrill's: S F R P . (ACK) U E W, or - for none. Sequence
 * numbers are relative to the ISN of the side that sends them (the peer's
 * is 0 at its SYN; vtcp's is learned from its SYN or SYN-ACK, and again
 * from a SYN after the peer sent a new SYN; before that numbers are
 * absolute); ack numbers, and SACK blocks, to the other side's. In a line
 * vtcp must send, a field left out is not checked (but the ACK number
 * must be given with the ACK flag) and "*" matches anything; options are
 * checked exactly, in order, unless left out or written <...>. The peer's
 * payload bytes, and vtcp's, are a pattern of the sequence number, so
 * reads and vtcp's segments are checked byte for byte.
 *
 * OPTIONS: nop, eol, mss N, wscale N, sackOK, TS val N ecr N,
 * sack A:B [C:D ...], separated by commas. In an injected segment "ecr *"
 * echoes the last TSval vtcp sent; the list is padded with EOL to a
 * multiple of four bytes.
 *
 * COMMANDS (the default RESULT in brackets; "-> ERRNO" expects that
 * error instead):
 *
 *   listen                  listen on vtcp's address and port [0]
 *   accept                  take the connection, waiting one tolerance [fd]
 *   connect                 open to the peer, non-blocking [EINPROGRESS]
 *   write N                 write N bytes [N]
 *   read N | read eof       read exactly N bytes, or end of file, waiting
 *                           one tolerance [N]; "-> EAGAIN": nothing now
 *   shutdown rd|wr|rdwr     [0]
 *   close | close-listener  close the connection's or listener's fd
 *   abort                   VTCP_IOC_ABORT [0]
 *   setopt [conn|listener|handle] NAME VALUE
 *                           VTCP_OPT_NAME (e.g. TIME_WAIT 500, RCVBUF
 *                           4096), on the connection, else the listener,
 *                           else the handle a later listen/connect uses [0]
 *   expect-state STATE      VTCP_IOC_INFO's state (ESTABLISHED, ...), within
 *                           one tolerance
 *   expect-errno ERRNO|0    the pending error (VTCP_OPT_ERROR, which clears it)
 *   expect-info FIELD VALUE a vtcp_info field (snd_mss, rcv_wscale,
 *                           options: ts,sack,ws,ecn ...), within one
 *                           tolerance
 *   wait                    nothing (a point in time: nothing unexpected
 *                           may have been sent by then)
 *
 * Directives, lines without a time, before the first event:
 *   ipv6                    IPv6 addresses
 *   tolerance SECS          default 0.1
 *   port N                  vtcp's port (default 8080)
 *   remote-port N           the peer's (default: a fresh one per script)
 *   isn N                   the peer's ISN (default 3000000000)
 *   timeout SECS            the whole script's limit (default 60)
 */
#include <ctype.h>
#include <dirent.h>
#include <signal.h>
#include <stddef.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <linux/virtio_net.h>
#include "kselftest.h"
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

enum pd_kind { PD_IN, PD_OUT, PD_CMD };
enum pd_timing { PD_T_ABS, PD_T_REL, PD_T_ANY };

struct pd_line {
	int lineno;
	enum pd_kind kind;
	enum pd_timing timing;
	int64_t t;		/* ns */
	int64_t tol;		/* ns; < 0: the script's default */
	struct pd_seg seg;
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

static bool pd_verbose;
static uint8_t pd_buf[65536 + 256];

static int64_t pd_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return ts.tv_sec * PD_NSEC + ts.tv_nsec;
}

static void pd_sleep_until(int64_t t)
{
	struct timespec ts = { .tv_sec = t / PD_NSEC, .tv_nsec = t % PD_NSEC };

	/* A timer already expired may still wait for a tick (UML). */
	if (pd_now() >= t)
		return;
	while (clock_nanosleep(CLOCK_REALTIME, TIMER_ABSTIME, &ts, NULL) == EINTR)
		;
}

/* The byte at relative sequence number @rel of side @side's stream. */
static uint8_t pd_byte(int side, uint64_t rel)
{
	return vtcp_pattern(side, rel);
}

/* --- Tables ------------------------------------------------------------ */

struct pd_name {
	const char *name;
	long value;
};

static const struct pd_name pd_errnos[] = {
	{ "EAGAIN", EAGAIN }, { "EINPROGRESS", EINPROGRESS },
	{ "ECONNRESET", ECONNRESET }, { "ECONNREFUSED", ECONNREFUSED },
	{ "ECONNABORTED", ECONNABORTED }, { "ETIMEDOUT", ETIMEDOUT },
	{ "EPIPE", EPIPE }, { "ENOTCONN", ENOTCONN }, { "EINVAL", EINVAL },
	{ "EISCONN", EISCONN }, { "EADDRINUSE", EADDRINUSE },
	{ "ENOTTY", ENOTTY }, { "EBADF", EBADF }, { "ENOPROTOOPT", ENOPROTOOPT },
	{ "ENOENT", ENOENT }, { "E2BIG", E2BIG }, { "ENODEV", ENODEV },
	{ "EALREADY", EALREADY }, { "ENETDOWN", ENETDOWN }, { NULL, 0 }
};

static const struct pd_name pd_states[] = {
	{ "CLOSED", VTCP_CLOSED }, { "LISTEN", VTCP_LISTEN },
	{ "SYN_SENT", VTCP_SYN_SENT }, { "SYN_RECEIVED", VTCP_SYN_RECEIVED },
	{ "ESTABLISHED", VTCP_ESTABLISHED }, { "FIN_WAIT_1", VTCP_FIN_WAIT_1 },
	{ "FIN_WAIT_2", VTCP_FIN_WAIT_2 }, { "CLOSE_WAIT", VTCP_CLOSE_WAIT },
	{ "CLOSING", VTCP_CLOSING }, { "LAST_ACK", VTCP_LAST_ACK },
	{ "TIME_WAIT", VTCP_TIME_WAIT }, { NULL, 0 }
};

static const struct pd_name pd_optnames[] = {
	{ "KEEPALIVE", VTCP_OPT_KEEPALIVE }, { "KEEPIDLE", VTCP_OPT_KEEPIDLE },
	{ "KEEPINTVL", VTCP_OPT_KEEPINTVL }, { "KEEPCNT", VTCP_OPT_KEEPCNT },
	{ "NODELAY", VTCP_OPT_NODELAY }, { "CORK", VTCP_OPT_CORK },
	{ "USER_TIMEOUT", VTCP_OPT_USER_TIMEOUT }, { "SNDBUF", VTCP_OPT_SNDBUF },
	{ "RCVBUF", VTCP_OPT_RCVBUF }, { "CONGESTION", VTCP_OPT_CONGESTION },
	{ "MAXSEG", VTCP_OPT_MAXSEG }, { "LINGER_ABORT", VTCP_OPT_LINGER_ABORT },
	{ "SACK", VTCP_OPT_SACK }, { "TIMESTAMPS", VTCP_OPT_TIMESTAMPS },
	{ "WINDOW_SCALING", VTCP_OPT_WINDOW_SCALING },
	{ "TIME_WAIT", VTCP_OPT_TIME_WAIT }, { "NOSIGPIPE", VTCP_OPT_NOSIGPIPE },
	{ "ECN", VTCP_OPT_ECN }, { "RACK", VTCP_OPT_RACK },
	{ NULL, 0 }
};

#define PD_INFO(f) { #f, offsetof(struct vtcp_info, f), \
		     sizeof(((struct vtcp_info *)0)->f) }

static const struct pd_info_field {
	const char *name;
	size_t off, size;
} pd_info_fields[] = {
	PD_INFO(state), PD_INFO(ca_state), PD_INFO(options),
	PD_INFO(snd_wscale), PD_INFO(rcv_wscale), PD_INFO(backoff),
	PD_INFO(probes), PD_INFO(rto), PD_INFO(snd_mss), PD_INFO(rcv_mss),
	PD_INFO(snd_cwnd), PD_INFO(snd_wnd), PD_INFO(rcv_wnd),
	PD_INFO(unacked), PD_INFO(notsent), PD_INFO(rcv_queued),
	PD_INFO(total_retrans), PD_INFO(rto_expirations), PD_INFO(dsacks),
	PD_INFO(ooo_segs), PD_INFO(challenge_acks),
	PD_INFO(zero_window_probes), PD_INFO(keepalive_probes),
	PD_INFO(bytes_received), PD_INFO(bytes_acked), PD_INFO(segs_in),
	PD_INFO(segs_out), PD_INFO(data_segs_in), PD_INFO(data_segs_out),
	{ NULL, 0, 0 }
};

static bool pd_lookup(const struct pd_name *t, const char *name, long *v)
{
	for (; t->name; t++) {
		if (!strcasecmp(t->name, name)) {
			*v = t->value;
			return true;
		}
	}
	return false;
}

static const char *pd_name_of(const struct pd_name *t, long v)
{
	static char buf[24];

	for (; t->name; t++)
		if (t->value == v)
			return t->name;
	snprintf(buf, sizeof(buf), "%ld", v);
	return buf;
}

/* "-ECONNRESET", "0" or a number. */
static const char *pd_result_str(long v)
{
	static char buf[32];

	if (v < 0)
		snprintf(buf, sizeof(buf), "%s", pd_name_of(pd_errnos, -v));
	else
		snprintf(buf, sizeof(buf), "%ld", v);
	return buf;
}

/* --- Messages and the trace -------------------------------------------- */

static void pd_trace(struct pd_run *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void pd_trace(struct pd_run *r, const char *fmt, ...)
{
	char *slot = r->trace[r->ntrace++ % PD_TRACE_LINES];
	int64_t t = pd_now() - r->t0;
	va_list ap;
	int n;

	n = snprintf(slot, 200, "%3lld.%06lld ", (long long)(t / PD_NSEC),
		     (long long)(t % PD_NSEC / 1000));
	va_start(ap, fmt);
	vsnprintf(slot + n, 200 - n, fmt, ap);
	va_end(ap);
	if (pd_verbose)
		printf("#   %s\n", slot);
}

static void pd_dump_trace(struct pd_run *r)
{
	int i = r->ntrace > PD_TRACE_LINES ? r->ntrace - PD_TRACE_LINES : 0;

	if (pd_verbose)
		return;
	printf("# trace of %s (times in s since its start):\n", r->s->name);
	for (; i < r->ntrace; i++)
		printf("#   %s\n", r->trace[i % PD_TRACE_LINES]);
}

static void pd_fail(struct pd_run *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3), noreturn));
static void pd_fail(struct pd_run *r, const char *fmt, ...)
{
	va_list ap;

	printf("# %s:%d: ", r->s->name, r->curline);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	pd_dump_trace(r);
	fflush(stdout);
	exit(1);
}

/* --- Parsing ----------------------------------------------------------- */

struct pd_parser {
	const char *name;
	int lineno;
	char err[200];
};

#define PD_PARSE_ERR(p, ...) do { \
	snprintf((p)->err, sizeof((p)->err), __VA_ARGS__); \
	return -1; \
} while (0)

/* A number, or "*" where @any is allowed. */
static int pd_parse_num(struct pd_parser *p, const char *s, bool any,
			int64_t *v)
{
	char *end;

	if (any && !strcmp(s, "*")) {
		*v = PD_ANY;
		return 0;
	}
	errno = 0;
	*v = strtoll(s, &end, 0);
	if (errno || end == s || *end)
		PD_PARSE_ERR(p, "bad number '%s'", s);
	return 0;
}

/* Seconds, as in "0.04" or ".5", to ns. */
static int pd_parse_secs(struct pd_parser *p, const char *s, int64_t *ns)
{
	char *end;
	double d;

	errno = 0;
	d = strtod(s, &end);
	if (errno || end == s || *end || d < 0)
		PD_PARSE_ERR(p, "bad time '%s'", s);
	*ns = (int64_t)(d * PD_NSEC + 0.5);
	return 0;
}

/* TCP flags and their letters in scripts, in the order they are printed. */
static const struct {
	uint8_t bit;
	char c;
} pd_flag_names[] = {
	{ VTCP_TH_FIN, 'F' }, { VTCP_TH_SYN, 'S' }, { VTCP_TH_RST, 'R' },
	{ VTCP_TH_PSH, 'P' }, { VTCP_TH_ACK, '.' }, { VTCP_TH_URG, 'U' },
	{ VTCP_TH_ECE, 'E' }, { VTCP_TH_CWR, 'W' },
};

static int pd_parse_flags(struct pd_parser *p, const char *s, uint8_t *flags)
{
	unsigned int i;

	*flags = 0;
	if (!strcmp(s, "-"))
		return 0;
	for (; *s; s++) {
		for (i = 0; i < ARRAY_SIZE(pd_flag_names); i++)
			if (pd_flag_names[i].c == *s)
				break;
		if (i == ARRAY_SIZE(pd_flag_names))
			PD_PARSE_ERR(p, "bad flag '%c'", *s);
		*flags |= pd_flag_names[i].bit;
	}
	return 0;
}

/* "a:b" to two numbers. */
static int pd_parse_range(struct pd_parser *p, const char *s, bool any,
			  int64_t *a, int64_t *b)
{
	char tmp[64], *colon;

	snprintf(tmp, sizeof(tmp), "%s", s);
	colon = strchr(tmp, ':');
	if (!colon)
		PD_PARSE_ERR(p, "expected A:B, got '%s'", s);
	*colon = '\0';
	if (pd_parse_num(p, tmp, any, a) || pd_parse_num(p, colon + 1, any, b))
		return -1;
	return 0;
}

/* The inside of "<...>". */
static int pd_parse_opts(struct pd_parser *p, char *s, struct pd_seg *seg,
			 bool out)
{
	char *item, *save = NULL;

	seg->has_opts = true;
	for (item = strtok_r(s, ",", &save); item; item = strtok_r(NULL, ",", &save)) {
		char *tok[12], *tsave = NULL;
		struct pd_opt *o;
		int n = 0, i;

		for (tok[n] = strtok_r(item, " \t", &tsave); tok[n] && n < 11;
		     tok[++n] = strtok_r(NULL, " \t", &tsave))
			;
		if (!n)
			PD_PARSE_ERR(p, "empty option");
		if (seg->nopts == PD_MAX_OPTS)
			PD_PARSE_ERR(p, "too many options");
		o = &seg->opts[seg->nopts++];
		memset(o, 0, sizeof(*o));
		if (!strcmp(tok[0], "...") && n == 1 && out) {
			o->kind = PD_OPT_ANY;
		} else if (!strcmp(tok[0], "nop") && n == 1) {
			o->kind = 1;
		} else if (!strcmp(tok[0], "eol") && n == 1) {
			o->kind = 0;
		} else if (!strcmp(tok[0], "sackOK") && n == 1) {
			o->kind = 4;
		} else if ((!strcmp(tok[0], "mss") || !strcmp(tok[0], "wscale")) &&
			   n == 2) {
			o->kind = tok[0][0] == 'm' ? 2 : 3;
			o->nval = 1;
			if (pd_parse_num(p, tok[1], out, &o->val[0]))
				return -1;
		} else if (!strcmp(tok[0], "TS") && n == 5 &&
			   !strcmp(tok[1], "val") && !strcmp(tok[3], "ecr")) {
			o->kind = 8;
			o->nval = 2;
			if (pd_parse_num(p, tok[2], out, &o->val[0]) ||
			    pd_parse_num(p, tok[4], true, &o->val[1]))
				return -1;
		} else if (!strcmp(tok[0], "sack") && n >= 2 && n <= 5) {
			o->kind = 5;
			for (i = 1; i < n; i++) {
				if (pd_parse_range(p, tok[i], out, &o->val[o->nval],
						   &o->val[o->nval + 1]))
					return -1;
				o->nval += 2;
			}
		} else {
			PD_PARSE_ERR(p, "bad option '%s'", tok[0]);
		}
	}
	if (!seg->nopts)
		PD_PARSE_ERR(p, "empty option list");
	return 0;
}

/* FLAGS START:END(LEN) [ack N] [win N], tokens after the direction. */
static int pd_parse_seg(struct pd_parser *p, char **tok, int n,
			struct pd_seg *seg, bool out)
{
	int64_t start, end, len;
	char range[64], *paren;
	int i;

	if (n < 2)
		PD_PARSE_ERR(p, "a segment needs FLAGS and START:END(LEN)");
	if (pd_parse_flags(p, tok[0], &seg->flags))
		return -1;
	snprintf(range, sizeof(range), "%s", tok[1]);
	paren = strchr(range, '(');
	if (!paren || range[strlen(range) - 1] != ')')
		PD_PARSE_ERR(p, "expected START:END(LEN), got '%s'", tok[1]);
	range[strlen(range) - 1] = '\0';
	*paren = '\0';
	if (pd_parse_range(p, range, out, &start, &end) ||
	    pd_parse_num(p, paren + 1, false, &len))
		return -1;
	if (len < 0 || len > 65000)
		PD_PARSE_ERR(p, "bad length %lld", (long long)len);
	if (start != PD_ANY && end != PD_ANY && end - start != len)
		PD_PARSE_ERR(p, "%lld:%lld is not %lld bytes", (long long)start,
			     (long long)end, (long long)len);
	seg->start = start;
	seg->len = len;
	for (i = 2; i < n; i += 2) {
		if (i + 1 >= n)
			PD_PARSE_ERR(p, "'%s' needs a value", tok[i]);
		if (!strcmp(tok[i], "ack")) {
			seg->has_ack = true;
			if (pd_parse_num(p, tok[i + 1], out, &seg->ack))
				return -1;
		} else if (!strcmp(tok[i], "win")) {
			seg->has_win = true;
			if (pd_parse_num(p, tok[i + 1], out, &seg->win))
				return -1;
			if (seg->win != PD_ANY && (seg->win < 0 || seg->win > 65535))
				PD_PARSE_ERR(p, "bad window %lld", (long long)seg->win);
		} else {
			PD_PARSE_ERR(p, "unknown field '%s'", tok[i]);
		}
	}
	if ((seg->flags & VTCP_TH_ACK) && !seg->has_ack)
		PD_PARSE_ERR(p, "the ACK flag needs 'ack N'");
	if (!out && !seg->has_win)
		seg->win = 65535;
	return 0;
}

static const char *const pd_commands[] = {
	"listen", "accept", "connect", "write", "read", "shutdown", "close",
	"close-listener", "abort", "setopt", "expect-state", "expect-errno",
	"expect-info", "wait", NULL
};

static int pd_parse_result(struct pd_parser *p, const char *s, long *v)
{
	int64_t n;

	if (pd_lookup(pd_errnos, s, v)) {
		*v = -*v;
		return 0;
	}
	if (pd_parse_num(p, s, false, &n))
		return -1;
	*v = n;
	return 0;
}

static int pd_parse_event(struct pd_parser *p, char *ev, struct pd_line *l)
{
	char *tok[24], *opts = NULL, *save = NULL;
	int n = 0, i;

	snprintf(l->text, sizeof(l->text), "%s", ev);
	if (ev[0] == '<' || ev[0] == '>') {
		bool out = ev[0] == '>';
		char *lt = strchr(ev + 1, '<');

		l->kind = out ? PD_OUT : PD_IN;
		if (lt) {
			char *gt = strrchr(lt, '>');

			if (!gt)
				PD_PARSE_ERR(p, "option list without '>'");
			*lt = '\0';
			*gt = '\0';
			opts = lt + 1;
		}
		for (tok[n] = strtok_r(ev + 1, " \t", &save); tok[n] && n < 23;
		     tok[++n] = strtok_r(NULL, " \t", &save))
			;
		if (pd_parse_seg(p, tok, n, &l->seg, out))
			return -1;
		if (opts && pd_parse_opts(p, opts, &l->seg, out))
			return -1;
		return 0;
	}

	l->kind = PD_CMD;
	for (tok[n] = strtok_r(ev, " \t", &save); tok[n] && n < 23;
	     tok[++n] = strtok_r(NULL, " \t", &save))
		;
	if (!n)
		PD_PARSE_ERR(p, "no event");
	for (i = 0; pd_commands[i]; i++)
		if (!strcmp(tok[0], pd_commands[i]))
			break;
	if (!pd_commands[i])
		PD_PARSE_ERR(p, "unknown command '%s'", tok[0]);
	snprintf(l->cmd, sizeof(l->cmd), "%s", tok[0]);
	for (i = 1; i < n; i++) {
		if (!strcmp(tok[i], "->")) {
			if (i + 2 != n)
				PD_PARSE_ERR(p, "'->' takes one result");
			l->has_result = true;
			return pd_parse_result(p, tok[i + 1], &l->result);
		}
		if (l->nargs == PD_MAX_ARGS)
			PD_PARSE_ERR(p, "too many arguments");
		snprintf(l->args[l->nargs++], sizeof(l->args[0]), "%s", tok[i]);
	}
	return 0;
}

static int pd_parse_directive(struct pd_parser *p, struct pd_script *s,
			      char *line)
{
	char *key, *val, *save = NULL;
	int64_t v;

	key = strtok_r(line, " \t", &save);
	val = strtok_r(NULL, " \t", &save);
	if (!strcmp(key, "ipv6") && !val) {
		s->family = AF_INET6;
		return 0;
	}
	if (!val || strtok_r(NULL, " \t", &save))
		PD_PARSE_ERR(p, "directive '%s' takes one value", key);
	if (!strcmp(key, "tolerance"))
		return pd_parse_secs(p, val, &s->tol);
	if (pd_parse_num(p, val, false, &v))
		return -1;
	if (!strcmp(key, "port") || !strcmp(key, "remote-port")) {
		if (v <= 0 || v > 65535)
			PD_PARSE_ERR(p, "bad port %lld", (long long)v);
		if (key[0] == 'p')
			s->vport = v;
		else
			s->rport = v;
	} else if (!strcmp(key, "isn")) {
		s->isn = v;
	} else if (!strcmp(key, "timeout")) {
		s->timeout = v;
	} else {
		PD_PARSE_ERR(p, "unknown directive '%s'", key);
	}
	return 0;
}

/* Parse @path into @s; prints why and returns -1 if it cannot. */
static int pd_parse_script(const char *path, struct pd_script *s)
{
	struct pd_parser p = { .name = s->name };
	char line[1024];
	FILE *f = fopen(path, "r");

	if (!f) {
		printf("# %s: %s\n", path, strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof(line), f)) {
		char *c, *ev, *tilde;
		struct pd_line *l;

		p.lineno++;
		c = strstr(line, "//");
		if (c)
			*c = '\0';
		if (line[0] == '#')
			line[0] = '\0';
		c = line + strlen(line);
		while (c > line && isspace((unsigned char)c[-1]))
			*--c = '\0';
		c = line;
		while (isspace((unsigned char)*c))
			c++;
		if (!*c)
			continue;
		if (!isdigit((unsigned char)*c) && *c != '+' && *c != '*' &&
		    *c != '.') {
			if (s->nlines) {
				snprintf(p.err, sizeof(p.err),
					 "directive after the first event");
				goto err;
			}
			if (pd_parse_directive(&p, s, c))
				goto err;
			continue;
		}
		if (s->nlines == PD_MAX_LINES) {
			snprintf(p.err, sizeof(p.err), "too many lines");
			goto err;
		}
		l = &s->lines[s->nlines++];
		memset(l, 0, sizeof(*l));
		l->lineno = p.lineno;
		l->tol = -1;
		ev = c + strcspn(c, " \t");
		if (*ev)
			*ev++ = '\0';
		while (isspace((unsigned char)*ev))
			ev++;
		tilde = strchr(c, '~');
		if (tilde) {
			*tilde = '\0';
			if (pd_parse_secs(&p, tilde + 1, &l->tol))
				goto err;
		}
		if (!strcmp(c, "*")) {
			l->timing = PD_T_ANY;
		} else if (c[0] == '+') {
			l->timing = PD_T_REL;
			if (pd_parse_secs(&p, c + 1, &l->t))
				goto err;
		} else {
			l->timing = PD_T_ABS;
			if (pd_parse_secs(&p, c, &l->t))
				goto err;
		}
		if (pd_parse_event(&p, ev, l))
			goto err;
		if (l->timing == PD_T_ANY && l->kind != PD_OUT) {
			snprintf(p.err, sizeof(p.err), "'*' is for segments vtcp sends");
			goto err;
		}
	}
	fclose(f);
	if (!s->nlines) {
		printf("# %s: no events\n", s->name);
		return -1;
	}
	return 0;
err:
	printf("# %s:%d: parse error: %s\n", s->name, p.lineno, p.err);
	fclose(f);
	return -1;
}

/* --- Segments ---------------------------------------------------------- */

static void pd_fmt_flags(uint8_t f, char *buf)
{
	unsigned int i;
	char *p = buf;

	for (i = 0; i < ARRAY_SIZE(pd_flag_names); i++)
		if (f & pd_flag_names[i].bit)
			*p++ = pd_flag_names[i].c;
	if (p == buf)
		*p++ = '-';
	*p = '\0';
}

/* Decode wire options into items; SACK blocks relative to @sack_base. */
static int pd_opts_decode(const uint8_t *o, int len, uint32_t sack_base,
			  struct pd_opt *items, int max)
{
	int n = 0, i = 0;

	while (i < len && n < max) {
		struct pd_opt *it = &items[n++];
		int k = o[i], olen, j;

		memset(it, 0, sizeof(*it));
		it->kind = k;
		if (k == 0)
			break;
		if (k == 1) {
			i++;
			continue;
		}
		olen = i + 1 < len ? o[i + 1] : 0;
		if (olen < 2 || i + olen > len) {
			it->kind = -k;	/* malformed */
			break;
		}
		switch (k) {
		case 2:
			if (olen == 4) {
				it->nval = 1;
				it->val[0] = o[i + 2] << 8 | o[i + 3];
			}
			break;
		case 3:
			if (olen == 3) {
				it->nval = 1;
				it->val[0] = o[i + 2];
			}
			break;
		case 8:
			if (olen == 10) {
				it->nval = 2;
				it->val[0] = ntohl(*(uint32_t *)(o + i + 2));
				it->val[1] = ntohl(*(uint32_t *)(o + i + 6));
			}
			break;
		case 5:
			for (j = 2; j + 8 <= olen && it->nval < 8; j += 8) {
				it->val[it->nval++] = (uint32_t)
					(ntohl(*(uint32_t *)(o + i + j)) - sack_base);
				it->val[it->nval++] = (uint32_t)
					(ntohl(*(uint32_t *)(o + i + j + 4)) - sack_base);
			}
			break;
		}
		i += olen;
	}
	return n;
}

static void pd_fmt_opts(const struct pd_opt *items, int n, char *buf, size_t size)
{
	size_t len = 0;
	int i, j;

	len += snprintf(buf + len, size - len, "<");
	for (i = 0; i < n && len < size; i++) {
		const struct pd_opt *o = &items[i];
		char v[8][24];

		for (j = 0; j < o->nval; j++) {
			if (o->val[j] == PD_ANY)
				snprintf(v[j], sizeof(v[j]), "*");
			else
				snprintf(v[j], sizeof(v[j]), "%lld", (long long)o->val[j]);
		}
		if (i)
			len += snprintf(buf + len, size - len, ",");
		if (len >= size)
			break;
		switch (o->kind) {
		case PD_OPT_ANY:
			len += snprintf(buf + len, size - len, "...");
			break;
		case 0:
			len += snprintf(buf + len, size - len, "eol");
			break;
		case 1:
			len += snprintf(buf + len, size - len, "nop");
			break;
		case 2:
			len += snprintf(buf + len, size - len, "mss %s", o->nval ? v[0] : "?");
			break;
		case 3:
			len += snprintf(buf + len, size - len, "wscale %s", o->nval ? v[0] : "?");
			break;
		case 4:
			len += snprintf(buf + len, size - len, "sackOK");
			break;
		case 8:
			if (o->nval == 2)
				len += snprintf(buf + len, size - len, "TS val %s ecr %s",
						v[0], v[1]);
			else
				len += snprintf(buf + len, size - len, "TS ?");
			break;
		case 5:
			len += snprintf(buf + len, size - len, "sack");
			for (j = 0; j + 1 < o->nval && len < size; j += 2)
				len += snprintf(buf + len, size - len, " %s:%s",
						v[j], v[j + 1]);
			break;
		default:
			len += snprintf(buf + len, size - len, "kind %d%s",
					o->kind < 0 ? -o->kind : o->kind,
					o->kind < 0 ? " (malformed)" : "");
		}
	}
	if (len < size)
		snprintf(buf + len, size - len, ">");
}

static uint32_t pd_vbase(const struct pd_run *r)
{
	return r->visn_known ? r->visn : 0;
}

/* A segment vtcp sent, in script notation, relative numbers. */
static void pd_fmt_pkt(const struct pd_run *r, const struct pd_pkt *p,
		       char *buf, size_t size)
{
	struct pd_opt items[PD_MAX_OPTS];
	uint32_t seq = p->seq - pd_vbase(r);
	char flags[12], opts[200] = "";
	int n;

	pd_fmt_flags(p->flags, flags);
	n = pd_opts_decode(p->opts, p->optlen, r->s->isn, items, PD_MAX_OPTS);
	if (n)
		pd_fmt_opts(items, n, opts, sizeof(opts));
	if (p->flags & VTCP_TH_ACK)
		snprintf(buf, size, "%s %u:%u(%u) ack %u win %u %s", flags, seq,
			 seq + p->len, p->len, p->ack - r->s->isn, p->win, opts);
	else
		snprintf(buf, size, "%s %u:%u(%u) win %u %s", flags, seq,
			 seq + p->len, p->len, p->win, opts);
}

/*
 * Read the next packet vtcp injected on the script's connection into
 * r->train, by @deadline. A GSO train (vtcp sends up to 64 KiB at once)
 * is cut into the segments it stands for, as a NIC would cut it.
 */
static int pd_recv_train(struct pd_run *r, int64_t deadline)
{
	for (;;) {
		struct pollfd pfd = { .fd = r->rfd, .events = POLLIN };
		char cbuf[CMSG_SPACE(sizeof(struct timespec))];
		struct virtio_net_hdr vh;
		struct iovec iov[2] = {
			{ &vh, sizeof(vh) }, { pd_buf, sizeof(pd_buf) },
		};
		struct sockaddr_ll from;
		struct msghdr msg = {
			.msg_name = &from, .msg_namelen = sizeof(from),
			.msg_iov = iov, .msg_iovlen = 2,
			.msg_control = cbuf, .msg_controllen = sizeof(cbuf),
		};
		struct pd_pkt *p = &r->train;
		struct cmsghdr *cm;
		int64_t now = pd_now();
		int ms = deadline > now ? (deadline - now + 999999) / 1000000 : 0;
		const uint8_t *th;
		uint16_t sport, dport;
		uint32_t tcplen;
		ssize_t n;

		if (poll(&pfd, 1, ms) <= 0)
			return -ETIMEDOUT;
		n = recvmsg(r->rfd, &msg, MSG_DONTWAIT);
		if (n < (ssize_t)sizeof(vh) + 20 || from.sll_pkttype == PACKET_OUTGOING)
			continue;
		n -= sizeof(vh);
		p->ts = 0;
		for (cm = CMSG_FIRSTHDR(&msg); cm; cm = CMSG_NXTHDR(&msg, cm)) {
			if (cm->cmsg_level == SOL_SOCKET &&
			    cm->cmsg_type == SCM_TIMESTAMPNS) {
				struct timespec ts;

				memcpy(&ts, CMSG_DATA(cm), sizeof(ts));
				p->ts = ts.tv_sec * PD_NSEC + ts.tv_nsec;
			}
		}
		if (!p->ts)
			p->ts = pd_now();
		if (r->s->family == AF_INET) {
			const struct iphdr *iph = (const void *)pd_buf;
			struct in_addr a;

			if ((pd_buf[0] >> 4) != 4 || iph->protocol != IPPROTO_TCP ||
			    n < iph->ihl * 4 + 20)
				continue;
			inet_pton(AF_INET, r->vaddr, &a);
			if (iph->saddr != a.s_addr)
				continue;
			inet_pton(AF_INET, r->raddr, &a);
			if (iph->daddr != a.s_addr)
				continue;
			th = pd_buf + iph->ihl * 4;
			tcplen = ntohs(iph->tot_len) - iph->ihl * 4;
		} else {
			const struct ip6_hdr *ip6 = (const void *)pd_buf;
			struct in6_addr a;

			if ((pd_buf[0] >> 4) != 6 || ip6->ip6_nxt != IPPROTO_TCP ||
			    n < (ssize_t)sizeof(*ip6) + 20)
				continue;
			inet_pton(AF_INET6, r->vaddr, &a);
			if (memcmp(&ip6->ip6_src, &a, sizeof(a)))
				continue;
			inet_pton(AF_INET6, r->raddr, &a);
			if (memcmp(&ip6->ip6_dst, &a, sizeof(a)))
				continue;
			th = pd_buf + sizeof(*ip6);
			tcplen = ntohs(ip6->ip6_plen);
		}
		sport = th[0] << 8 | th[1];
		dport = th[2] << 8 | th[3];
		if (sport != r->s->vport || dport != r->s->rport)
			continue;
		if (th + tcplen > pd_buf + n || tcplen < (uint32_t)(th[12] >> 4) * 4 ||
		    (th[12] >> 4) < 5)
			pd_fail(r, "vtcp sent a malformed segment (%u bytes of TCP, "
				"data offset %u)", tcplen, th[12] >> 4);
		p->seq = ntohl(*(const uint32_t *)(th + 4));
		p->ack = ntohl(*(const uint32_t *)(th + 8));
		p->flags = th[13];
		p->win = th[14] << 8 | th[15];
		p->optlen = (th[12] >> 4) * 4 - 20;
		memcpy(p->opts, th + 20, p->optlen);
		p->len = tcplen - (th[12] >> 4) * 4;
		p->payload = (uint8_t *)th + (th[12] >> 4) * 4;
		r->gso_size = vh.gso_type != VIRTIO_NET_HDR_GSO_NONE ? vh.gso_size : 0;
		if (r->gso_size >= p->len)
			r->gso_size = 0;
		r->train_off = 0;
		r->train_left = true;
		return 0;
	}
}

/* The next segment vtcp sends on the script's connection, by @deadline. */
static int pd_recv(struct pd_run *r, struct pd_pkt *p, int64_t deadline)
{
	const struct pd_pkt *t = &r->train;
	uint32_t len;
	int ret;

	if (r->back_left) {
		*p = r->back;
		r->back_left = false;
		return 0;
	}
	if (!r->train_left) {
		ret = pd_recv_train(r, deadline);
		if (ret)
			return ret;
	}
	*p = *t;
	p->gso = !!r->gso_size;
	if (!r->gso_size) {
		r->train_left = false;
		return 0;
	}
	/* The next piece: FIN and PSH on the last, CWR on the first. */
	len = t->len - r->train_off;
	if (len > r->gso_size)
		len = r->gso_size;
	p->seq = t->seq + r->train_off;
	p->len = len;
	p->payload = t->payload + r->train_off;
	if (r->train_off)
		p->flags &= ~VTCP_TH_CWR;
	r->train_off += len;
	if (r->train_off < t->len)
		p->flags &= ~(VTCP_TH_FIN | VTCP_TH_PSH);
	else
		r->train_left = false;
	return 0;
}

/*
 * Nothing may have arrived by @when that no line expects. What came later
 * is left for the lines after.
 */
static void pd_check_quiet(struct pd_run *r, int64_t when)
{
	struct pd_pkt p;
	char buf[300];

	if (pd_recv(r, &p, 0))
		return;
	if (p.ts > when) {
		r->back = p;
		r->back_left = true;
		return;
	}
	pd_fmt_pkt(r, &p, buf, sizeof(buf));
	pd_trace(r, "> %s  (unexpected)", buf);
	pd_fail(r, "vtcp sent a segment no line expects, %.3f s into the script: %s",
		(double)(p.ts - r->t0) / PD_NSEC, buf);
}

static bool pd_num_ok(int64_t want, int64_t got)
{
	return want == PD_ANY || want == got;
}

/* Does @p match line @l? Fails the script with the first difference. */
static void pd_match(struct pd_run *r, const struct pd_line *l,
		     const struct pd_pkt *p)
{
	const struct pd_seg *e = &l->seg;
	struct pd_opt items[PD_MAX_OPTS];
	char got[300], want[300];
	uint32_t rel;
	int n, i, j;

	if ((e->flags & VTCP_TH_SYN) && (p->flags & VTCP_TH_SYN) &&
	    e->start != PD_ANY &&
	    (!r->visn_known || r->syns_in != r->syns_in_at_learn)) {
		r->visn = p->seq - (uint32_t)e->start;
		r->visn_known = true;
		r->syns_in_at_learn = r->syns_in;
	}
	pd_fmt_pkt(r, p, got, sizeof(got));
	pd_trace(r, "> %s%s", got, p->gso ? "  (GSO)" : "");
	snprintf(want, sizeof(want), "%s", l->text + 1);
	while (want[0] == ' ')
		memmove(want, want + 1, strlen(want));
#define PD_MISMATCH(what) \
	pd_fail(r, "%s differs\n#   expected: > %s\n#   got:      > %s", what, want, got)

	if (e->flags != p->flags)
		PD_MISMATCH("flags");
	rel = p->seq - pd_vbase(r);
	if (!pd_num_ok(e->start, rel))
		PD_MISMATCH("sequence number");
	if (e->len != p->len)
		PD_MISMATCH("length");
	if (e->flags & VTCP_TH_ACK) {
		if (!pd_num_ok(e->ack, (uint32_t)(p->ack - r->s->isn)))
			PD_MISMATCH("ack number");
	}
	if (e->has_win && !pd_num_ok(e->win, p->win))
		PD_MISMATCH("window");
	if (e->has_opts && !(e->nopts == 1 && e->opts[0].kind == PD_OPT_ANY)) {
		n = pd_opts_decode(p->opts, p->optlen, r->s->isn, items, PD_MAX_OPTS);
		/* EOL padding is not an option, unless the line asks for it. */
		if (n && items[n - 1].kind == 0 && e->opts[e->nopts - 1].kind != 0)
			n--;
		if (n != e->nopts)
			PD_MISMATCH("options");
		for (i = 0; i < n; i++) {
			if (items[i].kind != e->opts[i].kind ||
			    items[i].nval != e->opts[i].nval)
				PD_MISMATCH("options");
			for (j = 0; j < items[i].nval; j++)
				if (!pd_num_ok(e->opts[i].val[j], items[i].val[j]))
					PD_MISMATCH("options");
		}
	}
	/* vtcp's byte at relative sequence number s is pattern 2 at s - 1. */
	for (i = 0; i < (int)p->len; i++) {
		uint32_t s = rel + i + !!(p->flags & VTCP_TH_SYN);

		if (p->payload[i] != pd_byte(2, s - 1))
			pd_fail(r, "payload byte at relative sequence %u differs "
				"from what was written", s);
	}
	n = pd_opts_decode(p->opts, p->optlen, r->s->isn, items, PD_MAX_OPTS);
	for (i = 0; i < n; i++)
		if (items[i].kind == 8 && items[i].nval == 2)
			r->last_tsval = items[i].val[0];
#undef PD_MISMATCH
}

/* Build and send line @l's segment. */
static void pd_inject(struct pd_run *r, const struct pd_line *l)
{
	const struct pd_seg *e = &l->seg;
	static uint8_t payload[65536];
	struct vtcp_seg_desc d = {
		.family = r->s->family,
		.sport = r->s->rport,
		.dport = r->s->vport,
		.flags = e->flags,
		.win = e->win,
		.payload = payload,
		.len = e->len,
	};
	uint8_t *o = d.opts;
	char buf[300];
	int i, j, ret;

	snprintf(d.src, sizeof(d.src), "%s", r->raddr);
	snprintf(d.dst, sizeof(d.dst), "%s", r->vaddr);
	d.seq = r->s->isn + (uint32_t)e->start;
	if (e->has_ack)
		d.ack = pd_vbase(r) + (uint32_t)e->ack;
	for (i = 0; i < (int)e->len; i++)
		payload[i] = pd_byte(1, e->start + i + !!(e->flags & VTCP_TH_SYN));
	for (i = 0; i < e->nopts; i++) {
		const struct pd_opt *op = &e->opts[i];
		int need = op->kind <= 1 ? 1 : op->kind == 2 ? 4 : op->kind == 3 ? 3 :
			   op->kind == 4 ? 2 : op->kind == 8 ? 10 : 2 + op->nval * 4;
		uint32_t v;

		if (o + need > d.opts + sizeof(d.opts))
			pd_fail(r, "options longer than 40 bytes");
		switch (op->kind) {
		case 0:
		case 1:
			*o++ = op->kind;
			break;
		case 2:
			*o++ = 2;
			*o++ = 4;
			*o++ = op->val[0] >> 8;
			*o++ = op->val[0];
			break;
		case 3:
			*o++ = 3;
			*o++ = 3;
			*o++ = op->val[0];
			break;
		case 4:
			*o++ = 4;
			*o++ = 2;
			break;
		case 8:
			*o++ = 8;
			*o++ = 10;
			v = htonl(op->val[0]);
			memcpy(o, &v, 4);
			v = htonl(op->val[1] == PD_ANY ? r->last_tsval : op->val[1]);
			memcpy(o + 4, &v, 4);
			o += 8;
			break;
		case 5:
			*o++ = 5;
			*o++ = 2 + op->nval * 4;
			for (j = 0; j < op->nval; j++) {
				v = htonl(pd_vbase(r) + (uint32_t)op->val[j]);
				memcpy(o, &v, 4);
				o += 4;
			}
			break;
		}
	}
	while ((o - d.opts) % 4)
		*o++ = 0;
	d.optlen = o - d.opts;
	if (e->flags & VTCP_TH_SYN) {
		r->syns_in++;
		r->last_syn_rel = e->start;
		if (r->rx_base_next_syn) {
			r->rx_base = e->start + 1;
			r->rx_base_next_syn = false;
		}
	}
	snprintf(buf, sizeof(buf), "%s", l->text);
	if (strstr(buf, "ecr *")) {
		char *star = strstr(buf, "ecr *");

		snprintf(star, sizeof(buf) - (star - buf), "ecr %u%s", r->last_tsval,
			 strstr(l->text, "ecr *") + 5);
	}
	pd_trace(r, "%s", buf);
	ret = vtcp_pkt_send(r->pfd, PD_DEV, &d);
	if (ret)
		pd_fail(r, "sending into " PD_DEV ": %s", strerror(-ret));
}

/* --- Commands ---------------------------------------------------------- */

static int pd_handle(struct pd_run *r)
{
	if (r->hfd < 0) {
		r->hfd = open(VTCP_DEV_PATH, O_RDWR | O_NONBLOCK | O_CLOEXEC);
		if (r->hfd < 0)
			pd_fail(r, "open " VTCP_DEV_PATH ": %s", strerror(errno));
	}
	return r->hfd;
}

static void pd_need_conn(struct pd_run *r)
{
	if (r->cfd < 0)
		pd_fail(r, "no connection (listen and accept, or connect, first)");
}

/* VTCP_IOC_INFO of the connection, else of the listener. */
static void pd_info(struct pd_run *r, struct vtcp_info *info)
{
	int fd = r->cfd >= 0 ? r->cfd : r->lfd;

	if (fd < 0)
		pd_fail(r, "no connection or listener to ask");
	if (ioctl(fd, VTCP_IOC_INFO, info))
		pd_fail(r, "VTCP_IOC_INFO: %s", strerror(errno));
}

static long pd_info_get(const struct vtcp_info *info, const struct pd_info_field *f)
{
	const uint8_t *p = (const uint8_t *)info + f->off;

	switch (f->size) {
	case 1:
		return *p;
	case 4:
		return *(const uint32_t *)p;
	default:
		return (long)*(const uint64_t *)p;
	}
}

static long pd_parse_info_value(struct pd_run *r, const char *field,
				const char *s)
{
	struct pd_parser p = { 0 };
	int64_t v;
	long st;

	if (!strcmp(field, "options")) {
		char tmp[64], *tok, *save = NULL;

		snprintf(tmp, sizeof(tmp), "%s", s);
		v = 0;
		if (!strcmp(s, "none"))
			return 0;
		for (tok = strtok_r(tmp, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
			if (!strcmp(tok, "ts"))
				v |= VTCP_INFO_OPT_TIMESTAMPS;
			else if (!strcmp(tok, "sack"))
				v |= VTCP_INFO_OPT_SACK;
			else if (!strcmp(tok, "ws"))
				v |= VTCP_INFO_OPT_WSCALE;
			else if (!strcmp(tok, "ecn"))
				v |= VTCP_INFO_OPT_ECN;
			else
				pd_fail(r, "options are ts, sack, ws, ecn or none, not '%s'", tok);
		}
		return v;
	}
	if (!strcmp(field, "state") && pd_lookup(pd_states, s, &st))
		return st;
	if (pd_parse_num(&p, s, false, &v))
		pd_fail(r, "%s", p.err);
	return v;
}

/* Poll field @f of the info until it is @want or @deadline passes. */
static bool pd_poll_info(struct pd_run *r, const struct pd_info_field *f,
			 long want, long *got, int64_t deadline)
{
	struct vtcp_info info;

	for (;;) {
		pd_info(r, &info);
		*got = pd_info_get(&info, f);
		if (*got == want || pd_now() >= deadline)
			return *got == want;
		usleep(2000);
	}
}

static const struct pd_info_field *pd_info_field(const char *name)
{
	const struct pd_info_field *f;

	for (f = pd_info_fields; f->name; f++)
		if (!strcmp(f->name, name))
			return f;
	return NULL;
}

static void pd_check_result(struct pd_run *r, const struct pd_line *l,
			    long want, long got)
{
	if (l->has_result)
		want = l->result;
	if (want == got)
		return;
	pd_fail(r, "%s returned %s, expected %s", l->cmd, pd_result_str(got),
		pd_result_str(want));
}

static void pd_cmd_read(struct pd_run *r, const struct pd_line *l,
			int64_t deadline)
{
	bool eof = l->nargs == 1 && !strcmp(l->args[0], "eof");
	struct pd_parser p = { 0 };
	static uint8_t buf[1 << 20];
	int64_t want = 0;
	size_t got = 0;
	ssize_t n;
	size_t i;

	pd_need_conn(r);
	if (!eof && (l->nargs != 1 || pd_parse_num(&p, l->args[0], false, &want) ||
		     want <= 0 || want > (int64_t)sizeof(buf)))
		pd_fail(r, "read N (1 to %zu) or read eof", sizeof(buf));
	if (l->has_result && l->result == -EAGAIN) {
		/* Nothing to read now: no waiting. */
		n = read(r->cfd, buf, eof ? 1 : want);
		pd_check_result(r, l, 0, n < 0 ? -errno : n);
		return;
	}
	for (;;) {
		struct pollfd pfd = { .fd = r->cfd, .events = POLLIN };
		int64_t now;

		n = read(r->cfd, buf + got, eof ? 1 : want - got);
		if (n > 0) {
			got += n;
			if (eof)
				pd_fail(r, "read %zd bytes, expected end of file", n);
			if ((int64_t)got == want)
				break;
			continue;
		}
		if (n == 0) {
			if (eof)
				break;
			pd_fail(r, "end of file after %zu bytes, expected %lld",
				got, (long long)want);
		}
		if (errno != EAGAIN) {
			if (!l->has_result || l->result != -errno)
				pd_fail(r, "read: %s after %zu bytes", strerror(errno), got);
			pd_trace(r, "read -> %s", pd_result_str(-errno));
			return;
		}
		now = pd_now();
		if (now >= deadline)
			pd_fail(r, "read %zu bytes by the deadline, expected %s", got,
				eof ? "end of file" : l->args[0]);
		poll(&pfd, 1, (deadline - now + 999999) / 1000000);
	}
	if (l->has_result)
		pd_fail(r, "read succeeded, expected %s", pd_result_str(l->result));
	for (i = 0; i < got; i++) {
		uint64_t rel = r->rx_base + r->rx_off + i;

		if (buf[i] != pd_byte(1, rel))
			pd_fail(r, "byte %zu read (relative sequence %llu) differs "
				"from what the peer sent", i, (unsigned long long)rel);
	}
	r->rx_off += got;
	pd_trace(r, "read %s", eof ? "eof" : l->args[0]);
}

static void pd_cmd_setopt(struct pd_run *r, const struct pd_line *l)
{
	struct vtcp_opt opt = { 0 };
	struct pd_parser p = { 0 };
	int a = 0, fd;
	long name;
	int64_t v;

	if (l->nargs == 3) {
		a = 1;
		if (!strcmp(l->args[0], "conn"))
			fd = r->cfd;
		else if (!strcmp(l->args[0], "listener"))
			fd = r->lfd;
		else if (!strcmp(l->args[0], "handle"))
			fd = pd_handle(r);
		else
			pd_fail(r, "setopt [conn|listener|handle] NAME VALUE");
	} else if (l->nargs == 2) {
		fd = r->cfd >= 0 ? r->cfd : r->lfd >= 0 ? r->lfd : pd_handle(r);
	} else {
		pd_fail(r, "setopt [conn|listener|handle] NAME VALUE");
	}
	if (fd < 0)
		pd_fail(r, "setopt: no such fd");
	if (!pd_lookup(pd_optnames, l->args[a], &name))
		pd_fail(r, "unknown option '%s'", l->args[a]);
	opt.name = name;
	if (name == VTCP_OPT_CONGESTION) {
		snprintf(opt.str, sizeof(opt.str), "%s", l->args[a + 1]);
	} else {
		if (pd_parse_num(&p, l->args[a + 1], false, &v))
			pd_fail(r, "%s", p.err);
		opt.value = v;
	}
	pd_check_result(r, l, 0, ioctl(fd, VTCP_IOC_SETOPT, &opt) ? -errno : 0);
}

static void pd_cmd(struct pd_run *r, const struct pd_line *l, int64_t deadline)
{
	const char *c = l->cmd;
	struct pd_parser p = { 0 };
	long v;
	int ret;

	if (!strcmp(c, "listen")) {
		struct vtcp_listen req = {
			.ifindex = if_nametoindex(PD_DEV), .backlog = 16,
		};

		vtcp_ep(&req.local, r->vaddr, r->s->vport);
		ret = ioctl(pd_handle(r), VTCP_IOC_LISTEN, &req) ? -errno : 0;
		if (!ret) {
			r->lfd = r->hfd;
			r->hfd = -1;
		}
		pd_check_result(r, l, 0, ret);
	} else if (!strcmp(c, "accept")) {
		struct vtcp_accept req = {
			.flags = VTCP_ACCEPT_NONBLOCK | VTCP_ACCEPT_CLOEXEC,
		};

		if (r->lfd < 0)
			pd_fail(r, "accept without a listener");
		if (!l->has_result) {
			struct pollfd pfd = { .fd = r->lfd, .events = POLLIN };
			int64_t now = pd_now();

			poll(&pfd, 1, now < deadline ? (deadline - now) / 1000000 : 0);
		}
		ret = ioctl(r->lfd, VTCP_IOC_ACCEPT, &req);
		if (ret < 0) {
			pd_check_result(r, l, 0, -errno);
			return;
		}
		if (l->has_result)
			pd_fail(r, "accept succeeded, expected %s",
				pd_result_str(l->result));
		if (r->cfd >= 0 && r->nretired < 16)
			r->retired[r->nretired++] = r->cfd;
		r->cfd = ret;
		r->rx_off = r->tx_off = 0;
		r->rx_base = r->last_syn_rel + 1;
	} else if (!strcmp(c, "connect")) {
		struct vtcp_connect req = { .ifindex = if_nametoindex(PD_DEV) };

		if (r->cfd >= 0)
			pd_fail(r, "connect: there is a connection already");
		vtcp_ep(&req.local, r->vaddr, r->s->vport);
		vtcp_ep(&req.remote, r->raddr, r->s->rport);
		ret = ioctl(pd_handle(r), VTCP_IOC_CONNECT, &req) ? -errno : 0;
		if (ret == -EINPROGRESS || !ret) {
			r->cfd = r->hfd;
			r->hfd = -1;
			r->rx_off = r->tx_off = 0;
			r->rx_base_next_syn = true;
		}
		pd_check_result(r, l, -EINPROGRESS, ret);
	} else if (!strcmp(c, "write")) {
		static uint8_t buf[1 << 20];
		int64_t n;
		int i;

		pd_need_conn(r);
		if (l->nargs != 1 || pd_parse_num(&p, l->args[0], false, &n) ||
		    n <= 0 || n > (int64_t)sizeof(buf))
			pd_fail(r, "write N (1 to %zu)", sizeof(buf));
		for (i = 0; i < n; i++)
			buf[i] = pd_byte(2, r->tx_off + i);
		ret = write(r->cfd, buf, n);
		if (ret > 0)
			r->tx_off += ret;
		pd_check_result(r, l, n, ret < 0 ? -errno : ret);
	} else if (!strcmp(c, "read")) {
		pd_cmd_read(r, l, deadline);
	} else if (!strcmp(c, "shutdown")) {
		__u32 how;

		pd_need_conn(r);
		if (l->nargs == 1 && !strcmp(l->args[0], "rd"))
			how = VTCP_SHUT_RD;
		else if (l->nargs == 1 && !strcmp(l->args[0], "wr"))
			how = VTCP_SHUT_WR;
		else if (l->nargs == 1 && !strcmp(l->args[0], "rdwr"))
			how = VTCP_SHUT_RDWR;
		else
			pd_fail(r, "shutdown rd|wr|rdwr");
		pd_check_result(r, l, 0,
				ioctl(r->cfd, VTCP_IOC_SHUTDOWN, &how) ? -errno : 0);
	} else if (!strcmp(c, "close")) {
		pd_need_conn(r);
		ret = close(r->cfd) ? -errno : 0;
		r->cfd = -1;
		pd_check_result(r, l, 0, ret);
	} else if (!strcmp(c, "close-listener")) {
		if (r->lfd < 0)
			pd_fail(r, "no listener");
		ret = close(r->lfd) ? -errno : 0;
		r->lfd = -1;
		pd_check_result(r, l, 0, ret);
	} else if (!strcmp(c, "abort")) {
		pd_need_conn(r);
		pd_check_result(r, l, 0, ioctl(r->cfd, VTCP_IOC_ABORT) ? -errno : 0);
	} else if (!strcmp(c, "setopt")) {
		pd_cmd_setopt(r, l);
	} else if (!strcmp(c, "expect-state") || !strcmp(c, "expect-info")) {
		bool state = c[7] == 's';
		const struct pd_info_field *f;
		long want, got;

		if (l->nargs != (state ? 1 : 2))
			pd_fail(r, state ? "expect-state STATE" : "expect-info FIELD VALUE");
		f = pd_info_field(state ? "state" : l->args[0]);
		if (!f)
			pd_fail(r, "no field '%s' in vtcp_info", l->args[0]);
		if (state && !pd_lookup(pd_states, l->args[0], &want))
			pd_fail(r, "unknown state '%s'", l->args[0]);
		if (!state)
			want = pd_parse_info_value(r, l->args[0], l->args[1]);
		if (!pd_poll_info(r, f, want, &got, deadline)) {
			if (state)
				pd_fail(r, "state %s, expected %s",
					pd_name_of(pd_states, got), l->args[0]);
			pd_fail(r, "%s is %ld, expected %ld", f->name, got, want);
		}
	} else if (!strcmp(c, "expect-errno")) {
		struct vtcp_opt opt = { .name = VTCP_OPT_ERROR };

		pd_need_conn(r);
		if (l->nargs != 1)
			pd_fail(r, "expect-errno ERRNO|0");
		if (!strcmp(l->args[0], "0")) {
			v = 0;
		} else if (pd_lookup(pd_errnos, l->args[0], &v)) {
			v = -v;
		} else {
			pd_fail(r, "unknown errno '%s'", l->args[0]);
		}
		if (ioctl(r->cfd, VTCP_IOC_GETOPT, &opt))
			pd_fail(r, "VTCP_OPT_ERROR: %s", strerror(errno));
		if ((long)(int64_t)opt.value != v)
			pd_fail(r, "pending error %s, expected %s",
				pd_result_str((long)(int64_t)opt.value), pd_result_str(v));
	} else if (!strcmp(c, "wait")) {
		/* A point in time, nothing more. */
	}
	if (strcmp(c, "read"))
		pd_trace(r, "%s", l->text);
}

/* --- Running a script -------------------------------------------------- */

static void pd_cleanup(struct pd_run *r)
{
	int i;

	/* End what is left at once: nothing lingers into the next script. */
	for (i = 0; i < r->nretired; i++) {
		ioctl(r->retired[i], VTCP_IOC_ABORT);
		close(r->retired[i]);
	}
	if (r->cfd >= 0) {
		ioctl(r->cfd, VTCP_IOC_ABORT);
		close(r->cfd);
	}
	if (r->lfd >= 0)
		close(r->lfd);
	if (r->hfd >= 0)
		close(r->hfd);
}

static int pd_run_script(struct pd_script *s)
{
	struct pd_run run = { .s = s, .hfd = -1, .lfd = -1, .cfd = -1 };
	struct sockaddr_ll sll = {
		.sll_family = AF_PACKET,
		.sll_protocol = htons(ETH_P_ALL),
		.sll_ifindex = if_nametoindex(PD_DEV),
	};
	struct pd_run *r = &run;
	int one = 1, i;

	signal(SIGPIPE, SIG_IGN);
	alarm(s->timeout);
	r->vaddr = s->family == AF_INET6 ? PD_VTCP6 : PD_VTCP4;
	r->raddr = s->family == AF_INET6 ? PD_PEER6 : PD_PEER4;
	r->pfd = vtcp_pkt_open(PD_DEV);
	if (r->pfd < 0)
		pd_fail(r, "packet socket on " PD_DEV ": %s", strerror(-r->pfd));
	/*
	 * SOCK_RAW, as virtio-net headers need: on this device without a
	 * link-layer header it reads the same bytes as SOCK_DGRAM.
	 */
	r->rfd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, htons(ETH_P_ALL));
	if (r->rfd < 0 ||
	    setsockopt(r->rfd, SOL_PACKET, PACKET_VNET_HDR, &one, sizeof(one)) ||
	    setsockopt(r->rfd, SOL_SOCKET, SO_TIMESTAMPNS, &one, sizeof(one)) ||
	    bind(r->rfd, (void *)&sll, sizeof(sll)))
		pd_fail(r, "packet socket on " PD_DEV ": %s", strerror(errno));
	/* Whatever came before the script is not its business. */
	while (!pd_recv(r, &(struct pd_pkt){ 0 }, 0))
		;
	r->t0 = pd_now();
	pd_trace(r, "%s: vtcp %s port %u, peer %s port %u, peer ISN %u",
		 s->name, r->vaddr, s->vport, r->raddr, s->rport, s->isn);
	r->t0 = pd_now();
	r->prev = r->t0;
	for (i = 0; i < s->nlines; i++) {
		const struct pd_line *l = &s->lines[i];
		int64_t tol = l->tol >= 0 ? l->tol : s->tol;
		int64_t when;

		r->curline = l->lineno;
		switch (l->timing) {
		case PD_T_ABS:
			when = r->t0 + l->t;
			break;
		case PD_T_REL:
			when = r->prev + l->t;
			break;
		default:
			when = r->prev;
			tol = PD_ANY_WAIT;
			break;
		}
		if (l->kind == PD_OUT) {
			struct pd_pkt p;

			if (pd_recv(r, &p, when + tol))
				pd_fail(r, "vtcp sent nothing by %.3f s, expected: %s",
					(double)(when + tol - r->t0) / PD_NSEC, l->text);
			if (l->timing != PD_T_ANY && p.ts < when - tol) {
				char buf[300];

				pd_fmt_pkt(r, &p, buf, sizeof(buf));
				pd_trace(r, "> %s  (early)", buf);
				pd_fail(r, "segment came at %.3f s, expected %.3f +- %.3f s: %s",
					(double)(p.ts - r->t0) / PD_NSEC,
					(double)(when - r->t0) / PD_NSEC,
					(double)tol / PD_NSEC, buf);
			}
			pd_match(r, l, &p);
			r->prev = p.ts;
			continue;
		}
		pd_sleep_until(when);
		pd_check_quiet(r, when);
		if (l->kind == PD_IN) {
			r->prev = pd_now();
			pd_inject(r, l);
		} else {
			pd_cmd(r, l, pd_now() + tol);
			r->prev = pd_now();
		}
	}
	/* The end: nothing more may come within one tolerance. */
	r->curline = s->lines[s->nlines - 1].lineno;
	pd_sleep_until(r->prev + s->tol);
	pd_check_quiet(r, r->prev + s->tol);
	if (pd_verbose)
		pd_dump_trace(r);
	pd_cleanup(r);
	close(r->pfd);
	close(r->rfd);
	return 0;
}

/* --- The TAP runner ---------------------------------------------------- */

struct pd_xfail {
	char name[128];
	char reason[256];
};

static int pd_load_xfail(const char *dir, struct pd_xfail *x, int max)
{
	char path[4200], line[512];
	int n = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/XFAIL", dir);
	f = fopen(path, "r");
	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f) && n < max) {
		char *name = line, *reason;

		name += strspn(name, " \t");
		if (*name == '#' || *name == '\n' || !*name)
			continue;
		reason = name + strcspn(name, " \t\n");
		if (*reason)
			*reason++ = '\0';
		reason += strspn(reason, " \t");
		reason[strcspn(reason, "\n")] = '\0';
		snprintf(x[n].name, sizeof(x[n].name), "%s", name);
		snprintf(x[n].reason, sizeof(x[n].reason), "%s", reason);
		n++;
	}
	fclose(f);
	return n;
}

static bool pd_is_dir(const char *path)
{
	struct stat st;

	return !stat(path, &st) && S_ISDIR(st.st_mode);
}

static void pd_script_dir(char *dir, size_t size)
{
	const char *env = getenv("VTCP_PKTDRILL_DIR");
	char exe[2048];
	ssize_t n;

	if (env) {
		snprintf(dir, size, "%s", env);
		return;
	}
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n > 0) {
		exe[n] = '\0';
		*strrchr(exe, '/') = '\0';
		snprintf(dir, size, "%s/../pktdrill", exe);
		if (pd_is_dir(dir))
			return;
	}
#ifdef VTCP_PKTDRILL_SRCDIR
	snprintf(dir, size, "%s", VTCP_PKTDRILL_SRCDIR);
#else
	snprintf(dir, size, "pktdrill");
#endif
}

static int pd_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int pd_list_scripts(const char *dir, char ***names)
{
	struct dirent *de;
	int n = 0, max = 0;
	DIR *d = opendir(dir);

	*names = NULL;
	if (!d)
		return -errno;
	while ((de = readdir(d))) {
		size_t len = strlen(de->d_name);

		if (len < 5 || strcmp(de->d_name + len - 4, ".pkt"))
			continue;
		if (n == max) {
			max = max ? 2 * max : 64;
			*names = realloc(*names, max * sizeof(**names));
		}
		(*names)[n++] = strdup(de->d_name);
	}
	closedir(d);
	if (n)
		qsort(*names, n, sizeof(**names), pd_cmp);
	return n;
}

/* Run one script in a child; 0 if it passed. */
static int pd_run_one(const char *dir, const char *name, uint16_t rport)
{
	static struct pd_script s;
	char path[4400];
	int status;
	pid_t pid;

	memset(&s, 0, sizeof(s));
	s.name = name;
	s.family = AF_INET;
	s.tol = PD_NSEC / 10;
	s.vport = 8080;
	s.rport = rport;
	s.isn = 3000000000U;
	s.timeout = 60;
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (pd_parse_script(path, &s))
		return 1;
	fflush(stdout);
	pid = fork();
	if (pid < 0) {
		printf("# fork: %s\n", strerror(errno));
		return 1;
	}
	if (!pid)
		exit(pd_run_script(&s));
	if (waitpid(pid, &status, 0) < 0)
		return 1;
	if (WIFSIGNALED(status)) {
		printf("# %s: %s after %d s\n", name,
		       WTERMSIG(status) == SIGALRM ? "timed out" : "killed",
		       s.timeout);
		return 1;
	}
	return WEXITSTATUS(status);
}

int main(int argc, char **argv)
{
	struct pd_xfail xfail[128];
	int nx, n, i, j, failed = 0, xfailed = 0, retries = 1;
	char dir[4096], **names;
	uint16_t base;

	setvbuf(stdout, NULL, _IOLBF, 0);
	pd_verbose = getenv("VTCP_PKTDRILL_VERBOSE") &&
		     strcmp(getenv("VTCP_PKTDRILL_VERBOSE"), "0");
	if (getenv("VTCP_PKTDRILL_RETRIES"))
		retries = atoi(getenv("VTCP_PKTDRILL_RETRIES"));
	pd_script_dir(dir, sizeof(dir));
	if (argc > 1) {
		n = argc - 1;
		names = argv + 1;
	} else {
		n = pd_list_scripts(dir, &names);
	}
	printf("TAP version 13\n");
	if (n <= 0) {
		printf("1..0 # SKIP no scripts in %s\n", dir);
		return n < 0 ? 1 : 4;
	}
	nx = pd_load_xfail(dir, xfail, 128);
	if (vtcp_module_ensure() ||
	    vtcp_sh("ip link set " PD_DEV " up && "
		    "ip addr replace " PD_HOST4 "/24 dev " PD_DEV " && "
		    "ip -6 addr replace " PD_HOST6 "/64 dev " PD_DEV " nodad")) {
		printf("1..0 # SKIP cannot set up " PD_DEV "\n");
		return 1;
	}
	printf("# scripts from %s\n", dir);
	printf("1..%d\n", n);
	/* A fresh peer port per script, and per run of the runner. */
	srand(getpid() ^ time(NULL));
	base = 10000 + rand() % 10000;
	for (i = 0; i < n; i++) {
		const char *reason = NULL;
		int ret;

		for (j = 0; j < nx; j++)
			if (!strcmp(xfail[j].name, names[i]))
				reason = xfail[j].reason;
		ret = pd_run_one(dir, names[i], base + i);
		/*
		 * A script that fails for a bug fails again; one whose timing a
		 * loaded machine upset (a guest stalled for 100 ms) seldom does.
		 * Listed scripts run once: a stall makes no script pass.
		 */
		for (j = 1; ret && !reason && j <= retries; j++) {
			printf("# %s failed: running it again (%d of %d)\n",
			       names[i], j, retries);
			ret = pd_run_one(dir, names[i], base + i + j * n);
		}
		if (reason && ret) {
			printf("ok %d %s # SKIP XFAIL: %s\n", i + 1, names[i], reason);
			xfailed++;
		} else if (reason) {
			printf("not ok %d %s # XPASS: listed in XFAIL, but passed\n",
			       i + 1, names[i]);
			failed++;
		} else if (ret) {
			printf("not ok %d %s\n", i + 1, names[i]);
			failed++;
		} else {
			printf("ok %d %s\n", i + 1, names[i]);
		}
	}
	printf("# %d passed, %d failed, %d expected failures (XFAIL)\n",
	       n - failed - xfailed, failed, xfailed);
	return failed ? 1 : 0;
}
