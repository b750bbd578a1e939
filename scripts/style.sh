#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make style: checkpatch.pl --strict, sparse and the house rules over the
# module.
#
#   checkpatch  the kernel's own script (from the cached linux-source-6.12)
#               over vtcp/ (every folder) and the UAPI header, file by file;
#   sparse      the module built with C=2 (every file checked, whether or
#               not it needs rebuilding) against the UML debug 6.12 tree and
#               against Debian's 6.1 headers;
#   the house   scripts/house.py: file and function sizes, and the engine's
#               I/O-free rule (its includes, every header it is compiled
#               with, every symbol it calls) against both builds; then the
#               same checks on a copy with a forbidden include and a
#               forbidden call put in, which must fail, so the rule is
#               known to bite;
#   generated   the netlink code generated from vtcp.yaml (genl-gen.sh)
#               generated again must be the committed files, byte for
#               byte: it is the kernel's generator's, never edited (and so
#               left out of checkpatch, as the kernel's generated files).
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
files=(vtcp/*.[ch] vtcp/*/*.[ch] include/uapi/linux/vtcp.h)
# An in-tree "make" leaves kbuild's generated *.mod.c behind: not ours.
files=($(printf '%s\n' "${files[@]}" | grep -v '\.mod\.c$' | grep -v 'genl-gen\.[ch]$'))

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
	# As scripts/module.sh: objects kept, so that only what changed is
	# compiled again (C=2 checks every file regardless).
	vtcp_mirror "$VTCP_ROOT" "$dir"
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
	house_build "$name" "$kdir" "$arch" "$dir"
}

# The engine's I/O-free rule against one build: every header its objects
# were compiled with, every symbol they call. The allowed headers' own
# closure comes from a probe that includes exactly them.
house_build() { # name kdir arch dir
	local name=$1 kdir=$2 arch=$3 dir=$4 probe=$4/house-probe out
	mkdir -p "$probe"
	grep -v '^#' "$VTCP_ROOT/scripts/house/engine-headers.allow" | grep . |
		sed 's|.*|#if __has_include(<&>)\n#include <&>\n#endif|' > "$probe/probe.c"
	if ! make -C "$kdir" ARCH="$arch" M="$dir" house-probe/probe.o \
		> "$probe/build.log" 2>&1; then
		cat "$probe/build.log"
		echo "house ($name): the header probe did not build"
		findings=$((findings + 1))
		return
	fi
	for check in "closure $dir $probe/.probe.o.cmd" "symbols $dir"; do
		# shellcheck disable=SC2086
		if ! out=$(python3 "$VTCP_ROOT/scripts/house.py" $check); then
			echo "$out"
			findings=$((findings + $(echo "$out" | wc -l)))
			echo "house ($name): ${check%% *}: findings above"
		else
			echo "house ($name): ${check%% *}: clean"
		fi
	done
}

# The rule must bite: a copy with a forbidden include (which the direct
# check and the closure check must each catch) and with a call declared by
# hand (which only the symbol check can catch) must fail all three.
house_bites() { # kdir arch
	local kdir=$1 arch=$2 copy=$VTCP_BUILD/style-house-bites probe
	vtcp_mirror "$VTCP_ROOT" "$copy"
	sed -i 's|^#include <linux/types.h>|#include <linux/types.h>\n#include <net/sock.h>|' \
		"$copy/vtcp/engine/seq.h"
	cat >> "$copy/vtcp/engine/rtt.c" <<-'EOF'

	struct miscdevice;
	int misc_register(struct miscdevice *misc);
	int vtcp_house_bites(struct miscdevice *misc);
	int vtcp_house_bites(struct miscdevice *misc) { return misc_register(misc); }
	EOF
	probe=$VTCP_BUILD/style-debian-$DEB_KVER/house-probe/.probe.o.cmd
	# Outputs taken whole, not piped into grep -q: a reader that stops
	# early would fail the writer under pipefail.
	local inc="" clo="" sym=""
	if make -C "$kdir" ARCH="$arch" M="$copy" -j"$JOBS" modules \
		> "$copy/build.log" 2>&1; then
		inc=$(VTCP_HOUSE_ROOT=$copy python3 "$VTCP_ROOT/scripts/house.py" includes)
		clo=$(python3 "$VTCP_ROOT/scripts/house.py" closure "$copy" "$probe")
		sym=$(python3 "$VTCP_ROOT/scripts/house.py" symbols "$copy")
	fi
	if grep -q 'engine/seq.h:.*<net/sock.h>' <<< "$inc" &&
	   grep -q 'compiled with .*include/net/sock.h' <<< "$clo" &&
	   grep -q 'engine/rtt.c: calls misc_register' <<< "$sym"; then
		echo "house: a forbidden include and a forbidden call are each caught"
	else
		echo "house: the engine's rule did not catch a forbidden include or call (see $copy)"
		findings=$((findings + 1))
	fi
}

uml=$("$VTCP_ROOT/scripts/kernel.sh" uml-debug) || exit 1
run_sparse uml-debug-6.12 "$uml" um
[ -n "$DEB_KVER" ] || vtcp_die "no Debian 6.1 headers (linux-headers-amd64)"
run_sparse "debian-$DEB_KVER" "/lib/modules/$DEB_KVER/build" x86_64

echo "== the house (scripts/house.py)"
for check in sizes includes; do
	if ! out=$(python3 "$VTCP_ROOT/scripts/house.py" $check); then
		echo "$out"
		findings=$((findings + $(echo "$out" | wc -l)))
	else
		echo "house: $check: clean"
	fi
done
house_bites "/lib/modules/$DEB_KVER/build" x86_64

echo "== generated netlink code (scripts/genl-gen.sh)"
gen=$VTCP_BUILD/style-genl
rm -rf "$gen"
if ! "$VTCP_ROOT/scripts/genl-gen.sh" "$gen"; then
	echo "genl-gen.sh: failed"
	findings=$((findings + 1))
else
	for f in vtcp/api/genl-gen.c vtcp/api/genl-gen.h \
		 include/uapi/linux/vtcp_netlink.h; do
		if ! diff -u "$VTCP_ROOT/$f" "$gen/$f"; then
			echo "$f: not what vtcp.yaml generates (run scripts/genl-gen.sh)"
			findings=$((findings + 1))
		fi
	done
	echo "generated: checked"
fi

if [ "$findings" -ne 0 ]; then
	echo "make style: $findings findings"
	exit 1
fi
echo "make style: clean"
