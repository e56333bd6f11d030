#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Refresh the command output shown in docs/*.md: every fenced block that
follows a marker line

    <!-- run: COMMAND [| head -N] -->          on this machine, from the tree's root
    <!-- run-vm 2node: COMMAND [| head -N] --> inside a QEMU guest (tests/vm/np-vm)

is replaced by what COMMAND prints now (stdout and stderr, in order). A
command that fails leaves the block as it was and the script exits 1 after
the others, naming it. usage: scripts/refresh-docs.py [FILE.md ...]
(default docs/recipe.md). Run after ./scripts/build.sh."""
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MARK = re.compile(r"^<!-- (run|run-vm (\w+)): (.*?) -->$")


def run(cmd, vm):
    head = None
    m = re.search(r"\s*\|\s*head -(\d+)\s*$", cmd)
    if m:
        head = int(m.group(1))
        cmd = cmd[:m.start()]
    if vm:
        argv = [os.path.join(ROOT, "tests/vm/np-vm"), "--topology", vm, "--timeout", "600",
                "--", "sh", "-c", "{ %s; } 2>&1" % cmd]
    else:
        argv = ["sh", "-c", "{ %s; } 2>&1" % cmd]
    env = dict(os.environ)
    env.pop("NP_TOPOLOGY", None)
    p = subprocess.run(argv, cwd=ROOT, capture_output=True, text=True, timeout=900, env=env)
    out = p.stdout
    if vm:
        # np-vm's own lines are not the command's.
        out = "\n".join(l for l in out.splitlines() if not l.startswith("np-vm:"))
    lines = out.rstrip("\n").splitlines()
    # EAL's and DPDK's start-up chatter is the same every time: left out.
    lines = [l for l in lines if not l.startswith(("EAL: No free 1048576", "TELEMETRY: No legacy"))]
    if head is not None and len(lines) > head:
        lines = lines[:head] + ["[... %d more lines]" % (len(lines) - head)]
    return p.returncode, "\n".join(lines)


def refresh(path):
    text = open(path, encoding="utf-8").read().split("\n")
    out, i, failed = [], 0, []
    while i < len(text):
        line = text[i]
        out.append(line)
        m = MARK.match(line)
        if m and i + 1 < len(text) and text[i + 1].startswith("```"):
            j = i + 2
            while j < len(text) and not text[j].startswith("```"):
                j += 1
            rc, got = run(m.group(3), m.group(2))
            print("%s: %s%s -> exit %d" % (os.path.relpath(path, ROOT),
                                          "[%s] " % m.group(2) if m.group(2) else "",
                                          m.group(3), rc))
            if rc != 0 and "|| true" not in m.group(3):
                failed.append(m.group(3))
                out.extend(text[i + 1:j + 1])
            else:
                out.append(text[i + 1])
                out.extend(got.split("\n"))
                out.append("```")
            i = j + 1
            continue
        i += 1
    open(path, "w", encoding="utf-8").write("\n".join(out))
    return failed


failed = []
for f in sys.argv[1:] or [os.path.join(ROOT, "docs", "recipe.md")]:
    failed += refresh(f)
for f in failed:
    print("refresh-docs: FAILED: %s (its block is unchanged)" % f, file=sys.stderr)
sys.exit(1 if failed else 0)
