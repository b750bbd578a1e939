#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make bench: vtcp's benchmarks, side by side, in one run of the perf UML
# guest (see Documentation/performance.rst).
#
# Installs what is missing, builds the perf kernel and vtcp for it if
# needed, builds the load generators (tools/bench), boots the guest with
# scripts/guest/bench.sh, and writes build/bench.json and build/bench.txt.
# Prints the table, and last the line
#
#   bench: V/L throughput=X rr=Y crr=Z; V/U throughput=W; mem/conn=B bytes
#
# X: geometric mean of V/L over the bulk cases (1 and 4 streams, both
#    directions, MTU 1500 and 65520), each the ratio of medians;
# Y: median 1-byte request/response latency, V/L: the worse of vtcp as the
#    server and vtcp as the client;
# Z: connections per second (connect, 1-byte exchange, close), V/L: the
#    worse of the same two;
# W: geometric mean of V/U over the bulk cases, U the fastest userspace
#    terminator that ran (slirp4netns or pasta);
# B: kernel memory of one idle established vtcp connection, including its
#    file: the larger of its figures at 10k and 100k connections.
#
# Timing never fails the run: the exit status is non-zero only when the
# benchmark could not run. Settings (environment, for shorter runs):
# VTCP_BENCH_ONLY=mem,bulk,relay,rr,crr VTCP_BENCH_RUNS=5 VTCP_BENCH_MS=1000
# VTCP_BENCH_WARM_MS=250 VTCP_BENCH_K=10000,100000 VTCP_BENCH_MTUS=1500,65520
# VTCP_BENCH_STREAMS=1,4 VTCP_BENCH_U=slirp4netns,pasta; VTCP_UML_MEM (guest
# memory, default 3G).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

"$VTCP_ROOT/scripts/deps.sh" || vtcp_die "missing packages (see above)"
kdir=$("$VTCP_ROOT/scripts/kernel.sh" uml-perf)
"$VTCP_ROOT/scripts/module.sh" uml-perf > /dev/null
make -s -C "$VTCP_ROOT/tools/bench" OUT="$VTCP_BUILD/bench" ||
	vtcp_die "the load generators did not build"

logs=$VTCP_BUILD/logs
log=$logs/bench.log
mkdir -p "$logs"
stamp=$(cut -c1-12 "$kdir/.vtcp-stamp")
args=(slab_nomerge VTCP_BENCH_FLAVOR=uml-perf "VTCP_BENCH_CONFIG=$stamp")
for v in VTCP_BENCH_ONLY VTCP_BENCH_RUNS VTCP_BENCH_MS VTCP_BENCH_WARM_MS \
	 VTCP_BENCH_K VTCP_BENCH_MTUS VTCP_BENCH_STREAMS VTCP_BENCH_U; do
	[ -n "${!v:-}" ] && args+=("$v=${!v}")
done

# slab_nomerge: vtcp's caches keep their names in /proc/slabinfo.
set +e
VTCP_UML_MEM=${VTCP_UML_MEM:-3G} VTCP_GUEST_TIMEOUT=${VTCP_GUEST_TIMEOUT:-2400} \
	"$VTCP_ROOT/scripts/uml.sh" uml-perf bench.sh "$log" "${args[@]}" >&2
judged=$?
set -e
[ "$judged" -eq 0 ] ||
	vtcp_log "warning: the guest's console shows problems (see $log); the figures are still reported"

python3 - "$log" "$VTCP_BUILD" "$VTCP_ROOT" "$kdir" <<'PY'
import json, os, sys
log, build, root, kdir = sys.argv[1:5]
lines = open(log, errors="replace").read().splitlines()
js = [l[len("VTCP-BENCH-JSON: "):] for l in lines if l.startswith("VTCP-BENCH-JSON: ")]
try:
    b = lines.index("VTCP-BENCH-TABLE-BEGIN")
    e = lines.index("VTCP-BENCH-TABLE-END")
except ValueError:
    sys.exit("[vtcp] the guest printed no benchmark results (see %s)" % log)
data = json.loads("\n".join(js))
cfg = []
for f in ("uml-common.config", "uml-perf.config"):
    cfg += [l for l in open(os.path.join(root, "scripts/configs", f)).read().splitlines()
            if l.startswith("CONFIG_")]
data["meta"]["config_options"] = cfg
data["meta"]["kernel_build_dir"] = kdir
data["meta"]["host"] = {"cpus": os.cpu_count(), "cpu": next(
    (l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")}
json.dump(data, open(os.path.join(build, "bench.json"), "w"), indent=1)
table = "\n".join(lines[b + 1:e])
open(os.path.join(build, "bench.txt"), "w").write(table + "\n")
print(table)
print()
print("[vtcp] JSON in %s/bench.json, console in %s" % (build, log))
bench = [l for l in lines if l.startswith("bench: ")]
print(bench[-1] if bench else "bench: no summary line")
PY
