// SPDX-License-Identifier: GPL-2.0
/* Network devices and namespaces, as the tests set them up. */
#include <sched.h>
#include "vtcp_util.h"

int vtcp_netdev_exists(const char *name)
{
	char path[256];

	snprintf(path, sizeof(path), "/sys/class/net/%s", name);
	return access(path, F_OK) == 0;
}

/* Bring @dev up with the host's addresses on it; returns 0 on success. */
int vtcp_net_up(const char *dev)
{
	return vtcp_sh("ip link set %s up && "
		       "ip addr replace " VTCP_HOST4 "/24 dev %s && "
		       "ip -6 addr replace " VTCP_HOST6 "/64 dev %s nodad",
		       dev, dev, dev);
}

/*
 * The same with the host's IPv4 address only: tests that count what
 * reaches the device want no IPv6 neighbour or multicast traffic.
 */
int vtcp_net_up4(const char *dev)
{
	return vtcp_sh("ip link set %s up && "
		       "ip addr replace " VTCP_HOST4 "/24 dev %s", dev, dev);
}

/* Move this thread into the named network namespace (ip netns); -errno. */
int vtcp_setns(const char *name)
{
	char path[128];
	int fd, ret;

	snprintf(path, sizeof(path), "/run/netns/%s", name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ret = setns(fd, CLONE_NEWNET) ? -errno : 0;
	close(fd);
	return ret;
}
