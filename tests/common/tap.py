# SPDX-License-Identifier: BSD-3-Clause
"""TAP for the Python test scripts (meson's protocol: 'tap'): one check per
line, the plan at the end, exit 1 if any check failed. A script starts with

    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                    "..", "common"))
    from tap import check, done, skip

The scripts in tests/multinode/ import it too: the guests see the host's
tree read-only at the same path (tests/vm/np-vm)."""
import sys

results = []
DETAIL_LINES = 60   # the tail of a failure's detail that is printed


def check(ok, what, detail=""):
    """One check: 'ok N - what', or 'not ok' and the tail of @detail as comments."""
    results.append(bool(ok))
    print("%s %d - %s" % ("ok" if ok else "not ok", len(results), what))
    if not ok and detail:
        for line in str(detail).splitlines()[-DETAIL_LINES:]:
            print("#   " + line)
    sys.stdout.flush()
    return bool(ok)


def skip(what, why):
    """A check that cannot run here, saying exactly what is missing."""
    results.append(True)
    print("ok %d - %s # SKIP %s" % (len(results), what, why))
    sys.stdout.flush()


def done():
    """The plan, then exit 0 if every check passed, else 1."""
    print("1..%d" % len(results))
    sys.stdout.flush()
    sys.exit(0 if all(results) else 1)
