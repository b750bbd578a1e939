// SPDX-License-Identifier: GPL-2.0
/*
 * Options: VTCP_IOC_SETOPT and VTCP_IOC_GETOPT.
 *
 * Options live in a struct vtcp_cfg: the handle's before it binds, the
 * listener's (inherited by every child it accepts from then on), or the
 * connection's own. Options that shape the handshake are refused once the
 * connection has opened (-EISCONN).
 */

#include <linux/errno.h>
#include <linux/nospec.h>
#include <linux/string.h>
#include <uapi/linux/vtcp.h>

#include "engine/cc.h"
#include "net/conn.h"
#include "net/limits.h"
#include "engine/proto.h"
#include "api/sockopt.h"

/* Linux's bounds: MAX_TCP_KEEPIDLE, MAX_TCP_KEEPCNT. */
#define VTCP_KEEPALIVE_MAX_S	32767
#define VTCP_KEEPCNT_MAX	127
#define VTCP_BUF_MIN		4096
#define VTCP_BUF_MAX		(64U << 20)
#define VTCP_TIME_WAIT_MAX_MS	600000
#define VTCP_DEFER_TIMEOUT_MAX_MS	600000

/* What an option's value is, which says how it is set and read. */
enum vtcp_opt_type {
	/* 0: no such option */
	VTCP_OPT_TYPE_FLAG = 1,	/* 0 or 1: a VTCP_CFG_* bit */
	VTCP_OPT_TYPE_NUM,	/* a number within bounds */
	VTCP_OPT_TYPE_CC,	/* a congestion control's name */
	VTCP_OPT_TYPE_ERROR,	/* the pending error: read only */
};

/*
 * Every option is one entry of vtcp_opts[], by its number: its type, a
 * flag's bit, a number's bounds, getter and setter, and whether it shapes
 * the handshake, which makes it settable only before the connection opens.
 */
struct vtcp_opt_def {
	enum vtcp_opt_type type;
	bool before_open;	/* -EISCONN once the connection opened */
	u16 flag;		/* VTCP_OPT_TYPE_FLAG: its VTCP_CFG_* bit */
	bool zero_off;		/* a number: 0 ("none") is allowed too */
	u32 min;		/* a number: the bounds, inclusive */
	u32 max;
	u64 (*get)(const struct vtcp_cfg *cfg);		/* a number */
	void (*set)(struct vtcp_cfg *cfg, u64 value);	/* in bounds */
};

static u64 vtcp_opt_keepidle(const struct vtcp_cfg *cfg)
{
	return cfg->keepalive_idle_ms / MSEC_PER_SEC;
}

static void vtcp_opt_set_keepidle(struct vtcp_cfg *cfg, u64 value)
{
	cfg->keepalive_idle_ms = value * MSEC_PER_SEC;
}

static u64 vtcp_opt_keepintvl(const struct vtcp_cfg *cfg)
{
	return cfg->keepalive_intvl_ms / MSEC_PER_SEC;
}

static void vtcp_opt_set_keepintvl(struct vtcp_cfg *cfg, u64 value)
{
	cfg->keepalive_intvl_ms = value * MSEC_PER_SEC;
}

static u64 vtcp_opt_keepcnt(const struct vtcp_cfg *cfg)
{
	return cfg->keepalive_cnt;
}

static void vtcp_opt_set_keepcnt(struct vtcp_cfg *cfg, u64 value)
{
	cfg->keepalive_cnt = value;
}

static u64 vtcp_opt_user_timeout(const struct vtcp_cfg *cfg)
{
	return cfg->user_timeout_ms;
}

static void vtcp_opt_set_user_timeout(struct vtcp_cfg *cfg, u64 value)
{
	cfg->user_timeout_ms = value;
}

static u64 vtcp_opt_sndbuf(const struct vtcp_cfg *cfg)
{
	return cfg->sndbuf;
}

static void vtcp_opt_set_sndbuf(struct vtcp_cfg *cfg, u64 value)
{
	cfg->sndbuf = value;
}

static u64 vtcp_opt_rcvbuf(const struct vtcp_cfg *cfg)
{
	return cfg->rcvbuf;
}

static void vtcp_opt_set_rcvbuf(struct vtcp_cfg *cfg, u64 value)
{
	cfg->rcvbuf = value;
}

static u64 vtcp_opt_maxseg(const struct vtcp_cfg *cfg)
{
	return cfg->mss_clamp;
}

static void vtcp_opt_set_maxseg(struct vtcp_cfg *cfg, u64 value)
{
	cfg->mss_clamp = value;
}

