#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""np-vm's skip policy, without booting anything: a missing prerequisite
(QEMU, a kernel with modules, a static busybox) SKIPs (77) on a developer
machine and FAILS (125, with an error naming it) where the guest must run:
CI=true (or 1/yes) or NP_VM_REQUIRED=1; NP_VM_REQUIRED=0 allows the skip.
Each prerequisite is made missing through np-vm's own overrides
(NP_VM_QEMU, NP_VM_KERNEL, NP_VM_BUSYBOX), which np-vm checks before it
builds or boots anything. Prints TAP.
usage: test_skip_policy.py NP_VM"""
import glob
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "common"))
from tap import check, done  # noqa: E402

np_vm = sys.argv[1]


def run(missing, policy):
    """np-vm with @missing (env) making a prerequisite absent, under @policy (env)."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("CI", "NP_VM_REQUIRED", "NP_VM_QEMU", "NP_VM_KERNEL", "NP_VM_BUSYBOX")}
    env.update(missing)
    env.update(policy)
    env["NP_VM_CACHE"] = cache
    p = subprocess.run([np_vm, "--topology", "2node", "--", "/bin/true"], env=env,
                       capture_output=True, text=True, timeout=60)
    return p.returncode, p.stdout, p.stderr


cache = tempfile.mkdtemp(prefix="np-vm-policy-")
os.rmdir(cache)  # np-vm must not get as far as creating it
missing = [
    ("qemu", {"NP_VM_QEMU": "/nonexistent"}, "qemu-system-x86_64: apt-get install qemu-system-x86"),
    ("kernel", {"NP_VM_QEMU": "/bin/true", "NP_VM_KERNEL": "/nonexistent"},
     "NP_VM_KERNEL=/nonexistent or /lib/modules/nonexistent/modules.dep is missing"),
]
# A kernel with modules is needed to get as far as the busybox check.
if any(os.path.exists("/lib/modules/%s/modules.dep" % os.path.basename(k)[len("vmlinuz-"):])
       for k in glob.glob("/boot/vmlinuz-*")):
    missing.append(("busybox", {"NP_VM_QEMU": "/bin/true", "NP_VM_BUSYBOX": "/bin/ls"},
                    "a statically linked busybox (/bin/ls is dynamic)"))
else:
    print("# no /boot/vmlinuz-<ver> with modules here: the busybox case is not run")

skips = [{}, {"CI": "false"}, {"CI": "true", "NP_VM_REQUIRED": "0"}]
fails = [({"CI": "true"}, "CI=true"), ({"CI": "1"}, "CI=1"),
         ({"NP_VM_REQUIRED": "1"}, "NP_VM_REQUIRED=1"),
         ({"CI": "false", "NP_VM_REQUIRED": "1"}, "NP_VM_REQUIRED=1")]
for name, env, what in missing:
    for policy in skips:
        rc, out, err = run(env, policy)
        check(rc == 77 and out.startswith("SKIP: " + what) and
              "skips the vm suite on this machine" in out,
              "%s missing, %s: SKIP (77) saying what and that it is a skip" % (name, policy or
                                                                                "no CI"),
              "rc=%d stdout=%s stderr=%s" % (rc, out, err))
    for policy, why in fails:
        rc, out, err = run(env, policy)
        check(rc == 125 and out == "" and
              ("np-vm: error: the multi-NUMA guest must run here (%s) but a prerequisite is "
               "missing: %s" % (why, what)) in err,
              "%s missing, %s: FAIL (125) naming it" % (name, policy),
              "rc=%d stdout=%s stderr=%s" % (rc, out, err))
check(not os.path.exists(cache), "nothing was built: no cache folder")
shutil.rmtree(cache, ignore_errors=True)

done()
