#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""numaperf-l2fwd's statistics where a user reads them: the end report's
locality and latency tables, --stats-json (checked against the schema in
docs/stats-json.md and against the text report), --prom (checked with
promtool from Debian's prometheus package) and DPDK telemetry under
/numaperf/ (queried with Debian's dpdk-telemetry.py while the demo runs).
Prints TAP.
usage: test_stats_export.py NUMAPERF_L2FWD EXAMPLES_DIR"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "common"))
from tap import check, done, skip  # noqa: E402

l2fwd, examples = sys.argv[1:3]
VDEV = os.path.join(examples, "l2fwd-vdev.ini")
tmp = tempfile.mkdtemp(prefix="np-stats-")


def env():
    e = dict(os.environ)
    e.pop("NP_TOPOLOGY", None)
    return e


def run(*args, timeout=90):
    p = subprocess.run([l2fwd, "--config", VDEV, "--no-huge"] + list(args),
                       capture_output=True, text=True, env=env(), timeout=timeout)
    return p.returncode, p.stdout, p.stderr


def report_value(out, row, col):
    """A number from the report's latency table: row 'port0', column 'p99'."""
    lines = out.splitlines()
    for i, l in enumerate(lines):
        if l.strip().startswith("packets") and "p99.99" in l:
            cols = l.split()
            for r in lines[i + 1:]:
                f = r.split()
                if f and f[0] == row:
                    return float(f[1 + cols.index(col)]) if col != "packets" else int(f[1])
    return None


# --- the end report, --stats-json and --prom, from one run ----------------------
js, prom = os.path.join(tmp, "stats.json"), os.path.join(tmp, "np.prom")
rc, out, err = run("--duration", "2", "--stats-json", js, "--prom", prom)
check(rc == 0, "a 2 s run with --stats-json and --prom exits 0", err)
check(re.search(r"^\[\s+1\.0 s\] port0 rx [\d.]+ tx [\d.]+ Mpps drops 0 local 100\.0% p99 "
                r"[\d.]+ us \| port1 ", out, re.M) is not None,
      "one progress line a second: rates, drops, locality, p99", out[:2000])
check("locality (port, polling lcore and mbuf pool on one node):" in out
      and re.search(r"^0\s+0\s+0\s+0\s+\d+\s+\d+\s+0:\d+\s+100\.00%\s+local$", out, re.M),
      "report: locality table, all local on one node", out)
check(report_value(out, "port0", "p50") is not None and
      report_value(out, "port0", "p99") >= report_value(out, "port0", "p50"),
      "report: latency p50 <= p99 per port", out)

doc = json.load(open(js)) if os.path.exists(js) else {}
schema = {"schema_version", "program", "topology", "seconds", "no_huge", "latency_recorded",
          "tx_mode", "ports", "lcores", "drops", "in_flight_at_stop", "pools", "audit",
          "numastat_delta"}
check(schema <= set(doc), "JSON: every top-level key of docs/stats-json.md",
      sorted(schema - set(doc)))
if doc.get("ports"):
    p0 = doc["ports"][0]
    rx_text = int(re.search(r"^0\s+net_ring0\s.*?(\d+)\s+(\d+)\s+(\d+)$", out, re.M).group(1))
    check(p0["rx"] == rx_text and p0["device"] == "net_ring0" and p0["node"] == 0,
          "JSON: port 0's rx equals the text report's", json.dumps(p0)[:800])
    lat = p0["latency"]
    check(lat and lat["count"] > 0 and lat["min_ns"] <= lat["p50_ns"] <= lat["p90_ns"]
          <= lat["p99_ns"] <= lat["p99_9_ns"] <= lat["p99_99_ns"] <= lat["max_ns"],
          "JSON: ordered percentiles", json.dumps(lat))
    check(abs(lat["p99_ns"] / 1000 - report_value(out, "port0", "p99")) < 0.01,
          "JSON p99 equals the report's", "%s vs %s" % (lat["p99_ns"],
                                                         report_value(out, "port0", "p99")))
    loc = p0["locality"]
    check(loc["health"] == "local" and loc["ratio"] == 1.0 and loc["pkts"] == p0["rx"],
          "JSON: locality ratio 1, health 'local'", json.dumps(loc))
    check(doc["pools"] and all(p["not_back"] == 0 for p in doc["pools"]),
          "JSON: every mbuf back", json.dumps(doc["pools"]))
    check(doc["audit"] and all(a["verdict"] == "OK" for a in doc["audit"])
          and {a["object"] for a in doc["audit"]} >= {"pool", "context", "counters", "txbuf",
                                                       "histogram", "stage"},
          "JSON: the audit lists every kind of object, all OK here",
          json.dumps(doc["audit"])[:800])
    check(doc["in_flight_at_stop"]["total"] == 128,
          "JSON: the 128 seeded packets were in flight at stop", doc["in_flight_at_stop"])
    check(len(doc["numastat_delta"]) >= 1 and "numa_miss" in doc["numastat_delta"][0],
          "JSON: the kernel's numastat delta per node", doc["numastat_delta"])
    # l2fwd-vdev.ini: workers 0-1, main lcore the lowest worker (it forwards too).
    check(doc.get("main_lcore") == {"lcore": 0, "node": 0, "works": True} and
          [lc["main"] for lc in doc["lcores"]] == [lc["lcore"] == 0 for lc in doc["lcores"]],
          "JSON: EAL's main lcore (CPU 0, node 0, a worker) and which lcore entry is it",
          json.dumps({"main_lcore": doc.get("main_lcore"), "lcores": doc["lcores"]})[:800])

promtool = shutil.which("promtool")
if promtool is None:
    skip("promtool check metrics", "promtool missing: apt-get install prometheus")
else:
    p = subprocess.run([promtool, "check", "metrics"], stdin=open(prom), capture_output=True,
                       text=True)
    check(p.returncode == 0 and p.stdout.strip() == "" and p.stderr.strip() == "",
          "promtool check metrics accepts --prom's file, with no lint remark",
          p.stdout + p.stderr)
text = open(prom).read() if os.path.exists(prom) else ""
for metric in ["numaperf_port_rx_packets_total", "numaperf_port_locality_ratio",
               'numaperf_port_latency_seconds{port="0",device="net_ring0",quantile="0.99"}',
               "numaperf_drops_total", 'numaperf_audit_objects{verdict="OK"}',
               'numaperf_main_lcore_info{lcore="0",node="0",works="yes"} 1',
               "numaperf_pool_not_back_mbufs", "numaperf_numastat_delta_pages"]:
    check(metric in text, "Prometheus text has %s" % metric, text[:1500])

# --- EAL's main lcore kept apart: it is no worker ----------------------------------
rc, out, err = run("--duration", "1", "--quiet", "--lcores", "1", "--main-lcore", "0",
                   "--stats-json", js)
doc = json.load(open(js)) if rc == 0 else {}
check(rc == 0 and doc.get("main_lcore") == {"lcore": 0, "node": 0, "works": False} and
      [(lc["lcore"], lc["main"]) for lc in doc.get("lcores", [])] == [(1, False)],
      "--main-lcore 0 --lcores 1: JSON says the main lcore only waited, no worker is it",
      err + json.dumps({"main_lcore": doc.get("main_lcore"), "lcores": doc.get("lcores")}))

# --- without latency ---------------------------------------------------------------
rc, out, err = run("--duration", "1", "--no-latency", "--quiet", "--stats-json", js)
doc = json.load(open(js))
check(rc == 0 and "latency: not recorded ([pipeline] latency = no, or --no-latency)" in out and "[   1.0 s]" not in out
      and doc["latency_recorded"] is False and doc["ports"][0]["latency"] is None,
      "--no-latency: nothing recorded, said so; --quiet: no progress line", out)

# --- a file that cannot be written fails the run --------------------------------
rc, out, err = run("--duration", "1", "--quiet", "--stats-json", "/dev/full")
check(rc == 1 and "numaperf-l2fwd: --stats-json /dev/full: cannot write the JSON report: "
      "No space left on device" in err, "--stats-json to a full disk: exit 1", err)
rc, out, err = run("--duration", "1", "--quiet", "--prom", "/nonexistent-dir/x.prom")
check(rc == 1 and "numaperf-l2fwd: --prom /nonexistent-dir/x.prom:" in err,
      "--prom into a missing folder: exit 1, says which file", err)

# --- telemetry, with Debian's client, while it runs ------------------------------
client = shutil.which("dpdk-telemetry.py")
if client is None:
    skip("telemetry", "dpdk-telemetry.py missing: apt-get install dpdk-dev")
else:
    prefix = "nptel%d" % os.getpid()
    p = subprocess.Popen([l2fwd, "--config", VDEV, "--no-huge", "--quiet", "--duration", "8",
                          "--set", "eal.args=--file-prefix=%s --log-level=lib.eal:warning"
                          % prefix], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         text=True, env=env())
    replies = {}
    try:
        sock = "/var/run/dpdk/%s/dpdk_telemetry.v2" % prefix
        for _ in range(100):
            if os.path.exists(sock):
                break
            time.sleep(0.1)
        time.sleep(2.5)  # the loops run, a second has ticked
        cmds = ["/numaperf/plan", "/numaperf/ports", "/numaperf/lcores", "/numaperf/locality",
                "/numaperf/latency", "/numaperf/pools", "/numaperf/audit"]
        q = subprocess.run([client, "-f", prefix], input="\n".join(cmds) + "\n",
                           capture_output=True, text=True, timeout=30)
        for line in q.stdout.splitlines():
            line = line.strip()
            if line.startswith("{"):
                try:
                    replies.update(json.loads(line))
                except ValueError:
                    pass
    finally:
        out, err = p.communicate(timeout=60)
    check(p.returncode == 0, "the demo ran under telemetry queries and exited 0", err)
    check(set(cmds) <= set(replies), "every /numaperf/ command answered",
          sorted(set(cmds) - set(replies)))
    ports = replies.get("/numaperf/ports", {})
    check(ports.get("port0", {}).get("rx", 0) > 0 and
          ports["port0"].get("locality_health") == "local" and "p99_ns" in ports["port0"]
          and "interval_p99_ns" in ports["port0"], "/numaperf/ports: live counters, "
          "locality and percentiles", json.dumps(ports)[:800])
    audit = replies.get("/numaperf/audit", {})
    check(audit.get("objects", 0) > 5 and audit.get("OK") == audit.get("objects")
          and audit.get("obj0", {}).get("verdict") == "OK", "/numaperf/audit: every object "
          "listed with its nodes and verdict", json.dumps(audit)[:800])
    plan = replies.get("/numaperf/plan", {})
    check(plan.get("port0_q0", "").endswith("LOCAL/LOCAL"), "/numaperf/plan: each RX queue's "
          "poller and pool", json.dumps(plan))
    lcores = replies.get("/numaperf/lcores", {})
    check(plan.get("main_lcore") == 0 and plan.get("main_lcore_node") == 0 and
          plan.get("main_lcore_works") == 1 and lcores.get("lcore0", {}).get("main") == 1 and
          all(v.get("main") == 0 for k, v in lcores.items() if k != "lcore0"),
          "/numaperf/plan and /numaperf/lcores say which lcore is EAL's main lcore",
          json.dumps({"plan": plan, "lcores": lcores})[:800])
    pools = replies.get("/numaperf/pools", {})
    check(pools.get("np_mbuf_n0", {}).get("size", 0) > 0, "/numaperf/pools", json.dumps(pools))
    # rte_eal_cleanup() empties the runtime directory; the runtime removes it.
    check(not os.path.exists("/var/run/dpdk/%s" % prefix), "EAL's runtime directory "
          "(--file-prefix %s) is gone after the run" % prefix,
          os.listdir("/var/run/dpdk/%s" % prefix) if os.path.isdir("/var/run/dpdk/%s" % prefix)
          else "")

shutil.rmtree(tmp, ignore_errors=True)
done()
