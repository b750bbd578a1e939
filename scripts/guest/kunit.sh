#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Guest job: run vtcp's KUnit suites. Loading vtcp_test.ko runs them and
# prints KTAP on the console, which the host parses with kunit.py.
echo "VTCP-KUNIT"
insmod "$VTCP_DIR/vtcp.ko" || exit 1
insmod "$VTCP_DIR/tests/vtcp_test.ko"
rc=$?
rmmod vtcp_test
rmmod vtcp || rc=1
exit $rc
