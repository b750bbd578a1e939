#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""vtcp's benchmarks inside the perf guest (run by scripts/guest/bench.sh).

Every figure is measured on three paths side by side, in one guest run,
runs of the different paths interleaved so that whatever else loads the
machine loads them alike:

  L  host socket to host socket over lo (the ceiling);
  V  host socket through vtcp0 to a /dev/vtcp handle, both directions;
  U  a client in a network namespace behind slirp4netns or pasta, to a
     host socket on the guest's loopback (the userspace terminators).

The load generators are tools/bench (vtcp-bench-server, -client, -hold).
Output, on the console: the table between VTCP-BENCH-TABLE-BEGIN/END and
the JSON between VTCP-BENCH-JSON-BEGIN/END; scripts/bench.sh writes them
to build/.
"""
import json
import math
import os
import platform
import re
import shutil
import subprocess
import sys
import time

ROOT = os.environ.get("VTCP_ROOT", os.path.dirname(os.path.dirname(
    os.path.dirname(os.path.abspath(__file__)))))
BUILD = os.environ.get("VTCP_BUILD", os.path.join(ROOT, "build"))
BIN = os.path.join(BUILD, "bench")
SERVER = os.path.join(BIN, "vtcp-bench-server")
CLIENT = os.path.join(BIN, "vtcp-bench-client")
HOLD = os.path.join(BIN, "vtcp-bench-hold")
PROBE = os.path.join(BIN, "vtcp-bench-probe")

RUNS = int(os.environ.get("VTCP_BENCH_RUNS", "5"))
MEASURE_MS = int(os.environ.get("VTCP_BENCH_MS", "1000"))
WARM_MS = int(os.environ.get("VTCP_BENCH_WARM_MS", "250"))
ONLY = os.environ.get("VTCP_BENCH_ONLY", "mem,bulk,relay,rr,crr").split(",")
MEM_K = [int(k) for k in os.environ.get("VTCP_BENCH_K", "10000,100000").split(",")]
MTUS = [int(m) for m in os.environ.get("VTCP_BENCH_MTUS", "1500,65520").split(",")]
STREAMS = [int(s) for s in os.environ.get("VTCP_BENCH_STREAMS", "1,4").split(",")]
TERMINATORS = [t for t in os.environ.get("VTCP_BENCH_U", "slirp4netns,pasta").split(",") if t]
BUFSIZE = 128 << 10
RR_MTU = 65520

HOST4 = "192.0.2.1"      # the host's address on vtcp0
VTCP4 = "192.0.2.2"      # an address vtcp answers
ROTATE = 4096            # connections per address in CRR runs
CONNECT_FD_LPORT = 9     # V-vc's listener: a port nobody connects to

_port = 20000


def next_port():
    global _port
    _port += 1
    return _port


def log(msg):
    print(f"VTCP-BENCH: {msg}", flush=True)


def sh(cmd, check=False):
    """Run a shell command; its output, or None when it failed."""
    p = subprocess.run(cmd, shell=True, stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, text=True)
    if p.returncode and check:
        raise RuntimeError(f"{cmd}: {p.stdout.strip()}")
    return p.stdout if p.returncode == 0 else None


def stats(values):
    """Median, min, max of the runs that produced a value."""
    vals = sorted(v for v in values if v is not None)
    if not vals:
        return None
    n = len(vals)
    med = vals[n // 2] if n % 2 else (vals[n // 2 - 1] + vals[n // 2]) / 2
    return {"median": med, "min": vals[0], "max": vals[-1], "runs": n,
            "values": values}


def geomean(values):
    vals = [v for v in values if v]
    if not vals:
        return None
    return math.exp(sum(math.log(v) for v in vals) / len(vals))


def med(s):
    return s["median"] if s else None


def ratio(a, b):
    return a / b if a and b else None


# --- counters that say where time goes --------------------------------------

def ethtool_stats(dev="vtcp0"):
    out = sh(f"ethtool -S {dev}") or ""
    res = {}
    for line in out.splitlines():
        m = re.match(r"\s*(\S+):\s*(\d+)$", line)
        if m:
            res[m.group(1)] = int(m.group(2))
    for d in (dev, "lo"):
        for f in ("rx_packets", "tx_packets", "rx_bytes", "tx_bytes",
                  "rx_dropped", "tx_dropped"):
            try:
                res[f"{d}_{f}"] = int(open(f"/sys/class/net/{d}/statistics/{f}").read())
            except OSError:
                pass
    return res


def snmp():
    """TCP counters of the host stack (/proc/net/snmp and netstat)."""
    res = {}
    for path in ("/proc/net/snmp", "/proc/net/netstat"):
        try:
            lines = open(path).read().splitlines()
        except OSError:
            continue
        for head, vals in zip(lines[0::2], lines[1::2]):
            names = head.split()
            values = vals.split()
            if names[0] not in ("Tcp:", "TcpExt:"):
                continue
            for n, v in zip(names[1:], values[1:]):
                try:
                    res[n] = int(v)
                except ValueError:
                    pass
    return res


def softirqs():
    """NET_RX/NET_TX/TIMER/HRTIMER softirq counts."""
    res = {}
    try:
        for line in open("/proc/softirqs"):
            parts = line.split()
            if parts and parts[0].rstrip(":") in ("NET_TX", "NET_RX", "TIMER",
                                                  "HRTIMER", "TASKLET"):
                res[parts[0].rstrip(":")] = sum(int(x) for x in parts[1:])
    except OSError:
        pass
    return res


def delta(a, b):
    return {k: b[k] - a.get(k, 0) for k in b if b[k] - a.get(k, 0)}


# --- terminators ------------------------------------------------------------

class Terminator:
    """A userspace terminator for the namespace a U client runs in."""

    def __init__(self, name):
        self.name = name
        self.prefix = None
        self.dest = None
        self.why = None
        self.procs = []

    def ok(self):
        return self.prefix is not None


def wait_for(cond, timeout=10.0):
    end = time.time() + timeout
    while time.time() < end:
        if cond():
            return True
        time.sleep(0.05)
    return False


def start_slirp(mtu):
    t = Terminator("slirp4netns")
    if not shutil.which("slirp4netns"):
        t.why = "slirp4netns is not installed (Debian package slirp4netns)"
        return t
    ns = subprocess.Popen(["unshare", "--net", "sleep", "100000"])
    t.procs.append(ns)
    time.sleep(0.2)
    if ns.poll() is not None:
        t.why = f"unshare --net failed (exit {ns.returncode})"
        return t
    errfile = f"/tmp/slirp4netns-{mtu}.log"
    slirp = subprocess.Popen(["slirp4netns", "--configure", f"--mtu={mtu}",
                              str(ns.pid), "tap0"],
                             stdout=open(errfile, "w"), stderr=subprocess.STDOUT)
    t.procs.insert(0, slirp)
    prefix = ["nsenter", "-t", str(ns.pid), "-n"]
    up = wait_for(lambda: "10.0.2.100" in (sh(" ".join(prefix) + " ip -4 addr show tap0") or ""))
    if not up:
        t.why = "slirp4netns did not configure tap0: " + \
            open(errfile).read().strip().replace("\n", " / ")[:300]
        stop_terminator(t)
        return t
    sh(" ".join(prefix) + " ip link set lo up")
    t.prefix = prefix
    t.dest = "10.0.2.2"
    return t


def start_pasta(mtu):
    t = Terminator("pasta")
    if not shutil.which("pasta"):
        t.why = "pasta is not installed (Debian package passt)"
        return t
    # pasta copies the addresses and routes of a template interface: a
    # veth end with an address and the default route will do.
    if not os.path.exists("/sys/class/net/bpt0"):
        sh("ip link add bpt0 type veth peer name bpt1 && "
           "ip addr add 198.51.100.1/24 dev bpt0 && ip link set bpt0 up && "
           "ip link set bpt1 up && ip route add default via 198.51.100.254 dev bpt0",
           check=False)
    ns = f"bpasta{mtu}"
    sh(f"ip netns del {ns} 2>/dev/null")
    if sh(f"ip netns add {ns}") is None:
        t.why = "ip netns add failed"
        return t
    pidfile = f"/tmp/pasta-{mtu}.pid"
    errfile = f"/tmp/pasta-{mtu}.log"
    p = subprocess.run(["pasta", "-4", "--runas", "0", "--config-net", "-q",
                        "-m", str(mtu), "-P", pidfile, "--netns", ns],
                       stdout=open(errfile, "w"), stderr=subprocess.STDOUT)
    if p.returncode != 0:
        t.why = f"pasta exited with {p.returncode}: " + \
            open(errfile).read().strip().replace("\n", " / ")[:300]
        sh(f"ip netns del {ns}")
        return t
    t.pidfile = pidfile
    t.netns = ns
    prefix = ["ip", "netns", "exec", ns]
    route = sh(" ".join(prefix) + " ip -4 route show default") or ""
    m = re.search(r"via (\S+)", route)
    if not m:
        t.why = "pasta left no default route in the namespace"
        stop_terminator(t)
        return t
    sh(" ".join(prefix) + " ip link set lo up")
    t.prefix = prefix
    t.dest = m.group(1)
    return t


def starters():
    return [f for n, f in (("slirp4netns", start_slirp), ("pasta", start_pasta))
            if n in TERMINATORS]


def stop_terminator(t):
    for p in t.procs:
        if p.poll() is None:
            p.terminate()
            try:
                p.wait(5)
            except subprocess.TimeoutExpired:
                p.kill()
    if getattr(t, "pidfile", None):
        try:
            pid = int(open(t.pidfile).read())
            os.kill(pid, 15)
        except (OSError, ValueError):
            pass
    if getattr(t, "netns", None):
        time.sleep(0.2)
        sh(f"ip netns del {t.netns}")
    t.prefix = None


def set_mtu(mtu):
    sh(f"ip link set dev lo mtu {mtu}", check=True)
    sh(f"ip link set dev vtcp0 mtu {mtu}", check=True)


# --- one run of a client and a server ---------------------------------------

def parse_json_lines(text):
    res = []
    for line in text.splitlines():
        line = line.strip()
        if line.startswith("{"):
            try:
                res.append(json.loads(line))
            except ValueError:
                pass
    return res


def run_pair(server, client, timeout):
    """Start the server, wait for "ready", run the client; both JSON lines."""
    srv = subprocess.Popen(server, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, text=True)
    ready = srv.stdout.readline().strip()
    if ready != "ready":
        srv.kill()
        _, err = srv.communicate()
        return None, f"server did not start: {err.strip()[:300]}"
    cli = subprocess.Popen(client, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, text=True)
    err = None
    try:
        cout, cerr = cli.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        cli.kill()
        cout, cerr = cli.communicate()
        err = "client timed out"
    try:
        sout, serr = srv.communicate(timeout=10 if err is None else 1)
    except subprocess.TimeoutExpired:
        srv.kill()
        sout, serr = srv.communicate()
        err = err or "server timed out"
    if cli.returncode and not err:
        err = f"client failed: {cerr.strip()[:300]}"
    if srv.returncode and not err:
        err = f"server failed: {serr.strip()[:300]}"
    return parse_json_lines(sout) + parse_json_lines(cout), err


class Path:
    """Where the two ends live, and what they are."""

    def __init__(self, name, skind="host", ckind="host", dest="127.0.0.1",
                 laddr=None, prefix=None, rotate=None, cextra=None):
        self.name = name
        self.skind = skind
        self.ckind = ckind
        self.dest = dest
        self.laddr = laddr
        self.prefix = prefix or []
        self.rotate = rotate     # (base address, every) for CRR
        self.cextra = cextra or []

    def cmds(self, port, smode, cmode, extra):
        s = [SERVER, "-k", self.skind, "-p", str(port), "-m", smode] + extra
        c = self.prefix + [CLIENT, "-k", self.ckind, "-p", str(port),
                           "-m", cmode] + extra + self.cextra
        if self.skind == "vtcp":
            s.append("-i")
        if self.ckind == "vtcp":
            c.append("-i")
        if cmode == "crr" and self.rotate:
            base, every = self.rotate
            if self.ckind == "vtcp":
                c += ["-l", base, "-c", self.dest, "-r", str(every)]
            else:
                c += ["-c", base, "-r", str(every)]
        else:
            c += ["-c", self.dest]
            if self.laddr:
                c += ["-l", self.laddr]
        return s, c


def one_run(path, smode, cmode, extra, want_role):
    port = next_port()
    s, c = path.cmds(port, smode, cmode, extra)
    e0, n0, q0 = ethtool_stats(), snmp(), softirqs()
    timeout = (WARM_MS + MEASURE_MS) / 1000 + 60
    results, err = run_pair(s, c, timeout)
    e1, n1, q1 = ethtool_stats(), snmp(), softirqs()
    res = next((r for r in results or [] if r.get("role") == want_role), None)
    if res is None:
        return {"error": err or "no result"}
    for r in results:
        if r is not res and "info" in r:
            res["peer_info"] = r["info"]
    if err:
        res["warning"] = err
    res["dev"] = delta(e0, e1)
    res["tcp"] = {k: v for k, v in delta(n0, n1).items() if k in (
        "RetransSegs", "InSegs", "OutSegs", "TCPOFOQueue", "PruneCalled",
        "TCPRcvCollapsed", "TCPBacklogDrop", "DelayedACKs", "TCPLostRetransmit",
        "TCPFastRetrans", "TCPTimeouts", "TCPSackRecovery", "TCPDSACKRecv",
        "TCPRcvQDrop", "TCPZeroWindowDrop", "TCPToZeroWindowAdv",
        "TCPFromZeroWindowAdv", "TCPWantZeroWindowAdv", "TCPHPHits",
        "TCPPureAcks", "TCPHPAcks", "TCPDelivered", "TW", "TWRecycled",
        "TCPAbortOnData", "TCPAbortOnClose", "ActiveOpens", "PassiveOpens",
        "EstabResets", "OutRsts")}
    res["softirqs"] = delta(q0, q1)
    return res


# --- the phases -------------------------------------------------------------

def bulk_phase(out):
    out["bulk"] = []
    for mtu in MTUS:
        set_mtu(mtu)
        terms = []
        for start in starters():
            t = start(mtu)
            terms.append(t)
            out["terminators"].setdefault(t.name, {})[str(mtu)] = \
                {"runs": t.ok(), "why": t.why, "dest": t.dest}
            log(f"{t.name} at MTU {mtu}: " + ("running" if t.ok() else f"cannot run: {t.why}"))
        paths = [Path("L"), Path("V", skind="vtcp", dest=VTCP4)]
        for t in terms:
            if t.ok():
                paths.append(Path("U-" + t.name, dest=t.dest, prefix=t.prefix))
        for streams in STREAMS:
            for direction in ("h2v", "v2h"):
                smode, cmode = ("recv", "send") if direction == "h2v" else ("send", "recv")
                case = {"dir": direction, "mtu": mtu, "streams": streams,
                        "paths": {p.name: [] for p in paths}}
                extra = ["-n", str(streams), "-w", str(WARM_MS),
                         "-t", str(MEASURE_MS), "-B", str(BUFSIZE)]
                for run in range(RUNS):
                    for p in paths:
                        r = one_run(p, smode, cmode, extra, "recv")
                        case["paths"][p.name].append(r)
                summarize_bulk(case)
                out["bulk"].append(case)
                log(f"bulk {direction} mtu {mtu} x{streams}: " + ", ".join(
                    f"{n} {fmt(med(s['gbps']))}" for n, s in case["summary"].items()))
        for t in terms:
            if t.ok():
                stop_terminator(t)


def summarize_bulk(case):
    case["summary"] = {}
    for name, runs in case["paths"].items():
        g = [r.get("gbps") for r in runs]
        cpu = []
        for r in runs:
            if r.get("bytes") and "cpu" in r:
                cpu.append(r["cpu"]["busy_s"] / (r["bytes"] / 2 ** 30))
            else:
                cpu.append(None)
        errors = [r["error"] for r in runs if "error" in r]

        def per_gib(f):
            return stats([f(r) / (r["bytes"] / 2 ** 30) if r.get("bytes") else None
                          for r in runs])
        # Counters that say where the time goes: context switches, and
        # packets on the path (lo, or vtcp0 both ways), per GiB received.
        dev = "vtcp0" if name == "V" else "lo"
        case["summary"][name] = {
            "gbps": stats(g), "cpu_s_per_gib": stats(cpu), "errors": errors,
            "ctxt_per_gib": per_gib(lambda r: r["cpu"].get("ctxt", 0)),
            "pkts_per_gib": per_gib(lambda r: r["dev"].get(f"{dev}_tx_packets", 0) +
                                    (r["dev"].get(f"{dev}_rx_packets", 0) if dev == "vtcp0" else 0)),
            "softirq_s_per_gib": per_gib(lambda r: r["cpu"].get("softirq_s", 0)),
        }


def relay_phase(out):
    """A network helper's relay, vtcp -> host socket: read/write or splice.

    The host sends into vtcp0; the /dev/vtcp server passes every byte on
    to a host TCP connection over lo (whose far end drops it), by read()
    and write() or by splice() through a pipe. Same client, same path;
    only the relay differs, run by run in turns.
    """
    out["relay"] = []
    path = Path("V", skind="vtcp", dest=VTCP4)
    for mtu in MTUS:
        set_mtu(mtu)
        case = {"mtu": mtu, "modes": {"relay": [], "splice": []}}
        extra = ["-n", "1", "-w", str(WARM_MS), "-t", str(MEASURE_MS),
                 "-B", str(BUFSIZE)]
        for run in range(RUNS):
            for mode in case["modes"]:
                case["modes"][mode].append(one_run(path, mode, "send", extra, "recv"))
        case["summary"] = {}
        for mode, runs in case["modes"].items():
            case["summary"][mode] = {
                "gbps": stats([r.get("gbps") for r in runs]),
                "cpu_s_per_gib": stats([r["cpu"]["busy_s"] / (r["bytes"] / 2 ** 30)
                                        if r.get("bytes") and "cpu" in r else None
                                        for r in runs]),
                "pages_lent": med(stats([r["dev"].get("splice_pages_lent")
                                         for r in runs])),
                "pages_copied": med(stats([r["dev"].get("splice_pages_copied")
                                           for r in runs])),
                "errors": [r["error"] for r in runs if "error" in r],
            }
        sm = case["summary"]
        case["splice/relay_cpu"] = ratio(med(sm["splice"]["cpu_s_per_gib"]),
                                         med(sm["relay"]["cpu_s_per_gib"]))
        out["relay"].append(case)
        log(f"relay mtu {mtu}: read/write {fmt(med(sm['relay']['cpu_s_per_gib']))} "
            f"s/GiB, splice {fmt(med(sm['splice']['cpu_s_per_gib']))} s/GiB")


def rr_paths(terms, crr):
    paths = [Path("L", rotate=("127.0.0.64", ROTATE) if crr else None),
             Path("V", skind="vtcp", dest=VTCP4,
                  rotate=("192.0.2.64", ROTATE) if crr else None),
             # vtcp's connections come from one listener handle
             # (VTCP_IOC_CONNECT_FD), as a helper opens them.
             Path("V-vc", ckind="vtcp", dest=HOST4, laddr=VTCP4,
                  rotate=("192.0.2.64", ROTATE) if crr else None,
                  cextra=["-L", str(CONNECT_FD_LPORT)])]
    if crr:
        # The same from a /dev/vtcp handle opened for each (CONNECT).
        paths.append(Path("V-vc-open", ckind="vtcp", dest=HOST4, laddr=VTCP4,
                          rotate=("192.0.2.64", ROTATE)))
    for t in terms:
        if t.ok():
            paths.append(Path("U-" + t.name, dest=t.dest, prefix=t.prefix))
    return paths


def rr_phase(out, kind):
    set_mtu(RR_MTU)
    terms = [start(RR_MTU) for start in starters()]
    paths = rr_paths(terms, kind == "crr")
    res = {"paths": {p.name: [] for p in paths}, "mtu": RR_MTU}
    extra = ["-w", str(WARM_MS), "-t", str(MEASURE_MS)]
    for run in range(RUNS):
        for p in paths:
            r = one_run(p, kind, kind, extra, kind)
            res["paths"][p.name].append(r)
    res["summary"] = {}
    for name, runs in res["paths"].items():
        s = {"errors": [r["error"] for r in runs if "error" in r]}
        keys = ("tps", "p50_us", "p99_us") if kind == "rr" else ("cps", "p50_us", "p99_us")
        for k in keys:
            s[k] = stats([r.get(k) for r in runs])
        cpu = []
        for r in runs:
            n = r.get("transactions") or r.get("connections")
            cpu.append(r["cpu"]["busy_s"] / n * 1e6 if n and "cpu" in r else None)
        s["cpu_us_per_op"] = stats(cpu)
        if kind == "crr":
            # Where a connection's time goes, from the client's clock.
            for ph in ("open", "connect", "exchange", "close"):
                s[f"{ph}_p50_us"] = stats([r.get(ph, {}).get("p50_us") for r in runs])
        res["summary"][name] = s
    for t in terms:
        if t.ok():
            stop_terminator(t)
    if kind == "crr":
        # What opening an endpoint costs: socket() against open(/dev/vtcp).
        probes = []
        for run in range(RUNS):
            p = subprocess.run([PROBE], stdout=subprocess.PIPE, text=True)
            probes += parse_json_lines(p.stdout)
        res["open_probe"] = {k: stats([p.get(k) for p in probes]) for k in
                             ("socket_us", "vtcp_us", "vtcp_at_us", "null_us")}
    out[kind] = res
    log(f"{kind}: " + ", ".join(
        f"{n} {fmt(med(s.get('tps') or s.get('cps')))}" for n, s in res["summary"].items()))


# --- memory -----------------------------------------------------------------

def read_slabinfo(path):
    caches = {}
    for line in open(path):
        if line.startswith(("slabinfo", "#")):
            continue
        f = line.split()
        # name active_objs num_objs objsize objperslab pagesperslab : tunables
        # l b s : slabdata active_slabs num_slabs sharedavail
        caches[f[0]] = {"active": int(f[1]), "num": int(f[2]), "size": int(f[3]),
                        "pages": int(f[14]) * int(f[5])}
    return caches


def read_meminfo(path):
    res = {}
    for line in open(path):
        m = re.match(r"(\S+):\s+(\d+)", line)
        if m:
            res[m.group(1)] = int(m.group(2)) * 1024
    return res


def kernel_bytes(d, phase):
    """Kernel memory in use: slab objects, large kmallocs, vmalloc."""
    slab = read_slabinfo(os.path.join(d, f"{phase}.slabinfo"))
    mi = read_meminfo(os.path.join(d, f"{phase}.meminfo"))
    objects = sum(c["active"] * c["size"] for c in slab.values())
    slab_pages = sum(c["pages"] for c in slab.values()) * 4096
    large = mi.get("Slab", 0) - slab_pages   # kmalloc_large, counted as slab
    return {"objects": objects, "large": large, "vmalloc": mi.get("VmallocUsed", 0),
            "total": objects + large + mi.get("VmallocUsed", 0),
            "meminfo_slab": mi.get("Slab", 0), "slab": slab}


def mem_delta(d, a, b, k):
    """Bytes per connection between two phases, and by cache."""
    x, y = kernel_bytes(d, a), kernel_bytes(d, b)
    caches = {}
    for name, c in y["slab"].items():
        old = x["slab"].get(name, {"active": 0, "size": c["size"]})
        dobj = c["active"] - old["active"]
        if abs(dobj) >= k // 20:
            caches[name] = {"objs_per_conn": round(dobj / k, 3),
                            "objsize": c["size"],
                            "bytes_per_conn": round(dobj * c["size"] / k, 1)}
    return {"total": (y["total"] - x["total"]) / k,
            "objects": (y["objects"] - x["objects"]) / k,
            "large": (y["large"] - x["large"]) / k,
            "vmalloc": (y["vmalloc"] - x["vmalloc"]) / k,
            "meminfo_slab": (y["meminfo_slab"] - x["meminfo_slab"]) / k,
            "caches": caches}


def vtcp_conns():
    """Connections vtcp holds, from its slab cache."""
    try:
        return read_slabinfo("/proc/slabinfo").get("vtcp_conn", {}).get("active", 0)
    except OSError:
        return 0


def hold(k, ckind, skind, addr, laddr, tag, tw_ms=0, own_netns=False):
    d = f"/tmp/mem/{tag}"
    os.makedirs(d, exist_ok=True)
    cmd = [HOLD, "-c", ckind, "-s", skind, "-n", str(k), "-p", str(next_port()),
           "-a", addr, "-o", d]
    if laddr:
        cmd += ["-l", laddr]
    if tw_ms:
        cmd += ["-T", str(tw_ms)]
    if own_netns:
        cmd = ["unshare", "--net", "sh", "-c",
               "ip link set lo up && sysctl -qw net.ipv4.tcp_max_tw_buckets=1048576 && "
               "exec \"$0\" \"$@\""] + cmd
    t = time.time()
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       text=True, timeout=600)
    if p.returncode:
        log(f"hold {tag} failed: {p.stderr.strip()[:300]}")
        return None, {"error": p.stderr.strip()[:300]}
    info = parse_json_lines(p.stdout)
    info = info[0] if info else {}
    info["wall_s"] = round(time.time() - t, 2)
    log(f"hold {tag}: open {info.get('open_s')} s, close {info.get('close_s')} s, "
        f"all {info['wall_s']} s, tenths {info.get('open_tenths_s')}")
    return d, info


def reload_vtcp():
    """A fresh vtcp: the connections the memory phase left go with it."""
    d = os.environ.get("VTCP_DIR", "")
    if sh(f"rmmod vtcp && insmod {d}/vtcp.ko && ip link set vtcp0 up && "
          f"ip addr add {HOST4}/24 dev vtcp0") is None:
        log("could not reload vtcp; its TIME-WAIT entries stay")


def mem_phase(out):
    """
    Idle connections, from slab deltas: a = host client + vtcp accepted,
    b = vtcp CONNECT + host accepted, c = host client + host accepted (a
    Linux pair); (a + b - c) / 2 is one vtcp end exactly (the mean of an
    accepted one and a connected one), whatever a host client and a host
    accepted socket cost. Run a then closes in order, vtcp first: the vtcp
    ends keep TIME-WAIT, the host ends go, and what is left is K TIME-WAIT
    entries. They last 10 minutes, so that none expires during a later
    run's snapshots; vtcp is reloaded after the phase, which ends them all.
    """
    set_mtu(RR_MTU)
    res = {"K": {}}
    tw_ms = 600000
    kinds = {"a": ("host", "vtcp", "192.0.2.64", None, tw_ms),
             "b": ("vtcp", "host", HOST4, "192.0.2.64", 0),
             "c": ("host", "host", "127.0.0.64", None, 0)}
    sh("sync; echo 3 > /proc/sys/vm/drop_caches")
    for k in MEM_K:
        runs = {n: [] for n in kinds}
        for run in range(RUNS):
            for n, (ck, sk, addr, laddr, tw) in kinds.items():
                before = vtcp_conns()
                d, info = hold(k, ck, sk, addr, laddr, f"{k}-{run}-{n}", tw)
                runs[n].append({"info": info,
                                "per_conn": mem_delta(d, "base", "est", k) if d else None})
                if tw:
                    runs[n][-1]["tw_per_conn"] = mem_delta(d, "base", "tw", k) if d else None
                else:
                    # Reset connections are freed after an RCU grace period.
                    wait_for(lambda: vtcp_conns() < before + 50, 30)
        idle = []
        for run in range(RUNS):
            a, b, c = (runs[n][run]["per_conn"] for n in "abc")
            idle.append((a["total"] + b["total"] - c["total"]) / 2
                        if a and b and c else None)

        def totals(n, key="per_conn"):
            return [r[key]["total"] if r.get(key) else None for r in runs[n]]
        res["K"][str(k)] = {
            "idle_vtcp": stats(idle),
            "idle_vtcp_accepted_plus_host_client": stats(totals("a")),
            "idle_vtcp_connected_plus_host_accepted": stats(totals("b")),
            "idle_linux_pair": stats(totals("c")),
            "tw_vtcp": stats(totals("a", "tw_per_conn")),
            "runs": runs, "tw_ms": tw_ms}
        log(f"memory at {k}: vtcp idle {fmt(med(res['K'][str(k)]['idle_vtcp']))} B, "
            f"TIME-WAIT {fmt(med(res['K'][str(k)]['tw_vtcp']))} B, Linux pair "
            f"{fmt(med(res['K'][str(k)]['idle_linux_pair']))} B")
    # Linux's own TIME-WAIT, for reference. It lasts 60 s whatever we do,
    # so it is measured in a network namespace of its own: the namespace
    # goes with the holder, and its TIME-WAIT sockets with it.
    for k in MEM_K:
        d, info = hold(k, "host", "host", "127.0.0.64", None, f"{k}-linux-tw",
                       60000, own_netns=True)
        res["K"][str(k)]["tw_linux"] = mem_delta(d, "base", "tw", k) if d else info
        wait_for(lambda: tw_socks() < 100, 60)
    out["memory"] = res
    reload_vtcp()


def tw_socks():
    try:
        return read_slabinfo("/proc/slabinfo").get("tw_sock_TCP", {}).get("active", 0)
    except OSError:
        return 0


# --- report -----------------------------------------------------------------

def fmt(v, nd=None):
    if v is None:
        return "-"
    if nd is None:
        nd = 2 if abs(v) < 10 else 1 if abs(v) < 1000 else 0
    return f"{v:.{nd}f}"


def fmt_s(s, nd=None):
    if not s:
        return "-"
    return f"{fmt(s['median'], nd)} [{fmt(s['min'], nd)}-{fmt(s['max'], nd)}]"


def summary(out):
    s = {}
    bulk = out.get("bulk", [])
    terms = [n for n in ("U-slirp4netns", "U-pasta")]
    vl = {"h2v": [], "v2h": []}
    vu = {t: [] for t in terms}
    tput = {t: [] for t in terms}
    for case in bulk:
        sm = case["summary"]
        v = med(sm.get("V", {}).get("gbps"))
        l_ = med(sm.get("L", {}).get("gbps"))
        case["V/L"] = ratio(v, l_)
        vl[case["dir"]].append(case["V/L"])
        for t in terms:
            u = med(sm.get(t, {}).get("gbps")) if t in sm else None
            case[f"V/{t}"] = ratio(v, u)
            vu[t].append(ratio(v, u))
            tput[t].append(u)
    s["bulk_V/L_h2v"] = geomean(vl["h2v"])
    s["bulk_V/L_v2h"] = geomean(vl["v2h"])
    s["bulk_V/L"] = geomean(vl["h2v"] + vl["v2h"])
    # The fastest terminator that ran: highest geometric mean throughput.
    best = None
    for t in terms:
        if tput[t] and all(tput[t]):
            if best is None or geomean(tput[t]) > geomean(tput[best]):
                best = t
    s["fastest_terminator"] = best
    s["bulk_V/U"] = geomean(vu[best]) if best else None
    for t in terms:
        s[f"bulk_V/{t}"] = geomean(vu[t]) if vu[t] and all(vu[t]) else None
    # Request/response and connections: the worse of the two directions
    # (vtcp as the server, vtcp as the client).
    for kind, key, worse in (("rr", "p50_us", max), ("crr", "cps", min)):
        sm = out.get(kind, {}).get("summary", {})
        lv = med(sm.get("L", {}).get(key))
        r1 = ratio(med(sm.get("V", {}).get(key)), lv)
        r2 = ratio(med(sm.get("V-vc", {}).get(key)), lv)
        s[f"{kind}_V/L_vtcp_server"] = r1
        s[f"{kind}_V/L_vtcp_client"] = r2
        s[f"{kind}_V/L"] = worse(r1, r2) if r1 and r2 else (r1 or r2)
    mem = out.get("memory", {}).get("K", {})
    ks = sorted(mem, key=int)
    s["mem_idle"] = {k: med(mem[k]["idle_vtcp"]) for k in ks}
    s["mem_tw"] = {k: med(mem[k]["tw_vtcp"]) for k in ks}
    s["mem/conn"] = max((v for v in s["mem_idle"].values() if v), default=None)
    t = {}
    t["bulk V/L >= 0.9 (host to vtcp)"] = ge(s["bulk_V/L_h2v"], 0.9)
    t["bulk V/L >= 0.9 (vtcp to host)"] = ge(s["bulk_V/L_v2h"], 0.9)
    t["rr latency V/L <= 1.2 (vtcp server)"] = le(s["rr_V/L_vtcp_server"], 1.2)
    t["rr latency V/L <= 1.2 (vtcp client)"] = le(s["rr_V/L_vtcp_client"], 1.2)
    t["crr V/L >= 0.8 (vtcp server)"] = ge(s["crr_V/L_vtcp_server"], 0.8)
    t["crr V/L >= 0.8 (vtcp client)"] = ge(s["crr_V/L_vtcp_client"], 0.8)
    t["throughput V/U >= 5"] = ge(s["bulk_V/U"], 5)
    relay = [c["splice/relay_cpu"] for c in out.get("relay", [])]
    s["relay_splice/rw_cpu"] = geomean(relay) if relay and all(relay) else None
    t["splice relay CPU/GiB < read/write relay's"] = (
        None if not relay or not all(relay) else all(r < 1 for r in relay))
    t["idle connection <= 2048 B"] = le(s["mem/conn"], 2048)
    t["TIME-WAIT entry <= 256 B"] = le(max((v for v in s["mem_tw"].values() if v),
                                           default=None), 256)
    s["targets"] = t
    out["summary"] = s
    return s


def ge(v, x):
    return None if v is None else v >= x


def le(v, x):
    return None if v is None else v <= x


def table(out):
    s = out["summary"]
    lines = []
    meta = out["meta"]
    lines.append(f"vtcp benchmarks: kernel {meta['kernel']} ({meta['flavor']}, "
                 f"config {meta['config']}), guest {meta['guest']}")
    lines.append(f"each figure: median [min-max] of {RUNS} runs of {MEASURE_MS} ms "
                 f"(after {WARM_MS} ms warm-up); paths interleaved run by run")
    lines.append("L = host socket to host socket over lo; V = host socket through "
                 "vtcp0 to a /dev/vtcp handle; U = namespace client behind "
                 "slirp4netns or pasta to a host socket on lo")
    for name, per in out.get("terminators", {}).items():
        for mtu, st in per.items():
            if not st["runs"]:
                lines.append(f"U-{name} at MTU {mtu} cannot run: {st['why']}")
    lines.append("")
    if out.get("bulk"):
        lines.append("bulk throughput, Gbit/s (h2v: host/namespace sends, the "
                     "/dev/vtcp or terminator side receives; v2h: the reverse)")
        cols = ["L", "V", "U-slirp4netns", "U-pasta"]
        lines.append(f"{'case':<18}" + "".join(f"{c:>22}" for c in cols) +
                     f"{'V/L':>7}{'V/U':>8}")
        best = s.get("fastest_terminator")
        for case in out["bulk"]:
            name = f"{case['dir']} {case['mtu']} x{case['streams']}"
            row = f"{name:<18}"
            for c in cols:
                row += f"{fmt_s(case['summary'].get(c, {}).get('gbps')):>22}"
            row += f"{fmt(case.get('V/L')):>7}{fmt(case.get(f'V/{best}') if best else None):>8}"
            lines.append(row)
        lines.append("")
        lines.append("CPU seconds per GiB received (whole guest, /proc/stat: "
                     "user+sys+irq+softirq over the window)")
        lines.append(f"{'case':<18}" + "".join(f"{c:>22}" for c in cols))
        for case in out["bulk"]:
            name = f"{case['dir']} {case['mtu']} x{case['streams']}"
            lines.append(f"{name:<18}" + "".join(
                f"{fmt_s(case['summary'].get(c, {}).get('cpu_s_per_gib')):>22}" for c in cols))
        lines.append("")
        lines.append("per GiB received, medians: context switches (/proc/stat ctxt) and "
                     "packets (L: lo; V: vtcp0 both ways)")
        lines.append(f"{'case':<18}{'L ctxt':>12}{'V ctxt':>12}{'L packets':>12}{'V packets':>12}")
        for case in out["bulk"]:
            name = f"{case['dir']} {case['mtu']} x{case['streams']}"
            sm = case["summary"]
            lines.append(f"{name:<18}" + "".join(
                f"{fmt(med(sm.get(p, {}).get(k)), 0):>12}"
                for k in ("ctxt_per_gib", "pkts_per_gib") for p in ("L", "V")))
        lines.append("")
    if out.get("relay"):
        lines.append("relay vtcp -> host socket over lo, 1 stream, host sends "
                     "(CPU seconds per GiB relayed, whole guest)")
        lines.append(f"{'MTU':<8}{'read/write s/GiB':>24}{'splice s/GiB':>24}"
                     f"{'splice/rw':>11}{'rw Gbit/s':>22}{'splice Gbit/s':>22}"
                     f"{'pages lent/copied':>20}")
        for case in out["relay"]:
            sm = case["summary"]
            lent = f"{fmt(sm['splice']['pages_lent'], 0)}/{fmt(sm['splice']['pages_copied'], 0)}"
            lines.append(f"{case['mtu']:<8}{fmt_s(sm['relay']['cpu_s_per_gib']):>24}"
                         f"{fmt_s(sm['splice']['cpu_s_per_gib']):>24}"
                         f"{fmt(case['splice/relay_cpu']):>11}"
                         f"{fmt_s(sm['relay']['gbps']):>22}{fmt_s(sm['splice']['gbps']):>22}"
                         f"{lent:>20}")
        lines.append("")
    for kind, key, unit in (("rr", "tps", "transactions/s"), ("crr", "cps", "connections/s")):
        r = out.get(kind)
        if not r:
            continue
        title = "1-byte request/response" if kind == "rr" else "connect, 1-byte exchange, close"
        lines.append(f"{title} (MTU {r['mtu']}); V: host client, vtcp server; "
                     "V-vc: vtcp client (VTCP_IOC_CONNECT_FD), host server"
                     + ("; V-vc-open: the same, a /dev/vtcp open per connection"
                        if kind == "crr" else ""))
        lines.append(f"{'path':<16}{unit:>24}{'median us':>22}{'p99 us':>24}{'CPU us/op':>20}")
        for name, sm in r["summary"].items():
            lines.append(f"{name:<16}{fmt_s(sm[key], 0):>24}{fmt_s(sm['p50_us']):>22}"
                         f"{fmt_s(sm['p99_us']):>24}{fmt_s(sm['cpu_us_per_op']):>20}")
        if kind == "crr":
            lines.append("  median us of each step (client's clock): socket or open / connect / exchange / close")
            for name, sm in r["summary"].items():
                lines.append(f"  {name:<14}" + " / ".join(
                    fmt(med(sm.get(f"{ph}_p50_us"))) for ph in ("open", "connect", "exchange", "close")))
            pr = r.get("open_probe")
            if pr:
                lines.append("  median us to open and close: socket() {}, open(/dev/vtcp) {}, "
                             "openat(/dev fd, vtcp) {}, open(/dev/null) {}".format(
                                 *(fmt(med(pr[k])) for k in ("socket_us", "vtcp_us",
                                                              "vtcp_at_us", "null_us"))))
        lines.append("")
    mem = out.get("memory", {}).get("K")
    if mem:
        lines.append("kernel memory per connection, bytes (slab objects + large "
                     "kmalloc + vmalloc deltas)")
        lines.append(f"{'connections':<14}{'vtcp idle (incl. file)':>28}"
                     f"{'vtcp TIME-WAIT':>24}{'Linux pair idle':>24}{'Linux TIME-WAIT':>18}")
        for k in sorted(mem, key=int):
            m = mem[k]
            if "idle_vtcp" not in m:
                continue
            tl = m.get("tw_linux", {})
            lines.append(f"{k:<14}{fmt_s(m['idle_vtcp'], 0):>28}{fmt_s(m['tw_vtcp'], 0):>24}"
                         f"{fmt_s(m['idle_linux_pair'], 0):>24}"
                         f"{fmt(tl.get('total'), 0):>18}")
        lines.append("")
    vals = {"bulk V/L >= 0.9 (host to vtcp)": s["bulk_V/L_h2v"],
            "bulk V/L >= 0.9 (vtcp to host)": s["bulk_V/L_v2h"],
            "rr latency V/L <= 1.2 (vtcp server)": s["rr_V/L_vtcp_server"],
            "rr latency V/L <= 1.2 (vtcp client)": s["rr_V/L_vtcp_client"],
            "crr V/L >= 0.8 (vtcp server)": s["crr_V/L_vtcp_server"],
            "crr V/L >= 0.8 (vtcp client)": s["crr_V/L_vtcp_client"],
            "throughput V/U >= 5": s["bulk_V/U"],
            "splice relay CPU/GiB < read/write relay's": s["relay_splice/rw_cpu"],
            "idle connection <= 2048 B": s["mem/conn"],
            "TIME-WAIT entry <= 256 B": max((v for v in s["mem_tw"].values() if v),
                                            default=None)}
    lines.append("targets (bulk: geometric mean of the direction's 4 cases; "
                 f"V/U against {s.get('fastest_terminator') or '-'}, the fastest):")
    for name, ok in s["targets"].items():
        v = vals.get(name)
        lines.append(f"  {name:<40} {fmt(v):>8}  "
                     f"{'met' if ok else 'not measured' if ok is None else 'MISSED'}")
    return "\n".join(lines)


def bench_line(s):
    return (f"bench: V/L throughput={fmt(s['bulk_V/L'])} rr={fmt(s['rr_V/L'])} "
            f"crr={fmt(s['crr_V/L'])}; V/U throughput={fmt(s['bulk_V/U'])}; "
            f"mem/conn={fmt(s['mem/conn'], 0)} bytes")


def main():
    for b in (SERVER, CLIENT, HOLD, PROBE):
        if not os.access(b, os.X_OK):
            print(f"VTCP-BENCH-ERROR: {b} missing (make -C tools/bench)")
            return 1
    uname = platform.uname()
    meta = {
        "kernel": f"{uname.release} {uname.version}",
        "flavor": os.environ.get("VTCP_BENCH_FLAVOR", "uml-perf"),
        "config": os.environ.get("VTCP_BENCH_CONFIG", "?"),
        "guest": f"User-Mode Linux {uname.machine}, {os.cpu_count()} CPU, "
                 f"{read_meminfo('/proc/meminfo')['MemTotal'] >> 20} MiB",
        "runs": RUNS, "measure_ms": MEASURE_MS, "warm_ms": WARM_MS,
        "bufsize": BUFSIZE, "mtus": MTUS, "streams": STREAMS, "mem_k": MEM_K,
        "slirp4netns": (sh("slirp4netns --version") or "").splitlines()[:1],
        "pasta": (sh("dpkg-query -W -f='${Version}' passt") or "").strip(),
    }
    out = {"meta": meta, "terminators": {}}
    t0 = time.time()
    phases = {"mem": mem_phase, "bulk": bulk_phase, "relay": relay_phase,
              "rr": lambda o: rr_phase(o, "rr"), "crr": lambda o: rr_phase(o, "crr")}
    # Memory first: no TIME-WAIT from other runs may expire during it.
    for name in ("mem", "bulk", "relay", "rr", "crr"):
        if name in ONLY:
            t = time.time()
            log(f"phase {name}")
            try:
                phases[name](out)
            except Exception as e:   # report what ran, and why the rest did not
                out.setdefault("errors", []).append(f"{name}: {e!r}")
                log(f"phase {name} failed: {e!r}")
            out.setdefault("phase_secs", {})[name] = round(time.time() - t, 1)
    out["secs"] = round(time.time() - t0, 1)
    s = summary(out)
    # Line by line, each marked: a console line this long could be split.
    print("VTCP-BENCH-JSON-BEGIN")
    for line in json.dumps(out, indent=1).splitlines():
        print("VTCP-BENCH-JSON: " + line)
    print("VTCP-BENCH-JSON-END")
    print("VTCP-BENCH-TABLE-BEGIN")
    print(table(out))
    print("VTCP-BENCH-TABLE-END")
    print(bench_line(s), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