static u64 vtcp_opt_defer_timeout(const struct vtcp_cfg *cfg)
{
	return cfg->defer_timeout_ms;
}

static void vtcp_opt_set_defer_timeout(struct vtcp_cfg *cfg, u64 value)
{
	cfg->defer_timeout_ms = value;
}

static u64 vtcp_opt_time_wait(const struct vtcp_cfg *cfg)
{
	return cfg->time_wait_ms;
}

static void vtcp_opt_set_time_wait(struct vtcp_cfg *cfg, u64 value)
{
	cfg->time_wait_ms = value;
}

#define VTCP_OPT_FLAG(bit)	.type = VTCP_OPT_TYPE_FLAG, .flag = (bit)
#define VTCP_OPT_NUM(lo, hi, getter, setter)				\
	.type = VTCP_OPT_TYPE_NUM, .min = (lo), .max = (hi),		\
	.get = (getter), .set = (setter)

static const struct vtcp_opt_def vtcp_opts[VTCP_OPT_MAX] = {
	[VTCP_OPT_KEEPALIVE] = { VTCP_OPT_FLAG(VTCP_CFG_KEEPALIVE) },
	[VTCP_OPT_KEEPIDLE] = {
		VTCP_OPT_NUM(1, VTCP_KEEPALIVE_MAX_S, vtcp_opt_keepidle,
			     vtcp_opt_set_keepidle),
	},
	[VTCP_OPT_KEEPINTVL] = {
		VTCP_OPT_NUM(1, VTCP_KEEPALIVE_MAX_S, vtcp_opt_keepintvl,
			     vtcp_opt_set_keepintvl),
	},
	[VTCP_OPT_KEEPCNT] = {
		VTCP_OPT_NUM(1, VTCP_KEEPCNT_MAX, vtcp_opt_keepcnt,
			     vtcp_opt_set_keepcnt),
	},
	[VTCP_OPT_NODELAY] = { VTCP_OPT_FLAG(VTCP_CFG_NODELAY) },
	[VTCP_OPT_CORK] = { VTCP_OPT_FLAG(VTCP_CFG_CORK) },
	[VTCP_OPT_USER_TIMEOUT] = {
		VTCP_OPT_NUM(0, INT_MAX, vtcp_opt_user_timeout,
			     vtcp_opt_set_user_timeout),
	},
	[VTCP_OPT_SNDBUF] = {
		VTCP_OPT_NUM(VTCP_BUF_MIN, VTCP_BUF_MAX, vtcp_opt_sndbuf,
			     vtcp_opt_set_sndbuf),
	},
	[VTCP_OPT_RCVBUF] = {
		VTCP_OPT_NUM(VTCP_BUF_MIN, VTCP_BUF_MAX, vtcp_opt_rcvbuf,
			     vtcp_opt_set_rcvbuf),
	},
	[VTCP_OPT_CONGESTION] = { .type = VTCP_OPT_TYPE_CC },
	[VTCP_OPT_MAXSEG] = {
		VTCP_OPT_NUM(VTCP_MSS_CLAMP_MIN, VTCP_MSS_CLAMP_MAX,
			     vtcp_opt_maxseg, vtcp_opt_set_maxseg),
		.zero_off = true,
		.before_open = true,
	},
	[VTCP_OPT_LINGER_ABORT] = { VTCP_OPT_FLAG(VTCP_CFG_ABORT_ON_CLOSE) },
	[VTCP_OPT_SACK] = {
		VTCP_OPT_FLAG(VTCP_CFG_SACK),
		.before_open = true,
	},
	[VTCP_OPT_TIMESTAMPS] = {
		VTCP_OPT_FLAG(VTCP_CFG_TIMESTAMPS),
		.before_open = true,
	},
	[VTCP_OPT_WINDOW_SCALING] = {
		VTCP_OPT_FLAG(VTCP_CFG_WSCALE),
		.before_open = true,
	},
	[VTCP_OPT_TIME_WAIT] = {
		VTCP_OPT_NUM(1, VTCP_TIME_WAIT_MAX_MS, vtcp_opt_time_wait,
			     vtcp_opt_set_time_wait),
	},
	[VTCP_OPT_ERROR] = { .type = VTCP_OPT_TYPE_ERROR },
	[VTCP_OPT_NOSIGPIPE] = { VTCP_OPT_FLAG(VTCP_CFG_NOSIGPIPE) },
	[VTCP_OPT_ECN] = {
		VTCP_OPT_FLAG(VTCP_CFG_ECN),
		.before_open = true,
	},
	[VTCP_OPT_RACK] = { VTCP_OPT_FLAG(VTCP_CFG_RACK) },
	/* A listener's: its requests start with it. */
	[VTCP_OPT_DEFER_TIMEOUT] = {
		VTCP_OPT_NUM(1, VTCP_DEFER_TIMEOUT_MAX_MS, vtcp_opt_defer_timeout,
			     vtcp_opt_set_defer_timeout),
	},
};

