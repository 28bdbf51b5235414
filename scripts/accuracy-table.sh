#!/usr/bin/env bash
# The accuracy table of issue 3: a model at 1 s / 1 h / 1 d / 1 y for all-digital (FP16),
# all-int8, all-analog (FP-trained weights) and all-analog (HWA-trained weights), each analog
# row with global drift compensation off and on; mean +- std over SEEDS programming seeds on
# all 10,000 test images. JSON per row goes to OUT_DIR.
#   usage: scripts/accuracy-table.sh MODEL FP_CKPT HWA_CKPT|- [SEEDS] [OUT_DIR]
#   e.g.   scripts/accuracy-table.sh resnet20 checkpoints/resnet20.pt checkpoints/resnet20-hwa.pt 5
set -euo pipefail
cd "$(dirname "$0")/.."
model=$1 fp=$2 hwa=$3 seeds=${4:-5} out=${5:-results/accuracy-$1}
bin=${AIMCSIM_BIN:-build/cli/aimcsim}
mkdir -p "$out"
row() {  # label ckpt mapping extra-flags...
  local label=$1 ckpt=$2 mapping=$3; shift 3
  local json="$out/$(echo "$label" | tr ' ,()+' '_____').json"
  # A row whose output exists is reused (an interrupted table resumes); delete OUT_DIR to redo.
  if [ ! -s "$json.txt" ] || [ ! -s "$json" ]; then
    "$bin" eval --model "$model" --ckpt "$ckpt" --mapping "$mapping" --times 1s,1h,1d,1y \
      --seeds "$seeds" --json "$json" "$@" > "$json.txt.tmp" && mv "$json.txt.tmp" "$json.txt"
  fi
  printf '| %-34s |' "$label"
  awk '/^ +[0-9.]+[a-z]+ +[0-9.]+ \+-/ {printf " %s +- %s |", $2, $4}' "$json.txt"
  echo
}
echo "| $model, $seeds seeds, 10k test images | 1 s | 1 h | 1 d | 1 y |"
echo "|---|---|---|---|---|"
row "all-digital (FP16)" "$fp" all-digital
row "all-int8" "$fp" all-int8
row "all-analog, no HWA, comp. off" "$fp" all-analog --no-compensation
row "all-analog, no HWA, comp. on" "$fp" all-analog
if [ "$hwa" != "-" ]; then  # HWA_CKPT "-": only the rows of the FP weights
  row "all-analog, HWA, comp. off" "$hwa" all-analog --no-compensation
  row "all-analog, HWA, comp. on" "$hwa" all-analog
fi
