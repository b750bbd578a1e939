// SPDX-License-Identifier: GPL-2.0
/*
 * /dev/vtcp and the files of accepted connections: file operations and the
 * ioctl interface (include/uapi/linux/vtcp.h).
 *
 * Two kinds of file: those opened on /dev/vtcp carry a struct vtcp_handle
 * (unbound, listener, connection or packet channel); those
 * VTCP_IOC_ACCEPT and VTCP_IOC_CONNECT_FD return point at their connection
 * directly, so an idle accepted connection costs its struct file and
 * nothing more.
 *
 * ioctl structures are versioned by size: the number encodes the size the
 * caller was built with, and copy_struct_from_user() reconciles it with
 * ours (zero-filling what the caller lacks, refusing with -E2BIG what it
 * has that we do not know, unless zero).
 */

#include <linux/anon_inodes.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/poll.h>
#include <linux/seq_file.h>
#include <linux/splice.h>
#include <linux/uaccess.h>
#include <linux/uio.h>
#include <uapi/linux/vtcp.h>

#include "api/chardev.h"
#include "net/conn.h"
#include "api/handle.h"
#include "api/info.h"
#include "net/listen.h"
#include "api/packet.h"
#include "net/request.h"
#include "api/sockopt.h"
#include "api/splice.h"
#include "api/stream.h"

/* The first version of each structure: callers may not pass less. */
#define VTCP_LISTEN_SIZE_VER0	sizeof(struct vtcp_listen)
#define VTCP_ACCEPT_SIZE_VER0	offsetofend(struct vtcp_accept, remote)
#define VTCP_CONNECT_SIZE_VER0	sizeof(struct vtcp_connect)
#define VTCP_CONNECT_FD_SIZE_VER0	sizeof(struct vtcp_connect_fd)
#define VTCP_REFUSE_SIZE_VER0	sizeof(struct vtcp_refuse)
#define VTCP_OPT_SIZE_VER0	sizeof(struct vtcp_opt)
/* VTCP_INFO_SIZE_VER0 is the UAPI's: struct vtcp_info has grown. */
#define VTCP_PACKET_SIZE_VER0	sizeof(struct vtcp_packet)

/* An ioctl number without its size: which command, of whatever version. */
#define VTCP_IOC_BASE(cmd)	((cmd) & ~(_IOC_SIZEMASK << _IOC_SIZESHIFT))

static const struct file_operations vtcp_conn_fops;

static bool vtcp_file_is_conn(const struct file *file)
{
	return file->f_op == &vtcp_conn_fops;
}

/* The connection behind @file, or NULL if it is not (yet) one. */
static struct vtcp_conn *vtcp_file_conn(struct file *file)
{
	if (vtcp_file_is_conn(file))
		return file->private_data;
	return vtcp_handle_conn(file->private_data);
}

/* The packet channel behind @file, or NULL if it is not one. */
static struct vtcp_pktchan *vtcp_file_pkt(struct file *file)
{
	if (vtcp_file_is_conn(file))
		return NULL;
	return vtcp_handle_pkt(file->private_data);
}

static bool vtcp_file_nonblock(const struct file *file, int iocb_flags)
{
	return (file->f_flags & O_NONBLOCK) || (iocb_flags & IOCB_NOWAIT);
}

static ssize_t vtcp_file_read_iter(struct kiocb *iocb, struct iov_iter *to)
{
	struct file *file = iocb->ki_filp;
	struct vtcp_conn *conn = vtcp_file_conn(file);
	struct vtcp_pktchan *pkt;

	if (!conn) {
		pkt = vtcp_file_pkt(file);
		if (!pkt)
			return -ENOTCONN;
		return vtcp_packet_read(pkt, to,
					vtcp_file_nonblock(file,
							   iocb->ki_flags));
	}
	return vtcp_stream_read(conn, to,
				vtcp_file_nonblock(file, iocb->ki_flags));
}

