// SPDX-License-Identifier: GPL-2.0
/*
 * Transfers through an impaired link (tc netem): loss, reordering,
 * duplication, delay with jitter, a rate limit, and a mix. Each case moves
 * data through vtcp in the impaired direction, checks every byte, and
 * reports its goodput beside the host talking to itself (two namespaces)
 * over a veth pair with the same netem, so a recovery weakness shows.
 *
 * netem must impair single segments on both paths, or the comparison is
 * not like with like: Linux's TCP builds GSO packets whatever the device's
 * offloads (it segments them after the qdisc), and netem drops, delays or
 * reorders a whole GSO packet as one, so "loss 1%" became one loss event
 * per up to 44 segments for the host's sender and 1% of segments for
 * vtcp's. The devices the host sends through (vtcp0 and both ends of the
 * veth pair) get gso_max_segs 1, which makes the host's TCP build
 * single-segment packets, and their offloads off; vtcp0 also gets
 * "rx-gro-hw off" so that vtcp delivers MSS-sized packets. Each case
 * prints what netem hit on both paths, to show it.
 *
 * One transfer's goodput on a shared machine can vary severalfold, so a
 * case can run several times (VTCP_IMPAIR_RUNS, default 1, 3 with
 * VTCP_LONG=1), vtcp and the reference taking turns, and compares the
 * medians.
 *
 * The second fixture, impair_mech, runs lossy and reordering cases with
 * one of vtcp's mechanisms turned off (VTCP_OPT_RACK, VTCP_OPT_SACK) and
 * the same one off in Linux, in both namespaces (net.ipv4.tcp_recovery and
 * tcp_early_retrans, tcp_sack), so that each ratio still compares like
 * with like; and a case where netem marks ECN-capable packets CE instead
 * of dropping them, with ECN asked for by the host's SYN (tcp_ecn=1).
 *
 * Sizes scale with VTCP_IMPAIR_SCALE (default 1; VTCP_LONG=1 makes it 4).
 */
#include <pthread.h>
#include <sys/wait.h>
#include <time.h>
#include "kselftest_harness.h"
#include "vtcp_util.h"

#define VETH_A	"203.0.113.1"	/* the initial namespace's end */
#define VETH_B	"203.0.113.2"	/* the reference peer, in NS */
#define NS	"vtcp_impair"
#define PORT	7000
#define OFFLOADS	"gso off tso off gro off"
#define VTCP_IMPAIR_MAX_RUNS	9

FIXTURE(impair) {
	size_t bytes;
};

FIXTURE_VARIANT(impair) {
	const char *netem;
	size_t bytes;
};

/* No impairment: what the path itself allows, for scale. */
FIXTURE_VARIANT_ADD(impair, baseline) { "delay 0ms", 8 << 20 };
FIXTURE_VARIANT_ADD(impair, loss_1) { "loss 1%", 8 << 20 };
FIXTURE_VARIANT_ADD(impair, loss_5) { "loss 5%", 4 << 20 };
FIXTURE_VARIANT_ADD(impair, loss_20) { "loss 20%", 1 << 20 };
FIXTURE_VARIANT_ADD(impair, reorder_25) { "delay 5ms reorder 25% 50%", 4 << 20 };
FIXTURE_VARIANT_ADD(impair, duplicate_5) { "duplicate 5%", 8 << 20 };
FIXTURE_VARIANT_ADD(impair, delay_50ms_jitter) { "delay 50ms 10ms", 4 << 20 };
FIXTURE_VARIANT_ADD(impair, rate_20mbit) { "rate 20mbit", 4 << 20 };
FIXTURE_VARIANT_ADD(impair, mix) {
	"delay 20ms 5ms loss 2% duplicate 2% reorder 10%", 2 << 20 };

