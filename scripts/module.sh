#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build vtcp.ko (and, where the kernel has KUnit, vtcp_test.ko) for one
# guest kernel, out of the source tree, and print the output directory.
# Any compiler warning (W=1) fails the build.
#
#   scripts/module.sh uml-debug|uml-perf|x86-debug|debian
set -euo pipefail
. "$(dirname "$0")/lib.sh"

target=${1:?usage: module.sh uml-debug|uml-perf|x86-debug|debian}
case $target in
uml-*)	kdir=$("$VTCP_ROOT/scripts/kernel.sh" "$target"); arch=um ;;
x86-*)	kdir=$("$VTCP_ROOT/scripts/kernel.sh" "$target"); arch=x86_64 ;;
debian)	[ -n "$DEB_KVER" ] || vtcp_die "no Debian 6.1 headers (run scripts/deps.sh)"
	kdir=/lib/modules/$DEB_KVER/build; arch=x86_64 ;;
*)	vtcp_die "unknown module target: $target" ;;
esac

out=$VTCP_BUILD/module-$target
# Kbuild writes its objects beside the sources: build a copy so that builds
# for different kernels never share objects.
vtcp_mirror "$VTCP_ROOT" "$out"
log=$out/build.log
if ! make -C "$kdir" ARCH=$arch M="$out" W=1 -j"$JOBS" modules > "$log" 2>&1; then
	cat "$log" >&2
	vtcp_die "vtcp did not build for $target"
fi
if grep -E 'warning:|WARNING:' "$log" >&2; then
	vtcp_die "vtcp built with warnings for $target"
fi
echo "$out"
