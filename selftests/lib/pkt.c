// SPDX-License-Identifier: GPL-2.0
/*
 * Crafting TCP/IP packets, sending them into a vtcp device through an
 * AF_PACKET socket as if the host had routed them there, and reading what
 * vtcp answers; plus the device's ethtool counters.
 */
#include <errno.h>
#include <stdio.h>
#include "vtcp_pkt.h"

/* The Internet checksum of what vtcp_csum_add() summed. */
uint16_t vtcp_csum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/* Add @len bytes at @data to a checksum's running @sum. */
uint32_t vtcp_csum_add(uint32_t sum, const void *data, size_t len)
{
	const uint8_t *p = data;

	while (len > 1) {
		sum += (p[0] << 8) | p[1];
		p += 2;
		len -= 2;
	}
	if (len)
		sum += p[0] << 8;
	return sum;
}

/* Build @d into @buf; returns the packet length. */
size_t vtcp_pkt_build(const struct vtcp_seg_desc *d, uint8_t *buf)
{
	size_t thlen = 20 + d->optlen, tcplen = thlen + d->len, iplen;
	uint8_t *th;
	uint32_t sum = 0;

	if (d->family == AF_INET6) {
		struct ip6_hdr *ip6 = (void *)buf;

		iplen = sizeof(*ip6);
		memset(ip6, 0, iplen);
		ip6->ip6_flow = htonl(6u << 28 | (uint32_t)d->tos << 20);
		ip6->ip6_plen = htons(tcplen);
		ip6->ip6_nxt = IPPROTO_TCP;
		ip6->ip6_hlim = 64;
		inet_pton(AF_INET6, d->src, &ip6->ip6_src);
		inet_pton(AF_INET6, d->dst, &ip6->ip6_dst);
		sum = vtcp_csum_add(sum, &ip6->ip6_src, 32);
		sum += tcplen + IPPROTO_TCP;
	} else {
		struct iphdr *iph = (void *)buf;

		iplen = sizeof(*iph);
		memset(iph, 0, iplen);
		iph->version = 4;
		iph->ihl = 5;
		iph->tos = d->tos;
		iph->tot_len = htons(iplen + tcplen);
		iph->frag_off = htons(IP_DF);
		iph->ttl = 64;
		iph->protocol = IPPROTO_TCP;
		inet_pton(AF_INET, d->src, &iph->saddr);
		inet_pton(AF_INET, d->dst, &iph->daddr);
		iph->check = htons(vtcp_csum_fold(vtcp_csum_add(0, iph, iplen)));
		sum = vtcp_csum_add(sum, &iph->saddr, 8);
		sum += tcplen + IPPROTO_TCP;
	}
	th = buf + iplen;
	memset(th, 0, 20);
	th[0] = d->sport >> 8;
	th[1] = d->sport;
	th[2] = d->dport >> 8;
	th[3] = d->dport;
	*(uint32_t *)(th + 4) = htonl(d->seq);
	*(uint32_t *)(th + 8) = htonl(d->ack);
	th[12] = (thlen / 4) << 4;
	th[13] = d->flags;
	th[14] = d->win >> 8;
	th[15] = d->win;
	th[18] = d->urg >> 8;
	th[19] = d->urg;
	memcpy(th + 20, d->opts, d->optlen);
	if (d->len)
		memcpy(th + thlen, d->payload, d->len);
	sum = vtcp_csum_add(sum, th, tcplen);
	*(uint16_t *)(th + 16) = htons(vtcp_csum_fold(sum));
	return iplen + tcplen;
}

/* A packet socket on @dev, seeing what vtcp injects; -errno on failure. */
int vtcp_pkt_open(const char *dev)
{
	struct sockaddr_ll sll = {
		.sll_family = AF_PACKET,
		.sll_protocol = htons(ETH_P_ALL),
		.sll_ifindex = if_nametoindex(dev),
	};
	int fd = socket(AF_PACKET, SOCK_DGRAM | SOCK_CLOEXEC, htons(ETH_P_ALL));

	if (fd < 0)
		return -errno;
	if (bind(fd, (void *)&sll, sizeof(sll))) {
		int err = -errno;

		close(fd);
		return err;
	}
	return fd;
}

/* Send raw IP bytes into the device, as the host would route them. */
int vtcp_pkt_send_raw(int fd, const char *dev, const void *buf, size_t len)
{
	struct sockaddr_ll sll = {
		.sll_family = AF_PACKET,
		.sll_ifindex = if_nametoindex(dev),
		.sll_protocol = htons((((const uint8_t *)buf)[0] >> 4) == 6 ?
				      ETH_P_IPV6 : ETH_P_IP),
	};

	return sendto(fd, buf, len, 0, (void *)&sll, sizeof(sll)) == (ssize_t)len ?
	       0 : -errno;
}