/* Both fixtures: vtcp0 and the reference veth pair, offloads off. */
static void vtcp_impair_setup(struct __test_metadata *_metadata,
			      size_t variant_bytes, size_t *bytes)
{
	const char *scale = getenv("VTCP_IMPAIR_SCALE");
	size_t mult = scale ? strtoul(scale, NULL, 0) :
		      getenv("VTCP_LONG") ? 4 : 1;

	*bytes = variant_bytes * (mult ? mult : 1);
	ASSERT_EQ(0, vtcp_module_ensure());
	ASSERT_EQ(0, vtcp_sh("ip link set vtcp0 up && "
			     "ip addr replace " VTCP_HOST4 "/24 dev vtcp0 && "
			     "ethtool -K vtcp0 " OFFLOADS " rx-gro-hw off >/dev/null && "
			     "ip link set vtcp0 gso_max_segs 1"));
	/* A case killed by its timeout left its teardown undone. */
	vtcp_sh("ip netns del " NS " 2>/dev/null; ip link del vtcpveth 2>/dev/null;"
		"ip link del ifb0 2>/dev/null; tc qdisc del dev vtcp0 root 2>/dev/null;"
		"tc qdisc del dev vtcp0 ingress 2>/dev/null");
	ASSERT_EQ(0, vtcp_sh("ip netns add " NS " && "
			     "ip link add vtcpveth type veth peer name eth0 netns " NS " && "
			     "ip addr add " VETH_A "/24 dev vtcpveth && "
			     "ip link set vtcpveth up gso_max_segs 1 && "
			     "ethtool -K vtcpveth " OFFLOADS " >/dev/null && "
			     "ip -n " NS " addr add " VETH_B "/24 dev eth0 && "
			     "ip -n " NS " link set eth0 up gso_max_segs 1 && "
			     "ip -n " NS " link set lo up && "
			     "ip netns exec " NS " ethtool -K eth0 " OFFLOADS " >/dev/null"));
	ASSERT_EQ(0, vtcp_sh("ip link add ifb0 type ifb && ip link set ifb0 up && "
			     "tc qdisc add dev vtcp0 handle ffff: ingress && "
			     "tc filter add dev vtcp0 parent ffff: matchall "
			     "action mirred egress redirect dev ifb0"));
}

static void vtcp_impair_teardown(void)
{
	vtcp_sh("tc qdisc del dev vtcp0 root 2>/dev/null;"
		"tc qdisc del dev vtcp0 ingress 2>/dev/null;"
		"ip link del ifb0 2>/dev/null; ip link del vtcpveth 2>/dev/null;"
		"ip netns del " NS " 2>/dev/null;"
		"ethtool -K vtcp0 gso on tso on gro on rx-gro-hw on >/dev/null;"
		"ip link set vtcp0 gso_max_segs 65535");
}

FIXTURE_SETUP(impair)
{
	vtcp_impair_setup(_metadata, variant->bytes, &self->bytes);
}

FIXTURE_TEARDOWN(impair)
{
	vtcp_impair_teardown();
}

