#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Generate the generic netlink family's code from its YNL spec,
# Documentation/netlink/specs/vtcp.yaml, with the kernel's own generator
# (tools/net/ynl/ynl-gen-c.py of the cached linux-source-6.12), as the
# kernel generates its families' (tools/net/ynl/ynl-regen.sh):
#
#   vtcp/api/genl-gen.c, genl-gen.h      the policies, the ops table and
#                                        the family (--mode kernel)
#   include/uapi/linux/vtcp_netlink.h    the family's enums (--mode uapi)
#
# Written into the tree, or under OUTDIR if given (make style regenerates
# there and insists on identical files: the generated code is never
# edited by hand). The generator finds its schema beside the spec and the
# "kernel root" by a MAINTAINERS file, so it runs in a scratch tree laid
# out as the kernel's.
#
# The kernel's generator accepts one license, its own families' (GPL-2.0
# WITH Linux-syscall-note OR BSD-3-Clause); vtcp's UAPI is (GPL-2.0 WITH
# Linux-syscall-note) OR MIT, which the spec says. The scratch copy of
# the spec carries the accepted line, and the generated files get the
# spec's back: the SPDX line is the only difference.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

vtcp_ksrc
out=${1:-$VTCP_ROOT}
gen=$KSRC/tools/net/ynl/ynl-gen-c.py
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

mkdir -p "$tmp/Documentation/netlink/specs" "$out/vtcp/api" \
	"$out/include/uapi/linux"
: > "$tmp/MAINTAINERS"
cp "$KSRC/Documentation/netlink/genetlink.yaml" "$tmp/Documentation/netlink/"
ours='((GPL-2.0 WITH Linux-syscall-note) OR MIT)'
theirs='((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause)'
grep -qF "SPDX-License-Identifier: $ours" \
	"$VTCP_ROOT/Documentation/netlink/specs/vtcp.yaml" ||
	vtcp_die "vtcp.yaml: the license must be $ours"
sed "1s|.*|# SPDX-License-Identifier: $theirs|" \
	"$VTCP_ROOT/Documentation/netlink/specs/vtcp.yaml" \
	> "$tmp/Documentation/netlink/specs/vtcp.yaml"
spec=Documentation/netlink/specs/vtcp.yaml

run() { # out-file args...
	local f=$1
	shift
	# The source includes the header by the name of its own file.
	(cd "$tmp" && python3 "$gen" --spec "$spec" "$@" \
		-o "$tmp/${f##*/}")
	sed "1s|$theirs|$ours|" "$tmp/${f##*/}" > "$f"
}

run "$out/vtcp/api/genl-gen.c" --mode kernel --source
run "$out/vtcp/api/genl-gen.h" --mode kernel --header
run "$out/include/uapi/linux/vtcp_netlink.h" --mode uapi --header
