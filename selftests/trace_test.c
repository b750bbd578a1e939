// SPDX-License-Identifier: GPL-2.0
/*
 * vtcp's tracepoints and its drops on the kernel's own path, read through
 * tracefs (Documentation/tracing.rst). In a trace instance of its own, with
 * vtcp:* and skb:kfree_skb on, it moves data both ways through netem loss
 * and sends two crafted segments, then reads the buffer and checks:
 *
 * - vtcp_state: each connection's handshake (LISTEN -> SYN_RECEIVED ->
 *   ESTABLISHED passively, SYN_SENT -> ESTABLISHED actively) and its
 *   close, with its addresses and ports;
 * - vtcp_retransmit: the lossy sender's resends, each with a reason, as
 *   many as VTCP_IOC_INFO counts;
 * - skb:kfree_skb: a segment with a bad checksum freed in vtcp under
 *   TCP_CSUM, with vtcp_drop saying drop_bad_checksum for the same skb (the
 *   core's reason covers the IP header's sum too); a SYN to a closed port
 *   freed under NO_SOCKET, which says all, so with no vtcp_drop event.
 *
 * It runs where the kernel has tracefs and vtcp's events (every guest of
 * scripts/ and Debian's), and skips with the reason elsewhere.
 */
#include <sys/mount.h>
#include "kselftest_harness.h"
#include "vtcp_util.h"
#include "vtcp_pkt.h"

#define PORT_A		7100	/* vtcp listens: data host -> vtcp */
#define PORT_B		7101	/* the host listens: data vtcp -> host */
#define PORT_B_LOCAL	7102	/* vtcp's end of B */
#define PORT_CLOSED	7103
#define PEER4		"192.0.2.77"	/* the crafted segments' source */
#define CSUM_SPORT	47001
#define CLOSED_SPORT	47002
#define INSTANCE	"vtcp_trace_test"
#define BYTES		(1 << 20)
#define OFFLOADS	"gso off tso off gro off"

FIXTURE(trace) {
	char dir[128];		/* the instance */
	char *buf;		/* what it recorded */
};

/* tracefs, mounted if it is not: its path, or NULL. */
static const char *vtcp_tracefs(void)
{
	static const char *const dirs[] = {
		"/sys/kernel/tracing", "/sys/kernel/debug/tracing",
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(dirs); i++) {
		char p[96];

		snprintf(p, sizeof(p), "%s/instances", dirs[i]);
		if (!access(p, F_OK))
			return dirs[i];
	}
	if (!mount("nodev", dirs[0], "tracefs", 0, NULL))
		return dirs[0];
	return NULL;
}

static int vtcp_tw(const char *dir, const char *file, const char *s)
{
	char p[256];

	snprintf(p, sizeof(p), "%s/%s", dir, file);
	return vtcp_write_file(p, s);
}

/* The whole of a file that has no size (tracefs): malloc'd, or NULL. */
static char *vtcp_slurp(const char *path)
{
	size_t len = 0, cap = 1 << 20;
	char *buf = malloc(cap);
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY);
	if (fd < 0 || !buf) {
		free(buf);
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	while ((n = read(fd, buf + len, cap - len - 1)) > 0) {
		len += n;
		if (cap - len < 4096) {
			char *more = realloc(buf, cap *= 2);

			if (!more)
				break;
			buf = more;
		}
	}
	close(fd);
	buf[len] = 0;
	return buf;
}

/* A filter on kfree_skb's location: within vtcp.ko (/proc/modules). */
static int vtcp_module_range(char *filter, size_t n)
{
	unsigned long long base = 0, size = 0;
	char line[256], name[64];
	FILE *f = fopen("/proc/modules", "r");

	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%63s %llu %*s %*s %*s %llx", name, &size, &base) == 3 &&
		    !strcmp(name, "vtcp"))
			break;
		base = 0;
	}
	fclose(f);
	if (!base)
		return -ENOENT;	/* not loaded, or addresses hidden */
	snprintf(filter, n, "location >= 0x%llx && location < 0x%llx", base,
		 base + size);
	return 0;
}

