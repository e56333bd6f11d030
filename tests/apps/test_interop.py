#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""numaperf-l2fwd against a real DPDK peer: dpdk-testpmd (io forwarding) and
numaperf-l2fwd as two processes joined by two net_memif pairs on one socket
(config/examples/l2fwd-memif.ini). testpmd is the memif server and the
traffic source (`start tx_first`), numaperf-l2fwd the client that forwards
what arrives on one memif back out on the other. Both print their packet
counts; this test checks that they reconcile, exactly where nothing can be
between the two processes, and within a stated bound where a packet can
honestly sit in a shared-memory ring when one side stops. Prints TAP.

usage: test_interop.py NUMAPERF_L2FWD EXAMPLES_DIR

Two sessions, one per stop order:
  A. testpmd stops first, numaperf-l2fwd still polling (then SIGINT ends
     it): the reconciliation. testpmd's forward statistics and
     numaperf-l2fwd's report are read while the memif link is up, and every count that crosses between the
     two processes matches exactly; the packets left in a ring at the end
     are known exactly too (see reconcile_a()).
  B. numaperf-l2fwd stops first (SIGINT while testpmd still forwards): a
     stop under live traffic must still drain, exit 0 and get
     every mbuf back, and what numaperf found in flight plus what testpmd
     dropped cannot exceed the packets that exist. testpmd's RX/TX-packets
     cannot be reconciled here: DPDK 22.11's memif zeroes a port's
     connection state when its peer disconnects, and its ethdev statistics
     then read 0 (see check_b()). And DPDK 22.11's memif has a race: a side
     that is forwarding when its peer disconnects can die of SIGSEGV in
     librte_net_memif (see run_session()); if testpmd does, B skips its
     testpmd checks and still runs numaperf-l2fwd's. A's order never has a
     side polling when the other disconnects.
