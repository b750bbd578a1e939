// SPDX-License-Identifier: GPL-2.0
/*
 * The packet channel (VTCP_IOC_PACKET): what the host routes into a device
 * that vtcp does not take is read whole, one packet per read(), as it
 * would be on a wire (GSO segmented, checksums complete); what is written
 * reaches the host as received on the device, and a malformed write of
 * any kind is refused with EINVAL and counted, with nothing injected. A
 * bounded queue counts what it drops, and deleting the device wakes a
 * blocked reader with ENODEV.
 *
 * Each test has a device of its own (vtcpp0, 198.51.100.0/24 and
 * 2001:db8:1::/64, the host at .1/::1), so that nothing else reaches it.
 */
#include <netinet/ip.h>
#include <netinet/ip6.h>
#include <netinet/ip_icmp.h>
#include <netinet/icmp6.h>
#include <netinet/tcp.h>
#include <netinet/udp.h>
#include <sys/uio.h>
#include "kselftest_harness.h"
#include "vtcp_pkt.h"
#include "vtcp_util.h"

#ifndef UDP_SEGMENT
#define UDP_SEGMENT	103
#endif

#define PDEV		"vtcpp0"
#define PHOST4		"198.51.100.1"
#define PADDR4		"198.51.100.2"
#define PHOST6		"2001:db8:1::1"
#define PADDR6		"2001:db8:1::2"
#define PPORT		5353	/* the host's UDP port in these tests */
#define PKT_MAX		65575	/* the largest packet a write may carry */

/* Bind a new handle as @dev's packet channel; the fd, or -errno. */
static int pkt_bind(const char *dev, unsigned int queue_len, int oflags)
{
	struct vtcp_packet req = { .ifindex = if_nametoindex(dev),
				   .queue_len = queue_len };
	int fd = open(VTCP_DEV_PATH, O_RDWR | O_CLOEXEC | oflags);
	int err;

	if (fd < 0)
		return -errno;
	if (ioctl(fd, VTCP_IOC_PACKET, &req)) {
		err = -errno;
		close(fd);
		return err;
	}
	return fd;
}

/* One packet from @fd within @ms; its length, or -errno. */
static int pkt_read(int fd, void *buf, size_t len, int ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	ssize_t n;

	if (poll(&p, 1, ms) != 1)
		return -ETIMEDOUT;
	n = read(fd, buf, len);
	return n < 0 ? -errno : (int)n;
}

static uint32_t pseudo_sum(const uint8_t *p, unsigned int l4len, uint8_t proto)
{
	uint32_t sum;

	if ((p[0] >> 4) == 4)
		sum = vtcp_csum_add(0, p + 12, 8);
	else
		sum = vtcp_csum_add(0, p + 8, 32);
	return sum + l4len + proto;
}

/* The transport header's offset; IPv6 packets here have no extensions. */
static unsigned int l4_off(const uint8_t *p)
{
	return (p[0] >> 4) == 4 ? (p[0] & 15) * 4 : sizeof(struct ip6_hdr);
}

static uint8_t l4_proto(const uint8_t *p)
{
	return (p[0] >> 4) == 4 ? p[9] : p[6];
}

/* The checksum field of the packet's transport header. */
static uint8_t *l4_csum_field(uint8_t *p)
{
	uint8_t *l4 = p + l4_off(p);

	switch (l4_proto(p)) {
	case IPPROTO_UDP:
		return l4 + 6;
	case IPPROTO_TCP:
		return l4 + 16;
	default:
		return l4 + 2;	/* ICMP, ICMPv6 */
	}
}

/* The transport checksum, computed over the packet as it is now. */
static uint16_t l4_csum(const uint8_t *p, size_t len)
{
	unsigned int off = l4_off(p);
	uint32_t sum = 0;

	if (l4_proto(p) != IPPROTO_ICMP)
		sum = pseudo_sum(p, len - off, l4_proto(p));
	return vtcp_csum_fold(vtcp_csum_add(sum, p + off, len - off));
}

static void fix_ip4_csum(uint8_t *p)
{
	struct iphdr *iph = (void *)p;

	iph->check = 0;
	iph->check = htons(vtcp_csum_fold(vtcp_csum_add(0, p, iph->ihl * 4)));
}