static double vtcp_now_s(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

/* Receive @bytes on @fd, checking every byte: Mbit/s, or -errno. */
static double vtcp_receive(int fd, size_t bytes)
{
	unsigned char buf[65536];
	double t0 = vtcp_now_s();
	size_t off = 0;

	while (off < bytes) {
		ssize_t n = read(fd, buf, sizeof(buf));

		if (n <= 0)
			return n < 0 ? -errno : -EPIPE;
		if (vtcp_check(buf, n, 11, off) >= 0)
			return -EILSEQ;
		off += n;
	}
	return bytes * 8 / (vtcp_now_s() - t0) / 1e6;
}

/* Send @bytes from @wfd while @rfd receives them: Mbit/s, or -errno. */
static double vtcp_transfer(int wfd, int rfd, size_t bytes)
{
	struct vtcp_writer w = { .fd = wfd, .len = bytes, .seed = 11 };
	double mbit;
	int ret;

	if (vtcp_writer_start(&w))
		return -ENOMEM;
	mbit = vtcp_receive(rfd, bytes);
	ret = vtcp_writer_join(&w);
	return ret ? ret : mbit;
}

/*
 * The reference: the host to itself over the veth pair, the peer in NS.
 * @to_ns: the data flows into NS. Mbit/s, or a negative number.
 */
static double vtcp_reference(size_t bytes, bool to_ns)
{
	double mbit = -1;
	int sv[2], status, fd;
	pid_t pid;
	char c;

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv))
		return -errno;
	pid = fork();
	if (!pid) {
		int lfd;

		if (vtcp_setns(NS))
			_exit(1);
		lfd = vtcp_host_listen(VETH_B, PORT);
		if (lfd < 0 || write(sv[1], "r", 1) != 1)
			_exit(2);
		fd = accept(lfd, NULL, NULL);
		if (fd < 0)
			_exit(3);
		if (to_ns)
			mbit = vtcp_receive(fd, bytes);
		else
			mbit = vtcp_write_pattern(fd, bytes, 11) ? -1 : 0;
		if (write(sv[1], &mbit, sizeof(mbit)) != sizeof(mbit))
			_exit(4);
		close(fd);
		_exit(0);
	}
	if (read(sv[0], &c, 1) != 1)
		goto out;
	fd = vtcp_host_connect(VETH_B, PORT);
	if (fd < 0)
		goto out;
	if (to_ns) {
		int ret = vtcp_write_pattern(fd, bytes, 11);

		if (read(sv[0], &mbit, sizeof(mbit)) != sizeof(mbit) || ret)
			mbit = -1;
	} else {
		mbit = vtcp_receive(fd, bytes);
	}
	close(fd);
out:
	waitpid(pid, &status, 0);
	close(sv[0]);
	close(sv[1]);
	return mbit;
}

/* Which of vtcp's mechanisms are on (1) or off (0), with Linux's alike. */
struct vtcp_mechs {
	int sack;		/* VTCP_OPT_SACK; net.ipv4.tcp_sack */
	int rack;		/* VTCP_OPT_RACK; tcp_recovery, tcp_early_retrans */
	int ecn;		/* the host asks for ECN: tcp_ecn=1 (else 2) */
	const char *name;
};

static const struct vtcp_mechs vtcp_defaults = { 1, 1, 0, "" };

/* The same switches for the host's TCP, in both namespaces. */
static int vtcp_host_mechs(const struct vtcp_mechs *m)
{
	static const char *const nss[] = { "", "ip netns exec " NS " " };
	int i, ret = 0;

	for (i = 0; i < 2; i++)
		ret |= vtcp_sh("%ssh -c 'cd /proc/sys/net/ipv4 && echo %d > tcp_sack && "
			       "echo %d > tcp_recovery && echo %d > tcp_early_retrans && "
			       "echo %d > tcp_ecn'",
			       nss[i], m->sack, m->rack, m->rack ? 3 : 0,
			       m->ecn ? 1 : 2);
	return ret;
}

/* Every packet vtcp0 dropped so far, whatever the reason. */
static long long vtcp_drops_total(void)
{
	long long v = -1;
	FILE *p = popen("ethtool -S vtcp0 | awk '/drop_/ { s += $2 } END { print s + 0 }'", "r");

	if (!p)
		return -1;
	if (fscanf(p, "%lld", &v) != 1)
		v = -1;
	pclose(p);
	return v;
}

/* The sender's side of the story: a Linux counter in a namespace. */
static long vtcp_mib(bool in_ns, const char *file, const char *table,
		     const char *name)
{
	char cmd[512];
	long v = -1;
	FILE *p;

	snprintf(cmd, sizeof(cmd),
		 "%sawk '/^%s:/ { if (!h) { split($0, n); h = 1 } else "
		 "{ for (i = 2; i <= NF; i++) if (n[i] == \"%s\") print $i } }' "
		 "/proc/net/%s", in_ns ? "ip netns exec " NS " " : "", table,
		 name, file);
	p = popen(cmd, "r");
	if (!p)
		return -1;
	if (fscanf(p, "%ld", &v) != 1)
		v = -1;
	pclose(p);
	return v;
}

