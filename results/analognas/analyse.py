# The AnalogNAS-Bench analysis of issue 17 item 3, from the sweep database alone (standard
# library only): metric distributions beside the paper's means, robust vs non-robust cells'
# operation counts, Kendall rank correlations, how far HWA recovers each cell, and drift loss
# with and without skips. Cells that do not learn (baseline < 20 %: no path from input to
# output, every input gets one class) are kept in the distributions and left out of the rest.
# usage: python3 results/analognas/analyse.py results/analognas/bench.sqlite
import sqlite3
import statistics
import sys

PAPER_MEANS = {  # AnalogNAS-Bench, CIFAR-10 (issue 17)
    "baseline_pct": 86.1, "noisy_1s_mean_pct": 48.0, "analog_1s_mean_pct": 80.5,
    "analog_30d_mean_pct": 68.3}
METRICS = ["baseline_pct", "int8_pct", "noisy_1s_mean_pct", "noisy_1d_mean_pct",
           "noisy_30d_mean_pct", "avm_noisy_pct", "hwa_baseline_pct", "analog_1s_mean_pct",
           "analog_1d_mean_pct", "analog_30d_mean_pct", "avm_analog_pct"]
OPS = ["ops_none", "ops_skip", "ops_conv1x1", "ops_conv3x3", "ops_avgpool"]


def quantile(xs, q):  # linear interpolation between order statistics
    s = sorted(xs)
    pos = q * (len(s) - 1)
    lo = int(pos)
    hi = min(lo + 1, len(s) - 1)
    return s[lo] + (s[hi] - s[lo]) * (pos - lo)


def kendall_tau_b(x, y):
    concordant = discordant = ties_x = ties_y = 0
    for i in range(len(x)):
        for j in range(i + 1, len(x)):
            dx, dy = x[i] - x[j], y[i] - y[j]
            if dx == 0 and dy == 0:
                continue
            if dx == 0:
                ties_x += 1
            elif dy == 0:
                ties_y += 1
            elif dx * dy > 0:
                concordant += 1
            else:
                discordant += 1
    n0 = concordant + discordant
    denom = ((n0 + ties_x) * (n0 + ties_y)) ** 0.5
    return (concordant - discordant) / denom if denom else float("nan")


