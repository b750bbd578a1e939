#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Compare the vtcp family's dump, as the kernel's tools/net/ynl/cli.py
prints it, with what VTCP_IOC_INFO said of each connection.

    genl_check.py KSRC SPEC EXPECTED

EXPECTED holds one JSON object per connection (genl_test.c writes them
from VTCP_IOC_INFO, keys named as the spec's attributes). Checks that the
dump has each exactly once with every attribute equal, that a dump
filtered by state and local port has them all too (and one by a state
none is in, nothing), that dev-get counts
them, and that without CAP_NET_ADMIN the family refuses. Prints what
differs; exit 0 when nothing does."""
import json
import subprocess
import sys

import yaml

ksrc, spec_path, expected_path = sys.argv[1:4]
cli = [sys.executable, f"{ksrc}/tools/net/ynl/cli.py", "--spec", spec_path,
       "--schema", f"{ksrc}/Documentation/netlink/genetlink.yaml",
       "--output-json"]
spec = yaml.safe_load(open(spec_path))
enums = {d["name"]: d for d in spec["definitions"]}


def run(args, prefix=()):
    p = subprocess.run(list(prefix) + cli + args, capture_output=True,
                       text=True)
    return p.returncode, p.stdout, p.stderr


def dump(op, attrs=None):
    args = ["--dump", op] + (["--json", json.dumps(attrs)] if attrs else [])
    rc, out, err = run(args)
    if rc:
        sys.exit(f"cli.py --dump {op} failed ({rc}): {out}{err}")
    return json.loads(out)


def numeric(entry):
    """Enum names back to the numbers struct vtcp_info holds."""
    e = dict(entry)
    for attr, enum in (("state", "state"), ("ca-state", "ca-state")):
        if attr in e:
            e[attr] = enums[enum]["entries"].index(e[attr])
    if "options" in e:
        names = enums["info-opt"]["entries"]
        e["options"] = sum(1 << names.index(n) for n in e["options"])
    return e


def key(e):
    return (e["local"]["port"], e["local"].get("addr"),
            e["remote"]["port"], e["remote"].get("addr"))


expected = [json.loads(line) for line in open(expected_path)]
failures = 0


def fail(msg):
    global failures
    failures += 1
    if failures <= 20:
        print(msg)


got = [numeric(e) for e in dump("conn-get")]
conns = {}
for e in got:
    if e.get("state") != 0 and "remote" in e and e["state"] != 10:
        if key(e) in conns:
            fail(f"twice in the dump: {key(e)}")
        conns[key(e)] = e
print(f"dump: {len(got)} entries, {len(conns)} connections; "
      f"expected {len(expected)}")
for x in expected:
    e = conns.get(key(x))
    if e is None:
        fail(f"missing from the dump: {key(x)}")
        continue
    for k, v in x.items():
        if e.get(k) != v:
            fail(f"{key(x)}: {k} is {e.get(k)!r} in the dump, "
                 f"{v!r} by VTCP_IOC_INFO")
if len(conns) != len(expected):
    fail(f"{len(conns)} connections in the dump, {len(expected)} opened")

# Filters: ESTABLISHED on the listener's port, and the listener alone.
port = expected[0]["local"]["port"]
est = dump("conn-get", {"state-mask": 1 << 4, "local": {"port": port}})
if sorted(key(numeric(e)) for e in est) != sorted(key(x) for x in expected):
    fail(f"filtered dump: {len(est)} entries, not the {len(expected)}")
# A filter that matches nothing still walks the table, message by
# message (the test checks how much each message looked at).
none = dump("conn-get", {"state-mask": 1 << 8})
if none:
    fail(f"CLOSING filter: {len(none)} entries, not none")
lsn = dump("conn-get", {"state-mask": 1 << 1})
if len(lsn) != 1 or lsn[0]["state"] != "listen":
    fail(f"listeners: {lsn}")

devs = dump("dev-get")
n = sum(d["conns"] for d in devs if d["ifindex"] == expected[0]["ifindex"])
if n != len(expected):
    fail(f"dev-get counts {n} connections, not {len(expected)}")
if not any(s["name"] == "drop_no_socket" for d in devs for s in d["drop"]):
    fail("dev-get: no drop_no_socket among the drop reasons")

# One connection by name (do), as the dump has it.
x = expected[-1]
rc, out, err = run(["--do", "conn-get", "--json", json.dumps(
    {"ifindex": x["ifindex"],
     "local": {"family": x["local"]["family"], "port": x["local"]["port"],
               "addr": bytes.fromhex(x["local"]["addr"]).hex()},
     "remote": {"family": x["remote"]["family"],
                "port": x["remote"]["port"],
                "addr": bytes.fromhex(x["remote"]["addr"]).hex()}})])
if rc or numeric(json.loads(out)) != conns[key(x)]:
    fail(f"conn-get do: {rc} {out}{err}")

# Without CAP_NET_ADMIN: refused.
rc, out, err = run(["--dump", "conn-get"],
                   ["setpriv", "--inh-caps=-net_admin",
                    "--bounding-set=-net_admin"])
if rc == 0 or "Operation not permitted" not in out + err:
    fail(f"without CAP_NET_ADMIN: {rc} {out[:200]}{err[:200]}")

print(f"{failures} differences")
sys.exit(1 if failures else 0)