/* What one path did over the runs of a case: sums of counters. */
struct vtcp_path_stats {
	double mbit[VTCP_IMPAIR_MAX_RUNS];
	long netem_pkts, netem_hits;	/* passed; dropped (or marked) */
	long retrans, timeouts, probes;	/* the Linux sender's, if any */
};

static void vtcp_host_tx_add(struct vtcp_path_stats *p, bool in_ns, int sign)
{
	p->retrans += sign * vtcp_mib(in_ns, "snmp", "Tcp", "RetransSegs");
	p->timeouts += sign * vtcp_mib(in_ns, "netstat", "TcpExt", "TCPTimeouts");
	p->probes += sign * vtcp_mib(in_ns, "netstat", "TcpExt", "TCPLossProbes");
}

/*
 * Apply @netem to the root of @dev (in NS if @in_ns); with @netem NULL,
 * count what the netem there passed and dropped (netem counts a CE mark as
 * a drop too) into @p and remove it.
 */
static int vtcp_netem(bool in_ns, const char *dev, const char *netem,
		      struct vtcp_path_stats *p)
{
	const char *ns = in_ns ? "ip netns exec " NS " " : "";
	long pkts, hits;
	char cmd[256];
	FILE *f;
	int n;

	if (netem)
		return vtcp_sh("%stc qdisc replace dev %s root netem limit 100000 %s",
			       ns, dev, netem);
	snprintf(cmd, sizeof(cmd),
		 "%stc -s qdisc show dev %s | awk '/Sent/ { gsub(\",\", \"\"); print $4, $7; exit }'",
		 ns, dev);
	f = popen(cmd, "r");
	if (!f)
		return -1;
	n = fscanf(f, "%ld %ld", &pkts, &hits);
	pclose(f);
	if (n == 2) {
		p->netem_pkts += pkts;
		p->netem_hits += hits;
	}
	return vtcp_sh("%stc qdisc del dev %s root", ns, dev) || n != 2;
}

static int vtcp_cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* The median of @n runs' goodput; a failed run (negative) sorts first. */
static double vtcp_median(double *mbit, int n)
{
	qsort(mbit, n, sizeof(*mbit), vtcp_cmp_double);
	return mbit[0] < 0 ? mbit[0] : n % 2 ? mbit[n / 2] :
	       (mbit[n / 2 - 1] + mbit[n / 2]) / 2;
}

/* Runs per case, vtcp and the reference taking turns: medians compared. */
static int vtcp_impair_runs(void)
{
	const char *e = getenv("VTCP_IMPAIR_RUNS");
	int n = e ? atoi(e) : getenv("VTCP_LONG") ? 3 : 1;

	return n < 1 ? 1 : n > VTCP_IMPAIR_MAX_RUNS ? VTCP_IMPAIR_MAX_RUNS : n;
}

/* One transfer through vtcp in the impaired direction: Mbit/s. */
static double vtcp_impair_vtcp(struct __test_metadata *_metadata,
			       const char *netem, size_t bytes, bool to_vtcp,
			       const struct vtcp_mechs *m,
			       struct vtcp_path_stats *p, struct vtcp_info *sum,
			       long long *drops)
{
	struct vtcp_info info;
	int lfd, hfd, vfd;
	double v;

	/* The impaired direction carries the data. */
	if (vtcp_netem(false, to_vtcp ? "vtcp0" : "ifb0", netem, NULL))
		return -EINVAL;
	lfd = vtcp_listen_on("vtcp0", VTCP_ADDR4, PORT, 4);
	if (lfd < 0)
		return lfd;
	hfd = -1;
	vfd = -1;
	if (!vtcp_set_opt(lfd, VTCP_OPT_SACK, m->sack) &&
	    !vtcp_set_opt(lfd, VTCP_OPT_RACK, m->rack))
		hfd = vtcp_host_connect(VTCP_ADDR4, PORT);
	if (hfd >= 0)
		vfd = vtcp_accept_on(lfd, 0, NULL);
	if (vfd < 0) {
		if (hfd >= 0)
			close(hfd);
		close(lfd);
		return -ENOTCONN;
	}
	vtcp_host_tx_add(p, false, -1);
	*drops -= vtcp_drops_total();
	v = to_vtcp ? vtcp_transfer(hfd, vfd, bytes) : vtcp_transfer(vfd, hfd, bytes);
	*drops += vtcp_drops_total();
	vtcp_host_tx_add(p, false, 1);
	memset(&info, 0, sizeof(info));
	EXPECT_EQ(0, ioctl(vfd, VTCP_IOC_INFO, &info));
	sum->segs_in += info.segs_in;
	sum->segs_out += info.segs_out;
	sum->ooo_segs += info.ooo_segs;
	sum->total_retrans += info.total_retrans;
	sum->rto_expirations += info.rto_expirations;
	sum->fast_retrans += info.fast_retrans;
	close(hfd);
	close(vfd);
	close(lfd);
	EXPECT_EQ(0, vtcp_netem(false, to_vtcp ? "vtcp0" : "ifb0", NULL, p));
	return v;
}

