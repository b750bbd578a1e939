// SPDX-License-Identifier: GPL-2.0
/*
 * vtcpctl: listen, connect and serve on /dev/vtcp, and show vtcp's
 * connections and device counters. Commands and options; the work is in
 * serve.c (listen, connect) and show.c (ls, stat, over netlink: genl.c).
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vtcpctl.h"

static const char usage_text[] =
"usage: vtcpctl listen  [-d DEV] [OPTIONS] [ADDR][:PORT]\n"
"       vtcpctl connect [-d DEV] [OPTIONS] LOCALADDR[:PORT] REMOTEADDR:PORT\n"
"       vtcpctl ls      [-d DEV] [-j]\n"
"       vtcpctl stat    [-d DEV] [-j] [-a]\n"
"\n"
"listen: vtcp accepts connections routed into DEV (default vtcp0) for ADDR\n"
"and PORT (either may be omitted or '*': any). connect: vtcp opens a\n"
"connection from LOCALADDR to a listener of the host at REMOTEADDR:PORT.\n"
"IPv6 addresses go in brackets: [2001:db8::2]:80.\n"
"\n"
"What to do with each connection (default --cat):\n"
"  --cat            copy it to stdout and stdin to it, one at a time (like nc)\n"
"  --echo           send every byte back\n"
"  --discard        read and drop everything\n"
"  --http[=TEXT]    answer one HTTP request with TEXT (a built-in page)\n"
"  -n, --count N    exit after N connections (listen; default: --cat 1, else no end)\n"
"\n"
"Connection options (VTCP_IOC_SETOPT):\n"
"  --nodelay                  no Nagle\n"
"  --keepalive IDLE,INTVL,CNT keepalive probes (seconds, seconds, count)\n"
"  --sndbuf N, --rcvbuf N     buffer sizes in bytes\n"
"  --cc NAME                  congestion control (e.g. newreno)\n"
"  --user-timeout MS          give up when data stays unacknowledged MS ms\n"
"  -v, --verbose              report each connection, with its\n"
"                             VTCP_IOC_INFO at close (like ss -ti), on stderr\n"
"\n"
"ls: every listener and connection of this namespace.\n"
"stat: each vtcp device's traffic, counters, drop reasons and connections,\n"
"      and the namespace's and module's limits with their use.\n"
"Both read vtcp's generic netlink family \"vtcp\" (CAP_NET_ADMIN needed);\n"
"the limits come from /proc/net/vtcp_limits.\n"
"  -j, --json   JSON output          -a, --all   zero counters too\n"
"\n"
"Exit status: 0 done, 1 failed, 2 bad usage.\n";

static void usage(FILE *f)
{
	fputs(usage_text, f);
}

const char *vtcpctl_errname(int err)
{
	const char *name = strerrorname_np(err);

	return name ? name : "?";
}

void vtcpctl_warn(const char *fmt, ...)
{
	va_list ap;

	fputs("vtcpctl: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* "vtcpctl: <what>: <strerror> (<ENAME>)" and a hint for the usual causes. */
