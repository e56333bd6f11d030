#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""np-vm when QEMU itself crashes before the guest runs the command: one more
boot, said on stderr; a second crash fails (125) and there is no third boot;
a command that fails is never booted again. QEMU is a wrapper (NP_VM_QEMU)
that kills itself with SIGSEGV the first N times, then runs the real one.
Boots two 2-node guests. Prints TAP.
usage: test_qemu_crash.py NP_VM"""
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "common"))
from tap import check, done  # noqa: E402

np_vm = sys.argv[1]
real = os.environ.get("NP_VM_QEMU") or shutil.which("qemu-system-x86_64")
if not real:
    # np-vm's own policy decides: SKIP here, a failure under CI.
    sys.exit(subprocess.run([np_vm, "--", "/bin/true"]).returncode)

tmp = tempfile.mkdtemp(prefix="np-vm-crash-")
fake = os.path.join(tmp, "qemu")
with open(fake, "w") as f:
    f.write('#!/bin/sh\n'
            'n=$(cat "$NP_TEST_QEMU_STATE" 2>/dev/null || echo 0)\n'
            'echo $((n + 1)) > "$NP_TEST_QEMU_STATE"\n'
            '[ "$n" -lt "$NP_TEST_QEMU_CRASHES" ] && kill -SEGV $$\n'
            'exec "%s" "$@"\n' % real)
os.chmod(fake, 0o755)


def run(crashes, command):
    state = os.path.join(tmp, "boots")
    if os.path.exists(state):
        os.unlink(state)
    env = dict(os.environ, NP_VM_QEMU=fake, NP_TEST_QEMU_STATE=state,
               NP_TEST_QEMU_CRASHES=str(crashes))
    p = subprocess.run([np_vm, "--topology", "2node", "--timeout", "120", "--"] + command,
                       env=env, capture_output=True, text=True, timeout=300)
    boots = int(open(state).read()) if os.path.exists(state) else 0
    return p.returncode, p.stdout, p.stderr, boots


rc, out, err, boots = run(1, ["/bin/true"])
if rc == 77:
    print("1..0 # SKIP %s" % out.strip())
    sys.exit(0)
detail = "rc=%d boots=%d\n%s%s" % (rc, boots, out, err)
check(rc == 0 and boots == 2 and
      "np-vm: qemu crashed (signal 11) before the guest ran the command: booting the guest "
      "once more" in err, "one crash before the command: booted once more, the command's "
      "status (0)", detail)

rc, out, err, boots = run(2, ["/bin/true"])
detail = "rc=%d boots=%d\n%s%s" % (rc, boots, out, err)
check(rc == 125 and boots == 2 and
      "np-vm: qemu crashed again (signal 11) before the guest ran the command: giving up" in err,
      "two crashes: exit 125, saying so, no third boot", detail)

rc, out, err, boots = run(0, ["/bin/false"])
detail = "rc=%d boots=%d\n%s%s" % (rc, boots, out, err)
check(rc == 1 and boots == 1 and "crashed" not in err,
      "a command that fails: its status (1), booted once", detail)

shutil.rmtree(tmp, ignore_errors=True)
done()
