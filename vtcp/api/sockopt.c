// SPDX-License-Identifier: GPL-2.0
/*
 * Options (VTCP_IOC_SETOPT/GETOPT) and connection info (VTCP_IOC_INFO).
 *
 * Options live in a struct vtcp_cfg: the handle's before it binds, the
 * listener's (inherited by every child it accepts from then on), or the
 * connection's own. Options that shape the handshake are refused once the
 * connection has opened (-EISCONN).
 */

#include <linux/errno.h>
#include <linux/string.h>
#include <uapi/linux/vtcp.h>

#include "engine/cc.h"
#include "net/conn.h"
#include "net/device.h"
#include "api/handle.h"
#include "net/listen.h"
#include "api/sockopt.h"

#define VTCP_KEEPALIVE_MAX_S	32767	/* as Linux's MAX_TCP_KEEPIDLE */
#define VTCP_KEEPCNT_MAX	127
#define VTCP_BUF_MIN		4096
#define VTCP_BUF_MAX		(64U << 20)
#define VTCP_TIME_WAIT_MAX_MS	600000

static int vtcp_opt_flag(struct vtcp_cfg *cfg, u16 flag, u64 value)
{
	if (value > 1)
		return -EINVAL;
	if (value)
		cfg->flags |= flag;
	else
		cfg->flags &= ~flag;
	return 0;
}

/* Apply @opt to @cfg; @opened: the connection exists already. */
int vtcp_opt_set(struct vtcp_cfg *cfg, const struct vtcp_opt *opt, bool opened)
{
	u64 v = opt->value;

	if (opt->__reserved)
		return -EINVAL;
	switch (opt->name) {
	case VTCP_OPT_KEEPALIVE:
		return vtcp_opt_flag(cfg, VTCP_CFG_KEEPALIVE, v);
	case VTCP_OPT_KEEPIDLE:
	case VTCP_OPT_KEEPINTVL:
		if (!v || v > VTCP_KEEPALIVE_MAX_S)
			return -EINVAL;
		if (opt->name == VTCP_OPT_KEEPIDLE)
			cfg->keepalive_idle_ms = v * MSEC_PER_SEC;
		else
			cfg->keepalive_intvl_ms = v * MSEC_PER_SEC;
		return 0;
	case VTCP_OPT_KEEPCNT:
		if (!v || v > VTCP_KEEPCNT_MAX)
			return -EINVAL;
		cfg->keepalive_cnt = v;
		return 0;
	case VTCP_OPT_NODELAY:
		return vtcp_opt_flag(cfg, VTCP_CFG_NODELAY, v);
	case VTCP_OPT_CORK:
		return vtcp_opt_flag(cfg, VTCP_CFG_CORK, v);
	case VTCP_OPT_USER_TIMEOUT:
		if (v > INT_MAX)
			return -EINVAL;
		cfg->user_timeout_ms = v;
		return 0;
	case VTCP_OPT_SNDBUF:
	case VTCP_OPT_RCVBUF:
		if (v < VTCP_BUF_MIN || v > VTCP_BUF_MAX)
			return -EINVAL;
		if (opt->name == VTCP_OPT_SNDBUF)
			cfg->sndbuf = v;
		else
			cfg->rcvbuf = v;
		return 0;
	case VTCP_OPT_CONGESTION: {
		const struct vtcp_cc_ops *cc;

		if (!memchr(opt->str, 0, sizeof(opt->str)))
			return -EINVAL;
		cc = vtcp_cc_find(opt->str);
		if (!cc)
			return -ENOENT;
		cfg->cc = cc;
		return 0;
	}
	case VTCP_OPT_MAXSEG:
		if (opened)
			return -EISCONN;
		if (v && (v < 88 || v > 65495))
			return -EINVAL;
		cfg->mss_clamp = v;
		return 0;
	case VTCP_OPT_LINGER_ABORT:
		return vtcp_opt_flag(cfg, VTCP_CFG_ABORT_ON_CLOSE, v);
	case VTCP_OPT_SACK:
	case VTCP_OPT_TIMESTAMPS:
	case VTCP_OPT_WINDOW_SCALING:
		if (opened)
			return -EISCONN;
		return vtcp_opt_flag(cfg, opt->name == VTCP_OPT_SACK ?
				     VTCP_CFG_SACK : opt->name == VTCP_OPT_TIMESTAMPS ?
				     VTCP_CFG_TIMESTAMPS : VTCP_CFG_WSCALE, v);
	case VTCP_OPT_TIME_WAIT:
		if (!v || v > VTCP_TIME_WAIT_MAX_MS)
			return -EINVAL;
		cfg->time_wait_ms = v;
		return 0;
	case VTCP_OPT_NOSIGPIPE:
		return vtcp_opt_flag(cfg, VTCP_CFG_NOSIGPIPE, v);
	case VTCP_OPT_ECN:
		if (opened)
			return -EISCONN;
		return vtcp_opt_flag(cfg, VTCP_CFG_ECN, v);
	case VTCP_OPT_RACK:
		return vtcp_opt_flag(cfg, VTCP_CFG_RACK, v);
	case VTCP_OPT_ERROR:
		return -EINVAL;	/* read only */
	}
	return -ENOPROTOOPT;
}

