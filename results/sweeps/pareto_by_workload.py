# Per-workload Pareto fronts (latency_ns, energy_pj, both minimised) of `sweep export` CSV.
# usage: python3 pareto_by_workload.py whatif.csv
import csv, sys
rows = [r for r in csv.DictReader(open(sys.argv[1])) if r["status"] == "ok"]
for w in sorted({r["workload"] for r in rows}):
    pts = [r for r in rows if r["workload"] == w]
    key = lambda r: (float(r["latency_ns"]), float(r["energy_pj"]))
    front = [r for r in pts if not any(key(o)[0] <= key(r)[0] and key(o)[1] <= key(r)[1] and key(o) != key(r) for o in pts)]
    for r in sorted(front, key=key):
        print(w, r["mapping"], "tile", r["tile_size"], "adc", r["tile_adc_bits"], "tiles", r["tile_count"],
              "link", r["link_bytes"], "latency_ns", r["latency_ns"], "energy_pj", round(float(r["energy_pj"])))
