#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make check: every test of vtcp, in every guest, and one line at the end:
#   N passed, N failed
# KUnit runs in the UML debug guest (KASAN, lockdep, UBSAN, kmemleak); the
# selftests run there, in QEMU on Debian's stock 6.1 kernel, and in QEMU on
# an SMP 6.12 kernel with lockdep and KCSAN (two CPUs). Any failure,
# sanitizer report or leak makes the exit status non-zero.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

"$VTCP_ROOT/scripts/deps.sh" || exit 1
logs=$VTCP_BUILD/logs
rm -rf "$logs"
mkdir -p "$logs"

# Build everything first, so a build error stops the run before any guest.
for target in uml-debug x86-debug debian; do
	"$VTCP_ROOT/scripts/module.sh" "$target" > /dev/null || exit 1
done
make -s -C "$VTCP_ROOT/selftests" OUT="$VTCP_BUILD/selftests" || exit 1
# vtcpctl_test runs the tool from build/tools, beside build/selftests.
make -s -C "$VTCP_ROOT/tools" OUT="$VTCP_BUILD/tools" || exit 1

smp_tests=module_test,device_test,chardev_test,datapath_test,hostile_test,flood_test,netns_test,teardown_test,integrity_test,race_test
runs=(
	"uml.sh uml-debug kunit.sh $logs/uml-kunit.log"
	"uml.sh uml-debug selftests.sh $logs/uml-selftests.log VTCP_SELFTESTS=$VTCP_BUILD/selftests"
	"qemu.sh debian selftests.sh $logs/debian-selftests.log"
	# Software-emulated SMP is slow: the tests where two CPUs matter.
	"qemu.sh x86-debug selftests.sh $logs/x86-selftests.log VTCP_ONLY=$smp_tests"
)
# make check-long: the selftests' longer modes (VTCP_LONG) in every guest.
long=${VTCP_LONG:+VTCP_LONG=1}
passed=0 failed=0 skipped=0
for run in "${runs[@]}"; do
	# The console streams to stderr; the judge's verdict comes on stdout.
	# shellcheck disable=SC2086
	verdict=$("$VTCP_ROOT"/scripts/$run $long)
	printf '%s\n' "$verdict" >&2
	summary=$(printf '%s\n' "$verdict" | tail -n 1)
	if [[ $summary =~ ([0-9]+)\ passed,\ ([0-9]+)\ failed,\ ([0-9]+)\ skipped ]]; then
		passed=$((passed + BASH_REMATCH[1]))
		failed=$((failed + BASH_REMATCH[2]))
		skipped=$((skipped + BASH_REMATCH[3]))
	else
		echo "[vtcp] no result from: $run" >&2
		failed=$((failed + 1))
	fi
done

echo "[vtcp] logs in $logs; $skipped skipped" >&2
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
