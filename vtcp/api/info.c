// SPDX-License-Identifier: GPL-2.0
/*
 * VTCP_IOC_INFO: what a connection or a listener reports of itself, like
 * TCP_INFO. Read under the object's lock, so that the numbers agree.
 */

#include <linux/string.h>
#include <uapi/linux/vtcp.h>

#include "engine/cc.h"
#include "net/conn.h"
#include "net/device.h"
#include "api/handle.h"
#include "api/info.h"
#include "net/listen.h"

/*
 * ca_state is copied as it is: the engine's congestion states must be the
 * UAPI's, which is a different enum (hence the casts).
 */
static_assert((int)VTCP_CA_OPEN == (int)VTCP_CA_STATE_OPEN);
static_assert((int)VTCP_CA_DISORDER == (int)VTCP_CA_STATE_DISORDER);
static_assert((int)VTCP_CA_RECOVERY == (int)VTCP_CA_STATE_RECOVERY);
static_assert((int)VTCP_CA_LOSS == (int)VTCP_CA_STATE_LOSS);

void vtcp_info_conn(struct vtcp_conn *conn, struct vtcp_info *info)
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
	info->snd_records = tcb->sndq.nr_records;
	info->snd_records_max = tcb->sndq.nr_records_max;
	info->records_walked_max = tcb->sndq.walked_max;
	info->sack_splits_refused = st->sack_splits_refused;
	strscpy(info->congestion, tcb->cfg.cc->name, sizeof(info->congestion));
	if (conn->vd)
		info->ifindex = conn->vd->dev->ifindex;
	vtcp_conn_unlock(conn);
	vtcp_endpoint_from(&info->local, conn->tuple.family, &conn->tuple.local,
			   conn->tuple.lport);
	vtcp_endpoint_from(&info->remote, conn->tuple.family,
			   &conn->tuple.remote, conn->tuple.rport);
}

void vtcp_info_listener(struct vtcp_listener *lsn, struct vtcp_info *info)
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