def main(path):
    db = sqlite3.connect(path)
    db.row_factory = sqlite3.Row
    rows = [dict(r) for r in db.execute("select * from points where status = 'ok'")]
    failed = db.execute("select count(*) from points where status != 'ok'").fetchone()[0]
    print(f"{len(rows)} cells measured, {failed} failed ({path})\n")
    if len(rows) < 4:
        return
    for r in rows:  # noisy drop: how much analog inference costs the FP-trained weights
        r["noisy_drop"] = r["baseline_pct"] - r["noisy_1s_mean_pct"]
        r["int8_drop"] = r["baseline_pct"] - r["int8_pct"]
        r["hwa_drop"] = r["baseline_pct"] - r["analog_1s_mean_pct"]

    print("| metric (%) | mean | median | Q1 | Q3 | min | max | paper mean (CIFAR-10) |")
    print("|---|---|---|---|---|---|---|---|")
    for m in METRICS:
        xs = [r[m] for r in rows]
        paper = PAPER_MEANS.get(m)
        print(f"| {m} | {statistics.mean(xs):.1f} | {statistics.median(xs):.1f} | "
              f"{quantile(xs, 0.25):.1f} | {quantile(xs, 0.75):.1f} | {min(xs):.1f} | "
              f"{max(xs):.1f} | {paper if paper is not None else '-'} |")

    all_rows = rows
    rows = [r for r in all_rows if r["baseline_pct"] >= 20.0]
    print(f"\nBelow: the {len(rows)} cells that learn (baseline >= 20 %; "
          f"{len(all_rows) - len(rows)} left out).")

    # Robust vs non-robust: among cells with a high baseline (top half), the lower quartile
    # of the noisy drop is robust, the upper quartile non-robust.
    base_median = statistics.median(r["baseline_pct"] for r in rows)
    good = [r for r in rows if r["baseline_pct"] >= base_median]
    q1 = quantile([r["noisy_drop"] for r in good], 0.25)
    q3 = quantile([r["noisy_drop"] for r in good], 0.75)
    robust = [r for r in good if r["noisy_drop"] <= q1]
    fragile = [r for r in good if r["noisy_drop"] >= q3]
    print(f"\nCells with baseline >= median ({base_median:.1f} %): {len(good)}; robust = noisy "
          f"drop <= {q1:.1f} points ({len(robust)} cells), non-robust = drop >= {q3:.1f} "
          f"({len(fragile)} cells). Mean operation count per cell (6 edges):\n")
    print("| group | " + " | ".join(o[4:] for o in OPS) + " | noisy drop | baseline |")
    print("|---|" + "---|" * (len(OPS) + 2))
    for name, group in (("robust", robust), ("non-robust", fragile), ("all cells", rows)):
        means = [statistics.mean(r[o] for r in group) for o in OPS]
        print(f"| {name} | " + " | ".join(f"{m:.2f}" for m in means) +
              f" | {statistics.mean(r['noisy_drop'] for r in group):.1f} | "
              f"{statistics.mean(r['baseline_pct'] for r in group):.1f} |")

    print("\nKendall tau-b over all cells:\n")
    print("| pair | tau |")
    print("|---|---|")
    for a, b in (("baseline_pct", "noisy_1s_mean_pct"), ("baseline_pct", "analog_1s_mean_pct"),
                 ("int8_pct", "noisy_1s_mean_pct"), ("baseline_pct", "int8_pct"),
                 ("noisy_1s_mean_pct", "analog_1s_mean_pct"),
                 ("noisy_1d_mean_pct", "noisy_30d_mean_pct"), ("int8_drop", "noisy_drop"),
                 ("noisy_drop", "hwa_drop")):
        print(f"| {a} vs {b} | {kendall_tau_b([r[a] for r in rows], [r[b] for r in rows]):.3f} |")

    print("\nHWA recovery at 1 s (drop = baseline - accuracy, points):\n")
    n = len(rows)
    within = lambda key, pts: sum(r[key] <= pts for r in rows)
    half = sum(r["hwa_drop"] <= 0.5 * r["noisy_drop"] for r in rows if r["noisy_drop"] > 0)
    print(f"- mean drop: noisy {statistics.mean(r['noisy_drop'] for r in rows):.1f}, "
          f"HWA {statistics.mean(r['hwa_drop'] for r in rows):.1f}")
    for pts in (2, 5):
        print(f"- within {pts} points of the baseline: noisy {within('noisy_drop', pts)} of {n}, "
              f"HWA {within('hwa_drop', pts)} of {n}")
    print(f"- HWA above noisy: {sum(r['hwa_drop'] < r['noisy_drop'] for r in rows)} of {n}")
    print(f"- HWA regains at least half of the noisy drop: {half} of "
          f"{sum(r['noisy_drop'] > 0 for r in rows)} cells with a drop")
    worst = sorted(rows, key=lambda r: -r["hwa_drop"])[:3]
    print("- largest HWA drops: " + ", ".join(
        f"{r['hwa_drop']:.1f} ({r['ops_conv1x1']:.0f} 1x1, {r['ops_conv3x3']:.0f} 3x3)"
        for r in worst))

    print("\nDrift: accuracy lost from 1 s to 1 d and to 30 d (points), by skip count:\n")
    print("| skips | cells | noisy 1 s->1 d | noisy 1 s->30 d | HWA 1 s->1 d | HWA 1 s->30 d |")
    print("|---|---|---|---|---|---|")
    for k in sorted({r["ops_skip"] for r in rows}):
        g = [r for r in rows if r["ops_skip"] == k]
        loss = lambda kind, t: statistics.mean(
            r[f"{kind}_1s_mean_pct"] - r[f"{kind}_{t}_mean_pct"] for r in g)
        print(f"| {k} | {len(g)} | {loss('noisy', '1d'):.1f} | {loss('noisy', '30d'):.1f} | "
              f"{loss('analog', '1d'):.1f} | {loss('analog', '30d'):.1f} |")
    with_skip = [r for r in rows if r["ops_skip"] > 0]
    without = [r for r in rows if r["ops_skip"] == 0]
    if with_skip and without:
        for kind in ("noisy", "analog"):
            a = statistics.mean(r[f"{kind}_1s_mean_pct"] - r[f"{kind}_30d_mean_pct"] for r in with_skip)
            b = statistics.mean(r[f"{kind}_1s_mean_pct"] - r[f"{kind}_30d_mean_pct"] for r in without)
            c = statistics.mean(r[f"{kind}_1s_mean_pct"] - r[f"{kind}_1d_mean_pct"] for r in with_skip)
            d = statistics.mean(r[f"{kind}_1s_mean_pct"] - r[f"{kind}_1d_mean_pct"] for r in without)
            print(f"\n{kind}: loss 1 s -> 1 d {c:.1f} / 1 s -> 30 d {a:.1f} points with a skip "
                  f"({len(with_skip)} cells) vs {d:.1f} / {b:.1f} without ({len(without)} cells)")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "results/analognas/bench.sqlite")
