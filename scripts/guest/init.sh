#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# PID 1 of every vtcp guest (UML on hostfs, QEMU on an initramfs). POSIX sh,
# so busybox runs it too. The kernel command line passes:
#   VTCP_JOB   the job script to run (kunit.sh, selftests.sh, ...)
#   VTCP_DIR   where vtcp.ko and the test binaries are
#   VTCP_HALT  "reboot" in QEMU guests, which end on reboot
# The job prints its results; this script adds a kmemleak report after the
# job (which unloads the module) and powers the guest off.
export PATH=/usr/sbin:/usr/bin:/sbin:/bin
export HOME=/tmp TERM=dumb

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
mkdir -p /dev/pts /dev/shm
mount -t devpts devpts /dev/pts
mount -t tmpfs tmpfs /dev/shm
for d in /tmp /run /var/tmp; do
	mkdir -p $d 2>/dev/null
	mount -t tmpfs tmpfs $d
done
# Under UML the root is the host's over hostfs: a checkout, build folder or
# cache below one of the folders just covered would vanish with it. Mount
# each such folder again from the host, read-only (the guests only read
# them). A QEMU guest has everything in its initramfs and needs none.
vtcp_reveal() { # path
	case $1 in
	/tmp/*|/run/*|/var/tmp/*) ;;
	*) return 0 ;;
	esac
	[ -e "$1" ] && return 0		# inside one revealed already
	if ! grep -qw hostfs /proc/filesystems ||
	   ! mkdir -p "$1" || ! mount -t hostfs -o ro,"$1" hostfs "$1"; then
		echo "VTCP-HARNESS-ERROR: $1 is under a tmpfs of the guest and could not be mounted again from the host"
		return 1
	fi
}
# Shortest first, so that a folder inside another is found inside it.
for p in $(printf '%s\n' "$VTCP_ROOT" "$VTCP_BUILD" "$VTCP_CACHE" \
		"$VTCP_DIR" "$VTCP_SELFTESTS" "$VTCP_TOOLS" "${VTCP_JOB%/*}" |
	   awk 'length { print length, $0 }' | sort -n | cut -d' ' -f2-); do
	vtcp_reveal "$p"
done
mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
# A module tree that knows vtcp, so that "ip link add ... type vtcp" can
# autoload it (under UML the host's /lib/modules is read-only: cover it).
kver=$(uname -r)
touch /lib/modules/.w 2>/dev/null || mount -t tmpfs tmpfs /lib/modules
mkdir -p /lib/modules/$kver/extra
cp "$VTCP_DIR"/vtcp.ko /lib/modules/$kver/extra/ 2>/dev/null &&
	depmod -a 2>/dev/null
hostname vtcp-guest
ip link set lo up

kmemleak=/sys/kernel/debug/kmemleak
# Reports from before the job (boot-time allocations) are not ours.
[ -w $kmemleak ] && echo clear > $kmemleak

echo "VTCP-GUEST: $(uname -r) $(uname -m), job $VTCP_JOB"
# Show that the concurrency sanitizer is live where the kernel has it.
[ -r /sys/kernel/debug/kcsan ] && head -n 1 /sys/kernel/debug/kcsan
sh "$VTCP_JOB"
echo "VTCP-JOB-EXIT: $?"

if [ -w $kmemleak ]; then
	# Two scans: an object is reported only once it has looked
	# unreferenced for a full scan period.
	echo scan > $kmemleak
	sleep 6
	echo scan > $kmemleak
	echo "VTCP-KMEMLEAK-BEGIN"
	cat $kmemleak
	echo "VTCP-KMEMLEAK-END"
fi
echo "VTCP-GUEST-DONE"
sync
# QEMU (started with -no-reboot) ends on a reboot; UML ends on poweroff.
if [ "$VTCP_HALT" = reboot ]; then
	reboot -f
else
	poweroff -f 2>/dev/null || busybox poweroff -f
fi