static void fix_l4_csum(uint8_t *p, size_t len)
{
	uint8_t *f = l4_csum_field(p);
	uint16_t c;

	f[0] = f[1] = 0;
	c = htons(l4_csum(p, len));
	memcpy(f, &c, 2);
}

/* Are the packet's IP header and transport checksums right, as on a wire? */
static bool pkt_csums_ok(const uint8_t *p, size_t len)
{
	if ((p[0] >> 4) == 4 &&
	    vtcp_csum_fold(vtcp_csum_add(0, p, (p[0] & 15) * 4)))
		return false;
	return l4_csum(p, len) == 0;
}

/*
 * A whole packet from @src to @dst (vtcp's side to the host's): UDP,
 * ICMP/ICMPv6 echo or a TCP ACK, with @plen bytes of payload, every
 * checksum right. Its length.
 */
static size_t pkt_build(uint8_t *buf, int family, uint8_t proto,
			const char *src, const char *dst, uint16_t sport,
			uint16_t dport, const void *payload, size_t plen)
{
	unsigned int iplen = family == AF_INET ? 20 : 40;
	unsigned int hlen = proto == IPPROTO_TCP ? 20 : 8;
	uint8_t *l4 = buf + iplen;
	size_t len = iplen + hlen + plen;

	memset(buf, 0, iplen + hlen);
	if (family == AF_INET) {
		struct iphdr *iph = (void *)buf;

		iph->version = 4;
		iph->ihl = 5;
		iph->tot_len = htons(len);
		iph->ttl = 64;
		iph->protocol = proto;
		inet_pton(AF_INET, src, &iph->saddr);
		inet_pton(AF_INET, dst, &iph->daddr);
		fix_ip4_csum(buf);
	} else {
		struct ip6_hdr *ip6 = (void *)buf;

		ip6->ip6_flow = htonl(6u << 28);
		ip6->ip6_plen = htons(len - iplen);
		ip6->ip6_nxt = proto;
		ip6->ip6_hlim = 64;
		inet_pton(AF_INET6, src, &ip6->ip6_src);
		inet_pton(AF_INET6, dst, &ip6->ip6_dst);
	}
	switch (proto) {
	case IPPROTO_UDP: {
		struct udphdr *uh = (void *)l4;

		uh->source = htons(sport);
		uh->dest = htons(dport);
		uh->len = htons(hlen + plen);
		break;
	}
	case IPPROTO_TCP: {
		struct tcphdr *th = (void *)l4;

		th->source = htons(sport);
		th->dest = htons(dport);
		th->doff = 5;
		th->ack = 1;
		th->window = htons(1024);
		break;
	}
	default:	/* echo: type, code 0, id sport, sequence dport */
		l4[0] = proto == IPPROTO_ICMP ? ICMP_ECHO : ICMP6_ECHO_REQUEST;
		l4[4] = sport >> 8;
		l4[5] = sport;
		l4[6] = dport >> 8;
		l4[7] = dport;
		break;
	}
	memcpy(l4 + hlen, payload, plen);
	fix_l4_csum(buf, len);
	return len;
}

