// SPDX-License-Identifier: GPL-2.0
/*
 * Segments: vtcp's, read from a packet socket with virtio-net headers (a
 * GSO train cut into the segments it stands for), formatted in script
 * notation and matched against a "> " line; and the peer's, built from a
 * "< " line and injected into vtcp0.
 */
#include <linux/virtio_net.h>
#include "pd.h"

static uint8_t pd_buf[65536 + 256];

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
void pd_fmt_pkt(const struct pd_run *r, const struct pd_pkt *p,
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

/* The kernel's receive timestamp of @msg, else now. */
static int64_t pd_rx_time(struct msghdr *msg)
{
	struct cmsghdr *cm;

	for (cm = CMSG_FIRSTHDR(msg); cm; cm = CMSG_NXTHDR(msg, cm)) {
		if (cm->cmsg_level == SOL_SOCKET &&
		    cm->cmsg_type == SCM_TIMESTAMPNS) {
			struct timespec ts;

			memcpy(&ts, CMSG_DATA(cm), sizeof(ts));
			return ts.tv_sec * PD_NSEC + ts.tv_nsec;
		}
	}
	return pd_now();
}

/*
 * The TCP header of the IP packet of @n bytes in pd_buf, if vtcp sent it
 * on the script's connection (else NULL), and in *@tcplen how many bytes
 * of TCP the IP header says follow it.
 */
static const uint8_t *pd_script_tcp(const struct pd_run *r, ssize_t n,
				    uint32_t *tcplen)
{
	const uint8_t *th;

	if (r->s->family == AF_INET) {
		const struct iphdr *iph = (const void *)pd_buf;
		struct in_addr a;

		if ((pd_buf[0] >> 4) != 4 || iph->protocol != IPPROTO_TCP ||
		    n < iph->ihl * 4 + 20)
			return NULL;
		inet_pton(AF_INET, r->vaddr, &a);
		if (iph->saddr != a.s_addr)
			return NULL;
		inet_pton(AF_INET, r->raddr, &a);
		if (iph->daddr != a.s_addr)
			return NULL;
		th = pd_buf + iph->ihl * 4;
		*tcplen = ntohs(iph->tot_len) - iph->ihl * 4;
	} else {
		const struct ip6_hdr *ip6 = (const void *)pd_buf;
		struct in6_addr a;

		if ((pd_buf[0] >> 4) != 6 || ip6->ip6_nxt != IPPROTO_TCP ||
		    n < (ssize_t)sizeof(*ip6) + 20)
			return NULL;
		inet_pton(AF_INET6, r->vaddr, &a);
		if (memcmp(&ip6->ip6_src, &a, sizeof(a)))
			return NULL;
		inet_pton(AF_INET6, r->raddr, &a);
		if (memcmp(&ip6->ip6_dst, &a, sizeof(a)))
			return NULL;
		th = pd_buf + sizeof(*ip6);
		*tcplen = ntohs(ip6->ip6_plen);
	}
	if ((th[0] << 8 | th[1]) != r->s->vport ||
	    (th[2] << 8 | th[3]) != r->s->rport)
		return NULL;
	return th;
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
		int64_t now = pd_now();
		int ms = deadline > now ? (deadline - now + 999999) / 1000000 : 0;
		const uint8_t *th;
		uint32_t tcplen, doff;
		ssize_t n;

		if (poll(&pfd, 1, ms) <= 0)
			return -ETIMEDOUT;
		n = recvmsg(r->rfd, &msg, MSG_DONTWAIT);
		if (n < (ssize_t)sizeof(vh) + 20 || from.sll_pkttype == PACKET_OUTGOING)
			continue;
		n -= sizeof(vh);
		p->ts = pd_rx_time(&msg);
		th = pd_script_tcp(r, n, &tcplen);
		if (!th)
			continue;
		doff = (th[12] >> 4) * 4;
		if (th + tcplen > pd_buf + n || tcplen < doff || doff < 20)
			pd_fail(r, "vtcp sent a bad segment (%u bytes of TCP, data offset %u)",
				tcplen, doff / 4);
		p->seq = ntohl(*(const uint32_t *)(th + 4));
		p->ack = ntohl(*(const uint32_t *)(th + 8));
		p->flags = th[13];
		p->win = th[14] << 8 | th[15];
		p->optlen = doff - 20;
		memcpy(p->opts, th + 20, p->optlen);
		p->len = tcplen - doff;
		p->payload = (uint8_t *)th + doff;
		r->gso_size = vh.gso_type != VIRTIO_NET_HDR_GSO_NONE ? vh.gso_size : 0;
		if (r->gso_size >= p->len)
			r->gso_size = 0;
		r->train_off = 0;
		r->train_left = true;
		return 0;
	}
}

/* The next segment vtcp sends on the script's connection, by @deadline. */
int pd_recv(struct pd_run *r, struct pd_pkt *p, int64_t deadline)
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
void pd_check_quiet(struct pd_run *r, int64_t when)
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
void pd_match(struct pd_run *r, const struct pd_line *l,
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
void pd_inject(struct pd_run *r, const struct pd_line *l)
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
