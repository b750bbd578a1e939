#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make style: checkpatch.pl --strict and sparse over the module.
#
#   checkpatch  the kernel's own script (from the cached linux-source-6.12)
#               over vtcp/, vtcp/tests/ and the UAPI header, file by file;
#   sparse      the module built with C=2 (every file checked, whether or
#               not it needs rebuilding) against the UML debug 6.12 tree and
#               against Debian's 6.1 headers.
#
# Prints every finding as file:line: what, and exits 1 if there was any.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

"$VTCP_ROOT/scripts/deps.sh" || exit 1
vtcp_ksrc
cd "$VTCP_ROOT" || exit 1
findings=0

# Checks that cannot apply to a module kept outside the kernel tree; each
# one says why. Everything else checkpatch --strict reports is a finding.
ignores=(
	# "added, moved or deleted file(s), does MAINTAINERS need updating?":
	# vtcp is not in the kernel tree, so it has no MAINTAINERS entry to
	# keep up to date. (Only raised on patches; listed for git-diff use.)
	FILE_PATH_CHANGES
)
files=(vtcp/*.c vtcp/*.h vtcp/tests/*.c vtcp/tests/*.h include/uapi/linux/vtcp.h)

echo "== checkpatch.pl --strict (${#files[@]} files)"
# --no-tree: there is no kernel tree around the sources for the checks
# that look things up in one.
out=$(perl "$KSRC/scripts/checkpatch.pl" --strict --no-tree --terse \
	--show-types --ignore "$(IFS=,; echo "${ignores[*]}")" -f "${files[@]}" 2>&1 |
	grep -E '^[^ ]+:[0-9]+: (ERROR|WARNING|CHECK):')
if [ -n "$out" ]; then
	echo "$out"
	n=$(echo "$out" | wc -l)
	findings=$((findings + n))
	echo "checkpatch: $n findings"
else
	echo "checkpatch: clean"
fi

# Build a copy of the module with sparse on every file; print what it and
# the compiler say, paths relative to the repository.
run_sparse() { # name kdir arch
	local name=$1 kdir=$2 arch=$3 dir=$VTCP_BUILD/style-$1 log n
	echo "== sparse against $name ($kdir)"
	mkdir -p "$dir"
	# As scripts/module.sh: sources mirrored, objects kept, so that only
	# what changed is compiled again (C=2 checks every file regardless).
	rsync -a --delete --exclude='*.o' --exclude='*.ko' --exclude='.*.cmd' \
		--exclude='*.mod*' --exclude='*.order' --exclude='*.symvers' \
		--filter='P *.o' --filter='P *.ko' --filter='P .*.cmd' --filter='P *.mod*' \
		--filter='P *.order' --filter='P *.symvers' \
		"$VTCP_ROOT/Kbuild" "$VTCP_ROOT/vtcp" "$VTCP_ROOT/include" "$dir/"
	log=$dir/sparse.log
	if ! make -C "$kdir" ARCH="$arch" M="$dir" C=2 CHECK=sparse -j"$JOBS" \
		modules > "$log" 2>&1; then
		cat "$log"
		echo "sparse ($name): the module did not build"
		findings=$((findings + 1))
		return
	fi
	out=$(grep -E '^[^ ]+:[0-9]+(:[0-9]+)?: (warning|error):' "$log" |
	      sed "s|$dir/||")
	if [ -n "$out" ]; then
		echo "$out"
		n=$(echo "$out" | wc -l)
		findings=$((findings + n))
		echo "sparse ($name): $n findings"
	else
		echo "sparse ($name): clean"
	fi
}

uml=$("$VTCP_ROOT/scripts/kernel.sh" uml-debug) || exit 1
run_sparse uml-debug-6.12 "$uml" um
[ -n "$DEB_KVER" ] || vtcp_die "no Debian 6.1 headers (linux-headers-amd64)"
run_sparse "debian-$DEB_KVER" "/lib/modules/$DEB_KVER/build" x86_64

if [ "$findings" -ne 0 ]; then
	echo "make style: $findings findings"
	exit 1
fi
echo "make style: clean"