static ssize_t vtcp_file_write_iter(struct kiocb *iocb, struct iov_iter *from)
{
	struct file *file = iocb->ki_filp;
	struct vtcp_conn *conn = vtcp_file_conn(file);
	struct vtcp_pktchan *pkt;

	if (!conn) {
		pkt = vtcp_file_pkt(file);
		return pkt ? vtcp_packet_write(pkt, from) : -ENOTCONN;
	}
	return vtcp_stream_write(conn, from,
				 vtcp_file_nonblock(file, iocb->ki_flags));
}

static ssize_t vtcp_file_splice_read(struct file *file, loff_t *ppos,
				     struct pipe_inode_info *pipe, size_t len,
				     unsigned int flags)
{
	struct vtcp_conn *conn = vtcp_file_conn(file);

	if (!conn)
		return -ENOTCONN;
	return vtcp_splice_read(conn, pipe, len,
				(file->f_flags & O_NONBLOCK) ||
				(flags & SPLICE_F_NONBLOCK));
}

static __poll_t vtcp_listener_poll(struct vtcp_listener *lsn, struct file *file,
				   poll_table *wait)
{
	__poll_t mask = 0;

	poll_wait(file, &lsn->wq, wait);
	if (!list_empty_careful(&lsn->acceptq) || !list_empty_careful(&lsn->reqq))
		mask |= EPOLLIN | EPOLLRDNORM;
	if (READ_ONCE(lsn->dead))
		mask |= EPOLLERR | EPOLLHUP;
	return mask;
}

static __poll_t vtcp_file_poll(struct file *file, poll_table *wait)
{
	struct vtcp_listener *lsn;
	struct vtcp_handle *h;
	struct vtcp_conn *conn;
	struct vtcp_pktchan *pkt;

	if (vtcp_file_is_conn(file))
		return vtcp_stream_poll(file->private_data, file, wait);
	h = file->private_data;
	/* Whatever the handle becomes later wakes this one (handle.h). */
	poll_wait(file, &h->wq, wait);
	conn = vtcp_handle_conn(h);
	if (conn)
		return vtcp_stream_poll(conn, file, wait);
	lsn = vtcp_handle_lsn(h);
	if (lsn)
		return vtcp_listener_poll(lsn, file, wait);
	pkt = vtcp_file_pkt(file);
	if (pkt)
		return vtcp_packet_poll(pkt, file, wait);
	/* Unbound: nothing will ever happen, as for an unconnected socket. */
	return EPOLLOUT | EPOLLHUP;
}

static int vtcp_conn_file_release(struct inode *inode, struct file *file)
{
	vtcp_stream_release(file->private_data);
	return 0;
}

/* A file for an accepted connection; takes over the caller's reference. */
static struct file *vtcp_conn_file(struct vtcp_conn *conn, bool nonblock)
{
	return anon_inode_getfile("[vtcp]", &vtcp_conn_fops, conn,
				  O_RDWR | (nonblock ? O_NONBLOCK : 0));
}

/* Copy in a versioned structure of at least @min bytes. */
static int vtcp_copy_in(void *dst, size_t ksize, const void __user *argp,
			size_t usize, size_t min)
{
	if (usize < min)
		return -EINVAL;
	return copy_struct_from_user(dst, ksize, argp, usize);
}

/*
 * Give @conn a descriptor with VTCP_ACCEPT_* @flags, taking over the
 * caller's reference: the descriptor's number goes in *@fdp, then the
 * @size bytes of @req to @argp, and only once that copy is done is the
 * descriptor installed. Returns it, or -errno with the connection closed.
 */
static int vtcp_conn_fd(struct vtcp_conn *conn, u32 flags, s32 *fdp,
			void __user *argp, const void *req, size_t size)
{
	struct file *cfile;
	int fd, ret;

	fd = get_unused_fd_flags(flags & VTCP_ACCEPT_CLOEXEC ? O_CLOEXEC : 0);
	if (fd < 0) {
		ret = fd;
		goto err_release_conn;
	}
	cfile = vtcp_conn_file(conn, flags & VTCP_ACCEPT_NONBLOCK);
	if (IS_ERR(cfile)) {
		ret = PTR_ERR(cfile);
		goto err_put_fd;
	}
	*fdp = fd;
	if (copy_to_user(argp, req, size)) {
		/*
		 * Unmapped meanwhile. The file owns the connection now:
		 * closing it closes that, as accept() does on this fault.
		 */
		fput(cfile);
		put_unused_fd(fd);
		return -EFAULT;
	}
	fd_install(fd, cfile);
	return fd;

err_put_fd:
	put_unused_fd(fd);
err_release_conn:
	/* No descriptor for it: it ends as if closed at once. */
	vtcp_stream_release(conn);
	return ret;
}

