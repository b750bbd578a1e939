// SPDX-License-Identifier: GPL-2.0
/*
 * Users and namespaces, as the permission tests need them: becoming an
 * unprivileged user with user and network namespaces of its own, links
 * made and moved through rtnetlink itself (to see its errno, which ip(8)
 * only prints), and descriptors passed over AF_UNIX sockets.
 */
#include <grp.h>
#include <sched.h>
#include <sys/prctl.h>
#include <linux/capability.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include "vtcp_util.h"

/*
 * Become @uid (and group @uid), with no supplementary groups and no
 * capabilities left; 0 or -errno.
 */
int vtcp_become_user(uid_t uid)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct caps[2] = {};

	if (setgroups(0, NULL) || setresgid(uid, uid, uid) ||
	    setresuid(uid, uid, uid))
		return -errno;
	/* Changing every uid away from 0 clears them all: make sure. */
	if (syscall(SYS_capget, &hdr, caps))
		return -errno;
	if (caps[0].effective || caps[1].effective || caps[0].permitted ||
	    caps[1].permitted)
		return -EPERM;
	/*
	 * A change of uid makes the process undumpable, which gives its
	 * /proc/self files to root: uid_map could not be written.
	 */
	return prctl(PR_SET_DUMPABLE, 1) ? -errno : 0;
}

/*
 * Enter new user and network namespaces, as unshare --user
 * --map-root-user --net does: root inside is the caller's uid outside.
 */
int vtcp_own_namespaces(void)
{
	uid_t uid = getuid();
	gid_t gid = getgid();
	char map[64];
	int ret;

	if (unshare(CLONE_NEWUSER | CLONE_NEWNET))
		return -errno;
	snprintf(map, sizeof(map), "0 %u 1", uid);
	ret = vtcp_write_file("/proc/self/uid_map", map);
	if (!ret)
		ret = vtcp_write_file("/proc/self/setgroups", "deny");
	snprintf(map, sizeof(map), "0 %u 1", gid);
	if (!ret)
		ret = vtcp_write_file("/proc/self/gid_map", map);
	return ret;
}

/* A link request: the message, then room for its attributes. */
struct vtcp_rtnl_req {
	struct nlmsghdr nlh;
	struct ifinfomsg ifi;
	char attrs[512];
};

/* Append attribute @type with @len bytes of @data to @req; its start. */
static struct rtattr *vtcp_nla_put(struct vtcp_rtnl_req *req,
				   unsigned short type, const void *data,
				   size_t len)
{
	char *msg = (char *)req;
	struct rtattr *rta = (void *)(msg + NLMSG_ALIGN(req->nlh.nlmsg_len));

	rta->rta_type = type;
	rta->rta_len = RTA_LENGTH(len);
	if (len)
		memcpy(RTA_DATA(rta), data, len);
	req->nlh.nlmsg_len = NLMSG_ALIGN(req->nlh.nlmsg_len) +
			     RTA_ALIGN(rta->rta_len);
	return rta;
}

/* Send @nlh on a new rtnetlink socket of this netns; its answer, -errno. */
static int vtcp_rtnl_talk(struct nlmsghdr *nlh)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	char buf[4096];
	struct nlmsghdr *ans = (void *)buf;
	ssize_t n;
	int fd, ret;

	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (fd < 0)
		return -errno;
	nlh->nlmsg_flags |= NLM_F_REQUEST | NLM_F_ACK;
	nlh->nlmsg_seq = 1;
	if (sendto(fd, nlh, nlh->nlmsg_len, 0, (void *)&sa, sizeof(sa)) < 0) {
		ret = -errno;
		goto out;
	}
	n = recv(fd, buf, sizeof(buf), 0);
	if (n < 0)
		ret = -errno;
	else if (n < (ssize_t)NLMSG_LENGTH(sizeof(struct nlmsgerr)) ||
		 ans->nlmsg_type != NLMSG_ERROR)
		ret = -EPROTO;
	else
		ret = ((struct nlmsgerr *)NLMSG_DATA(ans))->error;
