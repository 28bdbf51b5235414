#!/usr/bin/env bash
# HILAL + LAFT, then LionHEART, on resnet20 back to back in one run (same machine state), as
# issue 5 measures the two searches' wall time. Writes OUT_DIR/resnet20-{hilal,lionheart}
# .{toml,json}, their resumable run dirs and logs; rerunning resumes each search
# from its last finished stage. The shipped mappings/resnet20-{hilal,lionheart}.* and their
# fine-tuned weights came from this script (session 10, see mappings/README.md).
#   usage: scripts/search-hilal-vs-lionheart.sh [OUT_DIR]   (default out/search-s10)
# One-command equivalent with the compare table attached:
#   aimcsim compare --hw configs/default.toml --model resnet20 --ckpt checkpoints/resnet20.pt \
#     --methods all-digital,hilal,lionheart --batches 1 --calib-batch-size 128
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-out/search-s10}
bin=${AIMCSIM_BIN:-build/cli/aimcsim}
export OMP_WAIT_POLICY=PASSIVE  # libgomp busy-waiting slows a loaded 2-core machine ~3x
mkdir -p "$out"
common=(--hw configs/default.toml --model resnet20 --ckpt checkpoints/resnet20.pt --no-progress)
search() {  # search METHOD EXTRA_FLAGS...
  local m=$1
  shift
  echo "$m start $(date -u +%FT%TZ)"
  "$bin" map "$m" "${common[@]}" --out "$out/resnet20-$m.toml" \
    --json "$out/resnet20-$m.json" --run-dir "$out/$m.run" "$@" > "$out/$m.log" 2>&1
  echo "$m end $(date -u +%FT%TZ)"
  grep -E "^$m:" "$out/$m.log"
}
search hilal --batches 1 --batch-size 128  # calibration: 1 x 128 images (mappings/README.md)
search lionheart