Session A runs on hugepages when node 0 has enough free 2 MB pages, else
--no-huge; session B always runs --no-huge, so a machine with hugepages
exercises both memory modes. memif needs no shared DPDK memory (it copies
packets through its own memfd region), so --no-huge works in both processes
and the test does not need hugepages at all. It SKIPs (exit 0, TAP "1..0 #
SKIP") when dpdk-testpmd is missing or CPUs 0-1 are not both usable.

Environment: NP_TESTPMD overrides the dpdk-testpmd path."""
import ctypes
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "common"))
from tap import check, done, skip  # noqa: E402

l2fwd, examples = sys.argv[1:3]
MEMIF_INI = os.path.join(examples, "l2fwd-memif.ini")
# testpmd's burst (--burst) and so the size of each `start tx_first` burst:
# the number of packets testpmd injects on each of its two ports, the only
# packets that ever exist in this closed loop (numaperf-l2fwd seeds none).
BURST = 32
# Seconds: how long each step may take before the test gives up. Nothing
# here waits without one of these: a hang fails fast and kills both sides.
T_START = 30        # a process up (EAL, ports, the socket, the link)
T_CMD = 30          # a testpmd command answered (its prompt back)
T_EXIT = 30         # a process gone after it was told to stop
# numaperf-l2fwd's --duration: a safety net only (the test stops it with
# SIGINT when the stop order needs it); long enough for a loaded machine.
DURATION = 60


def note(text):
    for line in text.splitlines():
        print("# " + line)
    sys.stdout.flush()


def skip_all(why):
    print("1..0 # SKIP %s" % why)
    sys.exit(0)


# --- children: own process group, killed on every exit path ----------------
children = []
_libc = ctypes.CDLL(None, use_errno=True)
PR_SET_PDEATHSIG = 1


def _child_setup():
    # A child dies with the test, even if the test is SIGKILLed (meson's
    # timeout escalates): the kernel sends it SIGKILL when we exit.
    _libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)


class Proc:
    """A child whose stdout and stderr are read as they come (threads), so
    the test can wait for a line with a timeout instead of blocking."""

    def __init__(self, name, argv, stdin=False):
        self.name = name
        self.argv = argv
        self.lock = threading.Lock()
        self.out = []
        self.err = []
        self.p = subprocess.Popen(argv, stdin=subprocess.PIPE if stdin else subprocess.DEVNULL,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                  start_new_session=True, preexec_fn=_child_setup)
        children.append(self)
        self.threads = [threading.Thread(target=self._read, args=(self.p.stdout, self.out),
                                         daemon=True),
                        threading.Thread(target=self._read, args=(self.p.stderr, self.err),
                                         daemon=True)]
        for t in self.threads:
            t.start()

    def _read(self, f, buf):
        while True:
            data = os.read(f.fileno(), 65536)
            if not data:
                return
            with self.lock:
                buf.append(data.decode(errors="replace"))

    def stdout(self):
        with self.lock:
            return "".join(self.out)

    def stderr(self):
        with self.lock:
            return "".join(self.err)

    def both(self):
        return "%s\n--- stderr ---\n%s" % (self.stdout(), self.stderr())

    def running(self):
        return self.p.poll() is None

    def wait_for(self, pred, timeout):
        """Poll until pred(stdout) is true; False on timeout or if the
        process exited without it."""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if pred(self.stdout()):
                return True
            if not self.running():
                # Let the readers take the last bytes, then look once more.
                for t in self.threads:
                    t.join(timeout=2)
                return pred(self.stdout())
            time.sleep(0.02)
        return False

    def send(self, line):
        try:
            self.p.stdin.write((line + "\n").encode())
            self.p.stdin.flush()
            return True
        except (BrokenPipeError, OSError):
            return False

    def wait_exit(self, timeout):
        try:
            self.p.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            return None
        for t in self.threads:
            t.join(timeout=5)
        return self.p.returncode

    def kill(self):
        if self.running():
            try:
                os.killpg(self.p.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            try:
                self.p.wait(timeout=10)
            except subprocess.TimeoutExpired:
                pass


def kill_children():
    for c in children:
        c.kill()
    children.clear()


def _on_term(signum, frame):
    # meson's timeout sends SIGTERM: leave through the finally blocks.
    raise SystemExit("test_interop.py: signal %d" % signum)


signal.signal(signal.SIGTERM, _on_term)
signal.signal(signal.SIGINT, _on_term)


# --- what the two programs print ---------------------------------------------
def tp_forward_stats(out):
    """testpmd's "Forward statistics for port N" blocks printed by the last
    `stop`: {port: {"rx", "rx_dropped", "tx", "tx_dropped"}}."""
    last = out.rfind("Telling cores to stop")
    if last < 0:
        return {}
    res = {}
    for m in re.finditer(r"Forward statistics for port (\d+)\s+-+\s*\n"
                         r"\s*RX-packets: (\d+)\s+RX-dropped: (\d+)\s+RX-total: (\d+)\s*\n"
                         r"(?:.*\n)*?"
                         r"\s*TX-packets: (\d+)\s+TX-dropped: (\d+)\s+TX-total: (\d+)",
                         out[last:]):
        res[int(m.group(1))] = {"rx": int(m.group(2)), "rx_dropped": int(m.group(3)),
                                "tx": int(m.group(5)), "tx_dropped": int(m.group(6))}
    return res


def tp_rates(out):
    """The packet rates of the last `show port stats all` (testpmd measures
    them since the previous show): [(rx_pps, tx_pps) per port]."""
    rates = re.findall(r"Rx-pps:\s+(\d+).*\n\s*Tx-pps:\s+(\d+)", out)
    return [(int(a), int(b)) for a, b in rates[-2:]]


def tp_snapshot(out):
    """The counters of the last `show port stats all` (cumulative since the
    ports started): {port: {"rx", "tx"}}."""
    res = {}
    for m in re.finditer(r"NIC statistics for port (\d+)\s+#+\s*\n\s*RX-packets: (\d+).*\n"
                         r"(?:.*\n)*?\s*TX-packets: (\d+)", out):
        res[int(m.group(1))] = {"rx": int(m.group(2)), "tx": int(m.group(3))}
    return res


def np_report(out):
    """numaperf-l2fwd's end-of-run report, or None if it has none."""
    body = out.split("numaperf-l2fwd report:", 1)
    if len(body) < 2:
        return None
    body = body[1]
    r = {"ports": {}, "eth": {}, "drops": {}}
    m = re.match(r" ([\d.]+) s,", body)
    r["seconds"] = float(m.group(1)) if m else None
    lines = body.splitlines()
    for i, line in enumerate(lines):
        if line.startswith("port  device"):
            for l in lines[i + 1:]:
                f = l.split()
                if not f or not f[0].isdigit():
                    break
                r["ports"][int(f[0])] = {"rx": int(f[-3]), "tx": int(f[-2]),
                                         "dropped": int(f[-1])}
            break
    for m in re.finditer(r"^drops: (\S+) (\S+) (\d+) \(", body, re.M):
        r["drops"][(m.group(1), m.group(2))] = int(m.group(3))
    r["drops_none"] = re.search(r"^drops: none$", body, re.M) is not None
    m = re.search(r"^in flight at stop: (\d+) \(TX buffers (\d+), handoff (\d+), device RX "
                  r"queues (\d+)\)", body, re.M)
    if m:
        r["inflight"] = {"total": int(m.group(1)), "tx_buffers": int(m.group(2)),
                         "handoff": int(m.group(3)), "rx_rings": int(m.group(4))}
    for m in re.finditer(r"^ethdev port(\d+): ipackets (\d+), opackets (\d+), imissed (\d+), "
                         r"ierrors (\d+), oerrors (\d+), rx_nombuf (\d+)", body, re.M):
        r["eth"][int(m.group(1))] = {"ipackets": int(m.group(2)), "opackets": int(m.group(3)),
                                     "imissed": int(m.group(4))}
    r["pools_back"] = re.findall(r"^pool \S+ .*: all (\d+) mbufs back$", body, re.M)
    r["pools_bad"] = re.findall(r"^pool \S+ .*: ERROR: .*$", body, re.M)
    m = re.search(r"^total: rx (\d+), tx (\d+), dropped (\d+), in flight at stop (\d+), "
                  r"seeded (\d+)", body, re.M)
    if m:
        r["total"] = {"rx": int(m.group(1)), "tx": int(m.group(2)),
                      "dropped": int(m.group(3)), "inflight": int(m.group(4)),
                      "seeded": int(m.group(5))}
    return r


# --- the machine ---------------------------------------------------------------
testpmd = os.environ.get("NP_TESTPMD")
if testpmd and not os.access(testpmd, os.X_OK):
    # Asked for by name: a wrong path is a mistake to say, not a skip.
    check(False, "NP_TESTPMD=%s is an executable dpdk-testpmd" % testpmd)
    print("1..1")
    sys.exit(1)
testpmd = testpmd or shutil.which("dpdk-testpmd")
if not testpmd:
    skip_all("dpdk-testpmd not found (Debian: apt-get install dpdk; or set NP_TESTPMD)")
try:
    allowed = os.sched_getaffinity(0)
except OSError:
    allowed = set()
if not {0, 1} <= allowed:
    skip_all("CPUs 0 and 1 are not both usable here (allowed: %s): testpmd needs two "
             "lcores and numaperf-l2fwd one of them" % sorted(allowed))
stdbuf = shutil.which("stdbuf")  # testpmd's stdout is a pipe: make it line-buffered


def hugepages_free():
    """Free 2 MB pages on node 0 when hugetlbfs is mounted, else 0."""
    try:
        mounted = any(len(l.split()) > 2 and l.split()[2] == "hugetlbfs"
                      for l in open("/proc/mounts"))
        with open("/sys/devices/system/node/node0/hugepages/hugepages-2048kB/"
                  "free_hugepages") as f:
            return int(f.read()) if mounted else 0
    except (OSError, ValueError):
        return 0


# Session A on hugepages needs about 26 MB for numaperf-l2fwd (its --dry-run
# --verbose arithmetic for this config: 13 pages) and a little more for
# testpmd (8192 mbufs of 2176 bytes, about 20 MB, and EAL's heap): 40 pages
# leave room.
HUGE_PAGES_NEEDED = 40


def describe_rc(rc):
    """An exit status as Popen gives it: "1", or "on signal 11 (SIGSEGV)"."""
    if rc is not None and rc < 0:
        return "on signal %d (%s)" % (-rc, signal.Signals(-rc).name)
    return str(rc)


def eal_runtime_base():
    """Where EAL puts its runtime directories (eal_create_runtime_dir())."""
    if os.getuid() == 0:
        return "/var/run/dpdk"
    return os.path.join(os.environ.get("XDG_RUNTIME_DIR") or "/tmp", "dpdk")


def run_session(label, no_huge, duration, numaperf_first):
    """One run of both programs, both gone (exited, or killed) on return:
    (testpmd Proc, numaperf-l2fwd Proc, info) with info["ok"] when every
    step happened in order."""
    tmp = tempfile.mkdtemp(prefix="np-interop-")
    sock = os.path.join(tmp, "memif.sock")
    tag = "%d-%s" % (os.getpid(), label)
    # --in-memory and --no-shconf: no hugepage files and no shared
    # configuration left behind (the pages are shared with other users).
    mem_tp = ["--no-huge", "--no-shconf", "-m", "128"] if no_huge else ["--in-memory"]
    prefixes = ["np-interop-tpm-" + tag, "np-interop-l2-" + tag]
    tp_argv = ([stdbuf, "-oL", "-eL"] if stdbuf else []) + [
        testpmd, "-l", "0-1", "-n", "1", "--no-pci", *mem_tp,
        "--file-prefix", prefixes[0], "--log-level=lib.eal:warning",
        "--vdev", "net_memif0,role=server,id=0,socket=%s,socket-abstract=no" % sock,
        "--vdev", "net_memif1,role=server,id=1,socket=%s,socket-abstract=no" % sock,
        "--", "-i", "--forward-mode=io", "--nb-cores=1", "--burst=%d" % BURST,
        "--total-num-mbufs=8192"]
    np_argv = [l2fwd, "--config", MEMIF_INI, "--duration", str(duration),
               "--set", "port0.vdev=net_memif0,role=client,id=0,socket=%s,socket-abstract=no"
               % sock,
               "--set", "port1.vdev=net_memif1,role=client,id=1,socket=%s,socket-abstract=no"
               % sock]
    if no_huge:
        np_argv.append("--no-huge")
    np_argv += ["--", "--file-prefix", prefixes[1]]
    tp = nf = None
    info = {"ok": False}

    def prompts(o):
        return o.count("testpmd> ")

    def cmd(line):
        n = prompts(tp.stdout())
        t0 = time.monotonic()
        ok = tp.send(line) and tp.wait_for(lambda o: prompts(o) > n, T_CMD)
        if not ok:
            rc = tp.p.poll()
            check(False, "%s: testpmd answers '%s' within %d s (%s after %.1f s)"
                  % (label, line, T_CMD, "gave up" if rc is None else "it exited %s"
                     % describe_rc(rc), time.monotonic() - t0), tp.both())
        return ok

    try:
        tp = Proc("dpdk-testpmd", tp_argv, stdin=True)
        up = tp.wait_for(lambda o: prompts(o) >= 1 and os.path.exists(sock), T_START)
        check(up, "%s: dpdk-testpmd is up, its memif socket exists" % label, tp.both())
        if not up:
            return tp, nf, info
        t_launch = time.monotonic()
        nf = Proc("numaperf-l2fwd", np_argv)
        up = nf.wait_for(lambda o: "forwarding on 1 lcore" in o, T_START)
        check(up, "%s: numaperf-l2fwd connected both memif ports and forwards" % label,
              nf.both())
        if not up:
            return tp, nf, info
        # numaperf-l2fwd's loops end at the earliest `duration` seconds after
        # it was launched: what happens before then, while it still runs,
        # happens while it polls. It is stopped by SIGINT (as a user would),
        # at the moment the stop order needs; the duration is a safety net.
        deadline = t_launch + duration

        def polling():
            return time.monotonic() < deadline and nf.running()

        def stop_numaperf():
            nf.p.send_signal(signal.SIGINT)
            info["np_rc"] = nf.wait_exit(T_EXIT)
            check(info["np_rc"] is not None, "%s: numaperf-l2fwd ends within %d s of SIGINT"
                  % (label, T_EXIT), nf.both())
            return info["np_rc"] is not None

        if not cmd("start tx_first"):
            return tp, nf, info
        time.sleep(1.0)
        if not cmd("show port stats all"):
            return tp, nf, info
        time.sleep(1.0)
        if not cmd("show port stats all"):
            return tp, nf, info
        info["rates"] = tp_rates(tp.stdout())
        info["snapshot"] = tp_snapshot(tp.stdout())
        info["snapshot_in_time"] = polling()
        if not numaperf_first:
            if not cmd("stop"):
                return tp, nf, info
            in_time = polling()
            check(in_time, "%s: testpmd stopped and printed its statistics while "
                  "numaperf-l2fwd still polled (%.1f s after its launch): the order "
                  "reconcile_a() relies on" % (label, time.monotonic() - t_launch), nf.both())
            if not in_time:
                return tp, nf, info
            # Let numaperf poll on with nothing coming, so its RX rings are
            # certainly empty at its stop, then stop it.
            time.sleep(0.5)
            if not stop_numaperf():
                return tp, nf, info
        else:
            check(info["snapshot_in_time"], "%s: numaperf-l2fwd still polled after testpmd's "
                  "last snapshot" % label, nf.both())
            if not info["snapshot_in_time"] or not stop_numaperf():
                return tp, nf, info
            # Give testpmd's control thread time to take the disconnect.
            time.sleep(0.5)
            if tp.p.poll() == -signal.SIGSEGV:
                # DPDK 22.11's memif: when the peer disconnects, the
                # interrupt thread's memif_disconnect() unmaps the shared
                # regions while the forwarding lcore may be inside
                # eth_memif_rx/tx, which checked "connected" a moment
                # before: SIGSEGV in librte_net_memif on that lcore (seen
                # in about one run in three on a loaded 2-CPU machine, the
                # same for numaperf-l2fwd when testpmd quits first). Not
                # numaperf's to fix; session A's order never has a side
                # polling when the other disconnects. numaperf's own
                # checks below still run; testpmd's are skipped.
                info["peer_crashed"] = True
                info["tp_rc"] = tp.wait_exit(T_EXIT)
                skip("%s: testpmd still ran (forwarding) when numaperf-l2fwd stopped" % label,
                     "testpmd died of SIGSEGV on numaperf's disconnect: the DPDK 22.11 "
                     "net_memif disconnect race (see test_interop.py, run_session())")
                info["ok"] = True
                return tp, nf, info
            check(tp.running(), "%s: testpmd still ran (forwarding) when numaperf-l2fwd "
                  "stopped" % label, "status %s\n%s" % (describe_rc(tp.p.poll()), tp.both()))
            if not cmd("stop"):
                return tp, nf, info
        tp.send("quit")
        info["tp_rc"] = tp.wait_exit(T_EXIT)
        info["ok"] = True
        return tp, nf, info
    finally:
        # Every path: whatever still runs is killed, the socket removed.
        for c in (nf, tp):
            if c is not None and c.running():
                note("%s still running: killed" % c.name)
                c.kill()
        shutil.rmtree(tmp, ignore_errors=True)
        # EAL's runtime directory of each (named after our pid): what a
        # killed process leaves there (its telemetry socket) goes too.
        for pfx in prefixes:
            shutil.rmtree(os.path.join(eal_runtime_base(), pfx), ignore_errors=True)


def common_checks(label, tp, nf, info):
    """Exit statuses, every mbuf back, and numaperf-l2fwd's own counts
    against each other and against the ethdev counters DPDK kept (exact,
    whatever the stop order). Returns the parsed report, or None."""
    rep = np_report(nf.stdout())
    check(info.get("np_rc") == 0 and rep is not None,
          "%s: numaperf-l2fwd exits 0 and prints its report" % label,
          "status %s\n%s" % (describe_rc(info.get("np_rc")), nf.both()))
    if info.get("peer_crashed"):
        skip("%s: dpdk-testpmd quits with status 0" % label, "it died of the memif "
             "disconnect race (above)")
    else:
        check(info.get("tp_rc") == 0 and "Bye..." in tp.stdout(),
              "%s: dpdk-testpmd quits with status 0" % label,
              "status %s\n%s" % (describe_rc(info.get("tp_rc")), tp.both()))
    if rep is None or sorted(rep["ports"]) != [0, 1] or sorted(rep["eth"]) != [0, 1] \
            or "inflight" not in rep or "total" not in rep:
        check(False, "%s: numaperf-l2fwd's report has ports 0 and 1, in flight at stop, "
              "ethdev counters and totals" % label, nf.both())
        return None
    check(rep["seconds"] is not None and 0 < rep["seconds"] < DURATION,
          "%s: numaperf-l2fwd's loops ran %s s: SIGINT ended them, not its --duration %d"
          % (label, rep["seconds"], DURATION), nf.stdout())
    check(len(rep["pools_back"]) >= 1 and not rep["pools_bad"],
          "%s: numaperf-l2fwd: every mbuf back in its pool (all %s mbufs back)"
          % (label, "/".join(rep["pools_back"])), nf.stdout())
    P, E, infl = rep["ports"], rep["eth"], rep["inflight"]
    drops = sum(rep["drops"].values())
    detail = "numaperf ports %s eth %s in flight %s drops %s" % (P, E, infl, rep["drops"])
    check(P[0]["rx"] > 1000 and P[1]["rx"] > 1000 and P[0]["tx"] > 1000 and P[1]["tx"] > 1000,
          "%s: numaperf-l2fwd received and sent on both memif ports (rx %d/%d, tx %d/%d)"
          % (label, P[0]["rx"], P[1]["rx"], P[0]["tx"], P[1]["tx"]), detail)
    check(drops == rep["total"]["dropped"] and (drops > 0) != rep["drops_none"]
          and rep["total"]["seeded"] == 0,
          "%s: numaperf-l2fwd's drop lines add up to its total (%d), nothing seeded"
          % (label, drops), detail)
    # opackets counts what memif's TX accepted, as the pipeline's tx does.
    # ipackets counts every packet memif's RX handed over, including those
    # the drain read after the loops returned (the "device RX queues" part
    # of in flight at stop), which the pipeline's rx does not count. Both
    # were read after the drain and before the ports closed.
    for k in (0, 1):
        check(E[k]["opackets"] == P[k]["tx"] and E[k]["ipackets"] >= P[k]["rx"],
              "%s: numaperf port %d: ethdev opackets %d = tx %d, ipackets %d >= rx %d"
              % (label, k, E[k]["opackets"], P[k]["tx"], E[k]["ipackets"], P[k]["rx"]),
              detail)
    drained = sum(E[k]["ipackets"] - P[k]["rx"] for k in (0, 1))
    check(drained == infl["rx_rings"],
          "%s: numaperf: ipackets - rx over both ports (%d) = in flight at stop in the device "
          "RX queues (%d)" % (label, drained, infl["rx_rings"]), detail)
    # Every packet received was sent, dropped (any cause, TX refusals
    # included) or was still in a TX buffer or handoff ring at stop.
    rx_all, tx_all = P[0]["rx"] + P[1]["rx"], P[0]["tx"] + P[1]["tx"]
    check(rx_all == tx_all + drops + infl["tx_buffers"] + infl["handoff"],
          "%s: numaperf: rx %d = tx %d + dropped %d + in TX buffers %d + in handoff %d"
          % (label, rx_all, tx_all, drops, infl["tx_buffers"], infl["handoff"]), detail)
    check(infl["total"] == infl["tx_buffers"] + infl["handoff"] + infl["rx_rings"]
          == rep["total"]["inflight"], "%s: numaperf: in flight at stop (%d) is the sum of "
          "its parts" % (label, infl["total"]), detail)
    rep["drops_sum"] = drops
    return rep


def reconcile_a(label, tp, rep):
    """Session A: both reports, read while the memif link was up, against
    each other.

    Names: testpmd's memif port k (server) and numaperf-l2fwd's port k
    (client) are the two ends of memif pair k, which has one ring each way:
      down_k  testpmd port k TX  ->  numaperf port k RX
      up_k    numaperf port k TX ->  testpmd port k RX
    testpmd forwards RX port j -> TX port 1-j (io, two streams), numaperf
    RX port k -> TX port 1-k (each port's peer). The packets therefore run
    in two closed loops, each seeded by one tx_first burst of F = BURST:
      loop k: testpmd TX k -> down_k -> numaperf RX k, TX 1-k -> up_(1-k)
              -> testpmd RX 1-k, TX k -> down_k ...
    No packet is made after tx_first (numaperf seeds none). testpmd's
    "Forward statistics" are reset just before tx_first and read at `stop`:
      TX-packets(k)  ethdev opackets of port k: tx_first's burst and what io
                     forwarding sent, what the memif ring accepted;
      TX-dropped(k)  what port k's TX refused, freed and counted by io and by
                     tx_first's burst, plus oerrors (memif has none);
      RX-packets(k)  ethdev ipackets of port k.

    Order: testpmd's forwarding lcore stopped and its counts were printed
    while numaperf still polled (checked); numaperf polled on for half a
    second more, then (SIGINT) drained, read its ethdev counters, closed.
    """
    fs = tp_forward_stats(tp.stdout())
    if sorted(fs) != [0, 1]:
        check(False, "%s: testpmd printed forward statistics for ports 0 and 1" % label,
              tp.stdout())
        return
    F = BURST
    P, E, infl, drops = rep["ports"], rep["eth"], rep["inflight"], rep["drops_sum"]
    TX = {k: fs[k]["tx"] for k in (0, 1)}
    TXD = {k: fs[k]["tx_dropped"] for k in (0, 1)}
    RX = {k: fs[k]["rx"] for k in (0, 1)}
    detail = "testpmd %s\nnumaperf ports %s eth %s in flight %s drops %s" % (
        fs, P, E, infl, rep["drops"])
    # testpmd on its own (exact): what port 1-k received went out on port k
    # or was dropped there, and port k also sent or dropped its burst of F.
    for k in (0, 1):
        check(TX[k] + TXD[k] == RX[1 - k] + F,
              "%s: testpmd port %d: TX-packets %d + TX-dropped %d = RX-packets of port %d "
              "(%d) + its tx_first burst (%d)" % (label, k, TX[k], TXD[k], 1 - k, RX[1 - k],
                                                  F), detail)
    # down_k, exact: after testpmd's stop nothing more entered a down ring,
    # and numaperf read them until empty (its loops, then its drain);
    # ipackets counts every read.
    for k in (0, 1):
        check(TX[k] == E[k]["ipackets"],
              "%s: pair %d, testpmd -> numaperf: testpmd sent %d = numaperf received %d "
              "(ethdev ipackets; pipeline rx %d), exact" % (label, k, TX[k], E[k]["ipackets"],
                                                           P[k]["rx"]), detail)
    # Nothing can be in numaperf at its stop: its RX rings were empty (it
    # polled them for half a second after the last packet came) and its TX
    # buffers are flushed at the end of every loop iteration (tx_drain_us 0).
    check(infl["total"] == 0, "%s: numaperf in flight at stop: 0 (testpmd had stopped "
          "sending before)" % label, detail)
    # up_k: U_k = numaperf tx(k) - testpmd RX-packets(k) is what numaperf
    # forwarded after testpmd stopped reading: every packet still moving in
    # loop 1-k (testpmd TX 1-k -> numaperf RX 1-k, TX k -> up_k), which now
    # sits in up_k, counted by numaperf as sent and by testpmd as nothing.
    # That loop started with F packets less testpmd's refusals on port 1-k;
    # numaperf's own losses (drops, none expected) could only lower it. So
    # U_k = F - TX-dropped(1-k) exactly when numaperf dropped nothing, and
    # 0 <= U_k <= F - TX-dropped(1-k) otherwise (then a bound).
    U = {k: P[k]["tx"] - RX[k] for k in (0, 1)}
    for k in (0, 1):
        want = F - TXD[1 - k]
        ok = U[k] == want if drops == 0 else 0 <= U[k] <= want
        check(ok, "%s: pair %d, numaperf -> testpmd: numaperf sent %d = testpmd received %d "
              "+ %d left in up_%d after testpmd stopped (loop %d's %d packets%s)"
              % (label, k, P[k]["tx"], RX[k], U[k], k, 1 - k, want,
                 "" if drops == 0 else " less numaperf's drops: a bound"), detail)
    # The whole account of the 2F tx_first packets, in the two reports'
    # words: each ended in exactly one place.
    check(2 * F == infl["total"] + drops + TXD[0] + TXD[1] + U[0] + U[1],
          "%s: the %d tx_first packets = %d in flight at numaperf's stop + %d dropped by "
          "numaperf + %d dropped by testpmd + %d left in the up rings after testpmd's stop"
          % (label, 2 * F, infl["total"], drops, TXD[0] + TXD[1], U[0] + U[1]), detail)


def check_b(label, tp, rep, info):
    """Session B: numaperf-l2fwd stopped under live traffic.

    When numaperf's loops returned, the 2F packets of tx_first were each in
    one of these places, and each is accounted for by at most one report:
      - in numaperf's RX rings or TX buffers: its drain frees and counts
        them, "in flight at stop";
      - with testpmd, or in an up ring testpmd then read: testpmd forwards
        them; if that TX comes after the link went down memif refuses it,
        and testpmd frees and counts it, TX-dropped (a stream counter of
        testpmd's own: it survives the disconnect);
      - in a down ring numaperf's drain had already read, written by testpmd
        in the microseconds between the drain and the ports' close: left in
        a memif ring between the two processes when the link went down,
        counted only by testpmd's TX-packets, which the disconnect zeroes
        (memif_disconnect() clears the port's connection state and
        memif_stats_get() then sums over no queues).
    So in flight + numaperf's drops + testpmd's TX-dropped <= 2F, with the
    difference in memif rings at the disconnect: a bound, not an equality,
    because of that last place. testpmd's RX/TX-packets at its stop are
    gone with the link, so the exact cross-check is session A's; here it is
    against testpmd's last snapshot, taken while numaperf polled (checked):
    numaperf read on after it, so it received at least what testpmd had
    sent by then, and had sent at least what testpmd had received.
    """
    snap = info.get("snapshot") or {}
    fs = tp_forward_stats(tp.stdout())
    P, E, infl, drops = rep["ports"], rep["eth"], rep["inflight"], rep["drops_sum"]
    if sorted(snap) != [0, 1] or not info.get("snapshot_in_time"):
        check(False, "%s: testpmd's counters were read while numaperf-l2fwd polled" % label,
              "%s\n%s" % (snap, tp.stdout()))
        return
    for k in (0, 1):
        check(E[k]["ipackets"] >= snap[k]["tx"] > 0 and E[k]["opackets"] >= snap[k]["rx"] > 0,
              "%s: pair %d: numaperf received %d >= %d testpmd had sent at its last snapshot; "
              "sent %d >= %d testpmd had received" % (label, k, E[k]["ipackets"],
                                                      snap[k]["tx"], E[k]["opackets"],
                                                      snap[k]["rx"]),
              "snapshot %s\nnumaperf eth %s" % (snap, E))
    if info.get("peer_crashed"):
        skip("%s: of the %d tx_first packets, numaperf's in flight + drops + testpmd's "
             "TX-dropped <= %d" % (label, 2 * BURST, 2 * BURST), "testpmd died of the memif "
             "disconnect race before its `stop` (above)")
        check(infl["total"] + drops <= 2 * BURST, "%s: numaperf's in flight at stop (%d) + "
              "drops (%d) <= the %d packets in the loops" % (label, infl["total"], drops,
                                                             2 * BURST), str(infl))
        return
    if sorted(fs) != [0, 1]:
        check(False, "%s: testpmd printed forward statistics for ports 0 and 1" % label,
              tp.stdout())
        return
    txd = fs[0]["tx_dropped"] + fs[1]["tx_dropped"]
    F2 = 2 * BURST
    check(infl["total"] + drops + txd <= F2,
          "%s: of the %d tx_first packets: %d in flight at numaperf's stop + %d dropped by "
          "numaperf + %d dropped by testpmd (TX-dropped) = %d <= %d; the other %d were in a "
          "memif ring when the link went down" % (label, F2, infl["total"], drops, txd,
                                                  infl["total"] + drops + txd, F2,
                                                  F2 - infl["total"] - drops - txd),
          "testpmd %s\nnumaperf in flight %s drops %s" % (fs, infl, rep["drops"]))


def report_rate(label, info):
    rates = info.get("rates") or []
    if len(rates) != 2:
        check(False, "%s: testpmd printed its packet rates" % label, str(rates))
        return
    # testpmd's Rx-pps on its two ports is what numaperf-l2fwd forwarded to
    # it per second over the interval between the two shows (about 1 s, by
    # testpmd's own clock); its Tx-pps what testpmd forwarded to numaperf.
    from_np = rates[0][0] + rates[1][0]
    to_np = rates[0][1] + rates[1][1]
    note("%s: rate over testpmd's last 'show port stats all' interval: testpmd -> numaperf "
         "%.3f Mpps, numaperf -> testpmd %.3f Mpps (%d packets in the two loops; one CPU "
         "each, shared with whatever else runs: an interop check, not a speed figure)"
         % (label, to_np / 1e6, from_np / 1e6, 2 * BURST))
    check(from_np > 0 and to_np > 0, "%s: testpmd measured packets flowing both ways" % label,
          str(rates))


def session(label, no_huge, duration, numaperf_first):
    note("%s: %s, %s; numaperf-l2fwd --duration %d" % (
        label, "numaperf-l2fwd stops first" if numaperf_first else "testpmd stops first",
        "--no-huge in both processes" if no_huge else "hugepages (--in-memory) in both",
        duration))
    tp, nf, info = run_session(label, no_huge, duration, numaperf_first)
    if not info["ok"]:
        return
    rep = common_checks(label, tp, nf, info)
    if rep is None:
        return
    if numaperf_first:
        check_b(label, tp, rep, info)
    else:
        reconcile_a(label, tp, rep)
    report_rate(label, info)


try:
    # The shipped example parses and plans here (the sessions override only
    # the socket path).
    p = subprocess.run([l2fwd, "--config", MEMIF_INI, "--dry-run"], capture_output=True,
                       text=True, timeout=60)
    check(p.returncode == 0 and re.search(r"0\s+net_memif0\s.*LOCAL\s+LOCAL", p.stdout)
          and re.search(r"1\s+net_memif1\s.*LOCAL\s+LOCAL", p.stdout)
          and "1 worker (lcores 0)" in p.stdout,
          "l2fwd-memif.ini: a dry run plans two memif ports on one worker, lcore 0",
          p.stdout + p.stderr)
    free = hugepages_free()
    huge = free >= HUGE_PAGES_NEEDED
    if not huge:
        note("node 0 has %d free 2 MB hugepages (or hugetlbfs is not mounted), %d wanted: "
             "session A runs --no-huge too" % (free, HUGE_PAGES_NEEDED))
    session("A", no_huge=not huge, duration=DURATION, numaperf_first=False)
    session("B", no_huge=True, duration=DURATION, numaperf_first=True)
finally:
    kill_children()

done()
