#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Turn the console of a benchmark boot into tables and a plot.

    bench/report.py --console LOG --out DIR [--meta KEY=VALUE]... [--no-plot]

Reads the "gsd-bench-rep:" lines the benchmark modules print (one per
repetition and round), and writes into DIR:

    results.csv   one row per (workload, param, impl): median, min, max
    results.json  the same with every repetition, the comparisons and the
                  run's metadata
    results.md    the table: in-tree, ours, floor, ours/in-tree, ours/floor,
                  and the speed targets, reported as met or missed
    results.png   the plot (gnuplot), unless --no-plot or gnuplot is missing

Every figure is the median over all repetitions of all rounds of the boot.
Targets are reported, never asserted: the exit status is 0 whenever a table
could be written.
"""

import argparse
import csv
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile

REP_RE = re.compile(
    r"gsd-bench-rep: (?P<impl>\S+) (?P<wl>\S+) (?P<param>\S+) "
    r"rep=(?P<rep>\d+) value=(?P<value>-?[0-9.]+) unit=(?P<unit>\S+)"
    r"(?: round=(?P<round>\d+))?")
INFO_RE = re.compile(r"gsd-bench-harness: info (?P<rest>.*)")
ERR_RE = re.compile(r"(gsd-bench-error: .*|gsd-bench-harness: error.*)")

# Table rows: (workload, params or None for all, label, better direction).
# "higher": more is better (throughput); "lower": less is better.
ROWS = [
    ("throughput", "1 entity, 1 scheduler (1e1s) / 8 entities, 2 schedulers (8e2s)", "higher"),
    ("throughput_cpu0", "the same, every thread on CPU 0", "higher"),
    ("dep_latency", "signal of a dependency -> dependent run_job, chain of 200 over 2 schedulers", "lower"),
    ("dep_latency_cpu0", "the same, both scheduler threads on CPU 0", "lower"),
    ("dep_chain", "whole chain, time per link", "lower"),
    ("dep_chain_cpu0", "whole chain, time per link, CPU 0", "lower"),
    ("run_to_finished", "run_job -> finished fence (mock hardware path)", "lower"),
    ("run_to_finished_cpu0", "run_job -> finished fence, CPU 0", "lower"),
    ("add_dep_distinct", "add_dependency per dependency, N distinct contexts", "lower"),
    ("add_dep_onectx", "add_dependency per dependency, N fences of one context", "lower"),
    ("add_dep_distinct_allocs", "allocations per job for N distinct contexts", "lower"),
    ("add_dep_onectx_allocs", "allocations per job for N fences of one context", "lower"),
    ("implicit", "add_implicit_dependencies (write), 1 write + S read fences", "lower"),
    ("implicit_allocs", "allocations per call", "lower"),
    ("implicit_temp_allocs", "temporary allocations per call (freed before it returns)", "lower"),
    ("switches", "context switches per job (scheduler threads and submitter)", "lower"),
    ("switches_cpu0", "context switches per job, CPU 0", "lower"),
    ("sizeof_job", "sizeof(struct drm_sched_job)", "lower"),
    ("mem_per_job", "slab growth per queued job, 10000 queued, D dependencies each", "lower"),
    ("mem_alloc_per_job", "bytes allocated per queued job (kmem tracepoints)", "lower"),
]
ORDER = {wl: i for i, (wl, _, _) in enumerate(ROWS)}
LABEL = {wl: label for wl, label, _ in ROWS}
BETTER = {wl: better for wl, _, better in ROWS}


def param_key(param):
    m = re.match(r"(\d+)(.*)", param)
    return (int(m.group(1)), m.group(2)) if m else (1 << 62, param)


def parse(console):
    reps = {}
    info = {}
    errors = []
    with open(console, encoding="utf-8", errors="replace") as f:
        for line in f:
            m = REP_RE.search(line)
            if m:
                key = (m["wl"], m["param"], m["impl"])
                fig = reps.setdefault(key, {"unit": m["unit"], "values": [],
                                            "by_round": {}})
                fig["values"].append(float(m["value"]))
                fig["by_round"].setdefault(int(m["round"] or 0), []).append(
                    float(m["value"]))
                continue
            m = INFO_RE.search(line)
            if m:
                for kv in m["rest"].split():
                    if "=" in kv:
                        k, v = kv.split("=", 1)
                        info[k] = v
                continue
            m = ERR_RE.search(line)
            if m:
                errors.append(m.group(1).strip())
    return reps, info, errors


def summarise(reps):
    figs = {}
    for (wl, param, impl), fig in reps.items():
        v = fig["values"]
        med = statistics.median(v)
        figs[(wl, param, impl)] = {
            "workload": wl, "param": param, "impl": impl,
            "unit": fig["unit"], "median": med, "min": min(v), "max": max(v),
            "reps": len(v), "rounds": sorted(fig["by_round"]),
            "round_medians": {r: statistics.median(x)
                              for r, x in sorted(fig["by_round"].items())},
            "spread": (max(v) - min(v)) / med if med else 0.0,
            "values": v,
        }
    return figs


def ratio(a, b):
    if a is None or b is None:
        return None
    if b == 0:
        return None if a != 0 else 1.0
    return a / b


def target_of(wl, param, ours, intree):
    """The speed target of a figure: (text, met or None)."""
    if ours is None or intree is None:
        return None, None
    om, im = ours["median"], intree["median"]
    if wl in ("throughput", "throughput_cpu0"):
        return ">= 1.0x in-tree", om >= im
    if wl in ("dep_latency", "dep_latency_cpu0"):
        return "no worse than in-tree", om <= im
    if wl == "add_dep_distinct" and param == "1024":
        return ">= 10x faster than in-tree", om > 0 and im / om >= 10
    if wl == "implicit_temp_allocs":
        return "0 temporary allocations", om == 0
    return None, None


def floor_normalised(ours, intree, floor):
    """ours / in-tree after dividing each round's median by the floor's
    median of the same round: the host's speed, which drifts between
    rounds, cancels out."""
    if not (ours and intree and floor):
        return None

    def rel(fig):
        r = [m / floor["round_medians"][rnd]
             for rnd, m in fig["round_medians"].items()
             if floor["round_medians"].get(rnd)]
        return statistics.median(r) if r else None

    o, i = rel(ours), rel(intree)
    return None if o is None or not i else o / i


def quantile(values, q):
    v = sorted(values)
    pos = (len(v) - 1) * q
    lo = int(pos)
    hi = min(lo + 1, len(v) - 1)
    return v[lo] + (v[hi] - v[lo]) * (pos - lo)


def best_ratio(ours, intree, better, unit):
    """ours / in-tree of the best tenth of the repetitions (the 10th
    percentile of times, the 90th of rates): on a shared host noise only
    ever adds time, so the best samples are closest to the undisturbed
    cost, and a percentile is steadier than the single best one."""
    if not (ours and intree) or unit in ("bytes", "allocs/job",
                                         "allocs/call", "switches/job"):
        return None
    q = 0.9 if better == "higher" else 0.1
    return ratio(quantile(ours["values"], q), quantile(intree["values"], q))


def compare(figs):
    rows = []
    keys = sorted({(wl, p) for wl, p, _ in figs},
                  key=lambda k: (ORDER.get(k[0], 99), param_key(k[1])))
    for wl, param in keys:
        ours = figs.get((wl, param, "deps"))
        intree = figs.get((wl, param, "intree"))
        floor = figs.get((wl, param, "floor"))
        text, met = target_of(wl, param, ours, intree)
        rows.append({
            "workload": wl, "param": param,
            "unit": (ours or intree or floor)["unit"],
            "better": BETTER.get(wl, "lower"),
            "intree": intree, "ours": ours, "floor": floor,
            "ours_vs_intree": ratio(ours and ours["median"],
                                    intree and intree["median"]),
            "ours_vs_floor": ratio(ours and ours["median"],
                                   floor and floor["median"]),
            "normalised": floor_normalised(ours, intree, floor),
            "best": best_ratio(ours, intree, BETTER.get(wl, "lower"),
                               (ours or intree or floor)["unit"]),
            "target": text, "met": met,
        })
    return rows


def fmt(v):
    if v is None:
        return "–"
    a = abs(v)
    if a >= 100:
        return f"{v:,.0f}".replace(",", " ")
    if a >= 10:
        return f"{v:.1f}"
    if a == int(a):
        return f"{v:.0f}"
    return f"{v:.2f}"


def fmt_fig(fig):
    if fig is None:
        return "–"
    if fig["min"] == fig["max"]:
        return fmt(fig["median"])
    return f"{fmt(fig['median'])} ({fmt(fig['min'])}–{fmt(fig['max'])})"


def fmt_ratio(r):
    if r is None:
        return "–"
    if r >= 100 or r < 0.01:
        return f"{r:.3g}×"
    return f"{r:.2f}×"


def write_csv(path, figs):
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["workload", "param", "impl", "median", "min", "max",
                    "unit", "reps", "spread"])
        for k in sorted(figs, key=lambda k: (ORDER.get(k[0], 99),
                                             param_key(k[1]), k[2])):
            x = figs[k]
            w.writerow([x["workload"], x["param"], x["impl"],
                        f"{x['median']:.3f}", f"{x['min']:.3f}",
                        f"{x['max']:.3f}", x["unit"], x["reps"],
                        f"{x['spread']:.3f}"])


def strip(fig):
    return None if fig is None else {k: fig[k] for k in
                                     ("median", "min", "max", "reps")}


def write_json(path, figs, rows, meta, errors):
    data = {
        "meta": meta,
        "errors": errors,
        "figures": [figs[k] for k in sorted(
            figs, key=lambda k: (ORDER.get(k[0], 99), param_key(k[1]), k[2]))],
        "comparisons": [{
            "workload": r["workload"], "param": r["param"],
            "unit": r["unit"], "better": r["better"],
            "intree": strip(r["intree"]), "ours": strip(r["ours"]),
            "floor": strip(r["floor"]),
            "ours_vs_intree": r["ours_vs_intree"],
            "ours_vs_floor": r["ours_vs_floor"],
            "ours_vs_intree_floor_normalised": r["normalised"],
            "ours_vs_intree_best": r["best"],
            "target": r["target"], "met": r["met"],
        } for r in rows],
    }
    with open(path, "w", encoding="utf-8") as f:
        json.dump(data, f, indent=1)
        f.write("\n")


def noise(figs, impls=("deps", "intree")):
    """Median relative spread (max-min)/median of the timing figures."""
    spreads = [x["spread"] for x in figs.values()
               if x["impl"] in impls and x["reps"] > 1 and
               x["unit"] not in ("allocs/job", "allocs/call", "bytes")]
    return statistics.median(spreads) if spreads else None


def write_md(path, rows, figs, meta, errors):
    out = []
    out.append("# gpu-sched-deps benchmark: ours against the in-tree scheduler")
    out.append("")
    out.append(
        f"Debian {meta.get('kernel', '?')} under qemu-system-x86_64 (TCG, "
        f"{meta.get('cpus', '?')} CPUs, {meta.get('append', '')}), "
        f"clocksource {meta.get('clocksource', '?')}; both schedulers loaded in "
        f"one boot, {meta.get('rounds', '?')} rounds "
        f"({meta.get('order', '?')}), {meta.get('reps', '?')} repetitions per "
        f"figure and round.  Measured {meta.get('date', '?')} on a host with "
        f"{meta.get('host_cpus', '?')} cores, load average "
        f"{meta.get('load_before', '?')} before and "
        f"{meta.get('load_after', '?')} after the boot.")
    out.append("")
    out.append(
        "Each figure: median of all repetitions of the boot, (min–max).  "
        "*ours* is gpu-sched-deps, *in-tree* the kernel's gpu-sched, *floor* "
        "a bare dma_fence signal → callback → wake-up chain without a "
        "scheduler.  Ratios are ours / in-tree and ours / floor of the "
        "medians: below 1 means less (time, allocations, bytes), above 1 "
        "more (jobs/s).  *best* compares the best tenth of the repetitions "
        "instead (90th percentile of jobs/s, 10th of times): on a shared "
        "host noise only adds time, so the best samples are closest to the "
        "undisturbed cost.  *norm.* is ours / in-tree with each round's figure first "
        "divided by the floor measured in the same round, which cancels "
        "the host's speed drifting between rounds.  Targets are reported, "
        "not asserted; their status follows the plain ratio of the "
        "medians.")
    n = noise(figs)
    if n is not None:
        out.append("")
        out.append(
            f"Noise: the median timing figure spans {n * 100:.0f} % of its "
            f"median between its fastest and slowest repetition (the host "
            f"is shared); the CPU 0 variants are the steadier ones.")
    out.append("")
    out.append("| workload | param | unit | in-tree | ours | floor | "
               "ours/in-tree | best | norm. | ours/floor | target | |")
    out.append("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        status = "" if r["met"] is None else ("**met**" if r["met"]
                                              else "**missed**")
        out.append(
            f"| {r['workload']} | {r['param']} | {r['unit']} | "
            f"{fmt_fig(r['intree'])} | {fmt_fig(r['ours'])} | "
            f"{fmt_fig(r['floor'])} | {fmt_ratio(r['ours_vs_intree'])} | "
            f"{fmt_ratio(r['best'])} | {fmt_ratio(r['normalised'])} | "
            f"{fmt_ratio(r['ours_vs_floor'])} | {r['target'] or ''} | "
            f"{status} |")
    out.append("")
    out.append("Workloads:")
    out.append("")
    for wl, label, _ in ROWS:
        if any(r["workload"] == wl for r in rows):
            out.append(f"- `{wl}`: {label}")
    if errors:
        out.append("")
        out.append("Errors reported by the boot:")
        out.append("")
        for e in errors:
            out.append(f"- `{e}`")
    out.append("")
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(out))


README_BEGIN = "<!-- bench-summary: begin (written by make bench) -->"
README_END = "<!-- bench-summary: end -->"
# The figures the README shows besides those with a target.
README_EXTRA = (("implicit", "256"), ("sizeof_job", "drm_sched_job"),
                ("mem_per_job", "0deps"), ("mem_per_job", "4deps"))


def update_readme(path, rows, meta):
    """Replace the README's summary block with the targets of this run."""
    with open(path, encoding="utf-8") as f:
        text = f.read()
    b, e = text.find(README_BEGIN), text.find(README_END)
    if b < 0 or e < b:
        print(f"report: no summary markers in {path}; not updated",
              file=sys.stderr)
        return
    out = [README_BEGIN, "",
           f"Latest run: {meta.get('date', '?')}, Debian "
           f"{meta.get('kernel', '?')} under qemu (TCG), host load "
           f"{meta.get('load_before', '?')} before the boot.  Ratios are "
           "ours / in-tree of the medians; the full table, with min/max, "
           "the floor and the noise, is [docs/bench/results.md]"
           "(docs/bench/results.md).", "",
           "| workload | param | unit | in-tree | ours | ours/in-tree "
           "| target | |",
           "|---|---|---|---|---|---|---|---|"]
    for r in rows:
        if r["target"] is None and \
                (r["workload"], r["param"]) not in README_EXTRA:
            continue
        status = "" if r["met"] is None else ("met" if r["met"]
                                              else "missed")
        om = r["ours"]["median"] if r["ours"] else None
        im = r["intree"]["median"] if r["intree"] else None
        out.append(f"| {r['workload']} | {r['param']} | {r['unit']} | "
                   f"{fmt(im)} | {fmt(om)} | "
                   f"{fmt_ratio(r['ours_vs_intree'])} | "
                   f"{r['target'] or ''} | {status} |")
    out += ["", ""]
    text = text[:b] + "\n".join(out)[:-1] + text[e:]
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def plot(path, rows):
    gnuplot = shutil.which("gnuplot")
    if not gnuplot:
        print("report: no gnuplot, no plot", file=sys.stderr)
        return False
    with tempfile.TemporaryDirectory() as tmp:
        # Panel 1: how many times better ours is, per figure with a target
        # or a time.
        adv = os.path.join(tmp, "advantage.dat")
        with open(adv, "w", encoding="utf-8") as f:
            for r in rows:
                if r["ours"] is None or r["intree"] is None:
                    continue
                if r["unit"] not in ("jobs/s", "ns", "ns/link", "ns/dep",
                                     "ns/call"):
                    continue
                o, i = r["ours"], r["intree"]
                if min(o["median"], i["median"], o["min"], i["min"]) <= 0:
                    continue
                med = o["median"] / i["median"]
                if r["better"] != "higher":
                    med = 1 / med
                best = r["best"] if r["better"] == "higher" else \
                    1 / r["best"]
                f.write(f"\"{r['workload']} {r['param']}\" {med:.6g} "
                        f"{best:.6g}\n")
        # Panel 2: add_dependency cost per dependency against N.
        curves = {}
        for r in rows:
            if r["workload"] not in ("add_dep_distinct", "add_dep_onectx"):
                continue
            for impl in ("intree", "ours"):
                fig = r[impl]
                if fig:
                    curves.setdefault((r["workload"], impl), []).append(
                        (int(r["param"]), fig["median"], fig["min"],
                         fig["max"]))
        files = []
        for (wl, impl), pts in sorted(curves.items()):
            name = os.path.join(tmp, f"{wl}-{impl}.dat")
            with open(name, "w", encoding="utf-8") as f:
                for n, med, lo, hi in sorted(pts):
                    f.write(f"{n} {med} {lo} {hi}\n")
            title = ("in-tree" if impl == "intree" else "ours") + \
                (", distinct contexts" if wl == "add_dep_distinct"
                 else ", one context")
            files.append((name, title))
        script = os.path.join(tmp, "plot.gp")
        with open(script, "w", encoding="utf-8") as f:
            f.write(f"""
set terminal pngcairo size 1400,1000 font ",10" noenhanced
set output "{path}"
set multiplot layout 2,1
set title "gpu-sched-deps against the in-tree scheduler: how many times better ours is (> 1: ours better)"
set logscale y
set grid ytics
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.7
set xtics rotate by -40 font ",8"
set ylabel "in-tree / ours (jobs/s: ours / in-tree)"
set yrange [*:*]
set key top left
plot "{adv}" using 2:xtic(1) title "medians" lc rgb "#4477aa", "" using 3 title "best tenth of the repetitions" lc rgb "#88ccee", 1 with lines lc rgb "#cc3311" dt 2 title "parity"
unset style
set style data linespoints
set title "drm_sched_job_add_dependency: cost per dependency against the number of dependencies"
set logscale xy
set xtics auto rotate by 0 font ",10"
set xlabel "dependencies per job (N)"
set ylabel "ns per dependency"
set key top left
""")
            parts = [f'"{name}" using 1:2:3:4 with yerrorlines title "{title}"'
                     for name, title in files]
            f.write("plot " + ", ".join(parts) + "\n")
            f.write("unset multiplot\n")
        res = subprocess.run([gnuplot, script], capture_output=True,
                             text=True)
        if res.returncode != 0:
            print("report: gnuplot failed:\n" + res.stderr, file=sys.stderr)
            return False
    return True


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--console", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--meta", action="append", default=[],
                    help="KEY=VALUE recorded in results.json and the table")
    ap.add_argument("--no-plot", action="store_true")
    ap.add_argument("--readme",
                    help="README whose summary block gets this run's targets")
    args = ap.parse_args()

    reps, info, errors = parse(args.console)
    if not reps:
        print(f"report: no benchmark results in {args.console}",
              file=sys.stderr)
        return 1
    meta = dict(info)
    for kv in args.meta:
        k, _, v = kv.partition("=")
        meta[k] = v
    if "order" in meta:
        meta["rounds"] = str(len(meta["order"].split(",")))
        meta["order"] = meta["order"].replace(",", " ")
    figs = summarise(reps)
    rows = compare(figs)
    os.makedirs(args.out, exist_ok=True)
    write_csv(os.path.join(args.out, "results.csv"), figs)
    write_json(os.path.join(args.out, "results.json"), figs, rows, meta,
               errors)
    write_md(os.path.join(args.out, "results.md"), rows, figs, meta, errors)
    if not args.no_plot:
        plot(os.path.join(args.out, "results.png"), rows)
    if args.readme:
        update_readme(args.readme, rows, meta)
    return 0


if __name__ == "__main__":
    sys.exit(main())