/* A UDP socket of the host's, bound to @addr:@port. */
static int host_udp(const char *addr, unsigned short port)
{
	struct sockaddr_storage ss;
	socklen_t sl = vtcp_host_sockaddr(&ss, addr, port);
	int fd = socket(ss.ss_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return -errno;
	if (bind(fd, (void *)&ss, sl)) {
		close(fd);
		return -errno;
	}
	return fd;
}

static int host_sendto(int fd, const char *addr, unsigned short port,
		       const void *buf, size_t len)
{
	struct sockaddr_storage ss;
	socklen_t sl = vtcp_host_sockaddr(&ss, addr, port);

	return sendto(fd, buf, len, 0, (void *)&ss, sl) == (ssize_t)len ?
	       0 : -errno;
}

/* Wait up to @ms for counter @name of PDEV to reach @want. */
static long long wait_stat(const char *name, long long want, int ms)
{
	long long end = vtcp_now_ms() + ms, v;

	while ((v = vtcp_dev_stat(PDEV, name)) < want && vtcp_now_ms() < end)
		usleep(10000);
	return v;
}

FIXTURE(packet) {
	uint8_t buf[PKT_MAX + 16];
};

FIXTURE_SETUP(packet)
{
	ASSERT_EQ(0, vtcp_module_ensure());
	vtcp_sh("ip link del " PDEV " 2>/dev/null");
	ASSERT_EQ(0, vtcp_sh("ip link add " PDEV " type vtcp && "
			     "ip link set " PDEV " up && "
			     "ip addr add " PHOST4 "/24 dev " PDEV " && "
			     "ip -6 addr add " PHOST6 "/64 dev " PDEV " nodad"));
}

FIXTURE_TEARDOWN(packet)
{
	vtcp_sh("ip link del " PDEV " 2>/dev/null");
}

TEST_F(packet, bind_errors)
{
	struct vtcp_packet req = { .ifindex = if_nametoindex(PDEV) };
	int fd, fd2, lo;

	fd = pkt_bind(PDEV, 0, 0);
	ASSERT_LE(0, fd);
	/* One channel per device. */
	EXPECT_EQ(-EBUSY, pkt_bind(PDEV, 0, 0));
	/* A bound handle binds no more, to anything. */
	EXPECT_EQ(-1, ioctl(fd, VTCP_IOC_PACKET, &req));
	EXPECT_EQ(EISCONN, errno);
	EXPECT_EQ(-EINVAL, pkt_bind(PDEV, 4097, 0));
	lo = if_nametoindex("lo");
	fd2 = open(VTCP_DEV_PATH, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, fd2);
	req.ifindex = lo;
	EXPECT_EQ(-1, ioctl(fd2, VTCP_IOC_PACKET, &req));
	EXPECT_EQ(ENODEV, errno);
	req.ifindex = 0x7fffffff;
	EXPECT_EQ(-1, ioctl(fd2, VTCP_IOC_PACKET, &req));
	EXPECT_EQ(ENODEV, errno);
	req.ifindex = if_nametoindex(PDEV);
	req.flags = 1;
	EXPECT_EQ(-1, ioctl(fd2, VTCP_IOC_PACKET, &req));
	EXPECT_EQ(EINVAL, errno);
	req.flags = 0;
	req.__reserved = 1;
	EXPECT_EQ(-1, ioctl(fd2, VTCP_IOC_PACKET, &req));
	EXPECT_EQ(EINVAL, errno);
	close(fd2);
	/* Closed, the channel lets the device have another. */
	close(fd);
	fd = pkt_bind(PDEV, 4096, 0);
	EXPECT_LE(0, fd);
	close(fd);
}

TEST_F(packet, a_packet_handle_neither_listens_nor_connects)
{
	struct vtcp_listen l = { .ifindex = if_nametoindex(PDEV) };
	int fd = pkt_bind(PDEV, 0, 0);

	ASSERT_LE(0, fd);
	EXPECT_EQ(-1, ioctl(fd, VTCP_IOC_LISTEN, &l));
	EXPECT_EQ(EISCONN, errno);
	close(fd);
}

TEST_F(packet, without_a_channel_udp_counts_as_drop_not_tcp)
{
	long long before = vtcp_dev_stat(PDEV, "drop_not_tcp");
	int h = host_udp(PHOST4, 0);

	ASSERT_LE(0, h);
	ASSERT_EQ(0, host_sendto(h, PADDR4, 53, "x", 1));
	EXPECT_EQ(before + 1, wait_stat("drop_not_tcp", before + 1, 2000));
	close(h);
}

/* A UDP datagram from the host, read whole: addresses, lengths, sums. */
static void udp_read_whole(struct __test_metadata *_metadata, uint8_t *buf,
			   int family)
{
	const char *host = family == AF_INET ? PHOST4 : PHOST6;
	const char *addr = family == AF_INET ? PADDR4 : PADDR6;
	long long not_tcp = vtcp_dev_stat(PDEV, "drop_not_tcp");
	long long nread = vtcp_dev_stat(PDEV, "pkt_read");
	const char msg[] = "a datagram for the packet channel";
	int fd = pkt_bind(PDEV, 0, 0);
	int h = host_udp(host, PPORT);
	unsigned int off;
	int n;

	ASSERT_LE(0, fd);
	ASSERT_LE(0, h);
	ASSERT_EQ(0, host_sendto(h, addr, 53, msg, sizeof(msg)));
	n = pkt_read(fd, buf, PKT_MAX, 2000);
	ASSERT_LT(0, n);
	off = l4_off(buf);
	EXPECT_EQ(family == AF_INET ? 4 : 6, buf[0] >> 4);
	EXPECT_EQ(IPPROTO_UDP, l4_proto(buf));
	EXPECT_EQ(off + 8 + sizeof(msg), n);
	if (family == AF_INET) {
		EXPECT_EQ(n, ntohs(((struct iphdr *)buf)->tot_len));
	} else {
		EXPECT_EQ(n - 40, ntohs(((struct ip6_hdr *)buf)->ip6_plen));
	}
	EXPECT_EQ(PPORT, ntohs(((struct udphdr *)(buf + off))->source));
	EXPECT_EQ(53, ntohs(((struct udphdr *)(buf + off))->dest));
	EXPECT_TRUE(pkt_csums_ok(buf, n));
	EXPECT_EQ(0, memcmp(buf + off + 8, msg, sizeof(msg)));
	/* Taken by the channel, not dropped; counted as read. */
	EXPECT_EQ(not_tcp, vtcp_dev_stat(PDEV, "drop_not_tcp"));
	EXPECT_EQ(nread + 1, vtcp_dev_stat(PDEV, "pkt_read"));
	close(h);
	close(fd);
}

TEST_F(packet, udp_from_the_host_is_read_whole_and_checksummed)
{
	udp_read_whole(_metadata, self->buf, AF_INET);
}

TEST_F(packet, udp6_from_the_host_is_read_whole_and_checksummed)
{
	udp_read_whole(_metadata, self->buf, AF_INET6);
}

TEST_F(packet, udp_gso_send_is_read_as_wire_segments)
{
	int fd = pkt_bind(PDEV, 0, 0);
	int h = host_udp(PHOST4, PPORT);
	unsigned char msg[1000];
	int gso = 400, n, i;
	size_t got = 0;

	ASSERT_LE(0, fd);
	ASSERT_LE(0, h);
	vtcp_fill(msg, sizeof(msg), 7, 0);
	ASSERT_EQ(0, setsockopt(h, SOL_UDP, UDP_SEGMENT, &gso, sizeof(gso)));
	ASSERT_EQ(0, host_sendto(h, PADDR4, 53, msg, sizeof(msg)));
	for (i = 0; i < 3; i++) {
		size_t want = i < 2 ? 400 : 200;

		n = pkt_read(fd, self->buf, PKT_MAX, 2000);
		ASSERT_EQ(20 + 8 + want, n) TH_LOG("segment %d", i);
		EXPECT_EQ(8 + want, ntohs(((struct udphdr *)(self->buf + 20))->len));
		EXPECT_TRUE(pkt_csums_ok(self->buf, n)) TH_LOG("segment %d", i);
		EXPECT_EQ(0, memcmp(self->buf + 28, msg + got, want));
		got += want;
	}
	EXPECT_EQ(-ETIMEDOUT, pkt_read(fd, self->buf, PKT_MAX, 100));
	close(h);
	close(fd);
}

/* A reply written to the channel reaches the host's socket, from vtcp's side. */
static void udp_reply(struct __test_metadata *_metadata, uint8_t *buf,
		      int family)
{
	const char *host = family == AF_INET ? PHOST4 : PHOST6;
	const char *addr = family == AF_INET ? PADDR4 : PADDR6;
	long long written = vtcp_dev_stat(PDEV, "pkt_written");
	int fd = pkt_bind(PDEV, 0, 0);
	int h = host_udp(host, PPORT);
	struct sockaddr_storage from;
	socklen_t fl = sizeof(from);
	char ans[64] = {};
	size_t len;

	ASSERT_LE(0, fd);
	ASSERT_LE(0, h);
	len = pkt_build(buf, family, IPPROTO_UDP, addr, host, 53, PPORT,
			"the answer", 10);
	ASSERT_EQ(len, write(fd, buf, len));
	ASSERT_EQ(POLLIN, vtcp_poll1(h, POLLIN, 2000));
	ASSERT_EQ(10, recvfrom(h, ans, sizeof(ans), MSG_DONTWAIT,
			       (void *)&from, &fl));
	EXPECT_STREQ("the answer", ans);
	if (family == AF_INET) {
		EXPECT_EQ(53, ntohs(((struct sockaddr_in *)&from)->sin_port));
	} else {
		EXPECT_EQ(53, ntohs(((struct sockaddr_in6 *)&from)->sin6_port));
	}
	EXPECT_EQ(written + 1, vtcp_dev_stat(PDEV, "pkt_written"));
	close(h);
	close(fd);
}

TEST_F(packet, udp_reply_written_reaches_the_host_socket)
{
	udp_reply(_metadata, self->buf, AF_INET);
}

TEST_F(packet, udp6_reply_written_reaches_the_host_socket)
{
	udp_reply(_metadata, self->buf, AF_INET6);
}

TEST_F(packet, writev_gathers_one_packet)
{
	int fd = pkt_bind(PDEV, 0, 0);
	int h = host_udp(PHOST4, PPORT);
	struct iovec iov[3];
	char ans[16] = {};
	size_t len;

	ASSERT_LE(0, fd);
	ASSERT_LE(0, h);
	len = pkt_build(self->buf, AF_INET, IPPROTO_UDP, PADDR4, PHOST4, 53,
			PPORT, "gathered", 8);
	iov[0] = (struct iovec){ self->buf, 10 };
	iov[1] = (struct iovec){ self->buf + 10, 20 };
	iov[2] = (struct iovec){ self->buf + 30, len - 30 };
	ASSERT_EQ(len, writev(fd, iov, 3));
	ASSERT_EQ(POLLIN, vtcp_poll1(h, POLLIN, 2000));
	EXPECT_EQ(8, recv(h, ans, sizeof(ans), MSG_DONTWAIT));
	EXPECT_STREQ("gathered", ans);
	close(h);
	close(fd);
}

TEST_F(packet, short_read_is_emsgsize_and_keeps_the_packet)
{
	int fd = pkt_bind(PDEV, 0, O_NONBLOCK);
	int h = host_udp(PHOST4, PPORT);
	uint8_t head[20], *p = self->buf;
	struct iovec iov[2] = { { head, sizeof(head) }, { p, PKT_MAX } };

	ASSERT_LE(0, fd);
	ASSERT_LE(0, h);
	EXPECT_EQ(-1, read(fd, p, PKT_MAX));
	EXPECT_EQ(EAGAIN, errno);
	EXPECT_EQ(POLLOUT, vtcp_poll1(fd, POLLIN | POLLOUT, 0));
	ASSERT_EQ(0, host_sendto(h, PADDR4, 53, "0123456789", 10));
	ASSERT_EQ(POLLIN, vtcp_poll1(fd, POLLIN, 2000));
	EXPECT_EQ(-1, read(fd, p, 37));
	EXPECT_EQ(EMSGSIZE, errno);
	/* Still first in line: readv scatters it whole. */
	EXPECT_EQ(38, readv(fd, iov, 2));
	EXPECT_EQ(0x45, head[0]);
	EXPECT_EQ(0, memcmp(p + 8, "0123456789", 10));
	EXPECT_EQ(-1, read(fd, p, PKT_MAX));
	EXPECT_EQ(EAGAIN, errno);
	close(h);
	close(fd);
}

TEST_F(packet, icmp_echo_request_is_read_and_the_reply_reaches_ping)
{
	int fd = pkt_bind(PDEV, 0, 0);
	uint8_t *p = self->buf;
	struct iphdr *iph = (void *)p;
	uint32_t a;
	pid_t pid;
	int n, st;

	ASSERT_LE(0, fd);
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0)
		_exit(vtcp_sh("$(command -v ping || echo busybox ping) "
			      "-c1 -W2 " PADDR4 " >/dev/null 2>&1"));
	n = pkt_read(fd, p, PKT_MAX, 3000);
	ASSERT_LT(28, n);
	EXPECT_EQ(IPPROTO_ICMP, iph->protocol);
	EXPECT_EQ(ICMP_ECHO, p[20]);
	EXPECT_EQ(n, ntohs(iph->tot_len));
	EXPECT_TRUE(pkt_csums_ok(p, n));
	/* The echo, answered: addresses swapped, type 0, sums made again. */
	a = iph->saddr;
	iph->saddr = iph->daddr;
	iph->daddr = a;
	p[20] = ICMP_ECHOREPLY;
	fix_ip4_csum(p);
	fix_l4_csum(p, n);
	EXPECT_EQ(n, write(fd, p, n));
	ASSERT_EQ(pid, waitpid(pid, &st, 0));
	EXPECT_TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	close(fd);
}

