#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build (or reuse) a guest kernel and print its build directory.
#
#   scripts/kernel.sh uml-debug|uml-perf|x86-debug
#
# Built with kunit.py from Debian's linux-source-6.12 into the cache, and
# rebuilt only when the flavour's config fragments or the source change.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

flavor=${1:?usage: kernel.sh uml-debug|uml-perf|x86-debug}
cfgdir=$VTCP_ROOT/scripts/configs
case $flavor in
uml-debug|uml-perf)
	arch=um
	fragments=("$cfgdir/uml-common.config" "$cfgdir/$flavor.config")
	image=linux ;;
x86-debug)
	arch=x86_64
	fragments=("$cfgdir/$flavor.config")
	image=arch/x86/boot/bzImage ;;
*)	vtcp_die "unknown kernel flavour: $flavor" ;;
esac

vtcp_ksrc
# One build directory per config: trees with different configs (branches,
# worktrees) each keep theirs instead of rebuilding each other's.
stamp=$( (cat "${fragments[@]}"; dpkg-query -W -f='${Version}' linux-source-6.12 2>/dev/null) |
	 sha256sum | cut -d' ' -f1)
out=$VTCP_CACHE/$flavor-${stamp:0:12}
mkdir -p "$out"
# One build at a time per directory: a second caller waits for the first.
exec 9> "$out.lock"
flock 9
if [ -f "$out/$image" ] && [ "$(cat "$out/.vtcp-stamp" 2>/dev/null)" = "$stamp" ]; then
	echo "$out"
	exit 0
fi

kunitconfig=$out/vtcp.kunitconfig
cat "${fragments[@]}" > "$kunitconfig"
rm -f "$out/.vtcp-stamp"
vtcp_log "building the $flavor kernel in $out (10 to 20 minutes on 2 cores)"
args=(build --kunitconfig="$kunitconfig" --build_dir="$out" --jobs="$JOBS")
[ "$arch" = um ] || args+=(--arch="$arch")
if ! (cd "$KSRC" && python3 tools/testing/kunit/kunit.py "${args[@]}") > "$out/build.log" 2>&1; then
	tail -n 40 "$out/build.log" >&2
	vtcp_die "the $flavor kernel did not build; full log: $out/build.log"
fi
echo "$stamp" > "$out/.vtcp-stamp"
echo "$out"
