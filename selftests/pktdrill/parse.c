// SPDX-License-Identifier: GPL-2.0
/*
 * Parsing a script (Documentation/pktdrill.rst, "Script format") into
 * struct pd_script: directives, then one event a line. A script that does
 * not parse fails before anything runs.
 */
#include <ctype.h>
#include "pd.h"

/* Say what is wrong with the line into @p; returns -1. */
static int pd_err(struct pd_parser *p, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static int pd_err(struct pd_parser *p, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(p->err, sizeof(p->err), fmt, ap);
	va_end(ap);
	return -1;
}

/* The errnos a script may name, in results and expect-errno. */
const struct pd_name pd_errnos[] = {
	{ "EAGAIN", EAGAIN }, { "EINPROGRESS", EINPROGRESS },
	{ "ECONNRESET", ECONNRESET }, { "ECONNREFUSED", ECONNREFUSED },
	{ "ECONNABORTED", ECONNABORTED }, { "ETIMEDOUT", ETIMEDOUT },
	{ "EPIPE", EPIPE }, { "ENOTCONN", ENOTCONN }, { "EINVAL", EINVAL },
	{ "EISCONN", EISCONN }, { "EADDRINUSE", EADDRINUSE },
	{ "ENOTTY", ENOTTY }, { "EBADF", EBADF }, { "ENOPROTOOPT", ENOPROTOOPT },
	{ "ENOENT", ENOENT }, { "E2BIG", E2BIG }, { "ENODEV", ENODEV },
	{ "EALREADY", EALREADY }, { "ENETDOWN", ENETDOWN }, { NULL, 0 }
};

/* The value of @name (any case) in table @t into *@v; false if none. */
bool pd_lookup(const struct pd_name *t, const char *name, long *v)
{
	for (; t->name; t++) {
		if (!strcasecmp(t->name, name)) {
			*v = t->value;
			return true;
		}
	}
	return false;
}

/* The name of @v in table @t, else @v as a number (a static buffer). */
const char *pd_name_of(const struct pd_name *t, long v)
{
	static char buf[24];

	for (; t->name; t++)
		if (t->value == v)
			return t->name;
	snprintf(buf, sizeof(buf), "%ld", v);
	return buf;
}

/* A number, or "*" where @any is allowed. */
int pd_parse_num(struct pd_parser *p, const char *s, bool any, int64_t *v)
{
	char *end;

	if (any && !strcmp(s, "*")) {
		*v = PD_ANY;
		return 0;
	}
	errno = 0;
	*v = strtoll(s, &end, 0);
	if (errno || end == s || *end)
		return pd_err(p, "bad number '%s'", s);
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
		return pd_err(p, "bad time '%s'", s);
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
			return pd_err(p, "bad flag '%c'", *s);
		*flags |= pd_flag_names[i].bit;
	}
	return 0;
}

/* The letters of @f, as a script writes them, into @buf (9 bytes). */
void pd_fmt_flags(uint8_t f, char *buf)
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

/* "a:b" to two numbers. */
static int pd_parse_range(struct pd_parser *p, const char *s, bool any,
			  int64_t *a, int64_t *b)
{
	char tmp[64], *colon;

	snprintf(tmp, sizeof(tmp), "%s", s);
	colon = strchr(tmp, ':');
	if (!colon)
		return pd_err(p, "expected A:B, got '%s'", s);
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
			return pd_err(p, "empty option");
		if (seg->nopts == PD_MAX_OPTS)
			return pd_err(p, "too many options");
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
			return pd_err(p, "bad option '%s'", tok[0]);
		}
	}
	if (!seg->nopts)
		return pd_err(p, "empty option list");
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
		return pd_err(p, "a segment needs FLAGS and START:END(LEN)");
	if (pd_parse_flags(p, tok[0], &seg->flags))
		return -1;
	snprintf(range, sizeof(range), "%s", tok[1]);
	paren = strchr(range, '(');
	if (!paren || range[strlen(range) - 1] != ')')
		return pd_err(p, "expected START:END(LEN), got '%s'", tok[1]);
	range[strlen(range) - 1] = '\0';
	*paren = '\0';
	if (pd_parse_range(p, range, out, &start, &end) ||
	    pd_parse_num(p, paren + 1, false, &len))
		return -1;
	if (len < 0 || len > 65000)
		return pd_err(p, "bad length %lld", (long long)len);
	if (start != PD_ANY && end != PD_ANY && end - start != len)
		return pd_err(p, "%lld:%lld is not %lld bytes", (long long)start,
			     (long long)end, (long long)len);
	seg->start = start;
	seg->len = len;
	for (i = 2; i < n; i += 2) {
		if (i + 1 >= n)
			return pd_err(p, "'%s' needs a value", tok[i]);
		if (!strcmp(tok[i], "ack")) {
			seg->has_ack = true;
			if (pd_parse_num(p, tok[i + 1], out, &seg->ack))
				return -1;
		} else if (!strcmp(tok[i], "win")) {
			seg->has_win = true;
			if (pd_parse_num(p, tok[i + 1], out, &seg->win))
				return -1;
			if (seg->win != PD_ANY && (seg->win < 0 || seg->win > 65535))
				return pd_err(p, "bad window %lld", (long long)seg->win);
		} else {
			return pd_err(p, "unknown field '%s'", tok[i]);
		}
	}
	if ((seg->flags & VTCP_TH_ACK) && !seg->has_ack)
		return pd_err(p, "the ACK flag needs 'ack N'");
	if (!out && !seg->has_win)
		seg->win = 65535;
	return 0;
}

/* RESULT after "->": an errno's name (as -errno), or a number. */
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

/* EVENT, after the time: a segment either way, or a command. */
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
				return pd_err(p, "option list without '>'");
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
		return pd_err(p, "no event");
	l->command = pd_command_find(tok[0]);
	if (!l->command)
		return pd_err(p, "unknown command '%s'", tok[0]);
	snprintf(l->cmd, sizeof(l->cmd), "%s", tok[0]);
	for (i = 1; i < n; i++) {
		if (!strcmp(tok[i], "->")) {
			if (i + 2 != n)
				return pd_err(p, "'->' takes one result");
			l->has_result = true;
			return pd_parse_result(p, tok[i + 1], &l->result);
		}
		if (l->nargs == PD_MAX_ARGS)
			return pd_err(p, "too many arguments");
		snprintf(l->args[l->nargs++], sizeof(l->args[0]), "%s", tok[i]);
	}
	return 0;
}

/* A line without a time, before the first event. */
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
		return pd_err(p, "directive '%s' takes one value", key);
	if (!strcmp(key, "tolerance"))
		return pd_parse_secs(p, val, &s->tol);
	if (pd_parse_num(p, val, false, &v))
		return -1;
	if (!strcmp(key, "port") || !strcmp(key, "remote-port")) {
		if (v <= 0 || v > 65535)
			return pd_err(p, "bad port %lld", (long long)v);
		if (key[0] == 'p')
			s->vport = v;
		else
			s->rport = v;
	} else if (!strcmp(key, "isn")) {
		s->isn = v;
	} else if (!strcmp(key, "timeout")) {
		s->timeout = v;
	} else {
		return pd_err(p, "unknown directive '%s'", key);
	}
	return 0;
}

/* Parse @path into @s; prints why and returns -1 if it cannot. */
int pd_parse_script(const char *path, struct pd_script *s)
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
