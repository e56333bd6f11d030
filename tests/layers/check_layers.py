#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Layers point one way only, checked on every #include "..." of the tree:

  framework/     includes nothing from drivers-glue/, config/ or apps/
  drivers-glue/  includes nothing from config/ or apps/
  config/        includes nothing from apps/
  *_private.h    is included only inside its own module folder; the
                 library-internal helpers of framework/common (error,
                 lists, paths, sysfs) only inside the library (framework/,
                 drivers-glue/, config/); a unit test may include the
                 private headers of the one module it tests
                 (tests/unit/test_<module>.c), nothing else outside may.

usage: check_layers.py SOURCE_ROOT [--self-test]
Prints TAP; exit 1 on a violation, naming file, line and the rule."""
import os
import re
import sys

LAYERS = {"framework": 0, "drivers-glue": 1, "config": 2, "apps": 3}
LIBRARY = ("framework", "drivers-glue", "config")
INCLUDE = re.compile(r'^\s*#\s*include\s*"([^"]+)"', re.M)


def index_headers(root):
    """header basename -> (top folder, module folder) where it is defined."""
    where = {}
    for top in LAYERS:
        for d, _, files in os.walk(os.path.join(root, top)):
            for f in files:
                if f.endswith(".h"):
                    rel = os.path.relpath(d, root)
                    where.setdefault(f, []).append((top, rel))
    return where


def violations(root, files):
    where = index_headers(root)
    bad = []
    for path in files:
        rel = os.path.relpath(path, root)
        top = rel.split(os.sep)[0]
        folder = os.path.dirname(rel)
        text = open(path, encoding="utf-8", errors="replace").read()
        for m in INCLUDE.finditer(text):
            inc = os.path.basename(m.group(1))
            line = text.count("\n", 0, m.start()) + 1
            for itop, ifolder in where.get(inc, []):
                if top in LAYERS and LAYERS[itop] > LAYERS[top]:
                    bad.append("%s:%d: %s (layer %s) includes %s from %s, a higher layer"
                               % (rel, line, rel, top, inc, itop))
                if not inc.endswith("_private.h") or ifolder == folder:
                    continue
                common = ifolder == os.path.join("framework", "common")
                if common and top in LIBRARY:
                    continue
                mod = os.path.basename(ifolder)
                base = os.path.basename(rel)
                if folder == os.path.join("tests", "unit") and base == "test_%s.c" % mod:
                    continue
                if folder == os.path.join("tests", "fuzz") and base.startswith("fuzz_%s" % mod):
                    continue
                bad.append("%s:%d: includes %s, private to %s/" % (rel, line, inc, ifolder))
    return bad


def sources(root):
    for top in list(LAYERS) + ["tests"]:
        for d, dirs, files in os.walk(os.path.join(root, top)):
            for f in files:
                if f.endswith((".c", ".h")):
                    yield os.path.join(d, f)


def self_test():
    """The checker must fail on each kind of violation: planted in a scratch tree."""
    import tempfile
    planted = {
        "framework/plan/plan_x.c": '#include "np_port.h"\n',          # framework -> glue
        "drivers-glue/port/port_x.c": '#include "np_config.h"\n',     # glue -> config
        "apps/l2fwd/x.c": '#include "plan_private.h"\n',              # app -> private
        "tests/unit/test_plan.c": '#include "port_private.h"\n',      # test -> other private
    }
    allowed = {
        "drivers-glue/port/port_y.c": '#include "np_error_private.h"\n',
        "tests/unit/test_port.c": '#include "port_private.h"\n',
        "apps/l2fwd/y.c": '#include "np_runtime.h"\n',
    }
    headers = ["framework/plan/plan_private.h", "drivers-glue/port/np_port.h",
               "drivers-glue/port/port_private.h", "config/np_config.h",
               "framework/common/np_error_private.h", "drivers-glue/runtime/np_runtime.h"]
    with tempfile.TemporaryDirectory() as root:
        for rel, text in list(planted.items()) + list(allowed.items()) + \
                [(h, "") for h in headers]:
            os.makedirs(os.path.join(root, os.path.dirname(rel)), exist_ok=True)
            with open(os.path.join(root, rel), "w") as f:
                f.write(text)
        bad = violations(root, list(sources(root)))
    caught = [p for p in planted if any(b.startswith(p + ":") for b in bad)]
    wrong = [a for a in allowed if any(b.startswith(a + ":") for b in bad)]
    print("1..2")
    print("%s 1 - each planted violation is caught (%d of %d)" %
          ("ok" if len(caught) == len(planted) else "not ok", len(caught), len(planted)))
    print("%s 2 - allowed includes pass" % ("not ok" if wrong else "ok"))
    for b in bad:
        print("#   " + b)
    return 0 if len(caught) == len(planted) and not wrong else 1


def main(argv):
    if len(argv) > 1 and argv[1] == "--self-test":
        return self_test()
    root = argv[1]
    bad = violations(root, list(sources(root)))
    print("1..1")
    print("%s 1 - includes point one way and private headers stay home" %
          ("not ok" if bad else "ok"))
    for b in bad:
        print("#   " + b)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