FIXTURE_SETUP(trace)
{
	char p[160], filter[128];
	const char *tfs;

	self->buf = NULL;
	self->dir[0] = 0;
	ASSERT_EQ(0, vtcp_module_ensure());
	tfs = vtcp_tracefs();
	if (!tfs)
		SKIP(return, "no tracefs in this kernel (CONFIG_TRACING)");
	snprintf(p, sizeof(p), "%s/events/vtcp/vtcp_state", tfs);
	if (access(p, F_OK))
		SKIP(return, "no vtcp events in %s/events (CONFIG_EVENT_TRACING)", tfs);
	snprintf(self->dir, sizeof(self->dir), "%s/instances/" INSTANCE, tfs);
	rmdir(self->dir);
	ASSERT_EQ(0, mkdir(self->dir, 0755)) TH_LOG("a trace instance: %s", strerror(errno));
	/*
	 * Only frees in vtcp's code: kfree_skb's location is a hashed %p in
	 * 6.1 (%pS since), so the filter, on its raw value, says where.
	 */
	ASSERT_EQ(0, vtcp_module_range(filter, sizeof(filter)));
	ASSERT_EQ(0, vtcp_tw(self->dir, "events/skb/kfree_skb/filter", filter))
		TH_LOG("filter %s", filter);
	ASSERT_EQ(0, vtcp_tw(self->dir, "buffer_size_kb", "8192"));
	ASSERT_EQ(0, vtcp_tw(self->dir, "events/vtcp/enable", "1"));
	ASSERT_EQ(0, vtcp_tw(self->dir, "events/skb/kfree_skb/enable", "1"));

	/* netem must hit single segments: see impair_test.c. */
	vtcp_sh("ip link del ifb0 2>/dev/null; tc qdisc del dev vtcp0 root 2>/dev/null;"
		"tc qdisc del dev vtcp0 ingress 2>/dev/null");
	ASSERT_EQ(0, vtcp_sh("ip link set vtcp0 up && "
			     "ip addr replace " VTCP_HOST4 "/24 dev vtcp0 && "
			     "ethtool -K vtcp0 " OFFLOADS " rx-gro-hw off >/dev/null && "
			     "ip link set vtcp0 gso_max_segs 1 && "
			     "ip link add ifb0 type ifb && ip link set ifb0 up && "
			     "tc qdisc add dev vtcp0 handle ffff: ingress && "
			     "tc filter add dev vtcp0 parent ffff: matchall "
			     "action mirred egress redirect dev ifb0"));
}

FIXTURE_TEARDOWN(trace)
{
	vtcp_sh("tc qdisc del dev vtcp0 root 2>/dev/null;"
		"tc qdisc del dev vtcp0 ingress 2>/dev/null;"
		"ip link del ifb0 2>/dev/null;"
		"ethtool -K vtcp0 gso on tso on gro on rx-gro-hw on >/dev/null;"
		"ip link set vtcp0 gso_max_segs 65535");
	if (self->dir[0]) {
		vtcp_tw(self->dir, "events/enable", "0");
		rmdir(self->dir);
	}
	free(self->buf);
}

/* One connection of the test: vtcp's end and the host's port. */
struct vtcp_tconn {
	int vfd, hfd;
	unsigned short vport, hport;
};

/* Data through the netem on @dev, @wfd to @rfd, every byte checked. */
static int vtcp_lossy_pass(const char *dev, int wfd, int rfd)
{
	unsigned char *in = malloc(BYTES), *out = malloc(BYTES);
	int ret = -ENOMEM;

	if (in && out) {
		vtcp_fill(in, BYTES, 5, 0);
		ret = vtcp_sh("tc qdisc replace dev %s root netem limit 100000 loss 5%%", dev);
		if (!ret)
			ret = vtcp_pass(wfd, rfd, in, out, BYTES);
		vtcp_sh("tc qdisc del dev %s root", dev);
		if (!ret && vtcp_check(out, BYTES, 5, 0) >= 0)
			ret = -EILSEQ;
	}
	free(in);
	free(out);
	return ret;
}

/* A: the host connects to vtcp's listener and sends. */
static int vtcp_conn_a(struct vtcp_tconn *c)
{
	struct sockaddr_in hs;
	socklen_t hl = sizeof(hs);
	int lfd = vtcp_listen_on("vtcp0", VTCP_ADDR4, PORT_A, 4);

	if (lfd < 0)
		return lfd;
	c->hfd = vtcp_host_connect(VTCP_ADDR4, PORT_A);
	c->vfd = c->hfd < 0 ? -1 : vtcp_accept_on(lfd, 0, NULL);
	close(lfd);
	if (c->vfd < 0 || getsockname(c->hfd, (void *)&hs, &hl))
		return -ENOTCONN;
	c->vport = PORT_A;
	c->hport = ntohs(hs.sin_port);
	return vtcp_lossy_pass("vtcp0", c->hfd, c->vfd);
}

