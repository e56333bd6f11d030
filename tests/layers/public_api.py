#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""The public API as the installed headers declare it, and as the shared
library exports it.

  public_api.py declared HEADER...      functions the headers declare
  public_api.py map HEADER...           a numaperf.map exporting exactly those
  public_api.py check LIB MAP HEADER... exports == declarations == the map

`check` fails (exit 1) naming every function that is declared but not
exported (or missing from numaperf.map), and every exported symbol that no
public header declares (an internal helper leaking). Prints TAP."""
import os
import re
import sys

# One reading of nm's output for both libraries: the build's own (scripts/).
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "scripts"))
from public_archive import defined_globals  # noqa: E402


def strip(text):
    text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)
    text = re.sub(r"//[^\n]*", " ", text)
    # Preprocessor lines, with their continuations.
    text = re.sub(r"^[ \t]*#(?:[^\n]*\\\n)*[^\n]*", " ", text, flags=re.M)
    # extern "C" { ... } (its brace would hide every declaration).
    text = text.replace('extern "C" {', " ")
    return text


def declared(headers):
    names = set()
    for h in headers:
        text = strip(open(h, encoding="utf-8").read())
        # Top-level statements: drop bodies of inline functions and structs.
        depth, flat = 0, []
        for ch in text:
            if ch == "{":
                depth += 1
                flat.append(";")
            elif ch == "}":
                depth = max(depth - 1, 0)
            elif depth == 0:
                flat.append(ch)
        for stmt in "".join(flat).split(";"):
            s = " ".join(stmt.split())
            if not s or s.startswith(("typedef", "static")):
                continue
            m = re.search(r"\b(np_[a-z0-9_]+)\s*\(", s)
            if m:
                names.add(m.group(1))
    return names


def exported(lib):
    return defined_globals(lib, dynamic=True)


def in_map(path):
    text = strip(open(path).read())
    return set(re.findall(r"\b(np_[a-z0-9_]+)\s*;", text))


def main(argv):
    if argv[1] == "declared":
        for n in sorted(declared(argv[2:])):
            print(n)
        return 0
    if argv[1] == "map":
        print("# SPDX-License-Identifier: BSD-3-Clause\n"
              "# The exported API of libnumaperf: every function a public header declares,\n"
              "# nothing else. Regenerate after changing a public header:\n"
              "#   tests/layers/public_api.py map $(ls framework/*/np_*.h drivers-glue/*/np_*.h \\\n"
              "#       config/np_*.h | grep -v _private) > numaperf.map\n"
              "# (tests/layers/public_api.py check, the 'exports' test, compares both ways).\n"
              "NUMAPERF_0.1 {\n\tglobal:")
        for n in sorted(declared(argv[2:])):
            print("\t%s;" % n)
        print("\n\tlocal: *;\n};")
        return 0
    lib, mapfile, headers = argv[2], argv[3], argv[4:]
    decl, exp, mapped = declared(headers), exported(lib), in_map(mapfile)
    checks = [
        ("every declared function is exported", sorted(decl - exp)),
        ("every exported symbol is declared in a public header", sorted(exp - decl)),
        ("numaperf.map lists exactly the declared functions",
         sorted((decl - mapped) | (mapped - decl))),
    ]
    print("1..%d" % len(checks))
    bad = 0
    for i, (what, wrong) in enumerate(checks, 1):
        print("%s %d - %s (%d declared, %d exported)" % ("not ok" if wrong else "ok", i, what,
                                                         len(decl), len(exp)))
        for w in wrong:
            print("#   " + w)
        bad += bool(wrong)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
