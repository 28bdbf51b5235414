#!/usr/bin/env bash
# Issue 15 item 3: HILAL + LAFT at the REFERENCE calibration (FACTS.md s.4: 8 batches of 256,
# 10 Hutchinson probes, 20 power steps; the sensitivity's default estimator: gauss-newton on
# resnet20, nn/hessian/ggn.h), LAFT epochs validated on HILAL_FLAGS' subset, then
# LionHEART (2-point threshold, its settings unchanged), on resnet20 back to back in one run.
# Run it on an otherwise idle machine: the point is the wall-time ratio of the two searches.
# Writes OUT_DIR/resnet20-{hilal,lionheart}.{toml,json}, resumable run dirs and logs, then
# prints both wall times, their ratio and HILAL's sensitivity seconds from its report.
#   usage: scripts/search-hilal-vs-lionheart-ref.sh [OUT_DIR]   (default out/search-ref)
#   HILAL_FLAGS (default --stage-validation 2000: LAFT compares epochs on the same images and
#   noise draw, a paired difference; stage validation took 30-44 % of a LAFT stage on all
#   5000 held-out images, bench_finetune_search)
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-out/search-ref}
bin=${AIMCSIM_BIN:-build/cli/aimcsim}
export OMP_WAIT_POLICY=PASSIVE  # libgomp busy-waiting slows a loaded 2-core machine ~3x
mkdir -p "$out"
common=(--hw configs/default.toml --model resnet20 --ckpt checkpoints/resnet20.pt --no-progress)
search() {  # search METHOD EXTRA_FLAGS...; prints the wall seconds last
  local m=$1
  shift
  local t0
  t0=$(date +%s.%N)
  echo "$m start $(date -u +%FT%TZ)" >&2
  "$bin" map "$m" "${common[@]}" --out "$out/resnet20-$m.toml" \
    --json "$out/resnet20-$m.json" --run-dir "$out/$m.run" "$@" > "$out/$m.log" 2>&1
  echo "$m end $(date -u +%FT%TZ)" >&2
  grep -E "^$m:" "$out/$m.log" >&2 || true
  python3 -c "import sys; print(round($(date +%s.%N) - $t0, 1))"
}
# shellcheck disable=SC2086
hilal_s=$(search hilal --batches 8 --batch-size 256 --probes 10 --power-steps 20 \
  ${HILAL_FLAGS---stage-validation 2000})
lionheart_s=$(search lionheart)
echo "hilal+laft ${hilal_s} s, lionheart ${lionheart_s} s, ratio lionheart/hilal" \
  "$(python3 -c "print(round($lionheart_s / $hilal_s, 2))")"
python3 - "$out/resnet20-hilal.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
print("hilal sensitivity_s:", r.get("phase_seconds", {}).get("sensitivity_s"),
      "estimator:", r.get("settings", {}).get("estimator"))
PY