static long vtcp_ioctl_accept(struct file *file, void __user *argp, size_t size)
{
	struct vtcp_handle *h = file->private_data;
	struct vtcp_accept req;
	struct vtcp_conn *conn;
	int ret;

	if (vtcp_file_is_conn(file) || !vtcp_handle_lsn(h))
		return -EINVAL;
	ret = copy_struct_from_user(&req, sizeof(req), argp, size);
	if (ret)
		return ret;
	if (req.flags & ~(VTCP_ACCEPT_CLOEXEC | VTCP_ACCEPT_NONBLOCK |
			  VTCP_ACCEPT_REQUEST))
		return -EINVAL;
	/*
	 * Prove the structure writable before a connection leaves the queue:
	 * a fault after that could only close the connection.
	 */
	req.fd = -1;
	if (copy_to_user(argp, &req, min(size, sizeof(req))))
		return -EFAULT;
	conn = vtcp_handle_accept(h, &req, vtcp_file_nonblock(file, 0));
	if (IS_ERR(conn))
		return PTR_ERR(conn);
	return vtcp_conn_fd(conn, req.flags, &req.fd, argp, &req,
			    min(size, sizeof(req)));
}

static long vtcp_ioctl_connect_fd(struct file *file, void __user *argp,
				  size_t size)
{
	struct vtcp_handle *h = file->private_data;
	struct vtcp_connect_fd req;
	struct vtcp_conn *conn;
	int ret;

	/* From a handle bound to a device: a listener or a packet channel. */
	if (vtcp_file_is_conn(file) ||
	    (!vtcp_handle_lsn(h) && !vtcp_handle_pkt(h)))
		return -EINVAL;
	ret = vtcp_copy_in(&req, sizeof(req), argp, size,
			   VTCP_CONNECT_FD_SIZE_VER0);
	if (ret)
		return ret;
	if (req.fd_flags & ~(VTCP_ACCEPT_CLOEXEC | VTCP_ACCEPT_NONBLOCK))
		return -EINVAL;
	/* As for ACCEPT: fault now, not once the connection is open. */
	req.fd = -1;
	if (copy_to_user(argp, &req, min(size, sizeof(req))))
		return -EFAULT;
	conn = vtcp_handle_connect_fd(h, &req.connect,
				      req.fd_flags & VTCP_ACCEPT_NONBLOCK);
	if (IS_ERR(conn))
		return PTR_ERR(conn);
	return vtcp_conn_fd(conn, req.fd_flags, &req.fd, argp, &req,
			    min(size, sizeof(req)));
}

static int vtcp_cfg_opt(struct vtcp_cfg *cfg, struct vtcp_opt *opt, bool set)
{
	return set ? vtcp_opt_set(cfg, opt, false) : vtcp_opt_get(cfg, opt);
}

/*
 * SETOPT and GETOPT: on a connection, or on the settings a handle's next
 * listener or connection starts with (a listener's, once it listens).
 */
static long vtcp_ioctl_opt(struct file *file, struct vtcp_opt *opt, bool set)
{
	struct vtcp_conn *conn = vtcp_file_conn(file);
	struct vtcp_handle *h = file->private_data;
	struct vtcp_listener *lsn;
	int ret;

	if (conn)
		return set ? vtcp_opt_conn_set(conn, opt) :
			     vtcp_opt_conn_get(conn, opt);
	mutex_lock(&h->lock);
	lsn = h->lsn;
	if (lsn) {
		spin_lock_bh(&lsn->lock);
		ret = vtcp_cfg_opt(&lsn->cfg, opt, set);
		spin_unlock_bh(&lsn->lock);
	} else {
		ret = vtcp_cfg_opt(&h->cfg, opt, set);
	}
	mutex_unlock(&h->lock);
	return ret;
}

