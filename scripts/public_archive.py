#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Build the installed static library: libnumaperf's objects as one, with
exactly the shared library's exports global.

A plain archive of the objects would hand a statically linked application
every cross-file helper of numaperf as a global symbol (cfg_scan, mem_note,
plan_poll_node... ~70 names without the np_ prefix): an application with a
function of one of those names fails to link, or worse. The shared library
hides them with numaperf.map; the archive gets the same by a partial link
(ld -r: the objects become one, their references to each other resolved)
and objcopy --keep-global-symbols with the names libnumaperf.so exports.
One object also means the log types' constructors come along with any
symbol an application uses.

usage: public_archive.py OUT.a INTERNAL.a SHARED.so
"""
import os
import subprocess
import sys
import tempfile


def defined_globals(path, dynamic):
    """Defined global names of an object, archive or (dynamic) shared library."""
    cmd = ["nm", "-D" if dynamic else "-g", "--defined-only", path]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    names = set()
    for line in out.splitlines():
        parts = line.split()
        if len(parts) >= 3 and parts[1] in "TWDBRVui" and not parts[2].startswith("NUMAPERF"):
            names.add(parts[2].split("@")[0])
    return names


def run(*cmd):
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit("public_archive.py: %s failed:\n%s" % (" ".join(cmd), r.stderr))


def main(argv):
    if len(argv) != 4:
        sys.exit(__doc__.strip().splitlines()[-1])
    out, internal, shared = argv[1:]
    keep = defined_globals(shared, dynamic=True)
    if not keep:
        sys.exit("public_archive.py: %s exports nothing" % shared)
    with tempfile.TemporaryDirectory() as tmp:
        obj = os.path.join(tmp, "numaperf.o")
        names = os.path.join(tmp, "keep.txt")
        with open(names, "w") as f:
            f.write("\n".join(sorted(keep)) + "\n")
        run(os.environ.get("LD", "ld"), "-r", "--whole-archive", internal, "-o", obj)
        run(os.environ.get("OBJCOPY", "objcopy"), "--keep-global-symbols=" + names, obj)
        if os.path.exists(out):
            os.unlink(out)
        run(os.environ.get("AR", "ar"), "rcs", out, obj)
    got = defined_globals(out, dynamic=False)
    if got != keep:
        os.unlink(out)
        sys.exit("public_archive.py: %s would export %s and miss %s" %
                 (out, sorted(got - keep)[:10], sorted(keep - got)[:10]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
