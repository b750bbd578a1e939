// SPDX-License-Identifier: GPL-2.0
/*
 * Transfers through an impaired link (tc netem): loss, reordering,
 * duplication, delay with jitter, a rate limit, and a mix. Each case moves
 * data through vtcp in the impaired direction, checks every byte, and
 * reports its goodput beside the host talking to itself (two namespaces)
 * over a veth pair with the same netem, so a recovery weakness shows.
 *
 * Offloads are off on both paths so that netem impairs single segments:
 * vtcp0 and the veth pair get "gso off tso off", and vtcp0 also
 * "rx-gro-hw off" so that vtcp delivers MSS-sized packets.
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
#include <sched.h>
#include <sys/wait.h>
#include <time.h>
#include "kselftest_harness.h"
#include "vtcp_util.h"

#define HOST4	"192.0.2.1"
#define VTCP4	"192.0.2.2"
#define VETH_A	"203.0.113.1"	/* the initial namespace's end */
#define VETH_B	"203.0.113.2"	/* the reference peer, in NS */
#define NS	"vtcp_impair"
#define PORT	7000
#define OFFLOADS	"gso off tso off gro off"

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
			     "ip addr replace " HOST4 "/24 dev vtcp0 && "
			     "ethtool -K vtcp0 " OFFLOADS " rx-gro-hw off >/dev/null"));
	/* A case killed by its timeout left its teardown undone. */
	vtcp_sh("ip netns del " NS " 2>/dev/null; ip link del vtcpveth 2>/dev/null;"
		"ip link del ifb0 2>/dev/null; tc qdisc del dev vtcp0 root 2>/dev/null;"
		"tc qdisc del dev vtcp0 ingress 2>/dev/null");
	ASSERT_EQ(0, vtcp_sh("ip netns add " NS " && "
			     "ip link add vtcpveth type veth peer name eth0 netns " NS " && "
			     "ip addr add " VETH_A "/24 dev vtcpveth && "
			     "ip link set vtcpveth up && "
			     "ethtool -K vtcpveth " OFFLOADS " >/dev/null && "
			     "ip -n " NS " addr add " VETH_B "/24 dev eth0 && "
			     "ip -n " NS " link set eth0 up && ip -n " NS " link set lo up && "
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
		"ethtool -K vtcp0 gso on tso on gro on rx-gro-hw on >/dev/null");
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

struct vtcp_sender {
	int fd;
	size_t bytes;
	int ret;
};

static void *vtcp_send_thread(void *arg)
{
	struct vtcp_sender *s = arg;
	unsigned char buf[65536];
	size_t off = 0;

	while (off < s->bytes && !s->ret) {
		size_t n = s->bytes - off < sizeof(buf) ? s->bytes - off : sizeof(buf);

		vtcp_fill(buf, n, 11, off);
		s->ret = vtcp_write_all(s->fd, buf, n);
		off += n;
	}
	return NULL;
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
	struct vtcp_sender s = { .fd = wfd, .bytes = bytes };
	pthread_t th;
	double mbit;

	if (pthread_create(&th, NULL, vtcp_send_thread, &s))
		return -ENOMEM;
	mbit = vtcp_receive(rfd, bytes);
	pthread_join(th, NULL);
	return s.ret ? s.ret : mbit;
}

/*
 * The reference: the host to itself over the veth pair, the peer in NS.
 * @to_ns: the data flows into NS. Mbit/s, or a negative number.
 */
static double vtcp_reference(size_t bytes, bool to_ns)
{
	struct vtcp_sender s = { .bytes = bytes };
	double mbit = -1;
	int sv[2], status;
	pid_t pid;
	char c;

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv))
		return -errno;
	pid = fork();
	if (!pid) {
		int nsfd = open("/run/netns/" NS, O_RDONLY);
		int lfd, fd;

		if (nsfd < 0 || setns(nsfd, CLONE_NEWNET))
			_exit(1);
		lfd = vtcp_host_listen(VETH_B, PORT);
		if (lfd < 0 || write(sv[1], "r", 1) != 1)
			_exit(2);
		fd = accept(lfd, NULL, NULL);
		if (fd < 0)
			_exit(3);
		if (to_ns) {
			mbit = vtcp_receive(fd, bytes);
		} else {
			s.fd = fd;
			vtcp_send_thread(&s);
			mbit = s.ret ? -1 : 0;
		}
		if (write(sv[1], &mbit, sizeof(mbit)) != sizeof(mbit))
			_exit(4);
		close(fd);
		_exit(0);
	}
	if (read(sv[0], &c, 1) != 1)
		goto out;
	s.fd = vtcp_host_connect(VETH_B, PORT);
	if (s.fd < 0)
		goto out;
	if (to_ns) {
		vtcp_send_thread(&s);
		if (read(sv[0], &mbit, sizeof(mbit)) != sizeof(mbit) || s.ret)
			mbit = -1;
	} else {
		mbit = vtcp_receive(s.fd, bytes);
	}
	close(s.fd);
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