TEST_F(packet, flood_fills_the_bounded_queue_and_is_counted)
{
	long long full = vtcp_dev_stat(PDEV, "drop_pkt_queue_full");
	int fd = pkt_bind(PDEV, 8, O_NONBLOCK);
	int h = host_udp(PHOST4, PPORT);
	int i, n = 0;

	ASSERT_LE(0, fd);
	ASSERT_LE(0, h);
	for (i = 0; i < 20; i++)
		ASSERT_EQ(0, host_sendto(h, PADDR4, 53, &i, sizeof(i)));
	EXPECT_EQ(full + 12, wait_stat("drop_pkt_queue_full", full + 12, 2000));
	while (read(fd, self->buf, PKT_MAX) > 0) {
		int seq;

		memcpy(&seq, self->buf + 28, sizeof(seq));
		EXPECT_EQ(n, seq);	/* the first eight, in order */
		n++;
	}
	EXPECT_EQ(EAGAIN, errno);
	EXPECT_EQ(8, n);
	close(h);
	close(fd);
}

/* Malformed writes: each one's fault, on an otherwise valid packet. */
enum bad {
	BAD_EMPTY, BAD_VERSION, BAD_SHORT_IPV4_HEADER, BAD_IHL_BELOW_5,
	BAD_IHL_PAST_END, BAD_TOT_LEN_ABOVE_WRITE, BAD_TOT_LEN_BELOW_WRITE,
	BAD_IPV4_CSUM, BAD_UDP_TRUNCATED, BAD_UDP_LEN, BAD_UDP_CSUM,
	BAD_ICMP_CSUM, BAD_ICMP_TRUNCATED, BAD_TCP_CSUM, BAD_TCP_DOFF_BELOW_5,
	BAD_TCP_DOFF_PAST_END, BAD_TCP_TRUNCATED, BAD_SHORT_IPV6_HEADER,
	BAD_IPV6_PLEN_ABOVE, BAD_IPV6_PLEN_BELOW, BAD_IPV6_JUMBO,
	BAD_UDP6_CSUM, BAD_UDP6_ZERO_CSUM, BAD_ICMP6_CSUM,
	BAD_IPV6_EXTHDR_TRUNCATED, BAD_TOO_LONG, BAD_MAX
};

