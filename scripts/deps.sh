#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Install the Debian packages vtcp's builds and tests need. Idempotent: does
# nothing when everything is there.
set -euo pipefail

pkgs=(
	make gcc libc6-dev rsync
	linux-source-6.12 bc flex bison libelf-dev libssl-dev python3 cpio kmod
	linux-headers-amd64 linux-image-amd64
	qemu-system-x86 busybox-static
	iproute2 ethtool iperf3 netcat-openbsd curl sparse
	# tools/net/ynl/cli.py of the kernel tree (genl_test)
	python3-yaml python3-jsonschema
	slirp4netns passt
)

missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
		missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	echo "[vtcp] missing packages: ${missing[*]}; run as root or: apt-get install ${missing[*]}" >&2
	exit 1
fi
echo "[vtcp] installing: ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