/* B: vtcp connects to the host's listener and sends. */
static int vtcp_conn_b(struct vtcp_tconn *c)
{
	int lfd = vtcp_host_listen(VTCP_HOST4, PORT_B);

	if (lfd < 0)
		return lfd;
	c->vfd = vtcp_connect_to("vtcp0", VTCP_ADDR4, PORT_B_LOCAL, VTCP_HOST4,
				 PORT_B, 0);
	c->hfd = c->vfd < 0 ? -1 : accept(lfd, NULL, NULL);
	close(lfd);
	if (c->hfd < 0)
		return -ENOTCONN;
	c->vport = PORT_B_LOCAL;
	c->hport = PORT_B;
	return vtcp_lossy_pass("ifb0", c->vfd, c->hfd);
}

/* Both ends close; vtcp's side leaves ESTABLISHED, the FINs are traced. */
static void vtcp_tconn_close(struct vtcp_tconn *c)
{
	char x;

	if (c->vfd >= 0) {
		close(c->vfd);
		if (c->hfd >= 0)
			(void)!read(c->hfd, &x, 1);	/* vtcp's FIN */
	}
	if (c->hfd >= 0)
		close(c->hfd);
	usleep(200 * 1000);
}

/* A segment crafted from PEER4 to vtcp's address. */
static void vtcp_send_syn(struct __test_metadata *_metadata, int pfd,
			  unsigned short sport, unsigned short dport, bool bad_csum)
{
	struct vtcp_seg_desc d = {
		.family = AF_INET, .src = PEER4, .dst = VTCP_ADDR4,
		.sport = sport, .dport = dport, .seq = 1000,
		.flags = VTCP_TH_SYN, .win = 65535,
	};
	uint8_t buf[256];
	size_t len = vtcp_pkt_build(&d, buf);

	if (bad_csum)
		buf[20 + 16] ^= 0x55;	/* the TCP checksum */
	ASSERT_EQ(0, vtcp_pkt_send_raw(pfd, "vtcp0", buf, len));
}

/*
 * The line at @p, copied into @l (cut at @n - 1 bytes): where the next
 * begins, or NULL at the end.
 */
static const char *vtcp_line(const char *p, char *l, size_t n)
{
	const char *eol;
	size_t len;

	if (!p || !*p)
		return NULL;
	eol = strchr(p, '\n');
	len = eol ? (size_t)(eol - p) : strlen(p);
	if (len >= n)
		len = n - 1;
	memcpy(l, p, len);
	l[len] = 0;
	return eol ? eol + 1 : p + strlen(p);
}

#define vtcp_for_each_line(p, buf, l)					\
	for (p = vtcp_line(buf, l, sizeof(l)); p; p = vtcp_line(p, l, sizeof(l)))

/* The value of "key=" in @line, up to the next space, into @v. */
static bool vtcp_field(const char *line, const char *key, char *v, size_t n)
{
	size_t klen = strlen(key);
	const char *p = line;

	while ((p = strstr(p, key))) {
		if ((p == line || p[-1] == ' ') && p[klen] == '=') {
			size_t i = 0;

			p += klen + 1;
			while (p[i] && p[i] != ' ' && p[i] != '\n' && i + 1 < n) {
				v[i] = p[i];
				i++;
			}
			v[i] = 0;
			return true;
		}
		p += klen;
	}
	return false;
}

static bool vtcp_field_is(const char *line, const char *key, const char *want)
{
	char v[128];

	return vtcp_field(line, key, v, sizeof(v)) && !strcmp(v, want);
}

static bool vtcp_event_is(const char *line, const char *event)
{
	char tag[64];

	snprintf(tag, sizeof(tag), " %s: ", event);
	return strstr(line, tag);
}

/* A vtcp event of connection @c, by vtcp's port and the host's. */
static bool vtcp_of_conn(const char *line, const struct vtcp_tconn *c)
{
	char sport[8], dport[8];

	snprintf(sport, sizeof(sport), "%u", c->vport);
	snprintf(dport, sizeof(dport), "%u", c->hport);
	return vtcp_field_is(line, "sport", sport) &&
	       vtcp_field_is(line, "dport", dport) &&
	       vtcp_field_is(line, "saddr", VTCP_ADDR4) &&
	       vtcp_field_is(line, "daddr", VTCP_HOST4);
}