void vtcpctl_err(int err, const char *fmt, ...)
{
	const char *hint = NULL;
	va_list ap;

	fputs("vtcpctl: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, ": %s (%s)\n", strerror(err), vtcpctl_errname(err));
	switch (err) {
	case EACCES:
		hint = "/dev/vtcp is for root only";
		break;
	case EPERM:
		hint = "/dev/vtcp is for root only; ls and stat need CAP_NET_ADMIN";
		break;
	case ECONNREFUSED:
		hint = "nothing listens at that address and port";
		break;
	case EADDRINUSE:
		hint = "another handle listens there already";
		break;
	}
	if (hint)
		fprintf(stderr, "vtcpctl: (%s)\n", hint);
}

static int bad_usage(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int bad_usage(const char *fmt, ...)
{
	va_list ap;

	fputs("vtcpctl: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs(" (vtcpctl --help for usage)\n", stderr);
	return EXIT_USAGE;
}

static int parse_ulong(const char *s, unsigned long max, unsigned long *out)
{
	char *end;

	errno = 0;
	*out = strtoul(s, &end, 10);
	return errno || end == s || *end || *s == '-' || *out > max ? -1 : 0;
}

static int add_opt(struct vtcpctl_opts *o, unsigned int name, unsigned long v)
{
	struct vtcp_opt *opt;

	if (o->nr_setopts == sizeof(o->setopts) / sizeof(o->setopts[0]))
		return bad_usage("too many options");
	opt = &o->setopts[o->nr_setopts++];
	memset(opt, 0, sizeof(*opt));
	opt->name = name;
	opt->value = v;
	return 0;
}

/* --keepalive IDLE,INTVL,CNT */
static int add_keepalive(struct vtcpctl_opts *o, const char *arg)
{
	unsigned long v[3];
	char buf[64], *tok, *save = NULL;
	int i = 0;

	snprintf(buf, sizeof(buf), "%s", arg);
	for (tok = strtok_r(buf, ",", &save); tok && i < 3;
	     tok = strtok_r(NULL, ",", &save))
		if (parse_ulong(tok, UINT_MAX, &v[i++]))
			break;
	if (i != 3 || tok)
		return bad_usage("--keepalive wants IDLE,INTVL,CNT, not '%s'", arg);
	return add_opt(o, VTCP_OPT_KEEPALIVE, 1) ?:
	       add_opt(o, VTCP_OPT_KEEPIDLE, v[0]) ?:
	       add_opt(o, VTCP_OPT_KEEPINTVL, v[1]) ?:
	       add_opt(o, VTCP_OPT_KEEPCNT, v[2]);
}

enum {
	OPT_CAT = 256, OPT_ECHO, OPT_DISCARD, OPT_HTTP, OPT_NODELAY,
	OPT_KEEPALIVE, OPT_SNDBUF, OPT_RCVBUF, OPT_CC, OPT_USER_TIMEOUT,
};

static const struct option long_opts[] = {
	{ "dev",		required_argument,	NULL, 'd' },
	{ "count",		required_argument,	NULL, 'n' },
	{ "verbose",		no_argument,		NULL, 'v' },
	{ "json",		no_argument,		NULL, 'j' },
	{ "all",		no_argument,		NULL, 'a' },
	{ "help",		no_argument,		NULL, 'h' },
	{ "cat",		no_argument,		NULL, OPT_CAT },
	{ "echo",		no_argument,		NULL, OPT_ECHO },
	{ "discard",		no_argument,		NULL, OPT_DISCARD },
	{ "http",		optional_argument,	NULL, OPT_HTTP },
	{ "nodelay",		no_argument,		NULL, OPT_NODELAY },
	{ "keepalive",		required_argument,	NULL, OPT_KEEPALIVE },
	{ "sndbuf",		required_argument,	NULL, OPT_SNDBUF },
	{ "rcvbuf",		required_argument,	NULL, OPT_RCVBUF },
	{ "cc",			required_argument,	NULL, OPT_CC },
	{ "user-timeout",	required_argument,	NULL, OPT_USER_TIMEOUT },
	{ }
};

static const char *opt_name(int c)
{
	const struct option *lo;

	for (lo = long_opts; lo->name; lo++)
		if (lo->val == c)
			return lo->name;
	return "?";
}

/* Parse the options after the command; returns -1 when they are good. */
static int parse_opts(int argc, char **argv, struct vtcpctl_opts *o,
		      bool serving, bool *mode_set)
{
	struct vtcp_opt *opt;
	unsigned long v;
	int c, ret;

	opterr = 0;	/* our own messages, below */
	while ((c = getopt_long(argc, argv, ":d:n:vjah", long_opts, NULL)) != -1) {
		if (c == '?')
			return bad_usage("unknown option '%s'", argv[optind - 1]);
		if (c == ':')
			return bad_usage("option '%s' wants a value", argv[optind - 1]);
		if (!serving && c != 'd' && c != 'j' && c != 'a' && c != 'h')
			return bad_usage("--%s is for listen and connect", opt_name(c));
		if (serving && (c == 'j' || c == 'a'))
			return bad_usage("--%s is for ls and stat", opt_name(c));
		ret = 0;
		switch (c) {
		case 'd':
			o->dev = optarg;
			break;
		case 'n':
			if (parse_ulong(optarg, ULONG_MAX, &o->count))
				return bad_usage("-n wants a number, not '%s'", optarg);
			o->count_set = true;
			break;
		case 'v':
			o->verbose = true;
			break;
		case 'j':
			o->json = true;
			break;
		case 'a':
			o->all = true;
			break;
		case 'h':
			usage(stdout);
			return EXIT_OK;
		case OPT_CAT:
		case OPT_ECHO:
		case OPT_DISCARD:
		case OPT_HTTP:
			if (*mode_set)
				return bad_usage("choose one of --cat, --echo, --discard, --http");
			*mode_set = true;
			o->mode = c == OPT_CAT ? MODE_CAT : c == OPT_ECHO ? MODE_ECHO :
				  c == OPT_DISCARD ? MODE_DISCARD : MODE_HTTP;
			if (c == OPT_HTTP && optarg)
				o->http_body = optarg;
			break;
		case OPT_NODELAY:
			ret = add_opt(o, VTCP_OPT_NODELAY, 1);
			break;
		case OPT_KEEPALIVE:
			ret = add_keepalive(o, optarg);
			break;
		case OPT_SNDBUF:
		case OPT_RCVBUF:
		case OPT_USER_TIMEOUT:
			if (parse_ulong(optarg, UINT_MAX, &v))
				return bad_usage("--%s wants a number, not '%s'",
						 opt_name(c), optarg);
			ret = add_opt(o, c == OPT_SNDBUF ? VTCP_OPT_SNDBUF :
				      c == OPT_RCVBUF ? VTCP_OPT_RCVBUF :
				      VTCP_OPT_USER_TIMEOUT, v);
			break;
		case OPT_CC:
			if (strlen(optarg) >= sizeof(opt->str))
				return bad_usage("--cc: name '%s' too long", optarg);
			ret = add_opt(o, VTCP_OPT_CONGESTION, 0);
			if (!ret) {
				opt = &o->setopts[o->nr_setopts - 1];
				strcpy(opt->str, optarg);
			}
			break;
		default:
			return EXIT_USAGE;	/* getopt said why */
		}
		if (ret)
			return ret;
	}
	return -1;
}

int main(int argc, char **argv)
{
	struct vtcpctl_opts o = { .mode = MODE_CAT };
	bool mode_set = false, serving;
	const char *cmd;
	int ret, nargs;

	if (argc < 2)
		return usage(stderr), EXIT_USAGE;
	cmd = argv[1];
	if (!strcmp(cmd, "-h") || !strcmp(cmd, "--help") || !strcmp(cmd, "help")) {
		usage(stdout);
		return EXIT_OK;
	}
	serving = !strcmp(cmd, "listen") || !strcmp(cmd, "connect");
	if (!serving && strcmp(cmd, "ls") && strcmp(cmd, "stat"))
		return bad_usage("unknown command '%s'", cmd);

	argc--;
	argv++;
	ret = parse_opts(argc, argv, &o, serving, &mode_set);
	if (ret >= 0)
		return ret;
	nargs = argc - optind;
	argv += optind;

	if (!strcmp(cmd, "listen")) {
		if (nargs > 1)
			return bad_usage("listen takes one [ADDR][:PORT]");
		if (o.mode == MODE_CAT && !o.count_set)
			o.count = 1;	/* like nc -l: one connection */
		return vtcpctl_listen(&o, nargs ? argv[0] : "");
	}
	if (!strcmp(cmd, "connect")) {
		if (nargs != 2)
			return bad_usage("connect takes LOCALADDR[:PORT] REMOTEADDR:PORT");
		if (o.count_set)
			return bad_usage("-n is for listen");
		return vtcpctl_connect(&o, argv[0], argv[1]);
	}
	if (nargs)
		return bad_usage("%s takes no arguments", cmd);
	return !strcmp(cmd, "ls") ? vtcpctl_ls(&o) : vtcpctl_stat(&o);
}
