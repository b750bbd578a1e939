# SPDX-License-Identifier: GPL-2.0
# Shared settings for vtcp's scripts; sourced, never run.

VTCP_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# Kernel trees and guest images live outside the repository so a second run
# on the same machine, or a fresh clone, reuses them.
VTCP_CACHE=${VTCP_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/vtcp}
VTCP_BUILD=${VTCP_BUILD:-$VTCP_ROOT/build}
KSRC_TARBALL=/usr/src/linux-source-6.12.tar.xz
KSRC=$VTCP_CACHE/linux-source-6.12
# Debian's stock kernel, for the QEMU guest.
DEB_KVER=$(ls -1 /lib/modules 2>/dev/null | grep -E '^6\.1\.[0-9]+-[0-9]+-amd64$' | sort -V | tail -n 1)
JOBS=${JOBS:-$(nproc)}

# VTCP_GUEST_LOCK=<file>: guests of several checkouts on one machine take
# turns, so timing-sensitive tests do not share the CPUs with another guest.
vtcp_guest_lock() {
	[ -n "${VTCP_GUEST_LOCK:-}" ] || return 0
	exec 8> "$VTCP_GUEST_LOCK"
	vtcp_log "waiting for $VTCP_GUEST_LOCK"
	flock 8
}

vtcp_log() { printf '[vtcp] %s\n' "$*" >&2; }
vtcp_die() { printf '[vtcp] error: %s\n' "$*" >&2; exit 1; }

# Unpack Debian's linux-source-6.12 once into the cache.
vtcp_ksrc() {
	if [ ! -f "$KSRC/.vtcp-unpacked" ]; then
		[ -f "$KSRC_TARBALL" ] || vtcp_die "$KSRC_TARBALL missing (run scripts/deps.sh)"
		vtcp_log "unpacking $KSRC_TARBALL into $VTCP_CACHE"
		mkdir -p "$VTCP_CACHE"
		rm -rf "$KSRC"
		tar -C "$VTCP_CACHE" -xf "$KSRC_TARBALL"
		touch "$KSRC/.vtcp-unpacked"
	fi
}

# Mirror the module's sources (Kbuild, vtcp/, include/) from $1 into $2 for
# an out-of-tree build there, keeping the objects an earlier build left so
# that only what changed is compiled again.
vtcp_mirror() { # from to
	mkdir -p "$2"
	rsync -a --delete --exclude='*.o' --exclude='*.ko' --exclude='.*.cmd' \
		--exclude='*.mod*' --exclude='*.order' --exclude='*.symvers' \
		--filter='P *.o' --filter='P *.ko' --filter='P .*.cmd' --filter='P *.mod*' \
		--filter='P *.order' --filter='P *.symvers' --filter='P house-probe/' \
		"$1/Kbuild" "$1/vtcp" "$1/include" "$2/"
}