int vtcp_opt_get(const struct vtcp_cfg *cfg, struct vtcp_opt *opt)
{
	u64 v;

	if (opt->__reserved)
		return -EINVAL;
	switch (opt->name) {
	case VTCP_OPT_KEEPALIVE:
		v = !!(cfg->flags & VTCP_CFG_KEEPALIVE);
		break;
	case VTCP_OPT_KEEPIDLE:
		v = cfg->keepalive_idle_ms / MSEC_PER_SEC;
		break;
	case VTCP_OPT_KEEPINTVL:
		v = cfg->keepalive_intvl_ms / MSEC_PER_SEC;
		break;
	case VTCP_OPT_KEEPCNT:
		v = cfg->keepalive_cnt;
		break;
	case VTCP_OPT_NODELAY:
		v = !!(cfg->flags & VTCP_CFG_NODELAY);
		break;
	case VTCP_OPT_CORK:
		v = !!(cfg->flags & VTCP_CFG_CORK);
		break;
	case VTCP_OPT_USER_TIMEOUT:
		v = cfg->user_timeout_ms;
		break;
	case VTCP_OPT_SNDBUF:
		v = cfg->sndbuf;
		break;
	case VTCP_OPT_RCVBUF:
		v = cfg->rcvbuf;
		break;
	case VTCP_OPT_CONGESTION:
		strscpy_pad(opt->str, cfg->cc->name, sizeof(opt->str));
		return 0;
	case VTCP_OPT_MAXSEG:
		v = cfg->mss_clamp;
		break;
	case VTCP_OPT_LINGER_ABORT:
		v = !!(cfg->flags & VTCP_CFG_ABORT_ON_CLOSE);
		break;
	case VTCP_OPT_SACK:
		v = !!(cfg->flags & VTCP_CFG_SACK);
		break;
	case VTCP_OPT_TIMESTAMPS:
		v = !!(cfg->flags & VTCP_CFG_TIMESTAMPS);
		break;
	case VTCP_OPT_WINDOW_SCALING:
		v = !!(cfg->flags & VTCP_CFG_WSCALE);
		break;
	case VTCP_OPT_TIME_WAIT:
		v = cfg->time_wait_ms;
		break;
	case VTCP_OPT_NOSIGPIPE:
		v = !!(cfg->flags & VTCP_CFG_NOSIGPIPE);
		break;
	case VTCP_OPT_ECN:
		v = !!(cfg->flags & VTCP_CFG_ECN);
		break;
	case VTCP_OPT_RACK:
		v = !!(cfg->flags & VTCP_CFG_RACK);
		break;
	case VTCP_OPT_ERROR:
		v = 0;	/* the caller fills it from the connection */
		break;
	default:
		return -ENOPROTOOPT;
	}
	memset(opt->str, 0, sizeof(opt->str));
	opt->value = v;
	return 0;
}

/* SETOPT on a connection: a copy of its settings, changed, applied. */
int vtcp_conn_setopt(struct vtcp_conn *conn, const struct vtcp_opt *opt)
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