struct vtcp_host_tx {
	long retrans, timeouts, probes;
};

static struct vtcp_host_tx vtcp_host_tx(bool in_ns)
{
	struct vtcp_host_tx t = {
		vtcp_mib(in_ns, "snmp", "Tcp", "RetransSegs"),
		vtcp_mib(in_ns, "netstat", "TcpExt", "TCPTimeouts"),
		vtcp_mib(in_ns, "netstat", "TcpExt", "TCPLossProbes"),
	};

	return t;
}

static void vtcp_impair_case(struct __test_metadata *_metadata,
			     const char *netem, size_t bytes, bool to_vtcp,
			     const struct vtcp_mechs *m)
{
	struct vtcp_host_tx h0, h1, r0, r1;
	long long drops0;
	struct vtcp_info info;
	double v, ref;
	int lfd, hfd, vfd;

	ASSERT_EQ(0, vtcp_host_mechs(m));
	/* The impaired direction carries the data. */
	ASSERT_EQ(0, vtcp_sh("tc qdisc replace dev %s root netem limit 100000 %s",
			     to_vtcp ? "vtcp0" : "ifb0", netem));
	lfd = vtcp_listen_on("vtcp0", VTCP4, PORT, 4);
	ASSERT_LE(0, lfd);
	ASSERT_EQ(0, vtcp_set_opt(lfd, VTCP_OPT_SACK, m->sack));
	ASSERT_EQ(0, vtcp_set_opt(lfd, VTCP_OPT_RACK, m->rack));
	hfd = vtcp_host_connect(VTCP4, PORT);
	ASSERT_LE(0, hfd);
	vfd = vtcp_accept_on(lfd, 0, NULL);
	ASSERT_LE(0, vfd);
	h0 = vtcp_host_tx(false);
	drops0 = vtcp_drops_total();
	v = to_vtcp ? vtcp_transfer(hfd, vfd, bytes) : vtcp_transfer(vfd, hfd, bytes);
	EXPECT_LT(0, v) TH_LOG("the transfer failed: %s", strerror((int)-v));
	h1 = vtcp_host_tx(false);
	memset(&info, 0, sizeof(info));
	ioctl(vfd, VTCP_IOC_INFO, &info);
	close(hfd);
	close(vfd);
	close(lfd);
	vtcp_sh("tc qdisc del dev vtcp0 root 2>/dev/null; tc qdisc del dev ifb0 root 2>/dev/null");

	ASSERT_EQ(0, vtcp_sh("%s tc qdisc replace dev %s root netem limit 100000 %s",
			     to_vtcp ? "" : "ip netns exec " NS,
			     to_vtcp ? "vtcpveth" : "eth0", netem));
	/* The reference's sender: the initial namespace if data goes to NS. */
	r0 = vtcp_host_tx(!to_vtcp);
	ref = vtcp_reference(bytes, to_vtcp);
	EXPECT_LT(0, ref) TH_LOG("the host-to-host reference failed");
	r1 = vtcp_host_tx(!to_vtcp);
	vtcp_host_mechs(&vtcp_defaults);
	ksft_print_msg("impair %-48s %-12s %5zu KiB: vtcp %8.2f Mbit/s, host-to-host %8.2f Mbit/s, ratio %.2f%s%s\n",
		       netem, to_vtcp ? "host->vtcp" : "vtcp->host", bytes >> 10,
		       v, ref, ref > 0 ? v / ref : 0, *m->name ? " " : "", m->name);
	if (to_vtcp) {
		ksft_print_msg("  senders: host->vtcp %ld resent, %ld RTOs, %ld probes; host-to-host %ld resent, %ld RTOs, %ld probes\n",
			       h1.retrans - h0.retrans, h1.timeouts - h0.timeouts,
			       h1.probes - h0.probes, r1.retrans - r0.retrans,
			       r1.timeouts - r0.timeouts, r1.probes - r0.probes);
		/* The receiver's side: what vtcp dropped, how it answered. */
		ksft_print_msg("  vtcp receiving: %lld discarded by vtcp0 (duplicates too), %u segments in, %u out (ACKs), %u out of order, %u D-SACKs seen, rcv_wnd %u\n",
			       vtcp_drops_total() - drops0, info.segs_in,
			       info.segs_out, info.ooo_segs, info.dsacks,
			       info.rcv_wnd);
	} else
		ksft_print_msg("  senders: vtcp %u resent, %u RTOs, %u recoveries; host-to-host %ld resent, %ld RTOs, %ld probes\n",
			       info.total_retrans, info.rto_expirations,
			       info.fast_retrans, r1.retrans - r0.retrans,
			       r1.timeouts - r0.timeouts, r1.probes - r0.probes);
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
