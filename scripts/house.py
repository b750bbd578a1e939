#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The house rules of vtcp/, checked (make style runs every check).

  house.py sizes
      no .c file under vtcp/ over 800 lines; no function of the module
      (vtcp/ but vtcp/tests/) over 100 lines, from its first line to its
      closing brace.
  house.py includes
      the engine's direct includes: a kernel header only from
      scripts/house/engine-headers.allow; a header of vtcp's only from
      engine/ itself or the shared leaves at the top of vtcp/.
  house.py closure BUILD_DIR PROBE_CMD
      every header an engine object was compiled with (kbuild's .cmd
      files under BUILD_DIR/vtcp/engine) is one that the allowed kernel
      headers bring in by themselves (PROBE_CMD: the .cmd file of a probe
      that includes exactly those), or one of the engine's own: what a
      direct include would drag in through another header counts too.
  house.py symbols BUILD_DIR
      every symbol the engine's objects call (nm -u) is defined by another
      engine object or is in scripts/house/engine-symbols.allow.

Each check prints one line per finding as file:line: what, and exits 1 if
there was any.
"""
import fnmatch
import os
import re
import subprocess
import sys

SELF = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# VTCP_HOUSE_ROOT: check another copy of the tree (style.sh's self-test).
ROOT = os.environ.get("VTCP_HOUSE_ROOT") or SELF
MOD = os.path.join(ROOT, "vtcp")
ENGINE = os.path.join(MOD, "engine")
ALLOW = os.path.join(SELF, "scripts", "house")
# Headers of vtcp's shared by every layer: no device, file or socket in them.
LEAVES = ("compat.h", "drop.h", "tuple.h")
FILE_MAX = 800
FUNC_MAX = 100


def rel(path):
    return os.path.relpath(path, ROOT)


def allow_list(name):
    """The non-comment lines of scripts/house/<name>."""
    with open(os.path.join(ALLOW, name)) as f:
        return [l.split("#")[0].strip() for l in f if l.split("#")[0].strip()]


def sources(top, exts=(".c",)):
    for d, _, files in os.walk(top):
        for f in sorted(files):
            if f.endswith(exts) and not f.endswith(".mod.c"):
                yield os.path.join(d, f)


def functions(path):
    """(name, first line, last line) of each function defined in @path.

    Kernel style: the body opens with a "{" alone at column 0 and closes
    with a "}" at column 0; the declaration is the run of lines above the
    "{" back to a blank line, a comment's end, a preprocessor line or the
    end of the previous definition.
    """
    lines = open(path).read().split("\n")
    i = 0
    while i < len(lines):
        if lines[i] != "{":
            i += 1
            continue
        first = i
        while first > 0:
            prev = lines[first - 1]
            if (not prev.strip() or prev.rstrip().endswith(("*/", ";", "}")) or
                    prev.startswith("#")):
                break
            first -= 1
        decl = " ".join(lines[first:i])
        m = re.search(r"(\w+)\s*\(", decl)
        last = i + 1
        while last < len(lines) and not lines[last].startswith("}"):
            last += 1
        yield (m.group(1) if m else "?"), first + 1, last + 1
        i = last + 1


def check_sizes():
    bad = []
    for path in sources(MOD):
        n = sum(1 for _ in open(path))
        if n > FILE_MAX:
            bad.append(f"{rel(path)}:{n}: {n} lines, more than {FILE_MAX}")
        if os.sep + "tests" + os.sep in path:
            continue
        for name, first, last in functions(path):
            if last - first + 1 > FUNC_MAX:
                bad.append(f"{rel(path)}:{first}: {name}() is {last - first + 1} "
                           f"lines, more than {FUNC_MAX}")
    return bad


INCLUDE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]')


def check_includes():
    allowed = set(allow_list("engine-headers.allow"))
    bad = []
    for path in sources(ENGINE, (".c", ".h")):
        for i, line in enumerate(open(path), 1):
            m = INCLUDE.match(line)
            if not m:
                continue
            kind, hdr = m.groups()
            if kind == "<" and hdr not in allowed:
                bad.append(f"{rel(path)}:{i}: the engine includes <{hdr}>, "
                           "which is not in scripts/house/engine-headers.allow")
            elif kind == '"' and not (hdr.startswith("engine/") or hdr in LEAVES):
                bad.append(f'{rel(path)}:{i}: the engine includes "{hdr}": only '
                           f'engine/ and the shared leaves ({", ".join(LEAVES)})')
    return bad


def cmd_deps(cmd):
    """The headers a kbuild .cmd file lists as dependencies."""
    deps = []
    for tok in open(cmd).read().replace("\\\n", " ").split():
        if tok.endswith(".h") and not tok.startswith("$("):
            deps.append(os.path.normpath(tok))
    return deps


def engine_objects(build):
    d = os.path.join(build, "vtcp", "engine")
    objs = sorted(f for f in os.listdir(d) if f.endswith(".o"))
    if not objs:
        sys.exit(f"house.py: no engine objects in {d}: build the module first")
    return d, objs


def check_closure(build, probe_cmd):
    allowed = set(cmd_deps(probe_cmd))
    d, objs = engine_objects(build)
    own = os.path.realpath(os.path.join(build, "vtcp"))
    bad = []
    for obj in objs:
        cmd = os.path.join(d, "." + obj + ".cmd")
        for dep in cmd_deps(cmd):
            real = os.path.realpath(dep)
            if real.startswith(own + os.sep):
                sub = os.path.relpath(real, own)
                if sub.startswith("engine" + os.sep) or sub in LEAVES:
                    continue
                bad.append(f"vtcp/engine/{obj[:-2]}.c: compiled with vtcp/{sub}, "
                           "a header of another layer")
            elif dep not in allowed and "/include/uapi/linux/vtcp.h" not in dep \
                    and "/generated/" not in dep and "/config/" not in dep:
                bad.append(f"vtcp/engine/{obj[:-2]}.c: compiled with {dep}, which "
                           "no allowed kernel header includes")
    return sorted(set(bad))


def nm(obj, flags):
    out = subprocess.run(["nm", flags, obj], check=True, stdout=subprocess.PIPE,
                         text=True).stdout
    return out.split("\n")


def check_symbols(build):
    d, objs = engine_objects(build)
    defined, wanted = set(), {}
    for obj in objs:
        path = os.path.join(d, obj)
        for line in nm(path, "--defined-only"):
            parts = line.split()
            if len(parts) == 3:
                defined.add(parts[2])
        for line in nm(path, "-u"):
            parts = line.split()
            if parts:
                wanted.setdefault(parts[-1], obj)
    patterns = allow_list("engine-symbols.allow")
    bad = []
    for sym, obj in sorted(wanted.items()):
        if sym in defined or any(fnmatch.fnmatchcase(sym, p) for p in patterns):
            continue
        bad.append(f"vtcp/engine/{obj[:-2]}.c: calls {sym}, which is neither the "
                   "engine's own nor in scripts/house/engine-symbols.allow")
    return bad


def main():
    what = sys.argv[1] if len(sys.argv) > 1 else ""
    if what == "sizes":
        bad = check_sizes()
    elif what == "includes":
        bad = check_includes()
    elif what == "closure" and len(sys.argv) == 4:
        bad = check_closure(sys.argv[2], sys.argv[3])
    elif what == "symbols" and len(sys.argv) == 3:
        bad = check_symbols(sys.argv[2])
    else:
        sys.exit(__doc__)
    try:
        for b in bad:
            print(b)
    except BrokenPipeError:	# a reader that wanted only the first line
        pass
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