out:
	close(fd);
	return ret;
}

/*
 * ip link add @name [index @ifindex] type @kind [netns @nsfd] (@ifindex
 * 0: any; @nsfd < 0: this namespace); 0 or -errno.
 */
int vtcp_link_add(const char *name, int ifindex, const char *kind, int nsfd)
{
	struct vtcp_rtnl_req req = {
		.nlh = {
			.nlmsg_len = NLMSG_LENGTH(sizeof(struct ifinfomsg)),
			.nlmsg_type = RTM_NEWLINK,
			.nlmsg_flags = NLM_F_CREATE | NLM_F_EXCL,
		},
		.ifi = { .ifi_family = AF_UNSPEC, .ifi_index = ifindex },
	};
	struct rtattr *info;

	vtcp_nla_put(&req, IFLA_IFNAME, name, strlen(name) + 1);
	if (nsfd >= 0)
		vtcp_nla_put(&req, IFLA_NET_NS_FD, &nsfd, sizeof(nsfd));
	info = vtcp_nla_put(&req, IFLA_LINKINFO, NULL, 0);
	vtcp_nla_put(&req, IFLA_INFO_KIND, kind, strlen(kind));
	info->rta_len = (void *)&req + req.nlh.nlmsg_len - (void *)info;
	return vtcp_rtnl_talk(&req.nlh);
}

/* ip link set dev @ifindex netns @nsfd; 0 or -errno. */
int vtcp_link_move(int ifindex, int nsfd)
{
	struct vtcp_rtnl_req req = {
		.nlh = {
			.nlmsg_len = NLMSG_LENGTH(sizeof(struct ifinfomsg)),
			.nlmsg_type = RTM_NEWLINK,
		},
		.ifi = { .ifi_family = AF_UNSPEC, .ifi_index = ifindex },
	};

	vtcp_nla_put(&req, IFLA_NET_NS_FD, &nsfd, sizeof(nsfd));
	return vtcp_rtnl_talk(&req.nlh);
}

/* Send @n descriptors and a byte over the AF_UNIX socket @sock; -errno. */
int vtcp_send_fds(int sock, const int *fds, int n)
{
	char cbuf[CMSG_SPACE(sizeof(int) * 8)] = {};
	struct iovec iov = { .iov_base = "f", .iov_len = 1 };
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf, .msg_controllen = CMSG_SPACE(sizeof(int) * n),
	};
	struct cmsghdr *cm = CMSG_FIRSTHDR(&msg);

	if (n < 1 || n > 8)
		return -EINVAL;
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int) * n);
	memcpy(CMSG_DATA(cm), fds, sizeof(int) * n);
	return sendmsg(sock, &msg, 0) == 1 ? 0 : -errno;
}

/* Receive exactly @n descriptors sent by vtcp_send_fds(); -errno. */
int vtcp_recv_fds(int sock, int *fds, int n)
{
	char cbuf[CMSG_SPACE(sizeof(int) * 8)] = {};
	char c;
	struct iovec iov = { .iov_base = &c, .iov_len = 1 };
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf, .msg_controllen = sizeof(cbuf),
	};
	struct cmsghdr *cm;
	ssize_t r;

	if (n < 1 || n > 8)
		return -EINVAL;
	r = recvmsg(sock, &msg, MSG_CMSG_CLOEXEC);
	if (r < 0)
		return -errno;
	if (r != 1)
		return -EPIPE;	/* the sender went away */
	cm = CMSG_FIRSTHDR(&msg);
	if (!cm || cm->cmsg_type != SCM_RIGHTS ||
	    cm->cmsg_len != CMSG_LEN(sizeof(int) * n))
		return -EPROTO;
	memcpy(fds, CMSG_DATA(cm), sizeof(int) * n);
	return 0;
}
