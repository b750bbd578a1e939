// SPDX-License-Identifier: GPL-2.0
/*
 * Who may use vtcp: tun's model. /dev/vtcp is open to everyone (an unbound
 * handle can do nothing); binding a handle to a device, as a listener or a
 * connection, takes CAP_NET_ADMIN over the user namespace that owns the
 * device's network namespace, held by whoever opened the file, whoever
 * uses it later. A connection's local address is free (a forwarder
 * presents its client's own address), which is spoofing towards that
 * namespace's routes: the same capability covers it, and nothing more is
 * asked.
 *
 * Capability over a namespace is had by its creator, and creating user
 * namespaces is open to every user: so that alone would open vtcp's
 * parser and engine to all of them. The "unprivileged" switch (off by
 * default) decides whether it does; while it is off, only holders of
 * CAP_NET_ADMIN in the initial user namespace bind handles or create
 * vtcp devices, as when /dev/vtcp was root's alone.
 */

#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/fs.h>
#include <linux/module.h>
#include <linux/user_namespace.h>
#include <net/net_namespace.h>

#include "net/perm.h"

static bool unprivileged;
module_param(unprivileged, bool, 0644);
MODULE_PARM_DESC(unprivileged,
		 "Namespace owners may create devices and bind (default 0)");

/*
 * May the opener of @file bind a handle to a device of @net? Checked with
 * the file's credentials, as tun does, so a handle passed to a more
 * privileged process gains nothing and one passed to a less privileged
 * process loses nothing.
 */
int vtcp_perm_bind(const struct file *file, const struct net *net)
{
	if (file_ns_capable(file, &init_user_ns, CAP_NET_ADMIN))
		return 0;
	if (!READ_ONCE(unprivileged))
		return -EPERM;
	return file_ns_capable(file, net->user_ns, CAP_NET_ADMIN) ? 0 : -EPERM;
}

/*
 * May the caller create a vtcp device in @net? rtnetlink has checked
 * CAP_NET_ADMIN over @net's owner already; with the switch off, a device
 * in a namespace of another user namespace must come from a holder of the
 * capability in the initial one (an administrator setting up a container).
 * rtnetlink runs the request in the sender's context: current is the
 * sender.
 */
int vtcp_perm_link(const struct net *net)
{
	if (READ_ONCE(unprivileged) || net->user_ns == &init_user_ns)
		return 0;
	return ns_capable(&init_user_ns, CAP_NET_ADMIN) ? 0 : -EPERM;
}
