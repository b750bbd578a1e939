#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Guest job for investigations: load vtcp and run the shell script named by
# $VTCP_SCRIPT (a path the guest sees), printing its output between TAP
# markers so the judge counts it as one case that passed if it exited 0.
insmod "$VTCP_DIR/vtcp.ko" || exit 1
echo "VTCP-TAP-BEGIN script"
sh "$VTCP_SCRIPT" 2>&1
rc=$?
if [ $rc -eq 0 ]; then echo "ok 1 script"; else echo "not ok 1 script"; fi
echo "VTCP-TAP-END script $rc"
rmmod vtcp