static long vtcp_ioctl_info(struct file *file, void __user *argp, size_t size)
{
	struct vtcp_conn *conn = vtcp_file_conn(file);
	struct vtcp_listener *lsn = NULL;
	struct vtcp_info info;

	if (size < VTCP_INFO_SIZE_VER0)
		return -EINVAL;
	if (!conn) {
		lsn = vtcp_handle_lsn(file->private_data);
		if (!lsn)
			return -ENOTCONN;
	}
	if (conn)
		vtcp_info_conn(conn, &info);
	else
		vtcp_info_listener(lsn, &info);
	if (copy_to_user(argp, &info, min(size, sizeof(info))))
		return -EFAULT;
	if (size > sizeof(info) &&
	    clear_user(argp + sizeof(info), size - sizeof(info)))
		return -EFAULT;
	return 0;
}

static long vtcp_file_ioctl(struct file *file, unsigned int cmd,
			    unsigned long arg)
{
	void __user *argp = (void __user *)arg;
	size_t size = _IOC_SIZE(cmd);
	struct vtcp_handle *h = NULL;
	struct vtcp_conn *conn;
	union {
		struct vtcp_listen listen;
		struct vtcp_connect connect;
		struct vtcp_opt opt;
		struct vtcp_packet packet;
		struct vtcp_refuse refuse;
		u32 how;
	} u;
	long ret;

	if (!vtcp_file_is_conn(file))
		h = file->private_data;

	if (_IOC_TYPE(cmd) != VTCP_IOC_MAGIC)
		return -ENOTTY;

	switch (VTCP_IOC_BASE(cmd)) {
	case VTCP_IOC_BASE(VTCP_IOC_LISTEN):
		if (!h)
			return -EISCONN;
		ret = vtcp_copy_in(&u.listen, sizeof(u.listen), argp, size,
				   VTCP_LISTEN_SIZE_VER0);
		return ret ?: vtcp_handle_listen(h, &u.listen);

	case VTCP_IOC_BASE(VTCP_IOC_ACCEPT):
		if (size < VTCP_ACCEPT_SIZE_VER0)
			return -EINVAL;
		return vtcp_ioctl_accept(file, argp, size);

	case VTCP_IOC_BASE(VTCP_IOC_CONNECT):
		if (!h)
			return -EISCONN;
		ret = vtcp_copy_in(&u.connect, sizeof(u.connect), argp, size,
				   VTCP_CONNECT_SIZE_VER0);
		return ret ?: vtcp_handle_connect(h, &u.connect,
						  vtcp_file_nonblock(file, 0));

	case VTCP_IOC_BASE(VTCP_IOC_CONNECT_FD):
		return vtcp_ioctl_connect_fd(file, argp, size);

	case VTCP_IOC_BASE(VTCP_IOC_SETOPT):
		ret = vtcp_copy_in(&u.opt, sizeof(u.opt), argp, size,
				   VTCP_OPT_SIZE_VER0);
		return ret ?: vtcp_ioctl_opt(file, &u.opt, true);

	case VTCP_IOC_BASE(VTCP_IOC_GETOPT):
		ret = vtcp_copy_in(&u.opt, sizeof(u.opt), argp, size,
				   VTCP_OPT_SIZE_VER0);
		if (!ret)
			ret = vtcp_ioctl_opt(file, &u.opt, false);
		if (!ret && copy_to_user(argp, &u.opt, sizeof(u.opt)))
			ret = -EFAULT;
		return ret;

	case VTCP_IOC_BASE(VTCP_IOC_INFO):
		return vtcp_ioctl_info(file, argp, size);

	case VTCP_IOC_BASE(VTCP_IOC_PACKET):
		if (!h)
			return -EISCONN;
		ret = vtcp_copy_in(&u.packet, sizeof(u.packet), argp, size,
				   VTCP_PACKET_SIZE_VER0);
		return ret ?: vtcp_handle_packet(h, &u.packet);
	case VTCP_IOC_BASE(VTCP_IOC_REFUSE):
		ret = vtcp_copy_in(&u.refuse, sizeof(u.refuse), argp, size,
				   VTCP_REFUSE_SIZE_VER0);
		if (ret)
			return ret;
		if (!vtcp_file_is_conn(file))
			return -EINVAL;
		return vtcp_request_refuse(file->private_data, &u.refuse);
	}

	/* The rest take no versioned structure: their numbers are exact. */
	switch (cmd) {
	case VTCP_IOC_SHUTDOWN:
		if (get_user(u.how, (u32 __user *)argp))
			return -EFAULT;
		conn = vtcp_file_conn(file);
		return conn ? vtcp_stream_shutdown(conn, u.how) : -ENOTCONN;
	case VTCP_IOC_ABORT:
		conn = vtcp_file_conn(file);
		return conn ? vtcp_stream_abort(conn) : -ENOTCONN;
	case VTCP_IOC_COMPLETE:
		/* Requests are accepted files, never /dev/vtcp handles. */
		if (!vtcp_file_is_conn(file))
			return -EINVAL;
		return vtcp_request_complete(file->private_data);
	}
	return -ENOTTY;
}

