// SPDX-License-Identifier: GPL-2.0
/*
 * Loading and unloading vtcp.ko, and its debugfs object counts. The guest
 * job passes VTCP_DIR, the directory holding vtcp.ko.
 */
#include "vtcp_util.h"

/* Load vtcp.ko with @params (NULL: none); 0 or -errno. */
int vtcp_module_load(const char *params)
{
	const char *dir = getenv("VTCP_DIR");
	char path[4096];
	int fd, ret;

	snprintf(path, sizeof(path), "%s/vtcp.ko", dir ? dir : ".");
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ret = syscall(__NR_finit_module, fd, params ? params : "", 0);
	ret = ret ? -errno : 0;
	close(fd);
	return ret;
}

int vtcp_module_unload(void)
{
	return syscall(__NR_delete_module, "vtcp", O_NONBLOCK) ? -errno : 0;
}

int vtcp_module_loaded(void)
{
	return access("/sys/module/vtcp", F_OK) == 0;
}

/* Make sure vtcp is loaded with default parameters. */
int vtcp_module_ensure(void)
{
	int ret;

	if (vtcp_module_loaded())
		return 0;
	ret = vtcp_module_load(NULL);
	return ret == -EEXIST ? 0 : ret;
}

/* A count from /sys/kernel/debug/vtcp/objects ("connections", ...), or -1. */
long vtcp_objects(const char *what)
{
	FILE *f = fopen("/sys/kernel/debug/vtcp/objects", "r");
	char line[128], name[64];
	long v = -1, n;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%63s %ld", name, &n) == 2 && !strcmp(name, what))
			v = n;
	fclose(f);
	return v;
}
