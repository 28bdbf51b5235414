#!/usr/bin/env bash
# MPS, HILAL + LAFT and LionHEART on resnet20 back to back in one run (same machine state),
# as issue 13 compares the searches' wall time (the MPS paper: MPS about 2.2x faster than
# prior methods). Each search is resumable: rerunning the script resumes each from its last
# finished epoch, step or stage (its --run-dir); the wall times then add up over sessions
# (search_wall_s in each report). Ends with the wall times and their ratios to the first
# method run (MPS by default).
#   usage: scripts/search-mps-hilal-lionheart.sh [OUT_DIR]   (default out/search-b2b)
#   METHODS="hilal lionheart" runs a subset, in the order mps, hilal, lionheart.
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
methods=${METHODS:-mps hilal lionheart}
wanted() { [[ " $methods " == *" $1 "* ]]; }
# shellcheck disable=SC2086
if wanted mps; then search mps ${MPS_FLAGS---finetune-epochs 3}; fi
# shellcheck disable=SC2086
if wanted hilal; then search hilal ${HILAL_FLAGS---stage-validation 2000}; fi
if wanted lionheart; then search lionheart; fi
ran=()
for m in mps hilal lionheart; do if wanted "$m"; then ran+=("$m"); fi; done
first=${ran[0]}
ref=$(wall "$first")
for m in "${ran[@]}"; do
  w=$(wall "$m")
  awk -v m="$m" -v w="$w" -v r="$ref" -v f="$first" \
    'BEGIN { printf "%-10s %9.0f s  %5.2fx %s\n", m, w, w / r, f }'
done | tee "$out/wall-times.txt"