int vtcp_pkt_send(int fd, const char *dev, const struct vtcp_seg_desc *d)
{
	uint8_t buf[65536];

	return vtcp_pkt_send_raw(fd, dev, buf, vtcp_pkt_build(d, buf));
}

/*
 * The next TCP segment vtcp injects on the device (not the packets going
 * into it), waiting up to @ms; 0, or -ETIMEDOUT.
 */
int vtcp_pkt_recv(int fd, struct vtcp_seg_seen *s, int ms)
{
	uint8_t buf[65536];
	struct timespec t0, t1;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		struct sockaddr_ll from;
		socklen_t flen = sizeof(from);
		const uint8_t *th;
		ssize_t n;
		int left;

		clock_gettime(CLOCK_MONOTONIC, &t1);
		left = ms - ((t1.tv_sec - t0.tv_sec) * 1000 +
			     (t1.tv_nsec - t0.tv_nsec) / 1000000);
		if (left <= 0 || poll(&pfd, 1, left) <= 0)
			return -ETIMEDOUT;
		n = recvfrom(fd, buf, sizeof(buf), 0, (void *)&from, &flen);
		if (n < 40 || from.sll_pkttype == PACKET_OUTGOING)
			continue;
		memset(s, 0, sizeof(*s));
		if ((buf[0] >> 4) == 4) {
			const struct iphdr *iph = (const void *)buf;

			if (iph->protocol != IPPROTO_TCP)
				continue;
			s->family = AF_INET;
			s->tos = iph->tos;
			th = buf + iph->ihl * 4;
			s->len = ntohs(iph->tot_len) - iph->ihl * 4 - (th[12] >> 4) * 4;
		} else {
			const struct ip6_hdr *ip6 = (const void *)buf;

			if (ip6->ip6_nxt != IPPROTO_TCP)
				continue;
			s->family = AF_INET6;
			s->tos = ntohl(ip6->ip6_flow) >> 20;
			th = buf + sizeof(*ip6);
			s->len = ntohs(ip6->ip6_plen) - (th[12] >> 4) * 4;
		}
		s->sport = th[0] << 8 | th[1];
		s->dport = th[2] << 8 | th[3];
		s->seq = ntohl(*(const uint32_t *)(th + 4));
		s->ack = ntohl(*(const uint32_t *)(th + 8));
		s->flags = th[13];
		s->win = th[14] << 8 | th[15];
		s->optlen = (th[12] >> 4) * 4 - 20;
		memcpy(s->opts, th + 20, s->optlen);
		return 0;
	}
}

/* Drain what is queued on the packet socket. */
void vtcp_pkt_flush(int fd)
{
	struct vtcp_seg_seen s;

	while (!vtcp_pkt_recv(fd, &s, 20))
		;
}

/* An ethtool -S counter of @dev by name, or -1. */
long long vtcp_dev_stat(const char *dev, const char *name)
{
	struct {
		struct ethtool_sset_info hdr;
		uint32_t count;
	} sset = { .hdr = { .cmd = ETHTOOL_GSSET_INFO,
			    .sset_mask = 1ULL << ETH_SS_STATS } };
	struct ethtool_gstrings *strings = NULL;
	struct ethtool_stats *stats = NULL;
	struct ifreq ifr = {};
	long long v = -1;
	uint32_t i, n;
	int fd;

	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", dev);
	ifr.ifr_data = (void *)&sset;
	if (ioctl(fd, SIOCETHTOOL, &ifr) || !sset.hdr.sset_mask)
		goto out;
	n = sset.count;
	strings = calloc(1, sizeof(*strings) + n * ETH_GSTRING_LEN);
	stats = calloc(1, sizeof(*stats) + n * sizeof(uint64_t));
	if (!strings || !stats)
		goto out;
	strings->cmd = ETHTOOL_GSTRINGS;
	strings->string_set = ETH_SS_STATS;
	strings->len = n;
	ifr.ifr_data = (void *)strings;
	if (ioctl(fd, SIOCETHTOOL, &ifr))
		goto out;
	stats->cmd = ETHTOOL_GSTATS;
	stats->n_stats = n;
	ifr.ifr_data = (void *)stats;
	if (ioctl(fd, SIOCETHTOOL, &ifr))
		goto out;
	for (i = 0; i < n; i++)
		if (!strncmp((char *)strings->data + i * ETH_GSTRING_LEN, name,
			     ETH_GSTRING_LEN))
			v = stats->data[i];
out:
	free(strings);
	free(stats);
	close(fd);
	return v;
}
