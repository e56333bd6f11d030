#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""numaperf-l2fwd as a user runs it: --dry-run prints the plan table without
starting EAL (on this host and on described machines), bad configurations and
command lines exit non-zero with the precise message, the hugepage check
refuses before EAL with the exact shortfall, and short real runs on net_ring
and net_null vdevs forward packets and print the report. Prints TAP.
usage: test_l2fwd.py NUMAPERF_L2FWD EXAMPLES_DIR TOPOLOGY_DIR DATA_DIR"""
import os
import re
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "common"))
from tap import check, done, skip  # noqa: E402

l2fwd, examples, topo_dir, data_dir = sys.argv[1:5]
VDEV = os.path.join(examples, "l2fwd-vdev.ini")
NULL = os.path.join(examples, "l2fwd-null.ini")
VM = os.path.join(examples, "l2fwd-vm.ini")


def run(*args, topo=None, timeout=60):
    env = dict(os.environ)
    env.pop("NP_TOPOLOGY", None)
    if topo:
        env["NP_TOPOLOGY"] = os.path.join(topo_dir, topo)
    p = subprocess.run([l2fwd] + list(args), capture_output=True, text=True, env=env,
                       timeout=timeout)
    return p.returncode, p.stdout, p.stderr


def rows(out, header_word):
    """Rows of the table that follows the line starting with header_word."""
    lines = out.splitlines()
    for i, line in enumerate(lines):
        if line.strip().startswith(header_word):
            table = []
            for l in lines[i + 1:]:
                if not l.strip() or not l.strip()[0].isdigit():
                    break
                table.append(l.split())
            return table
    return []


def report_ports(out):
    """{port: (rx, tx, dropped, poller, mempool)} from the end-of-run report."""
    body = out.split("numaperf-l2fwd report:", 1)
    if len(body) < 2:
        return {}
    res = {}
    for r in rows(body[1], "port  device"):
        res[int(r[0])] = (int(r[-3]), int(r[-2]), int(r[-1]), r[-6], r[-4])
    return res


# --- dry run: the plan table, no EAL ----------------------------------------
rc, out, err = run("--config", VDEV, "--dry-run")
check(rc == 0, "dry-run on the shipped vdev config exits 0", err)
check("port  name       node  from    queue  lcore  lcore-node  mempool-node  poller  mempool"
      in out, "dry-run prints the RX queue table header", out)
t = rows(out, "port  name")
check(len(t) == 2 and t[0][:6] == ["0", "net_ring0", "0", "device", "0", "0"]
      and t[1][:6] == ["1", "net_ring1", "0", "device", "0", "1"]
      and all(r[-2:] == ["LOCAL", "LOCAL"] for r in t),
      "each net_ring port is polled by its own lcore, locally", out)
check("EAL:" not in err and "EAL:" not in out, "dry-run does not start EAL", err)

rc, out, err = run("--config", VDEV, "--dry-run", "--verbose")
check(rc == 0 and re.search(r"total\s+5056\s+-> 8191 mbufs", out) is not None,
      "--verbose prints the pool arithmetic (5056 -> 8191 mbufs)", out)
check(re.search(r"hugepages on node 0: pools [\d.]+ MB .* pages of", out) is not None,
      "--verbose prints the hugepage arithmetic", out)

# --- dry run on the described two-node VM ------------------------------------
rc, out, err = run("--config", VM, "--dry-run", topo="2node.xml")
t = rows(out, "port  name")
check(rc == 0 and len(t) == 2, "dry-run of the VM config on 2node.xml", out + err)
if len(t) == 2:
    check(t[0][:8] == ["0", "0000:0a:02.0", "1", "device", "0", "2", "1", "1"],
          "NIC A on node 1: polled by lcore 2 (node 1), pool on node 1", out)
    check(t[1][:8] == ["1", "0000:00:05.0", "0", "policy", "0", "0", "0", "0"],
          "unknown-node NIC B decided by the policy, not silently 0", out)
check("the device reports no NUMA node (-1); the unknown-node policy nearest-worker "
      "places it on node 0" in out, "the unknown-node decision is printed", out)

rc, out, err = run("--config", VM, "--dry-run", "--unknown-node", "node 1", topo="2node.xml")
t = rows(out, "port  name")
check(rc == 0 and len(t) == 2 and t[1][2:6] == ["1", "policy", "0", "2"],
      "--unknown-node 'node 1' puts NIC B on node 1", out + err)

rc, out, err = run("--config", VM, "--dry-run", "--lcores", "0-1", topo="2node.xml")
t = rows(out, "port  name")
check(rc == 0 and t and t[0][-2:] == ["REMOTE", "LOCAL"],
      "no worker on node 1: NIC A polled REMOTE, pool still LOCAL", out + err)
check("which has no worker: its 1 RX queue are polled from node 0 at distance 21 "
      "(local is 10)" in out, "the remote warning names the distance", out)

rc, out, err = run("--config", VM, "--dry-run", "--lcores", "0-1", "--strict",
                   topo="2node.xml")
check(rc == 2 and "numaperf-l2fwd: command line (--set policies.strict=yes): port "
      "0000:0a:02.0 is on node 1, which has no worker; strict mode refuses to poll it from "
      "node 0 (distance 21, local is 10): add a worker on node 1 or allow remote polling\n"
      == err, "--strict refuses with exit 2, the distances and where strict came from", err)
# The same refusal from the file names its line (the layer that read it says where).
strict_ini = os.path.join(os.environ.get("TMPDIR", "/tmp"), "np-l2fwd-strict-%d.ini" % os.getpid())
with open(VM) as f, open(strict_ini, "w") as g:
    g.write(f.read().replace("[policies]", "[policies]\nstrict = yes", 1))
line = [i + 1 for i, l in enumerate(open(strict_ini)) if l.startswith("strict = yes")][0]
rc, out, err = run("--config", strict_ini, "--dry-run", "--lcores", "0-1", topo="2node.xml")
os.unlink(strict_ini)
check(rc == 2 and err.startswith("numaperf-l2fwd: %s:%d: [policies] strict: port 0000:0a:02.0 "
                                 "is on node 1, which has no worker" % (strict_ini, line)),
      "a plan refusal caused by a key of the file names FILE:LINE, section and key", err)

rc, out, err = run("--config", VM, "--dry-run", "--unknown-node", "fail", topo="2node.xml")
check(rc == 2 and "port 0000:00:05.0: the device reports no NUMA node (-1) and the "
      "unknown-node policy is 'fail'" in err, "--unknown-node fail refuses NIC B", err)

# --- bad configurations and command lines -------------------------------------
bad = os.path.join(data_dir, "config", "bad-lcore.ini")
rc, out, err = run("--config", bad, "--dry-run", topo="1node.xml")
want = ("numaperf-l2fwd: %s:3: [workers] lcores = 0,9: CPU 9 does not exist in topology "
        "%s; allowed: CPU ids 0-3, as a list like 0-3,6\n" % (bad, os.path.join(topo_dir,
                                                                          "1node.xml")))
check(rc == 2 and err == want, "bad config: exit 2, file:line, section, key, allowed",
      "rc=%d\n%s" % (rc, err))

rc, out, err = run("--config", VDEV, "--duration", "-5")
check(rc == 2 and "numaperf-l2fwd: command line (--set pipeline.duration=-5): "
      "[pipeline] duration = -5: not a whole number; allowed: 0-86400" in err,
      "bad --duration: exit 2 naming the option", err)

rc, out, err = run("--config", VDEV, "--set", "port0.rx_queue=2")
check(rc == 2 and "[port0] unknown key 'rx_queue'; allowed keys: pci, vdev, node, "
      "rx_queues, rx_desc, tx_desc, peer, promiscuous" in err, "unknown key from --set", err)

rc, out, err = run("--config", os.path.join(data_dir, "config", "no-such.ini"))
check(rc == 2 and "cannot open configuration" in err and "No such file" in err,
      "missing file: exit 2", err)

rc, out, err = run("--dry-run")
check(rc == 2 and "--config FILE is required" in err, "no --config: exit 2", err)

rc, out, err = run("--config", VDEV, "--", "-l", "0")
check(rc == 2 and "EAL argument -l is set by the configuration: use [workers] lcores "
      "or per_node" in err, "EAL -l after -- is refused", err)

rc, out, err = run("--config", VDEV, "--bogus")
check(rc == 2 and "usage: numaperf-l2fwd" in err, "unknown option: usage, exit 2", err)

rc, out, err = run("--help")
check(rc == 0 and "usage: numaperf-l2fwd" in out, "--help exits 0", err)

# --- command lines and EAL arguments refused before EAL starts --------------------
for args, want in [
        (("--dry-run", "extra"), "numaperf-l2fwd: unexpected argument 'extra': EAL arguments "
                                 "go after --\n"),
        (("--duration", "1", "--", "garbage"),
         "numaperf-l2fwd: EAL argument \"garbage\" is neither an option nor an option's "
         "value: EAL would ignore it and everything after it\n"),
        (("--duration", "1", "--", "--proc-type=secondary"),
         "numaperf-l2fwd: EAL argument --proc-type=secondary: not supported: numaperf runs "
         "EAL as a primary process with --in-memory, so there is nothing a secondary could "
         "attach to\n"),
        (("--duration", "1", "--", "--vde=net_null9"), "EAL argument --vde=net_null9 is set "
         "by the configuration: use [portN] pci or vdev\n"),
        (("--duration", "1", "--", "--main-lc=0"), "EAL argument --main-lc=0 is set by the "
         "configuration: use [workers] main_lcore (or --main-lcore)\n"),
        (("--duration", "1", "--", "-l", "0"), "EAL argument -l is set by the "
         "configuration: use [workers] lcores or per_node\n"),
        (("--duration", "1", "--", "--no-hug"), "EAL argument --no-hug is set by the "
         "configuration: use [eal] no_huge (or --no-huge)\n"),
        (("--duration", "1", "--", "--file-prefix"), "EAL argument --file-prefix needs a value"),
]:
    rc, out, err = run("--config", VDEV, *args, timeout=30)
    check(rc == 2 and want in err and "EAL:" not in err,
          "refused before EAL, exit 2: %s" % " ".join(args), "rc=%d\n%s" % (rc, err))

# --- devices DPDK refuses name their port and what DPDK said ------------------------
for vdev, what in [("net_bogus0", "unknown driver"),
                   ("net_ring1,nodeaction=ring_p0:0:CREATE", "the ring of port 0 again")]:
    rc, out, err = run("--config", VDEV, "--duration", "1", "--set", "port1.vdev=" + vdev,
                       timeout=60)
    check(rc == 2 and "numaperf-l2fwd: command line (--set port1.vdev=%s): port 1: DPDK "
          "refused virtual device \"%s\": no driver's name starts its name, or the driver "
          "refused its arguments" % (vdev, vdev) in err,
          "vdev refused by DPDK (%s): exit 2, names port 1 and the device" % what, err)
long_name = "net_null" + "x" * 60
rc, out, err = run("--config", VDEV, "--dry-run", "--set", "port1.vdev=" + long_name)
check(rc == 2 and "port 1: vdev name \"net_nullxxxxxxxxxxxxxxxx...\" is 68 characters; "
      "DPDK's limit is 63" in err, "a vdev name over DPDK's limit is refused even in a dry "
      "run", err)

# --- hugepage check, before EAL ---------------------------------------------------
# gap-0-2.xml: node 2 has no hugepages; workers there put EAL and the pool there.
# A dry run shows the arithmetic and the shortfall; a real run on a described
# machine is refused (it plans for nodes this host may not have).
rc, out, err = run("--config", NULL, "--lcores", "2-3", "--dry-run", "--verbose",
                   topo="gap-0-2.xml")
m = re.search(r"node 2 has 0 free 2 MB hugepages, the plan needs (\d+) \([\d.]+ MB: "
              r"pools [\d.]+, rings [\d.]+, descriptors [\d.]+, lcore contexts [\d.]+, "
              r"tables [\d.]+, EAL [\d.]+\), short by (\d+): echo (\d+) > /sys/devices/system/node/node2/"
              r"hugepages/hugepages-2048kB/nr_hugepages, or run EAL without hugepages "
              r"\(no_huge\)", out)
check(rc == 0 and m is not None and m.group(1) == m.group(2) == m.group(3),
      "dry run on a described machine: the exact shortfall and the echo command", out + err)
rc, out, err = run("--config", NULL, "--lcores", "2-3", "--duration", "1",
                   topo="gap-0-2.xml")
check(rc == 2 and "numaperf-l2fwd: the topology is a described machine (%s), not this one: "
      "it can plan (a dry run) but not run; unset NP_TOPOLOGY to run here\n"
      % os.path.join(topo_dir, "gap-0-2.xml") in err and "EAL:" not in err,
      "a real run on a described machine is refused before EAL, exit 2", err)


def free_2m_pages():
    try:
        with open("/sys/devices/system/node/node0/hugepages/hugepages-2048kB/"
                  "free_hugepages") as f:
            return int(f.read())
    except OSError:
        return 0


# This host, asked for more mbufs than its free hugepages hold: refused before EAL.
mounted = any(l.split()[2] == "hugetlbfs" for l in open("/proc/mounts") if len(l.split()) > 2)
free = free_2m_pages()
if mounted and 0 < free < 8000:
    rc, out, err = run("--config", NULL, "--duration", "1", "--set", "port0.rx_queues=128",
                       "--set", "port0.rx_desc=32768", "--set", "port1.rx_queues=128",
                       "--set", "port1.rx_desc=32768")
    m = re.search(r"node 0 has (\d+) free 2 MB hugepages, the plan needs (\d+) .*short by "
                  r"(\d+): echo (\d+) > /sys/devices/system/node/node0/hugepages/"
                  r"hugepages-2048kB/nr_hugepages", err)
    ok = m is not None and int(m.group(2)) - int(m.group(1)) == int(m.group(3))
    check(rc == 1 and ok and "EAL:" not in err and
          "to run without hugepages: --no-huge or [eal] no_huge = yes" in err,
          "hugepage shortfall on this host: exit 1, exact numbers, before EAL, the hint",
          "rc=%d\n%s" % (rc, err))
else:
    skip("hugepage shortfall on this host", "hugetlbfs not mounted or %d free pages" % free)


# --- real runs ----------------------------------------------------------------------
def real_run(what, *args, seconds=2):
    rc, out, err = run("--config", *args, "--duration", str(seconds), timeout=120)
    ports = report_ports(out)
    check(rc == 0 and "forwarding on 2 lcores" in out and len(ports) == 2,
          what + ": exits 0 and prints the report", "rc=%d\n%s\n%s" % (rc, out, err))
    return rc, out, err, ports


rc, out, err, ports = real_run("net_ring pair, --no-huge", VDEV, "--no-huge")
if len(ports) == 2:
    check(ports[0][0] > 1000 and ports[1][0] > 1000,
          "both ring ports received packets (%d, %d)" % (ports[0][0], ports[1][0]))
    # What port 0 receives leaves on port 1 and vice versa, nothing dropped.
    check(ports[0][0] == ports[1][1] + ports[1][2] and ports[1][0] == ports[0][1] + ports[0][2],
          "rx on one port = tx + dropped on its peer", out)
    check(all(p[3] == "LOCAL" and p[4] == "LOCAL" for p in ports.values()),
          "report: pollers and mempools LOCAL", out)
check("seeded 128" in out and "--no-huge (DPDK memory on one socket only)" in out,
      "report says what was seeded and that memory was not placed", out)
check(re.search(r"port0 net_ring0 \(net_ring, vdev\): node 0 decided by device: vdev "
                r"argument nodeaction puts its ring on node 0", out) is not None,
      "report says how each port's node was decided", out)

hp_free = free_2m_pages()
if hp_free >= 32 and mounted:
    rc, out, err, ports = real_run("net_ring pair on hugepages", VDEV)
    check(len(ports) == 2 and ports[0][0] > 1000 and ports[0][0] == ports[1][1] + ports[1][2],
          "hugepages: packets forwarded and conserved", out)
else:
    skip("net_ring pair on hugepages", "node 0 has %d free 2 MB hugepages (need 32) or "
         "hugetlbfs is not mounted" % hp_free)

rc, out, err, ports = real_run("net_null pair, handoff mode", NULL, "--no-huge", "--mode",
                               "handoff", seconds=1)
check(len(ports) == 2 and ports[0][1] > 1000 and ports[1][1] > 1000
      and "np_handoff_n0 for node 0, memory on node 0" in out, "handoff through the node-0 ring sends packets",
      out)

# Which copy of the worker loop runs, at debug level, asked for in EAL's glob
# form as for any DPDK library (the log types once carried quotes in their
# names, which only the regex form matched): the plain loop (AVX2 unless EAL
# limits vectors to 128 bits, or the CPU has none), and the general one for
# handoff.
avx2 = "avx2" in open("/proc/cpuinfo").read().split()
for mode, eal, want in (([], ["--log-level=numaperf.pipeline:debug"],
                         "the plain loop, AVX2" if avx2 else "the plain loop"),
                        ([], ["--log-level=numaperf.*:debug", "--force-max-simd-bitwidth=128"],
                         "the plain loop"),
                        (["--mode", "handoff"], ["--log-level=numaperf.pipeline:debug"],
                         "the loop for handoff, executors and ticks")):
    rc, out, err = run("--config", NULL, "--no-huge", "--duration", "1", "--quiet", *mode,
                       "--", *eal, timeout=60)
    check(rc == 0 and re.search(r"^numaperf: lcore \d+: %s$" % re.escape(want), err, re.M),
          "%s: the debug line says '%s'" % (" ".join(mode + eal), want),
          "rc=%d\n%s" % (rc, err[-2000:]))

# EAL's main lcore apart from the worker (--main-lcore, as dpdk-testpmd keeps
# its own): EAL is given both CPUs, the process's main thread sits on CPU 0 and
# only waits, the loop runs on EAL's worker thread on CPU 1, and the 128 packets
# the main lcore seeds through its own mempool cache all come back.
if os.cpu_count() >= 2:
    env = dict(os.environ)
    env.pop("NP_TOPOLOGY", None)
    proc = subprocess.Popen([l2fwd, "--config", VDEV, "--no-huge", "--lcores", "1",
                             "--main-lcore", "0", "--duration", "3", "--quiet", "--verbose"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    threads = {}
    deadline = time.time() + 60
    while time.time() < deadline and proc.poll() is None:
        time.sleep(0.2)
        try:
            for tid in os.listdir("/proc/%d/task" % proc.pid):
                with open("/proc/%d/task/%s/status" % (proc.pid, tid)) as f:
                    st = dict(l.split(":", 1) for l in f.read().splitlines() if ":" in l)
                threads[int(tid)] = (st["Name"].strip(), st["Cpus_allowed_list"].strip())
        except OSError:
            continue
        if any(n.startswith("rte-worker") for n, _ in threads.values()):
            break
    out, err = proc.communicate(timeout=60)
    ports = report_ports(out)
    check(proc.returncode == 0 and "EAL: -l 0,1 --main-lcore 0 " in out + err
          and "main lcore: CPU 0, apart from the workers" in out + err
          and "forwarding on 1 lcore" in out and len(ports) == 2,
          "--main-lcore 0 --lcores 1: EAL gets both CPUs, one lcore forwards, exit 0",
          "rc=%s\n%s\n%s" % (proc.returncode, out[-1500:], err[-1500:]))
    check(threads.get(proc.pid, ("", ""))[1] == "0"
          and ("rte-worker-1", "1") in threads.values(),
          "the main thread is on CPU 0, the worker loop on EAL's thread on CPU 1",
          "threads: %s" % threads)
    check(len(ports) == 2 and ports[0][0] > 1000 and ports[0][0] == ports[1][1] + ports[1][2]
          and "seeded 128" in out and re.search(r"all \d+ mbufs back", out) is not None,
          "--main-lcore: seeded packets forwarded, conserved and all mbufs back",
          out[-1500:])
else:
    skip("--main-lcore apart from the worker", "this machine has 1 CPU: a main lcore "
         "apart needs 2")

# More seed packets than a net_ring TX queue holds (1023): cut, and said.
rc, out, err = run("--config", VDEV, "--no-huge", "--duration", "1", "--set",
                   "pipeline.seed_packets=4096", timeout=60)
check(rc == 0 and "numaperf-l2fwd: warning: port0 (net_ring0) took 1023 of the 4096 seed "
      "packets ([pipeline] seed_packets): its TX queue had no room for more; the rest were "
      "freed" in err, "seed packets cut to what fits, with a warning", "rc=%d\n%s" % (rc, err))
# Handoff with one RX queue per net_ring port: TX queue 1 loops to an RX queue nobody polls.
rc, out, err = run("--config", VDEV, "--no-huge", "--duration", "1", "--mode", "handoff",
                   timeout=60)
check("numaperf-l2fwd: warning: port0 (net_ring0, net_ring) has 2 TX queues (one per sending "
      "lcore) but 1 RX queues: what is sent on TX queues 1-1 loops back to RX queues nobody "
      "polls and stays there; set [port0] rx_queues = 2" in err,
      "net_ring with fewer RX than TX queues: warned before the run", err)
check(rc == 1 and "ERROR:" in out and "mbufs are not back after the ports closed" in err,
      "...and the mbufs stuck there are an error at the end, exit 1", "rc=%d\n%s\n%s"
      % (rc, out[-600:], err[-600:]))
# The report is the product: a full disk is an error, not silence.
env = dict(os.environ)
env.pop("NP_TOPOLOGY", None)
with open("/dev/full", "w") as full:
    p = subprocess.run([l2fwd, "--config", VDEV, "--no-huge", "--duration", "1"],
                       stdout=full, stderr=subprocess.PIPE, text=True, env=env, timeout=60)
check(p.returncode == 1 and "numaperf-l2fwd: could not write the report to standard output: "
      "No space left on device" in p.stderr, "report to /dev/full: exit 1 and says so",
      "rc=%d\n%s" % (p.returncode, p.stderr))
p = subprocess.run([l2fwd, "--config", VDEV, "--dry-run"], stdout=subprocess.DEVNULL,
                   stderr=subprocess.PIPE, text=True, env=env, timeout=60,
                   preexec_fn=lambda: os.close(1))
check(p.returncode == 1 and "could not write the report to standard output" in p.stderr,
      "stdout closed: exit 1 and says so", "rc=%d\n%s" % (p.returncode, p.stderr))

# --- the stateful forwarder (--flows) on this host --------------------------------
FLOWS = os.path.join(examples, "l2fwd-flows.ini")
rc, out, err = run("--config", FLOWS, "--no-huge", "--duration", "2", "--quiet", "--flows", "5000",
                   "--zipf", "1.1", timeout=90)
check(rc == 0 and "flows: 5000, Zipf-skewed (exponent 1.10), home: a symmetric hash" in out,
      "--flows 5000 --zipf 1.1: exit 0, says what it drew", "rc=%d\n%s\n%s" % (rc, out[-2500:],
                                                                     err[-1500:]))
tab = re.search(r"^0\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)$",
                out.split("flows:")[-1], re.M)
check(tab is not None and 0 < int(tab.group(1)) <= int(tab.group(2)) == 20000
      and int(tab.group(4)) == 0, "node 0's table holds flows, capacity 4 x N, nothing refused",
      out[-2500:])
pair = re.search(r"^0\s+0\s+(\d+)\s+(\d+)\s+(\d+)\s+\(local\)$", out, re.M)
rx = sum(p[0] for p in report_ports(out).values())
check(pair is not None and int(pair.group(1)) == rx and pair.group(2) == "0",
      "one node: every packet looked up locally, none handed off", out[-2500:])
check("migrated: 0 packets handled on their flow's node after crossing; 0 crossed more than "
      "once, 0 handled away from their flow's node; 0 found the table full" in out
      and "all 16383 mbufs back" in out, "nothing migrates on one node; every mbuf back", out)
rc, out, err = run("--config", FLOWS, "--no-huge", "--duration", "1", "--quiet", "--flows", "100",
                   "--home", "ingress", "--flow-capacity", "64", timeout=90)
tab = re.search(r"^0\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s", out.split("flows:")[-1], re.M)
check(rc == 0 and "home: the ingress port's node" in out and tab is not None
      and tab.group(2) == "64" and int(tab.group(4)) > 0 and "found the table full" in out,
      "a table too small for its flows: adds refused and counted, never a crash", out[-2500:])
for args, want in [(("--flows", "0"), "--flows 0: expected a whole number from 1 to"),
                   (("--zipf", "-1"), "--zipf -1: expected an exponent from 0 (uniform) to 10"),
                   (("--home", "nowhere"), "--home nowhere: expected symmetric or ingress")]:
    rc, out, err = run("--config", FLOWS, "--dry-run", *args)
    check(rc == 2 and want in err, "%s: exit 2 with the reason" % " ".join(args), err)

# [flows] in the file alone makes the stateful forwarder; its tables' memory is
# in the budget: without hugepages EAL gets it (100000 flows: 400000 entries,
# ~69 MB, more than the slack a plain run has), with hugepages the check counts it.
rc, out, err = run("--config", FLOWS, "--no-huge", "--duration", "1", "--quiet", timeout=90)
check(rc == 0 and "flows: 100000, Zipf-skewed (exponent 1.10)" in out
      and "all 16383 mbufs back" in out,
      "[flows] count = 100000 from the file, without hugepages: runs, every mbuf back",
      "rc=%d\n%s\n%s" % (rc, out[-2500:], err[-1500:]))
rc, out, err = run("--config", FLOWS, "--dry-run", "--verbose")
tables = [float(t) for t in re.findall(r"\+ tables ([\d.]+) MB", out)]
check(rc == 0 and tables and all(60 < t < 80 for t in tables),
      "dry run: each node with workers budgets its flow table (~69 MB for 400000 entries)",
      out[-2500:])
rc, out, err = run("--config", NULL, "--dry-run", "--verbose")
check(rc == 0 and re.findall(r"\+ tables ([\d.]+) MB", out) and
      all(float(t) == 0 for t in re.findall(r"\+ tables ([\d.]+) MB", out)),
      "dry run without [flows]: no table memory", out[-2500:])
for args, want in [(("--set", "flows.home=egress"),
                    "[flows] home = egress: not a known value; allowed: symmetric, ingress"),
                   (("--set", "flows.zipf=nan"), "[flows] zipf = nan: not a decimal number"),
                   (("--tx-drain-us", "2000000"),
                    "--tx-drain-us 2000000: expected a whole number from 0 to 1000000")]:
    rc, out, err = run("--config", FLOWS, "--dry-run", *args)
    check(rc == 2 and want in err, "%s: exit 2 with the reason" % " ".join(args), err)
rc, out, err = run("--config", NULL, "--no-huge", "--duration", "1", "--quiet", "--tx-drain-us",
                   "100", "--set", "pipeline.latency=no", timeout=60)
check(rc == 0 and "latency: not recorded ([pipeline] latency = no, or --no-latency)" in out
      and len(report_ports(out)) == 2,
      "--tx-drain-us 100 and [pipeline] latency = no: runs, latency not recorded", out[-2500:])

# Frames as a wire delivers them, runts included (net_pcap reads a pcap file
# on port0; what port1 sends is written to another): each forwarded frame has
# its two addresses swapped and nothing else changed, a 15-byte frame too (the
# 16-byte swap must not run past it); frames without a whole Ethernet header
# (10 and 13 bytes) are dropped as malformed and counted, never forwarded.
def pcap_write(path, frames):
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
        for i, fr in enumerate(frames):
            f.write(struct.pack("<IIII", i, 0, len(fr), len(fr)) + fr)


def pcap_read(path):
    d, off, out = open(path, "rb").read(), 24, []
    while off + 16 <= len(d):
        incl = struct.unpack("<IIII", d[off:off + 16])[2]
        out.append(d[off + 16:off + 16 + incl])
        off += 16 + incl
    return out


pdir = tempfile.mkdtemp(prefix="np-l2fwd-pcap-")
DST, SRC = bytes.fromhex("0200000000dd"), bytes.fromhex("020000000055")
frames = [DST + SRC + b"\x08\x00" + bytes(range(46)), b"\x01" * 10, DST + SRC + b"\x88",
          DST + SRC + b"\x88\xb5\x7f", DST + SRC + b"\x08\x00" + bytes(46)]
kept = (frames[0], frames[3], frames[4])
pcap_write(os.path.join(pdir, "in.pcap"), frames)
pcap_write(os.path.join(pdir, "empty.pcap"), [])
# What each mode must send on port1 (DPDK port 1). rewrite: l2fwd's destination
# 02:00:00:00:00:<TX port id>, and the TX port's own MAC as source: net_pcap
# gives its n-th device 02:70:63:61:70:<n> ("pcap", drivers/net/pcap).
expect = {"swap": [SRC + DST + fr[12:] for fr in kept],
          "rewrite": [bytes.fromhex("020000000001027063617001") + fr[12:] for fr in kept],
          "none": list(frames)}   # no header touched: runts go on as they came
for mode in ("swap", "rewrite", "none"):
    for f in ("out0.pcap", "out1.pcap"):
        if os.path.exists(os.path.join(pdir, f)):
            os.unlink(os.path.join(pdir, f))
    with open(os.path.join(pdir, "pcap.ini"), "w") as f:
        f.write("[workers]\nlcores = 0\n[pipeline]\nmac = %s\n"
                "[port0]\nvdev = net_pcap0,rx_pcap=%s/in.pcap,tx_pcap=%s/out0.pcap\npeer = port1\n"
                "[port1]\nvdev = net_pcap1,rx_pcap=%s/empty.pcap,tx_pcap=%s/out1.pcap\n"
                "peer = port0\n" % (mode, pdir, pdir, pdir, pdir))
    rc, out, err = run("--config", os.path.join(pdir, "pcap.ini"), "--no-huge", "--duration", "1",
                       "--quiet", timeout=60)
    sent = pcap_read(os.path.join(pdir, "out1.pcap")) if rc == 0 else []
    detail = "rc=%d\nsent %r\nwant %r\n%s%s" % (rc, [x.hex() for x in sent],
                                                [x.hex() for x in expect[mode]], out[-2000:],
                                                err[-1000:])
    check(rc == 0 and sent == expect[mode],
          "mac = %s on net_pcap frames: the headers as the mode says, the rest untouched" % mode,
          detail)
    if mode == "none":
        continue
    # Runts: a mode that touches the header drops a frame without a whole one.
    check("drops: l2fwd-mac malformed 2 (a stage found the packet malformed)" in out
          and re.search(r"^total: rx 5, tx 3, dropped 2, in flight at stop 0", out, re.M),
          "mac = %s: runts of 10 and 13 bytes dropped as malformed, counted" % mode, out[-2500:])
    # The report's counts against DPDK's own per-port statistics.
    check(re.search(r"^ethdev port0: ipackets 5, opackets 0, ", out, re.M)
          and re.search(r"^ethdev port1: ipackets 0, opackets 3, ", out, re.M),
          "mac = %s: rte_eth_stats agree (port0 received 5, port1 sent 3)" % mode, out[-2500:])
shutil.rmtree(pdir, ignore_errors=True)

# SIGTERM and SIGHUP end a run like SIGINT: the loops stop, the report comes.
for sig in (signal.SIGTERM, signal.SIGHUP):
    env = dict(os.environ)
    env.pop("NP_TOPOLOGY", None)
    p = subprocess.Popen([l2fwd, "--config", NULL, "--no-huge", "--quiet"],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    time.sleep(3)
    p.send_signal(sig)
    try:
        out, err = p.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        p.kill()
        out, err = p.communicate()
    check(p.returncode == 0 and len(report_ports(out)) == 2 and "mbufs back" in out,
          "%s stops the loops, the report is printed, every mbuf back" % sig.name,
          "rc=%s\n%s\n%s" % (p.returncode, out[-1500:], err[-1500:]))

# SIGINT ends a run without --duration, and the report still comes.
env = dict(os.environ)
env.pop("NP_TOPOLOGY", None)
p = subprocess.Popen([l2fwd, "--config", NULL, "--no-huge"], stdout=subprocess.PIPE,
                     stderr=subprocess.PIPE, text=True, env=env)
time.sleep(3)
p.send_signal(signal.SIGINT)
try:
    out, err = p.communicate(timeout=30)
except subprocess.TimeoutExpired:
    p.kill()
    out, err = p.communicate()
ports = report_ports(out)
check(p.returncode == 0 and len(ports) == 2 and ports[0][0] > 0,
      "SIGINT stops the loops and the report is printed", "rc=%s\n%s\n%s" % (p.returncode,
                                                                          out, err))

done()