/* One host-to-host transfer through the same netem. */
static double vtcp_impair_ref(const char *netem, size_t bytes, bool to_vtcp,
			      struct vtcp_path_stats *p)
{
	/* The sender's end of the veth pair: NS's if data leaves NS. */
	const char *dev = to_vtcp ? "vtcpveth" : "eth0";
	double ref;

	if (vtcp_netem(!to_vtcp, dev, netem, NULL))
		return -EINVAL;
	vtcp_host_tx_add(p, !to_vtcp, -1);
	ref = vtcp_reference(bytes, to_vtcp);
	vtcp_host_tx_add(p, !to_vtcp, 1);
	vtcp_netem(!to_vtcp, dev, NULL, p);
	return ref;
}

static void vtcp_impair_case(struct __test_metadata *_metadata,
			     const char *netem, size_t bytes, bool to_vtcp,
			     const struct vtcp_mechs *m)
{
	struct vtcp_path_stats vp = {}, rp = {};
	struct vtcp_info sum = {};
	int r, runs = vtcp_impair_runs();
	long long drops = 0;
	double v, ref;

	ASSERT_EQ(0, vtcp_host_mechs(m));
	for (r = 0; r < runs; r++) {
		vp.mbit[r] = vtcp_impair_vtcp(_metadata, netem, bytes, to_vtcp,
					      m, &vp, &sum, &drops);
		EXPECT_LT(0, vp.mbit[r])
			TH_LOG("the transfer failed: %s", strerror((int)-vp.mbit[r]));
		rp.mbit[r] = vtcp_impair_ref(netem, bytes, to_vtcp, &rp);
		EXPECT_LT(0, rp.mbit[r]) TH_LOG("the host-to-host reference failed");
	}
	vtcp_host_mechs(&vtcp_defaults);
	v = vtcp_median(vp.mbit, runs);
	ref = vtcp_median(rp.mbit, runs);
	ksft_print_msg("impair %-48s %-12s %5zu KiB: vtcp %8.2f Mbit/s, host-to-host %8.2f Mbit/s, ratio %.2f%s%s\n",
		       netem, to_vtcp ? "host->vtcp" : "vtcp->host", bytes >> 10,
		       v, ref, ref > 0 ? v / ref : 0, *m->name ? " " : "", m->name);
	/* Counters below are sums over the runs; goodputs are medians. */
	ksft_print_msg("  %d run(s); netem hit %ld of %ld packets on vtcp's path, %ld of %ld on the host's\n",
		       runs, vp.netem_hits, vp.netem_pkts, rp.netem_hits,
		       rp.netem_pkts);
	if (to_vtcp) {
		ksft_print_msg("  senders: host->vtcp %ld resent, %ld RTOs, %ld probes; host-to-host %ld resent, %ld RTOs, %ld probes\n",
			       vp.retrans, vp.timeouts, vp.probes, rp.retrans,
			       rp.timeouts, rp.probes);
		/* The receiver's side: what vtcp dropped, how it answered. */
		ksft_print_msg("  vtcp receiving: %lld discarded by vtcp0 (duplicates too), %u segments in, %u out (ACKs), %u out of order\n",
			       drops, sum.segs_in, sum.segs_out, sum.ooo_segs);
	} else {
		ksft_print_msg("  senders: vtcp %u resent, %u RTOs, %u recoveries; host-to-host %ld resent, %ld RTOs, %ld probes\n",
			       sum.total_retrans, sum.rto_expirations,
			       sum.fast_retrans, rp.retrans, rp.timeouts,
			       rp.probes);
	}
}