static int vtcp_count_states(const char *buf, const struct vtcp_tconn *c,
			     const char *from, const char *to)
{
	const char *p;
	char line[1024];
	int n = 0;

	vtcp_for_each_line(p, buf, line) {
		if (vtcp_event_is(line, "vtcp_state") && vtcp_of_conn(line, c) &&
		    vtcp_field_is(line, "oldstate", from) &&
		    (!to || vtcp_field_is(line, "newstate", to)))
			n++;
	}
	return n;
}

/* kfree_skb events freed in vtcp under @reason; their skbaddrs. */
static int vtcp_kfree_in_vtcp(const char *buf, const char *reason,
			      char addrs[][32], int max)
{
	char loc[160], why[64], l[1024];
	const char *p, *r;
	int n = 0;

	vtcp_for_each_line(p, buf, l) {
		if (!vtcp_event_is(l, "kfree_skb"))
			continue;
		r = strstr(l, "reason: ");
		if (!r || sscanf(r, "reason: %63s", why) != 1 || strcmp(why, reason))
			continue;
		/* The filter let only vtcp's through; 6.12 names the place. */
		if (!vtcp_field(l, "location", loc, sizeof(loc)) ||
		    (strchr(loc, '+') && !strstr(l, " [vtcp] ")))
			continue;
		if (n < max)
			vtcp_field(l, "skbaddr", addrs[n], sizeof(addrs[n]));
		n++;
	}
	return n;
}

/* vtcp_drop events for the crafted segment from @sport, by @reason. */
static int vtcp_drops(const char *buf, unsigned short sport,
		      const char *reason, char *skbaddr, size_t n)
{
	char dport[8], line[1024];
	const char *p;
	int count = 0;

	snprintf(dport, sizeof(dport), "%u", sport);
	vtcp_for_each_line(p, buf, line) {
		if (vtcp_event_is(line, "vtcp_drop") &&
		    vtcp_field_is(line, "daddr", PEER4) &&
		    vtcp_field_is(line, "dport", dport) &&
		    vtcp_field_is(line, "reason", reason)) {
			vtcp_field(line, "skbaddr", skbaddr, n);
			count++;
		}
	}
	return count;
}

/* Did some CPU's ring lose events? Then counts cannot be compared. */
static bool vtcp_overrun(const char *dir)
{
	char cmd[256];

	snprintf(cmd, sizeof(cmd),
		 "cat %s/per_cpu/cpu*/stats | awk '/^overrun:/ && $2 != 0 { x = 1 } END { exit !x }'",
		 dir);
	return !vtcp_sh("%s", cmd);
}