static const struct {
	const char *name;
	int family;
	uint8_t proto;
} bads[BAD_MAX] = {
	[BAD_EMPTY] = { "empty write", AF_INET, IPPROTO_UDP },
	[BAD_VERSION] = { "IP version 5", AF_INET, IPPROTO_UDP },
	[BAD_SHORT_IPV4_HEADER] = { "19 bytes", AF_INET, IPPROTO_UDP },
	[BAD_IHL_BELOW_5] = { "ihl 4", AF_INET, IPPROTO_UDP },
	[BAD_IHL_PAST_END] = { "ihl past the end", AF_INET, IPPROTO_UDP },
	[BAD_TOT_LEN_ABOVE_WRITE] = { "tot_len > write", AF_INET, IPPROTO_UDP },
	[BAD_TOT_LEN_BELOW_WRITE] = { "tot_len < write", AF_INET, IPPROTO_UDP },
	[BAD_IPV4_CSUM] = { "IPv4 header checksum", AF_INET, IPPROTO_UDP },
	[BAD_UDP_TRUNCATED] = { "UDP header truncated", AF_INET, IPPROTO_UDP },
	[BAD_UDP_LEN] = { "UDP length", AF_INET, IPPROTO_UDP },
	[BAD_UDP_CSUM] = { "UDP checksum", AF_INET, IPPROTO_UDP },
	[BAD_ICMP_CSUM] = { "ICMP checksum", AF_INET, IPPROTO_ICMP },
	[BAD_ICMP_TRUNCATED] = { "ICMP truncated", AF_INET, IPPROTO_ICMP },
	[BAD_TCP_CSUM] = { "TCP checksum", AF_INET, IPPROTO_TCP },
	[BAD_TCP_DOFF_BELOW_5] = { "TCP doff 4", AF_INET, IPPROTO_TCP },
	[BAD_TCP_DOFF_PAST_END] = { "TCP doff past end", AF_INET, IPPROTO_TCP },
	[BAD_TCP_TRUNCATED] = { "TCP truncated", AF_INET, IPPROTO_TCP },
	[BAD_SHORT_IPV6_HEADER] = { "39 bytes", AF_INET6, IPPROTO_UDP },
	[BAD_IPV6_PLEN_ABOVE] = { "plen > write", AF_INET6, IPPROTO_UDP },
	[BAD_IPV6_PLEN_BELOW] = { "plen < write", AF_INET6, IPPROTO_UDP },
	[BAD_IPV6_JUMBO] = { "plen 0", AF_INET6, IPPROTO_UDP },
	[BAD_UDP6_CSUM] = { "UDP/IPv6 checksum", AF_INET6, IPPROTO_UDP },
	[BAD_UDP6_ZERO_CSUM] = { "UDP/IPv6 no checksum", AF_INET6, IPPROTO_UDP },
	[BAD_ICMP6_CSUM] = { "ICMPv6 checksum", AF_INET6, IPPROTO_ICMPV6 },
	[BAD_IPV6_EXTHDR_TRUNCATED] = { "hop-by-hop truncated", AF_INET6,
					IPPROTO_UDP },
	[BAD_TOO_LONG] = { "65576 bytes", AF_INET6, IPPROTO_UDP },
};

