// SPDX-License-Identifier: GPL-2.0
/*
 * vtcp: a TCP endpoint behind a virtual network device.
 *
 * Module init and exit only. /dev/vtcp is registered last so userspace never
 * reaches a half-initialised module; exit is init reversed.
 */

#include <linux/module.h>

#include "api/chardev.h"
#include "api/genl.h"
#include "net/conn.h"
#include "net/debug.h"
#include "net/limits.h"
#include "net/device.h"
#include "engine/isn.h"
#include "net/proc.h"
#include "engine/sndq.h"
#include "net/tw.h"

static int __init vtcp_init(void)
{
	int ret;

	vtcp_isn_init();
	ret = vtcp_sndq_init();
	if (ret)
		return ret;

	ret = vtcp_conn_init();
	if (ret)
		goto err_uninit_sndq;

	ret = vtcp_tw_init();
	if (ret)
		goto err_uninit_conn;

	ret = vtcp_limits_init();
	if (ret)
		goto err_uninit_tw;

	ret = vtcp_proc_init();
	if (ret)
		goto err_uninit_limits;

	ret = vtcp_device_init();
	if (ret)
		goto err_uninit_proc;

	ret = vtcp_genl_init();
	if (ret)
		goto err_uninit_device;

	ret = vtcp_chardev_init();
	if (ret)
		goto err_uninit_genl;

	vtcp_debug_init();
	return 0;

err_uninit_genl:
	vtcp_genl_uninit();
err_uninit_device:
	vtcp_device_uninit();
err_uninit_proc:
	vtcp_proc_uninit();
err_uninit_limits:
	vtcp_limits_uninit();
err_uninit_tw:
	vtcp_tw_uninit();
err_uninit_conn:
	vtcp_conn_uninit();
err_uninit_sndq:
	vtcp_sndq_uninit();
	return ret;
}

static void __exit vtcp_exit(void)
{
	vtcp_debug_uninit();
	vtcp_chardev_uninit();
	vtcp_genl_uninit();
	vtcp_device_uninit();
	vtcp_proc_uninit();
	vtcp_limits_uninit();
	vtcp_tw_uninit();
	vtcp_conn_uninit();
	vtcp_sndq_uninit();
}

module_init(vtcp_init);
module_exit(vtcp_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("vtcp: a TCP endpoint behind a virtual network device");
MODULE_AUTHOR("The vtcp developers");
