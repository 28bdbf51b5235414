#!/usr/bin/env bash
# The compare tables of issue 5: resnet20 at a drift time (default 1 d) over SEEDS programming
# seeds on all 10,000 test images, one row per method: the four baselines plus every shipped
# search result in mappings/ (resnet20-*.toml with its .json report; Pareto-front points
# excluded). One table per hardware config; JSON, CSV and the printed table go to OUT_DIR.
#   usage: scripts/compare-tables.sh [SEEDS] [TIME] [OUT_DIR] [HW...]
#   e.g.   scripts/compare-tables.sh 5 1d results/compare hermes mps-paper
set -euo pipefail
cd "$(dirname "$0")/.."
seeds=${1:-5} time=${2:-1d} out=${3:-results/compare}
shift $(($# < 3 ? $# : 3))
hws=("$@")
((${#hws[@]})) || hws=(hermes mps-paper)
bin=${AIMCSIM_BIN:-build/cli/aimcsim}
methods=all-digital,all-digital-int8,all-analog,first-last-digital
for map in mappings/resnet20-*.toml; do
  case "$map" in *.front-*) continue ;; esac
  methods+=",file:$map@${map%.toml}.json"
done
mkdir -p "$out"
for hw in "${hws[@]}"; do
  stem="$out/compare-$hw"
  "$bin" compare --hw "configs/$hw.toml" --model resnet20 --ckpt checkpoints/resnet20.pt \
    --methods "$methods" --time "$time" --seeds "$seeds" \
    --json "$stem.json" --csv "$stem.csv" > "$stem.txt.tmp"
  mv "$stem.txt.tmp" "$stem.txt"
  cat "$stem.txt"
done
