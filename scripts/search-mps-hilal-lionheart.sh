#!/usr/bin/env bash
# MPS, HILAL + LAFT and LionHEART on resnet20 back to back in one run (same machine state),
# as issue 13 compares the searches' wall time (the MPS paper: MPS about 2.2x faster than
# prior methods). Each search is resumable: rerunning the script resumes each from its last
# finished epoch, step or stage (its --run-dir); the wall times then add up over sessions
# (search_wall_s in each report). Ends with the wall times and their ratios to MPS.
#   usage: scripts/search-mps-hilal-lionheart.sh [OUT_DIR]   (default out/search-b2b)
#   HW=configs/lowres.toml (default), MPS_FLAGS="..." (default: map's full budget plus
#   --finetune-epochs 3), HILAL_FLAGS (default --stage-validation 2000 on map's reference
#   calibration, 8 x 256 images, 10 probes, 20 power steps, as issue 15 item 3; session 17
#   ran --batches 1 --batch-size 128). LionHEART runs with its settings unchanged.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-out/search-b2b}
bin=${AIMCSIM_BIN:-build/cli/aimcsim}
hw=${HW:-configs/lowres.toml}
export OMP_WAIT_POLICY=PASSIVE  # libgomp busy-waiting slows a loaded 2-core machine ~3x
mkdir -p "$out"
common=(--hw "$hw" --model resnet20 --ckpt checkpoints/resnet20.pt --no-progress)
search() {  # search METHOD EXTRA_FLAGS...
  local m=$1
  shift
  echo "$m start $(date -u +%FT%TZ)"
  "$bin" map "$m" "${common[@]}" --out "$out/resnet20-$m.toml" \
    --json "$out/resnet20-$m.json" --run-dir "$out/$m.run" "$@" >> "$out/$m.log" 2>&1
  echo "$m end $(date -u +%FT%TZ)"
}
wall() {  # the search's wall time in seconds, summed over sessions, from its report
  grep -o '"search_wall_s": *[0-9.e+]*' "$out/resnet20-$1.json" | head -1 | sed 's/.*: *//'
}
# shellcheck disable=SC2086
search mps ${MPS_FLAGS---finetune-epochs 3}
# shellcheck disable=SC2086
search hilal ${HILAL_FLAGS---stage-validation 2000}
search lionheart
mps=$(wall mps)
for m in mps hilal lionheart; do
  w=$(wall "$m")
  awk -v m="$m" -v w="$w" -v r="$mps" 'BEGIN { printf "%-10s %9.0f s  %5.2fx MPS\n", m, w, w / r }'
done | tee "$out/wall-times.txt"
