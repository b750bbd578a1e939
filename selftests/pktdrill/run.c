// SPDX-License-Identifier: GPL-2.0
/*
 * Running one script, in a child process of its own: its lines in order,
 * each at its time; the trace of what happened, printed when it fails.
 */
#include <signal.h>
#include "pd.h"

bool pd_verbose;

/* Now on the clock of the packet socket's timestamps, in ns. */
int64_t pd_now(void)
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

/* Add an event to the trace (printed at once with VTCP_PKTDRILL_VERBOSE). */
void pd_trace(struct pd_run *r, const char *fmt, ...)
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

/* The last PD_TRACE_LINES events, unless they were printed already. */
void pd_dump_trace(struct pd_run *r)
{
	int i = r->ntrace > PD_TRACE_LINES ? r->ntrace - PD_TRACE_LINES : 0;

	if (pd_verbose)
		return;
	printf("# trace of %s (times in s since its start):\n", r->s->name);
	for (; i < r->ntrace; i++)
		printf("#   %s\n", r->trace[i % PD_TRACE_LINES]);
}

/* The script fails at its current line: why, the trace, and exit. */
void pd_fail(struct pd_run *r, const char *fmt, ...)
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

/* Abort the connections left and close the rest. */
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

/* The packet sockets: one to inject with, one to read vtcp's segments. */
static void pd_open_sockets(struct pd_run *r)
{
	struct sockaddr_ll sll = {
		.sll_family = AF_PACKET,
		.sll_protocol = htons(ETH_P_ALL),
		.sll_ifindex = if_nametoindex(PD_DEV),
	};
	int one = 1;

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
}

/* When line @l is due, and its tolerance into *@tol. */
static int64_t pd_when(const struct pd_run *r, const struct pd_line *l,
		       int64_t *tol)
{
	*tol = l->tol >= 0 ? l->tol : r->s->tol;
	switch (l->timing) {
	case PD_T_ABS:
		return r->t0 + l->t;
	case PD_T_REL:
		return r->prev + l->t;
	default:
		*tol = PD_ANY_WAIT;
		return r->prev;
	}
}

/* A "> " line: vtcp's next segment, due at @when +- @tol. */
static void pd_expect_segment(struct pd_run *r, const struct pd_line *l,
			      int64_t when, int64_t tol)
{
	struct pd_pkt p;
	char buf[300];

	if (pd_recv(r, &p, when + tol))
		pd_fail(r, "vtcp sent nothing by %.3f s, expected: %s",
			(double)(when + tol - r->t0) / PD_NSEC, l->text);
	if (l->timing != PD_T_ANY && p.ts < when - tol) {
		pd_fmt_pkt(r, &p, buf, sizeof(buf));
		pd_trace(r, "> %s  (early)", buf);
		pd_fail(r, "segment came at %.3f s, expected %.3f +- %.3f s: %s",
			(double)(p.ts - r->t0) / PD_NSEC,
			(double)(when - r->t0) / PD_NSEC,
			(double)tol / PD_NSEC, buf);
	}
	pd_match(r, l, &p);
	r->prev = p.ts;
}

/* Run @s; returns 0 if it passed, else exits (pd_fail()) or times out. */
int pd_run_script(struct pd_script *s)
{
	struct pd_run run = { .s = s, .hfd = -1, .lfd = -1, .cfd = -1 };
	struct pd_run *r = &run;
	int i;

	signal(SIGPIPE, SIG_IGN);
	alarm(s->timeout);
	r->vaddr = s->family == AF_INET6 ? PD_VTCP6 : PD_VTCP4;
	r->raddr = s->family == AF_INET6 ? PD_PEER6 : PD_PEER4;
	pd_open_sockets(r);
	/* Whatever came before the script is not its business. */
	while (!pd_recv(r, &(struct pd_pkt){}, 0))
		;
	r->t0 = pd_now();
	pd_trace(r, "%s: vtcp %s port %u, peer %s port %u, peer ISN %u",
		 s->name, r->vaddr, s->vport, r->raddr, s->rport, s->isn);
	r->t0 = pd_now();
	r->prev = r->t0;
	for (i = 0; i < s->nlines; i++) {
		const struct pd_line *l = &s->lines[i];
		int64_t tol, when;

		r->curline = l->lineno;
		when = pd_when(r, l, &tol);
		if (l->kind == PD_OUT) {
			pd_expect_segment(r, l, when, tol);
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
	pd_cleanup(r);
	close(r->pfd);
	close(r->rfd);
	return 0;
}
