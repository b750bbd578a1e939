// SPDX-License-Identifier: GPL-2.0
/*
 * /dev/vtcp: one open file is one endpoint handle.
 */

#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>

#include "chardev.h"

static int vtcp_chardev_open(struct inode *inode, struct file *file)
{
	return nonseekable_open(inode, file);
}

static int vtcp_chardev_release(struct inode *inode, struct file *file)
{
	return 0;
}

static long vtcp_chardev_ioctl(struct file *file, unsigned int cmd,
			       unsigned long arg)
{
	switch (cmd) {
	default:
		return -ENOTTY;
	}
}

static const struct file_operations vtcp_chardev_fops = {
	.owner		= THIS_MODULE,
	.open		= vtcp_chardev_open,
	.release	= vtcp_chardev_release,
	.unlocked_ioctl	= vtcp_chardev_ioctl,
	.compat_ioctl	= compat_ptr_ioctl,
};

static struct miscdevice vtcp_miscdev = {
	.minor	= MISC_DYNAMIC_MINOR,
	.name	= KBUILD_MODNAME,
	.fops	= &vtcp_chardev_fops,
	.mode	= 0600,
};

int vtcp_chardev_init(void)
{
	return misc_register(&vtcp_miscdev);
}

void vtcp_chardev_uninit(void)
{
	misc_deregister(&vtcp_miscdev);
}

MODULE_ALIAS("devname:" KBUILD_MODNAME);
