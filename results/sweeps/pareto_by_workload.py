# Per-workload Pareto fronts of `sweep export` CSV rows (status ok).
# usage: python3 pareto_by_workload.py FILE.csv [METRICS]
#   METRICS: comma-separated columns, minimised unless prefixed with '+' (maximised);
#   default latency_ns,energy_pj.
import csv, sys
metrics = (sys.argv[2] if len(sys.argv) > 2 else "latency_ns,energy_pj").split(",")
rows = [r for r in csv.DictReader(open(sys.argv[1])) if r["status"] == "ok"]
def key(r):  # every objective as "smaller is better"
    return tuple(-float(r[m[1:]]) if m.startswith("+") else float(r[m]) for m in metrics)
def dominates(a, b):
    return all(x <= y for x, y in zip(a, b)) and a != b
for w in sorted({r["workload"] for r in rows}):
    pts = [r for r in rows if r["workload"] == w]
    front = [r for r in pts if not any(dominates(key(o), key(r)) for o in pts)]
    for r in sorted(front, key=key):
        cols = ["mapping", "tile_size", "tile_adc_bits", "tile_count", "link_bytes"]
        print(w, " ".join(f"{c}={r[c]}" for c in cols),
              " ".join(f"{m.lstrip('+')}={float(r[m.lstrip('+')]):.6g}" for m in metrics))
