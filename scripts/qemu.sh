#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Boot a QEMU x86_64 guest from a busybox initramfs that runs one job, and
# judge its console.
#
#   scripts/qemu.sh <debian|x86-debug> <job> <log> [VAR=value ...]
#
# debian:    Debian's stock 6.1 kernel (linux-image-amd64), one CPU.
# x86-debug: our 6.12 lockdep+KCSAN build, two CPUs.
# The guest has no network device (-nic none): every packet stays inside.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

target=${1:?usage: qemu.sh <debian|x86-debug> <job> <log> [VAR=value ...]}
job=$2
log=$3
shift 3

moddir=$("$VTCP_ROOT/scripts/module.sh" "$target")
case $target in
debian)	kernel=/boot/vmlinuz-$DEB_KVER; kver=$DEB_KVER; smp=1 ;;
x86-*)	kdir=$("$VTCP_ROOT/scripts/kernel.sh" "$target")
	kernel=$kdir/arch/x86/boot/bzImage; kver=$(cat "$kdir/include/config/kernel.release"); smp=2 ;;
*)	vtcp_die "unknown QEMU target: $target" ;;
esac
[ -f "$kernel" ] || vtcp_die "no kernel image $kernel (run scripts/deps.sh)"

make -s -C "$VTCP_ROOT/selftests" STATIC=1 OUT="$VTCP_BUILD/selftests-static" >&2
make -s -C "$VTCP_ROOT/tools" STATIC=1 OUT="$VTCP_BUILD/tools-static" >&2

# The initramfs: busybox, the host's ip/tc/ethtool with their libraries,
# the kernel's modules the tests use (Debian builds them as modules), vtcp
# and the test binaries.
root=$VTCP_BUILD/initramfs-$target
rm -rf "$root"
mkdir -p "$root"/{bin,sbin,dev,proc,sys,tmp,run,etc,lib/modules,vtcp}
cp /bin/busybox "$root/bin/busybox"
for app in $("$root/bin/busybox" --list); do
	[ "$app" = busybox ] && continue
	ln -s /bin/busybox "$root/bin/$app"
	ln -s /bin/busybox "$root/sbin/$app"
done
copy_with_libs() {
	local bin=$1 lib
	cp --parents -L "$bin" "$root/"
	for lib in $(ldd "$bin" | grep -oE '/[^ ]+\.so[^ ]*'); do
		cp --parents -L -n "$lib" "$root/"
	done
}
for bin in /usr/sbin/ip /usr/sbin/tc /usr/sbin/ethtool /bin/dash; do
	copy_with_libs "$bin"
done
# busybox's own sh runs its applets in place of programs in PATH; dash
# runs the real ip and tc.
ln -sf /bin/dash "$root/bin/sh"
# The guest's PATH puts /usr/sbin first: the real ip and tc, not busybox's.
mkdir -p "$root/var" && ln -s /run "$root/var/run"
if [ "$target" = debian ]; then
	for m in sch_netem veth ifb act_mirred cls_matchall sch_ingress sch_tbf tun; do
		modprobe -S "$kver" --show-depends "$m" | awk '/^insmod/ {print $2}'
	done | sort -u | while read -r ko; do
		cp --parents "$ko" "$root/"
	done
	cp /lib/modules/"$kver"/modules.{order,builtin,builtin.modinfo} "$root/lib/modules/$kver/" 2>/dev/null || true
	depmod -b "$root" "$kver"
fi
cp "$moddir"/vtcp/vtcp.ko "$root/vtcp/"
cp -r "$VTCP_BUILD/selftests-static" "$root/vtcp/selftests"
rm -rf "$root/vtcp/selftests/.lib"	# the objects the tests were linked from
# vtcpctl_test finds the tool at ../tools/vtcpctl from its own directory.
cp -r "$VTCP_BUILD/tools-static" "$root/vtcp/tools"
cp -r "$VTCP_ROOT/scripts/guest" "$root/vtcp/guest"
# pktdrill_test reads its scripts from ../pktdrill beside its directory
# (the runner's own sources sit beside them in the tree).
mkdir -p "$root/vtcp/pktdrill"
cp "$VTCP_ROOT"/selftests/pktdrill/{*.pkt,XFAIL} "$root/vtcp/pktdrill/"
cat > "$root/init" <<'INIT'
#!/bin/sh
# Debian builds these as modules; in our own kernels they are built in.
modprobe -a sch_netem veth ifb act_mirred cls_matchall sch_ingress sch_tbf tun 2>/dev/null
exec /vtcp/guest/init.sh
INIT
chmod +x "$root/init"
(cd "$root" && find . | cpio -o -H newc --quiet | gzip -1) > "$root.cpio.gz"

mkdir -p "$(dirname "$log")"
timeout=${VTCP_GUEST_TIMEOUT:-1800}
vtcp_guest_lock
vtcp_log "booting QEMU ($target, $kver, $smp CPU) for $job (console in $log)"
set +e
timeout --foreground -k 10 "$timeout" \
	qemu-system-x86_64 -m "${VTCP_QEMU_MEM:-2048}" -smp "$smp" -nographic -no-reboot \
	-nic none -kernel "$kernel" -initrd "$root.cpio.gz" \
	-append "console=ttyS0 loglevel=5 panic=-1 slab_nomerge VTCP_JOB=/vtcp/guest/$job VTCP_DIR=/vtcp VTCP_SELFTESTS=/vtcp/selftests VTCP_HALT=reboot $*" \
	</dev/null 2>&1 | tr -d '\r' | tee "$log" | sed -u 's/^/  | /' >&2
rc=${PIPESTATUS[0]}
set -e
[ "$rc" -eq 124 ] && echo "VTCP-TIMEOUT: guest killed after ${timeout}s" >> "$log"
exec python3 "$VTCP_ROOT/scripts/judge.py" "$log"
