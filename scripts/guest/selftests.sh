#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Guest job: run every selftest binary in $VTCP_SELFTESTS (or those named in
# $VTCP_ONLY, comma-separated: a space would split the kernel parameter),
# each with the arguments in $VTCP_ARGS, comma-separated too (for example
# VTCP_ARGS=-r,impair.loss_1.vtcp_to_host to run one case of the harness).
# Each binary's TAP sits between VTCP-TAP-BEGIN/END markers; its
# output is collected in a file first so kernel messages on the console never
# split a TAP line. vtcp is loaded before each binary and must unload after
# it: a module that cannot unload is a failure of its own.
dir=${VTCP_SELFTESTS:-$VTCP_DIR/../../selftests}
[ -e /var/run ] || ln -s /run /var/run
mkdir -p /run/netns

tap_case() { # name status
	echo "VTCP-TAP-BEGIN $1"
	if [ "$2" -eq 0 ]; then echo "ok 1 $1"; else echo "not ok 1 $1"; fi
	echo "VTCP-TAP-END $1 $2"
}

for t in $(echo "${VTCP_ONLY:-$(ls "$dir")}" | tr ',' ' '); do
	[ -x "$dir/$t" ] || continue
	insmod "$VTCP_DIR/vtcp.ko" 2>/dev/null
	out=/tmp/$t.tap
	( cd /tmp && "$dir/$t" $(echo "$VTCP_ARGS" | tr "," " ") ) > $out 2>&1
	rc=$?
	echo "VTCP-TAP-BEGIN $t"
	cat $out
	echo "VTCP-TAP-END $t $rc"
	if [ -e /sys/module/vtcp ]; then
		rmmod vtcp
		tap_case "module_unloads_after_$t" $?
	fi
done
exit 0