/* The entry for @opt's name, or NULL if there is no such option. */
static const struct vtcp_opt_def *vtcp_opt_def(const struct vtcp_opt *opt)
{
	u32 name = opt->name;

	if (name >= ARRAY_SIZE(vtcp_opts))
		return NULL;
	name = array_index_nospec(name, ARRAY_SIZE(vtcp_opts));
	return vtcp_opts[name].type ? &vtcp_opts[name] : NULL;
}

static int vtcp_opt_set_cc(struct vtcp_cfg *cfg, const struct vtcp_opt *opt)
{
	const struct vtcp_cc_ops *cc;

	if (!memchr(opt->str, 0, sizeof(opt->str)))
		return -EINVAL;
	cc = vtcp_cc_find(opt->str);
	if (!cc)
		return -ENOENT;
	cfg->cc = cc;
	return 0;
}

/* Apply @opt to @cfg; @opened: the connection exists already. */
int vtcp_opt_set(struct vtcp_cfg *cfg, const struct vtcp_opt *opt, bool opened)
{
	const struct vtcp_opt_def *def = vtcp_opt_def(opt);
	u64 v = opt->value;

	if (opt->__reserved)
		return -EINVAL;
	if (!def)
		return -ENOPROTOOPT;
	if (def->before_open && opened)
		return -EISCONN;
	switch (def->type) {
	case VTCP_OPT_TYPE_FLAG:
		if (v > 1)
			return -EINVAL;
		if (v)
			cfg->flags |= def->flag;
		else
			cfg->flags &= ~def->flag;
		return 0;
	case VTCP_OPT_TYPE_NUM:
		if (!(def->zero_off && !v) && (v < def->min || v > def->max))
			return -EINVAL;
		def->set(cfg, v);
		return 0;
	case VTCP_OPT_TYPE_CC:
		return vtcp_opt_set_cc(cfg, opt);
	case VTCP_OPT_TYPE_ERROR:
		break;
	}
	return -EINVAL;
}

int vtcp_opt_get(const struct vtcp_cfg *cfg, struct vtcp_opt *opt)
{
	const struct vtcp_opt_def *def = vtcp_opt_def(opt);
	u64 v = 0;	/* VTCP_OPT_ERROR: the caller fills it in */

	if (opt->__reserved)
		return -EINVAL;
	if (!def)
		return -ENOPROTOOPT;
	switch (def->type) {
	case VTCP_OPT_TYPE_FLAG:
		v = !!(cfg->flags & def->flag);
		break;
	case VTCP_OPT_TYPE_NUM:
		v = def->get(cfg);
		break;
	case VTCP_OPT_TYPE_CC:
		strscpy_pad(opt->str, cfg->cc->name, sizeof(opt->str));
		return 0;
	case VTCP_OPT_TYPE_ERROR:
		break;
	}
	memset(opt->str, 0, sizeof(opt->str));
	opt->value = v;
	return 0;
}

/* SETOPT on a connection: a copy of its settings, changed, applied. */
int vtcp_opt_conn_set(struct vtcp_conn *conn, const struct vtcp_opt *opt)
{
	struct vtcp_cfg cfg;
	int ret;

	vtcp_conn_lock(conn);
	cfg = conn->tcb.cfg;
	ret = vtcp_opt_set(&cfg, opt, conn->tcb.state != VTCP_CLOSED);
	if (!ret)
		vtcp_set_cfg(&conn->tcb, &cfg, vtcp_now());
	vtcp_conn_unlock(conn);
	return ret;
}

/* GETOPT on a connection; VTCP_OPT_ERROR takes the pending error. */
int vtcp_opt_conn_get(struct vtcp_conn *conn, struct vtcp_opt *opt)
{
	int ret;

	vtcp_conn_lock(conn);
	ret = vtcp_opt_get(&conn->tcb.cfg, opt);
	if (!ret && opt->name == VTCP_OPT_ERROR)
		opt->value = (u64)(s64)vtcp_take_error(&conn->tcb);
	vtcp_conn_unlock(conn);
	return ret;
}
