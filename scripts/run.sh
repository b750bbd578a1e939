#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make run: the live demonstration. On a fresh machine it installs what is
# missing (scripts/deps.sh), builds the UML debug kernel (cached under
# ~/.cache/vtcp; 10-18 minutes the first time) and vtcp.ko, builds
# vtcpctl, and boots a UML guest whose job, scripts/guest/demo.sh, has the
# host's curl and nc talk to servers on /dev/vtcp.
#
# The console shows the demonstration from the moment the guest's job
# starts (the boot messages are only in the log). Exit status 0 only when
# every step of the demonstration passed and the guest's console had no
# sanitizer report (scripts/judge.py).
set -uo pipefail
. "$(dirname "$0")/lib.sh"

flavor=uml-debug
log=$VTCP_BUILD/logs/demo.log
mkdir -p "$(dirname "$log")"

vtcp_log "checking the packages vtcp needs"
"$VTCP_ROOT/scripts/deps.sh" || exit 1
vtcp_log "the $flavor guest kernel (built once, then cached in $VTCP_CACHE)"
"$VTCP_ROOT/scripts/kernel.sh" "$flavor" > /dev/null || exit 1
vtcp_log "vtcp.ko for it"
"$VTCP_ROOT/scripts/module.sh" "$flavor" > /dev/null || exit 1
vtcp_log "vtcpctl"
make -s -C "$VTCP_ROOT/tools" OUT="$VTCP_BUILD/tools" || exit 1

# uml.sh streams the console, each line prefixed with "  | ", to stderr:
# show it without the prefix from the job's first line to its end.
"$VTCP_ROOT/scripts/uml.sh" "$flavor" demo.sh "$log" \
	VTCP_TOOLS="$VTCP_BUILD/tools" 2>&1 |
	awk '
		/^  \| / {
			line = substr($0, 5)
			sub(/\r$/, "", line)
			if (line ~ /^VTCP-GUEST:/)
				shown = 1
			if (shown)
				print line
			if (line ~ /^VTCP-JOB-EXIT:/)
				shown = 0
			fflush()
			next
		}
		{ print; fflush() }
	'
rc=${PIPESTATUS[0]}

if [ "$rc" -eq 0 ] && grep -q '^VTCP-DEMO: ok' "$log"; then
	vtcp_log "the demonstration worked (console log: $log)"
	exit 0
fi
if ! grep -q '^VTCP-GUEST:' "$log"; then
	vtcp_log "the guest did not reach its job; the end of its console:"
	tail -n 30 "$log" >&2
fi
vtcp_die "the demonstration failed (console log: $log)"