TEST_F_TIMEOUT(impair, host_to_vtcp, 900)
{
	vtcp_impair_case(_metadata, variant->netem, self->bytes, true,
			 &vtcp_defaults);
}

TEST_F_TIMEOUT(impair, vtcp_to_host, 900)
{
	vtcp_impair_case(_metadata, variant->netem, self->bytes, false,
			 &vtcp_defaults);
}

/* The same cases with one mechanism off on both sides, or ECN marks. */
FIXTURE(impair_mech) {
	size_t bytes;
};

FIXTURE_VARIANT(impair_mech) {
	const char *netem;
	size_t bytes;
	struct vtcp_mechs m;
};

FIXTURE_VARIANT_ADD(impair_mech, loss_1_no_rack) {
	"loss 1%", 8 << 20, { 1, 0, 0, "(RACK-TLP off)" } };
FIXTURE_VARIANT_ADD(impair_mech, loss_1_no_sack) {
	"loss 1%", 8 << 20, { 0, 1, 0, "(SACK off)" } };
FIXTURE_VARIANT_ADD(impair_mech, loss_5_no_rack) {
	"loss 5%", 4 << 20, { 1, 0, 0, "(RACK-TLP off)" } };
FIXTURE_VARIANT_ADD(impair_mech, loss_5_no_sack) {
	"loss 5%", 4 << 20, { 0, 1, 0, "(SACK off)" } };
FIXTURE_VARIANT_ADD(impair_mech, reorder_25_no_rack) {
	"delay 5ms reorder 25% 50%", 4 << 20, { 1, 0, 0, "(RACK-TLP off)" } };
FIXTURE_VARIANT_ADD(impair_mech, reorder_25_no_sack) {
	"delay 5ms reorder 25% 50%", 4 << 20, { 0, 1, 0, "(SACK off)" } };
FIXTURE_VARIANT_ADD(impair_mech, mix_no_rack) {
	"delay 20ms 5ms loss 2% duplicate 2% reorder 10%", 2 << 20,
	{ 1, 0, 0, "(RACK-TLP off)" } };
FIXTURE_VARIANT_ADD(impair_mech, mix_no_sack) {
	"delay 20ms 5ms loss 2% duplicate 2% reorder 10%", 2 << 20,
	{ 0, 1, 0, "(SACK off)" } };
/* netem marks CE where it would drop, if the packet is ECN-capable. */
FIXTURE_VARIANT_ADD(impair_mech, ecn_mark_5) {
	"loss 5% ecn", 4 << 20, { 1, 1, 1, "(ECN)" } };

FIXTURE_SETUP(impair_mech)
{
	vtcp_impair_setup(_metadata, variant->bytes, &self->bytes);
}

FIXTURE_TEARDOWN(impair_mech)
{
	vtcp_host_mechs(&vtcp_defaults);
	vtcp_impair_teardown();
}

TEST_F_TIMEOUT(impair_mech, host_to_vtcp, 900)
{
	vtcp_impair_case(_metadata, variant->netem, self->bytes, true,
			 &variant->m);
}

TEST_F_TIMEOUT(impair_mech, vtcp_to_host, 900)
{
	vtcp_impair_case(_metadata, variant->netem, self->bytes, false,
			 &variant->m);
}

TEST_HARNESS_MAIN
