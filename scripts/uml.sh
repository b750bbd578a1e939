#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Boot a UML guest that runs one job and judge its console.
#
#   scripts/uml.sh <uml-debug|uml-perf> <job> <log> [VAR=value ...]
#
# The guest's root is the host's, read-only over hostfs, with tmpfs where it
# must write. The console streams to stdout and to <log>; the exit status is
# that of scripts/judge.py (sanitizer reports, result marker, kmemleak).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

flavor=${1:?usage: uml.sh <flavour> <job> <log> [VAR=value ...]}
job=$2
log=$3
shift 3

kdir=$("$VTCP_ROOT/scripts/kernel.sh" "$flavor")
moddir=$("$VTCP_ROOT/scripts/module.sh" "$flavor")
mkdir -p "$(dirname "$log")"
mem=${VTCP_UML_MEM:-2G}
timeout=${VTCP_GUEST_TIMEOUT:-1800}

# The kernel command line carries these paths: a space would split them.
case "$VTCP_ROOT $VTCP_BUILD $VTCP_CACHE $moddir" in
*[[:space:]]*[[:space:]]*[[:space:]]*[[:space:]]*)
	vtcp_die "the UML guest cannot reach a checkout, build folder or cache whose path has a space: $VTCP_ROOT, $VTCP_BUILD, $VTCP_CACHE" ;;
esac
vtcp_guest_lock
vtcp_log "booting $flavor UML guest for $(basename "$job") (console in $log)"
# UML keeps its memory in a file under TMPDIR; give every guest its own.
umltmp=$(mktemp -d)
trap 'rm -rf "$umltmp"' EXIT
set +e
TMPDIR=$umltmp timeout --foreground -k 10 "$timeout" \
	"$kdir/linux" mem="$mem" rootfstype=hostfs ro slab_nomerge \
	init="$VTCP_ROOT/scripts/guest/init.sh" \
	VTCP_JOB="$VTCP_ROOT/scripts/guest/$job" VTCP_DIR="$moddir/vtcp" \
	VTCP_ROOT="$VTCP_ROOT" VTCP_BUILD="$VTCP_BUILD" VTCP_CACHE="$VTCP_CACHE" "$@" \
	con=null con0=fd:0,fd:1 </dev/null 2>&1 | tee "$log" |
	sed -u 's/^/  | /' >&2
rc=${PIPESTATUS[0]}
set -e
[ "$rc" -eq 124 ] && echo "VTCP-TIMEOUT: guest killed after ${timeout}s" >> "$log"
exec python3 "$VTCP_ROOT/scripts/judge.py" "$log"
