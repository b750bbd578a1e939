/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by vtcp's selftests: the module, devices and commands.
 * The guest job passes VTCP_DIR, the directory holding vtcp.ko.
 */
#ifndef _VTCP_SELFTEST_UTIL_H
#define _VTCP_SELFTEST_UTIL_H

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#define VTCP_DEV_PATH "/dev/vtcp"

static inline int vtcp_module_load(const char *params)
{
	char path[4096];
	const char *dir = getenv("VTCP_DIR");
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

static inline int vtcp_module_unload(void)
{
	return syscall(__NR_delete_module, "vtcp", O_NONBLOCK) ? -errno : 0;
}

static inline int vtcp_module_loaded(void)
{
	return access("/sys/module/vtcp", F_OK) == 0;
}

/* Make sure vtcp is loaded with default parameters. */
static inline int vtcp_module_ensure(void)
{
	int ret;

	if (vtcp_module_loaded())
		return 0;
	ret = vtcp_module_load(NULL);
	return ret == -EEXIST ? 0 : ret;
}

/* Run a shell command built with printf; returns its exit status. */
static inline int vtcp_sh(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));
static inline int vtcp_sh(const char *fmt, ...)
{
	char cmd[4096];
	va_list ap;
	int st;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	st = system(cmd);
	if (st == -1 || !WIFEXITED(st))
		return -1;
	return WEXITSTATUS(st);
}

/* Read a decimal number from a sysfs or procfs file; -1 if unreadable. */
static inline long long vtcp_read_num(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));
static inline long long vtcp_read_num(const char *fmt, ...)
{
	char path[512];
	long long v = -1;
	va_list ap;
	FILE *f;

	va_start(ap, fmt);
	vsnprintf(path, sizeof(path), fmt, ap);
	va_end(ap);
	f = fopen(path, "r");
	if (!f)
		return -1;
	if (fscanf(f, "%lli", &v) != 1)
		v = -1;
	fclose(f);
	return v;
}

static inline int vtcp_netdev_exists(const char *name)
{
	char path[256];

	snprintf(path, sizeof(path), "/sys/class/net/%s", name);
	return access(path, F_OK) == 0;
}

#endif /* _VTCP_SELFTEST_UTIL_H */
