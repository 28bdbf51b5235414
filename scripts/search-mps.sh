#!/usr/bin/env bash
# MPS, then MPAAS, on resnet20 with the low-resolution preset (configs/lowres.toml), one after
# the other, each resumable: rerunning the script after a kill resumes each search from its
# last finished epoch or ranking step (its --run-dir). Writes OUT_DIR/resnet20-{mps,mpaas}
# .{toml,json}, front files, run dirs and logs. Budget flags: BUDGET (default: the reduced
# budget of mappings/README.md, "resnet20-mps"); BUDGET="" runs map's defaults.
#   usage: scripts/search-mps.sh [OUT_DIR]   (default out/search-mps)
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-out/search-mps}
bin=${AIMCSIM_BIN:-build/cli/aimcsim}
hw=${HW:-configs/lowres.toml}
budget=${BUDGET---phase1-epochs 2 --phase2-epochs 3 --mps-images-per-epoch 5000 --samples 8 --max-steps 12 --stable-steps 4 --phase3-validation 500 --finetune-epochs 3}
export OMP_WAIT_POLICY=PASSIVE  # libgomp busy-waiting slows a loaded 2-core machine ~3x
mkdir -p "$out"
common=(--hw "$hw" --model resnet20 --ckpt checkpoints/resnet20.pt --no-progress)
search() {  # search METHOD EXTRA_FLAGS...
  local m=$1
  shift
  echo "$m start $(date -u +%FT%TZ)"
  # shellcheck disable=SC2086
  "$bin" map "$m" "${common[@]}" --out "$out/resnet20-$m.toml" \
    --json "$out/resnet20-$m.json" --run-dir "$out/$m.run" $budget "$@" >> "$out/$m.log" 2>&1
  echo "$m end $(date -u +%FT%TZ)"
  grep -E "^$m" "$out/$m.log" | tail -3
}
search mps
search mpaas --widen-tolerance "${WIDEN_TOLERANCE:-0.05}"