/* Make packet @p (valid, @len bytes) bad in way @bad; its new length. */
static size_t make_bad(enum bad bad, uint8_t *p, size_t len)
{
	unsigned int off = l4_off(p);
	struct ip6_hdr *ip6 = (void *)p;
	struct iphdr *iph = (void *)p;

	switch (bad) {
	case BAD_EMPTY:
		return 0;
	case BAD_VERSION:
		p[0] = 0x55;
		fix_ip4_csum(p);
		return len;
	case BAD_SHORT_IPV4_HEADER:
		return 19;
	case BAD_IHL_BELOW_5:
		iph->ihl = 4;
		iph->check = 0;
		iph->check = htons(vtcp_csum_fold(vtcp_csum_add(0, p, 20)));
		return len;
	case BAD_IHL_PAST_END:
		iph->ihl = 15;
		iph->tot_len = htons(40);
		memset(p + 20, 0, 20);
		iph->check = 0;
		iph->check = htons(vtcp_csum_fold(vtcp_csum_add(0, p, 40)));
		return 40;
	case BAD_TOT_LEN_ABOVE_WRITE:
		return len - 1;
	case BAD_TOT_LEN_BELOW_WRITE:
		p[len] = 0;
		return len + 1;
	case BAD_IPV4_CSUM:
		iph->check ^= htons(1);
		return len;
	case BAD_UDP_TRUNCATED:
	case BAD_ICMP_TRUNCATED:
		iph->tot_len = htons(off + 4);
		fix_ip4_csum(p);
		return off + 4;
	case BAD_TCP_TRUNCATED:
		iph->tot_len = htons(off + 16);
		fix_ip4_csum(p);
		return off + 16;
	case BAD_UDP_LEN:
		((struct udphdr *)(p + off))->len = htons(len - off - 1);
		fix_l4_csum(p, len);
		return len;
	case BAD_UDP_CSUM:
	case BAD_ICMP_CSUM:
	case BAD_TCP_CSUM:
	case BAD_UDP6_CSUM:
	case BAD_ICMP6_CSUM:
		l4_csum_field(p)[1] ^= 1;
		return len;
	case BAD_TCP_DOFF_BELOW_5:
		((struct tcphdr *)(p + off))->doff = 4;
		fix_l4_csum(p, len);
		return len;
	case BAD_TCP_DOFF_PAST_END:
		((struct tcphdr *)(p + off))->doff = 15;
		fix_l4_csum(p, len);
		return len;
	case BAD_SHORT_IPV6_HEADER:
		return 39;
	case BAD_IPV6_PLEN_ABOVE:
		return len - 1;
	case BAD_IPV6_PLEN_BELOW:
		p[len] = 0;
		return len + 1;
	case BAD_IPV6_JUMBO:
		ip6->ip6_plen = 0;
		return len;
	case BAD_UDP6_ZERO_CSUM:
		memset(l4_csum_field(p), 0, 2);
		return len;
	case BAD_IPV6_EXTHDR_TRUNCATED:
		/* A hop-by-hop header that says 8 bytes, in a 4-byte payload. */
		ip6->ip6_nxt = 0;
		ip6->ip6_plen = htons(4);
		memset(p + 40, 0, 4);
		p[40] = IPPROTO_UDP;
		return 44;
	case BAD_TOO_LONG:
		return PKT_MAX + 1;
	case BAD_MAX:
		break;
	}
	return len;
}

