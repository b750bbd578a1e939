// SPDX-License-Identifier: GPL-2.0
/*
 * Module lifecycle: load and unload, repeatedly and with every kind of
 * state left behind.
 */
#include <sys/wait.h>
#include "kselftest_harness.h"
#include "vtcp_util.h"

FIXTURE(module) {};

FIXTURE_SETUP(module)
{
	if (vtcp_module_loaded())
		ASSERT_EQ(0, vtcp_module_unload());
}

FIXTURE_TEARDOWN(module)
{
	if (!vtcp_module_loaded())
		vtcp_module_load(NULL);
}

TEST_F_TIMEOUT(module, load_unload_100_times, 600)
{
	int i;

	for (i = 0; i < 100; i++) {
		ASSERT_EQ(0, vtcp_module_load(NULL)) TH_LOG("load %d", i);
		ASSERT_TRUE(vtcp_netdev_exists("vtcp0"));
		ASSERT_EQ(0, access(VTCP_DEV_PATH, F_OK));
		ASSERT_EQ(0, vtcp_module_unload()) TH_LOG("unload %d", i);
		ASSERT_FALSE(vtcp_netdev_exists("vtcp0"));
	}
}

TEST_F(module, numdevs_creates_that_many_devices)
{
	ASSERT_EQ(0, vtcp_module_load("numdevs=3"));
	EXPECT_TRUE(vtcp_netdev_exists("vtcp0"));
	EXPECT_TRUE(vtcp_netdev_exists("vtcp1"));
	EXPECT_TRUE(vtcp_netdev_exists("vtcp2"));
	EXPECT_FALSE(vtcp_netdev_exists("vtcp3"));
	ASSERT_EQ(0, vtcp_module_unload());
	EXPECT_FALSE(vtcp_netdev_exists("vtcp2"));
}

TEST_F(module, numdevs_zero_creates_none)
{
	ASSERT_EQ(0, vtcp_module_load("numdevs=0"));
	EXPECT_FALSE(vtcp_netdev_exists("vtcp0"));
	EXPECT_EQ(0, access(VTCP_DEV_PATH, F_OK));
	ASSERT_EQ(0, vtcp_module_unload());
}

TEST_F(module, unload_with_devices_up_and_addressed)
{
	ASSERT_EQ(0, vtcp_module_load("numdevs=2"));
	ASSERT_EQ(0, vtcp_sh("ip link add vtcpx type vtcp"));
	ASSERT_EQ(0, vtcp_sh("ip link set vtcp0 up && ip link set vtcp1 up && "
			     "ip link set vtcpx up"));
	ASSERT_EQ(0, vtcp_sh("ip addr add 192.0.2.1/24 dev vtcp0"));
	ASSERT_EQ(0, vtcp_sh("ip -6 addr add 2001:db8::1/64 dev vtcp1 nodad"));
	ASSERT_EQ(0, vtcp_module_unload());
	EXPECT_FALSE(vtcp_netdev_exists("vtcp0"));
	EXPECT_FALSE(vtcp_netdev_exists("vtcpx"));
}

TEST_F(module, unload_refused_while_dev_vtcp_is_open)
{
	int fd;

	ASSERT_EQ(0, vtcp_module_load(NULL));
	fd = open(VTCP_DEV_PATH, O_RDWR);
	ASSERT_LE(0, fd);
	/* An open file pins the module: its code must outlive the file. */
	EXPECT_EQ(-EWOULDBLOCK, vtcp_module_unload());
	EXPECT_TRUE(vtcp_module_loaded());
	close(fd);
	EXPECT_EQ(0, vtcp_module_unload());
}

TEST_F(module, unload_with_devices_in_other_namespace)
{
	ASSERT_EQ(0, vtcp_module_load(NULL));
	ASSERT_EQ(0, vtcp_sh("ip netns add vtcp_mod_ns"));
	ASSERT_EQ(0, vtcp_sh("ip -n vtcp_mod_ns link add vtcpm type vtcp"));
	ASSERT_EQ(0, vtcp_sh("ip -n vtcp_mod_ns link set vtcpm up"));
	EXPECT_FALSE(vtcp_netdev_exists("vtcpm"));
	ASSERT_EQ(0, vtcp_module_unload());
	EXPECT_NE(0, vtcp_sh("ip -n vtcp_mod_ns link show vtcpm 2>/dev/null"));
	EXPECT_EQ(0, vtcp_sh("ip netns del vtcp_mod_ns"));
}

TEST_HARNESS_MAIN