TEST_F_TIMEOUT(trace, states_retransmissions_and_drops_are_traced, 600)
{
	struct vtcp_tconn a = { -1, -1 }, b = { -1, -1 };
	long long csum0, closed0;
	static const char *const reasons[] = { "RTO", "FAST", "RACK", "TLP" };
	static const char *const kinds[] = {
		"vtcp_state", "vtcp_retransmit", "vtcp_cwnd", "vtcp_rto",
		"vtcp_drop", "kfree_skb",
	};
	char addrs[64][32], skbaddr[32] = "", path[192], line[1024];
	struct vtcp_info info = {};
	int i, j, n, retrans = 0, csum_frees, closed_frees;
	const char *p;
	bool overrun;
	int pfd;

	ASSERT_EQ(0, vtcp_tw(self->dir, "tracing_on", "1"));
	EXPECT_EQ(0, vtcp_conn_a(&a)) TH_LOG("host -> vtcp through loss");
	EXPECT_EQ(0, vtcp_conn_b(&b)) TH_LOG("vtcp -> host through loss");
	/* The last ACKs land first: no probe or RTO left to come. */
	usleep(300 * 1000);
	if (b.vfd >= 0)
		EXPECT_EQ(0, vtcp_get_info(b.vfd, &info));
	vtcp_tconn_close(&a);
	vtcp_tconn_close(&b);

	pfd = vtcp_pkt_open("vtcp0");
	ASSERT_LE(0, pfd);
	csum0 = vtcp_dev_stat("vtcp0", "drop_bad_checksum");
	closed0 = vtcp_dev_stat("vtcp0", "drop_no_socket");
	vtcp_send_syn(_metadata, pfd, CSUM_SPORT, PORT_A, true);
	vtcp_send_syn(_metadata, pfd, CLOSED_SPORT, PORT_CLOSED, false);
	EXPECT_EQ(csum0 + 1, vtcp_dev_stat("vtcp0", "drop_bad_checksum"));
	EXPECT_EQ(closed0 + 1, vtcp_dev_stat("vtcp0", "drop_no_socket"));
	close(pfd);
	usleep(100 * 1000);

	ASSERT_EQ(0, vtcp_tw(self->dir, "tracing_on", "0"));
	overrun = vtcp_overrun(self->dir);
	snprintf(path, sizeof(path), "%s/trace", self->dir);
	self->buf = vtcp_slurp(path);
	ASSERT_NE(NULL, self->buf);

	/* The handshakes, each way, and the closes. */
	EXPECT_EQ(1, vtcp_count_states(self->buf, &a, "LISTEN", "SYN_RECEIVED"));
	EXPECT_EQ(1, vtcp_count_states(self->buf, &a, "SYN_RECEIVED", "ESTABLISHED"));
	EXPECT_EQ(1, vtcp_count_states(self->buf, &b, "CLOSED", "SYN_SENT"));
	EXPECT_EQ(1, vtcp_count_states(self->buf, &b, "SYN_SENT", "ESTABLISHED"));
	EXPECT_EQ(1, vtcp_count_states(self->buf, &a, "ESTABLISHED", NULL));
	EXPECT_EQ(1, vtcp_count_states(self->buf, &b, "ESTABLISHED", NULL));

	/* B's sender resent through the loss: each resend, with its reason. */
	vtcp_for_each_line(p, self->buf, line) {
		char why[16];

		if (!vtcp_event_is(line, "vtcp_retransmit") || !vtcp_of_conn(line, &b))
			continue;
		ASSERT_TRUE(vtcp_field(line, "reason", why, sizeof(why)));
		for (j = 0; j < (int)ARRAY_SIZE(reasons); j++)
			if (!strcmp(why, reasons[j]))
				break;
		EXPECT_LT(j, (int)ARRAY_SIZE(reasons)) TH_LOG("reason %s", why);
		EXPECT_TRUE(vtcp_field(line, "cwnd", why, sizeof(why)));
		EXPECT_TRUE(vtcp_field(line, "srtt", why, sizeof(why)));
		retrans++;
	}
	EXPECT_LT(0, retrans) TH_LOG("no vtcp_retransmit event for vtcp -> host");
	if (overrun)
		ksft_print_msg("the ring overran: resends not compared with VTCP_IOC_INFO\n");
	else
		EXPECT_EQ(info.total_retrans, (unsigned int)retrans);
	ksft_print_msg("vtcp -> host: %d resends traced, %u counted\n", retrans,
		       info.total_retrans);

	/*
	 * The bad checksum: freed in vtcp as TCP_CSUM, and named by vtcp_drop
	 * with the same skb. The closed port: NO_SOCKET, and no vtcp_drop.
	 */
	EXPECT_EQ(1, vtcp_drops(self->buf, CSUM_SPORT, "drop_bad_checksum",
				skbaddr, sizeof(skbaddr)));
	csum_frees = vtcp_kfree_in_vtcp(self->buf, "TCP_CSUM", addrs, 64);
	EXPECT_LE(1, csum_frees) TH_LOG("no kfree_skb in vtcp with TCP_CSUM");
	n = csum_frees < 64 ? csum_frees : 64;
	for (i = 0; i < n; i++)
		if (!strcmp(addrs[i], skbaddr))
			break;
	EXPECT_LT(i, n) TH_LOG("no TCP_CSUM kfree_skb for vtcp_drop's skbaddr=%s", skbaddr);
	closed_frees = vtcp_kfree_in_vtcp(self->buf, "NO_SOCKET", addrs, 64);
	EXPECT_LE(1, closed_frees) TH_LOG("no kfree_skb in vtcp with NO_SOCKET");
	EXPECT_EQ(0, vtcp_drops(self->buf, CLOSED_SPORT, "drop_no_socket",
				skbaddr, sizeof(skbaddr)));
	/* One line of each kind, for the reader of the log. */
	for (i = 0; i < (int)ARRAY_SIZE(kinds); i++)
		vtcp_for_each_line(p, self->buf, line)
			if (vtcp_event_is(line, kinds[i])) {
				ksft_print_msg("%s\n", line);
				break;
			}
	if (_metadata->exit_code)
		ksft_print_msg("trace:\n%.4000s\n", self->buf);
}

TEST_HARNESS_MAIN