TEST_F(packet, malformed_writes_get_einval_are_counted_and_never_reach_the_host)
{
	long long malformed = vtcp_dev_stat(PDEV, "pkt_write_malformed");
	long long written = vtcp_dev_stat(PDEV, "pkt_written");
	int fd = pkt_bind(PDEV, 0, 0);
	int h4 = host_udp(PHOST4, PPORT);
	int h6 = host_udp(PHOST6, PPORT);
	char ans[16];
	size_t len;
	int i;

	ASSERT_LE(0, fd);
	ASSERT_LE(0, h4);
	ASSERT_LE(0, h6);
	for (i = 0; i < BAD_MAX; i++) {
		int fam = bads[i].family;

		memset(self->buf, 0, sizeof(self->buf));
		len = pkt_build(self->buf, fam, bads[i].proto,
				fam == AF_INET ? PADDR4 : PADDR6,
				fam == AF_INET ? PHOST4 : PHOST6, 53, PPORT,
				"malformed", 9);
		len = make_bad((enum bad)i, self->buf, len);
		EXPECT_EQ(-1, write(fd, self->buf, len)) TH_LOG("%s",
								bads[i].name);
		EXPECT_EQ(EINVAL, errno) TH_LOG("%s", bads[i].name);
	}
	EXPECT_EQ(malformed + BAD_MAX,
		  vtcp_dev_stat(PDEV, "pkt_write_malformed"));
	EXPECT_EQ(written, vtcp_dev_stat(PDEV, "pkt_written"));
	EXPECT_EQ(-1, recv(h4, ans, sizeof(ans), MSG_DONTWAIT));
	EXPECT_EQ(-1, recv(h6, ans, sizeof(ans), MSG_DONTWAIT));
	/* The same packets unharmed do arrive: each fault alone refused them. */
	len = pkt_build(self->buf, AF_INET, IPPROTO_UDP, PADDR4, PHOST4, 53,
			PPORT, "malformed", 9);
	EXPECT_EQ(len, write(fd, self->buf, len));
	len = pkt_build(self->buf, AF_INET6, IPPROTO_UDP, PADDR6, PHOST6, 53,
			PPORT, "malformed", 9);
	EXPECT_EQ(len, write(fd, self->buf, len));
	EXPECT_EQ(POLLIN, vtcp_poll1(h4, POLLIN, 2000));
	EXPECT_EQ(9, recv(h4, ans, sizeof(ans), MSG_DONTWAIT));
	EXPECT_EQ(POLLIN, vtcp_poll1(h6, POLLIN, 2000));
	EXPECT_EQ(9, recv(h6, ans, sizeof(ans), MSG_DONTWAIT));
	close(h6);
	close(h4);
	close(fd);
}