static void vtcp_file_show_fdinfo(struct seq_file *m, struct file *file)
{
	struct vtcp_conn *conn = vtcp_file_conn(file);
	struct vtcp_listener *lsn;
	u8 state;

	if (conn) {
		/* The engine writes its state under the lock only. */
		spin_lock_bh(&conn->tcb.lock);
		state = conn->tcb.state;
		spin_unlock_bh(&conn->tcb.lock);
		seq_printf(m, "vtcp-kind:\tconnection\nvtcp-state:\t%u\n",
			   state);
		return;
	}
	lsn = vtcp_handle_lsn(file->private_data);
	seq_printf(m, "vtcp-kind:\t%s\n", lsn ? "listener" :
		   vtcp_file_pkt(file) ? "packet" : "unbound");
}

static int vtcp_chardev_open(struct inode *inode, struct file *file)
{
	struct vtcp_handle *h = vtcp_handle_new(file);
	int ret;

	if (!h)
		return -ENOMEM;
	ret = nonseekable_open(inode, file);
	if (ret) {
		vtcp_handle_release(h);
		return ret;
	}
	file->private_data = h;
	return 0;
}

static int vtcp_chardev_release(struct inode *inode, struct file *file)
{
	vtcp_handle_release(file->private_data);
	return 0;
}

static const struct file_operations vtcp_chardev_fops = {
	.owner		= THIS_MODULE,
	.open		= vtcp_chardev_open,
	.release	= vtcp_chardev_release,
	.read_iter	= vtcp_file_read_iter,
	.write_iter	= vtcp_file_write_iter,
	.poll		= vtcp_file_poll,
	.unlocked_ioctl	= vtcp_file_ioctl,
	.compat_ioctl	= compat_ptr_ioctl,
	.splice_read	= vtcp_file_splice_read,
	.splice_write	= iter_file_splice_write,
	.show_fdinfo	= vtcp_file_show_fdinfo,
};

static const struct file_operations vtcp_conn_fops = {
	.owner		= THIS_MODULE,
	.release	= vtcp_conn_file_release,
	.read_iter	= vtcp_file_read_iter,
	.write_iter	= vtcp_file_write_iter,
	.poll		= vtcp_file_poll,
	.unlocked_ioctl	= vtcp_file_ioctl,
	.compat_ioctl	= compat_ptr_ioctl,
	.splice_read	= vtcp_file_splice_read,
	.splice_write	= iter_file_splice_write,
	.show_fdinfo	= vtcp_file_show_fdinfo,
};

static struct miscdevice vtcp_miscdev = {
	.minor	= MISC_DYNAMIC_MINOR,
	.name	= KBUILD_MODNAME,
	.fops	= &vtcp_chardev_fops,
	.mode	= 0666,	/* binding is what needs permission: perm.c */
};

int vtcp_chardev_init(void)
{
	return misc_register(&vtcp_miscdev);
}

void vtcp_chardev_uninit(void)
{
	misc_deregister(&vtcp_miscdev);
}
