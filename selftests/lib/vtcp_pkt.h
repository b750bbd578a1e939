/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Crafting TCP/IP packets, sending them into a vtcp device through an
 * AF_PACKET socket as if the host had routed them there, and reading what
 * vtcp answers; plus the device's ethtool counters (lib/pkt.c).
 */
#ifndef _VTCP_SELFTEST_PKT_H
#define _VTCP_SELFTEST_PKT_H

#include <arpa/inet.h>
#include <linux/ethtool.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <linux/sockios.h>
#include <net/if.h>
#include <netinet/ip.h>
#include <netinet/ip6.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define VTCP_TH_FIN	0x01
#define VTCP_TH_SYN	0x02
#define VTCP_TH_RST	0x04
#define VTCP_TH_PSH	0x08
#define VTCP_TH_ACK	0x10
#define VTCP_TH_URG	0x20
#define VTCP_TH_ECE	0x40
#define VTCP_TH_CWR	0x80

/* One segment, in host byte order. */
struct vtcp_seg_desc {
	int family;			/* AF_INET or AF_INET6 */
	char src[INET6_ADDRSTRLEN];	/* the host side (remote to vtcp) */
	char dst[INET6_ADDRSTRLEN];	/* vtcp's address */
	uint16_t sport, dport;
	uint32_t seq, ack;
	uint8_t flags;
	uint16_t win;
	uint16_t urg;
	uint8_t opts[40];
	uint8_t optlen;			/* a multiple of 4 */
	const uint8_t *payload;
	uint32_t len;
	uint8_t tos;
};

/* A segment vtcp sent, parsed: the fields tests look at. */
struct vtcp_seg_seen {
	int family;
	uint16_t sport, dport;
	uint32_t seq, ack;
	uint8_t flags;
	uint16_t win;
	uint32_t len;		/* payload */
	uint8_t opts[40];
	uint8_t optlen;
	uint8_t tos;
};

uint16_t vtcp_csum_fold(uint32_t sum);
uint32_t vtcp_csum_add(uint32_t sum, const void *data, size_t len);
size_t vtcp_pkt_build(const struct vtcp_seg_desc *d, uint8_t *buf);
int vtcp_pkt_open(const char *dev);
int vtcp_pkt_send_raw(int fd, const char *dev, const void *buf, size_t len);
int vtcp_pkt_send(int fd, const char *dev, const struct vtcp_seg_desc *d);
int vtcp_pkt_recv(int fd, struct vtcp_seg_seen *s, int ms);
void vtcp_pkt_flush(int fd);
long long vtcp_dev_stat(const char *dev, const char *name);

#endif /* _VTCP_SELFTEST_PKT_H */