struct blocked_read {
	int fd;
	int err;
	void *buf;
};

static void *blocked_read(void *arg)
{
	struct blocked_read *b = arg;

	b->err = read(b->fd, b->buf, PKT_MAX) < 0 ? errno : 0;
	return NULL;
}

TEST_F(packet, device_deleted_under_a_blocked_reader_wakes_it_with_enodev)
{
	struct blocked_read b = { .buf = self->buf };
	pthread_t t;

	b.fd = pkt_bind(PDEV, 0, 0);
	ASSERT_LE(0, b.fd);
	ASSERT_EQ(0, pthread_create(&t, NULL, blocked_read, &b));
	usleep(200000);	/* let it block: the wake-up is the test, not the wait */
	ASSERT_EQ(0, vtcp_sh("ip link del " PDEV));
	ASSERT_EQ(0, pthread_join(t, NULL));
	EXPECT_EQ(ENODEV, b.err);
	EXPECT_EQ(POLLHUP | POLLERR, vtcp_poll1(b.fd, POLLIN | POLLOUT, 0));
	EXPECT_EQ(-1, write(b.fd, self->buf, 20));
	EXPECT_EQ(ENODEV, errno);
	EXPECT_EQ(-1, read(b.fd, self->buf, PKT_MAX));
	EXPECT_EQ(ENODEV, errno);
	close(b.fd);
}

TEST_HARNESS_MAIN
