// SPDX-License-Identifier: GPL-2.0
/*
 * The vtcp netdevice: created at load and by "ip link add ... type vtcp",
 * an L3 device without ARP, deleted with "ip link del".
 */
#include <arpa/inet.h>
#include <net/if_arp.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include "kselftest_harness.h"
#include "vtcp_util.h"

FIXTURE(device) {};

FIXTURE_SETUP(device)
{
	ASSERT_EQ(0, vtcp_module_ensure());
}

FIXTURE_TEARDOWN(device)
{
	vtcp_sh("ip link del vtcpt0 2>/dev/null; ip link del vtcpt1 2>/dev/null");
}

TEST_F(device, vtcp0_is_an_l3_device_without_arp)
{
	long long flags = vtcp_read_num("/sys/class/net/vtcp0/flags");

	EXPECT_EQ(ARPHRD_NONE, vtcp_read_num("/sys/class/net/vtcp0/type"));
	EXPECT_EQ(0, vtcp_read_num("/sys/class/net/vtcp0/addr_len"));
	EXPECT_NE(0, flags & 0x80);	/* IFF_NOARP */
	EXPECT_NE(0, flags & 0x10);	/* IFF_POINTOPOINT */
	EXPECT_EQ(1500, vtcp_read_num("/sys/class/net/vtcp0/mtu"));
}

TEST_F(device, ip_link_add_and_del)
{
	ASSERT_EQ(0, vtcp_sh("ip link add vtcpt0 type vtcp"));
	ASSERT_TRUE(vtcp_netdev_exists("vtcpt0"));
	ASSERT_EQ(0, vtcp_sh("ip link add vtcpt1 type vtcp"));
	ASSERT_EQ(0, vtcp_sh("ip link set vtcpt1 up mtu 65520"));
	EXPECT_EQ(65520, vtcp_read_num("/sys/class/net/vtcpt1/mtu"));
	ASSERT_EQ(0, vtcp_sh("ip link del vtcpt0"));
	EXPECT_FALSE(vtcp_netdev_exists("vtcpt0"));
	ASSERT_EQ(0, vtcp_sh("ip link del vtcpt1"));
	EXPECT_FALSE(vtcp_netdev_exists("vtcpt1"));
}

TEST_F(device, link_address_is_refused)
{
	EXPECT_NE(0, vtcp_sh("ip link add vtcpt0 address 02:00:00:00:00:01 type vtcp 2>/dev/null"));
	EXPECT_FALSE(vtcp_netdev_exists("vtcpt0"));
}

TEST_F(device, mtu_limits)
{
	ASSERT_EQ(0, vtcp_sh("ip link add vtcpt0 type vtcp"));
	EXPECT_NE(0, vtcp_sh("ip link set vtcpt0 mtu 67 2>/dev/null"));
	EXPECT_NE(0, vtcp_sh("ip link set vtcpt0 mtu 65536 2>/dev/null"));
	EXPECT_EQ(0, vtcp_sh("ip link set vtcpt0 mtu 68"));
	EXPECT_EQ(0, vtcp_sh("ip link set vtcpt0 mtu 65535"));
}

TEST_F(device, delete_the_load_time_device_then_unload)
{
	ASSERT_EQ(0, vtcp_sh("ip link del vtcp0"));
	EXPECT_FALSE(vtcp_netdev_exists("vtcp0"));
	ASSERT_EQ(0, vtcp_module_unload());
	ASSERT_EQ(0, vtcp_module_load(NULL));
	EXPECT_TRUE(vtcp_netdev_exists("vtcp0"));
}

TEST_F(device, ip_link_add_autoloads_the_module)
{
	ASSERT_EQ(0, vtcp_module_unload());
	ASSERT_FALSE(vtcp_module_loaded());
	/* rtnetlink asks modprobe for "rtnl-link-vtcp", the module's alias. */
	ASSERT_EQ(0, vtcp_sh("ip link add vtcpt0 type vtcp"));
	EXPECT_TRUE(vtcp_module_loaded());
	EXPECT_TRUE(vtcp_netdev_exists("vtcpt0"));
}

TEST_F(device, namespace_deletion_deletes_its_devices)
{
	ASSERT_EQ(0, vtcp_sh("ip netns add vtcp_dev_ns"));
	ASSERT_EQ(0, vtcp_sh("ip -n vtcp_dev_ns link add vtcpt0 type vtcp"));
	ASSERT_EQ(0, vtcp_sh("ip -n vtcp_dev_ns link set vtcpt0 up"));
	ASSERT_EQ(0, vtcp_sh("ip netns del vtcp_dev_ns"));
	/* The device was not returned to the initial namespace. */
	EXPECT_FALSE(vtcp_netdev_exists("vtcpt0"));
}

/* The host's transmissions into vtcp0 that vtcp does not take show as drops. */
TEST_F(device, non_tcp_packets_are_counted_and_dropped)
{
	struct sockaddr_in dst = { .sin_family = AF_INET, .sin_port = htons(9) };
	long long before, after, sent_before, sent_after;
	int fd, i;

	ASSERT_EQ(0, vtcp_sh("ip link add vtcpt0 type vtcp && ip link set vtcpt0 up"));
	ASSERT_EQ(0, vtcp_sh("ip addr add 198.51.100.1/24 dev vtcpt0"));
	inet_pton(AF_INET, "198.51.100.2", &dst.sin_addr);
	before = vtcp_read_num("/sys/class/net/vtcpt0/statistics/tx_dropped");
	sent_before = vtcp_read_num("/sys/class/net/vtcpt0/statistics/tx_packets");
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	ASSERT_LE(0, fd);
	for (i = 0; i < 10; i++)
		ASSERT_EQ(4, sendto(fd, "ping", 4, 0, (void *)&dst, sizeof(dst)));
	close(fd);
	after = vtcp_read_num("/sys/class/net/vtcpt0/statistics/tx_dropped");
	sent_after = vtcp_read_num("/sys/class/net/vtcpt0/statistics/tx_packets");
	EXPECT_EQ(10, after - before);
	EXPECT_EQ(10, sent_after - sent_before);
}

TEST_HARNESS_MAIN