int vtcp_conn_getopt(struct vtcp_conn *conn, struct vtcp_opt *opt)
{
	int ret;

	vtcp_conn_lock(conn);
	ret = vtcp_opt_get(&conn->tcb.cfg, opt);
	if (!ret && opt->name == VTCP_OPT_ERROR)
		opt->value = (u64)(s64)vtcp_take_error(&conn->tcb);
	vtcp_conn_unlock(conn);
	return ret;
}

void vtcp_conn_info(struct vtcp_conn *conn, struct vtcp_info *info)
{
	const struct vtcp_tcb *tcb = &conn->tcb;
	const struct vtcp_stats *st = &tcb->stats;

	memset(info, 0, sizeof(*info));
	vtcp_conn_lock(conn);
	info->state = tcb->state;
	info->ca_state = tcb->ca_state;
	info->options = (tcb->ts_ok ? VTCP_INFO_OPT_TIMESTAMPS : 0) |
			(tcb->sack_ok ? VTCP_INFO_OPT_SACK : 0) |
			(tcb->ws_ok ? VTCP_INFO_OPT_WSCALE : 0) |
			(tcb->ecn_ok ? VTCP_INFO_OPT_ECN : 0);
	info->snd_wscale = tcb->snd_wscale;
	info->rcv_wscale = tcb->rcv_wscale;
	info->backoff = tcb->backoff;
	info->probes = tcb->probes;
	info->rto = tcb->rto_us;
	info->srtt = tcb->srtt_us;
	info->rttvar = tcb->rttvar_us;
	info->rtt_min = tcb->rtt_min_us;
	info->snd_mss = tcb->mss;
	info->rcv_mss = tcb->rcv_mss;
	info->snd_cwnd = tcb->cwnd;
	info->snd_ssthresh = tcb->ssthresh;
	info->snd_wnd = tcb->snd_wnd;
	info->rcv_wnd = tcb->rcv_adv - tcb->rcv_nxt;
	info->unacked = tcb->snd_nxt - tcb->snd_una;
	info->sacked = tcb->sndq.sacked;
	info->lost = tcb->sndq.lost;
	info->retrans = tcb->sndq.retrans;
	info->reordering = tcb->reordering;
	info->notsent = tcb->sndq.seq + tcb->sndq.bytes - tcb->snd_nxt;
	if (tcb->state < VTCP_ESTABLISHED || tcb->fin_sent)
		info->notsent = 0;
	info->rcv_queued = tcb->rcvq.ready_bytes;
	info->error = tcb->err;
	info->bytes_sent = st->bytes_sent;
	info->bytes_retrans = st->bytes_retrans;
	info->bytes_acked = st->bytes_acked;
	info->bytes_received = st->bytes_received;
	info->segs_out = st->segs_out;
	info->segs_in = st->segs_in;
	info->data_segs_out = st->data_segs_out;
	info->data_segs_in = st->data_segs_in;
	info->total_retrans = st->retrans_segs;
	info->rto_expirations = st->rto_expirations;
	info->fast_retrans = st->fast_retrans;
	info->dsacks = st->dsacks;
	info->ooo_segs = st->ooo_segs;
	info->challenge_acks = st->challenge_acks;
	info->zero_window_probes = st->zero_window_probes;
	info->keepalive_probes = st->keepalive_probes;
	strscpy(info->congestion, tcb->cfg.cc->name, sizeof(info->congestion));
	if (conn->vd)
		info->ifindex = conn->vd->dev->ifindex;
	vtcp_conn_unlock(conn);
	vtcp_endpoint_from(&info->local, conn->tuple.family, &conn->tuple.local,
			   conn->tuple.lport);
	vtcp_endpoint_from(&info->remote, conn->tuple.family,
			   &conn->tuple.remote, conn->tuple.rport);
}

void vtcp_listener_info(struct vtcp_listener *lsn, struct vtcp_info *info)
{
	memset(info, 0, sizeof(*info));
	spin_lock_bh(&lsn->lock);
	info->state = lsn->dead ? VTCP_CLOSED : VTCP_LISTEN;
	info->rcv_queued = lsn->acceptq_len;
	if (lsn->vd)
		info->ifindex = lsn->vd->dev->ifindex;
	strscpy(info->congestion, lsn->cfg.cc->name, sizeof(info->congestion));
	spin_unlock_bh(&lsn->lock);
	vtcp_endpoint_from(&info->local, lsn->family, &lsn->addr, lsn->port);
}
