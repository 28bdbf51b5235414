#!/usr/bin/env bash
# Every search behind issue 13's compare tables (model x hardware config x method), in a
# fixed order, each resumable: a job whose report OUT_DIR/CONFIG/MODEL-METHOD.json exists
# is skipped, an interrupted one resumes from its --run-dir (the map report then sums its
# wall time over the calls). Kill it at any point and run it again. Nothing here is timed
# against anything else (the wall-time comparisons are scripts/search-mps-hilal-lionheart.sh
# on an idle machine); each report still records its own search seconds.
#   usage: scripts/search-matrix.sh [OUT_DIR] [FILTER]
#     OUT_DIR default out/matrix; FILTER: an extended regex over job names
#     (CONFIG/MODEL-METHOD, e.g. 'lowres/vit-tiny'), default all.
#   AIMCSIM_BIN (default build/cli/aimcsim; point it at a copy while you rebuild)
# Budgets (stated in mappings/README.md): map's defaults unless a job says otherwise;
# vit-tiny's sensitivity runs the per-layer estimator (not piecewise linear, see
# mappings/README.md), on 1 batch of 256 images here (380 s, 8 batches would take ~50 min).
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-out/matrix}
filter=${2:-.}
bin=${AIMCSIM_BIN:-build/cli/aimcsim}
export OMP_WAIT_POLICY=PASSIVE  # libgomp busy-waiting slows a loaded 2-core machine ~3x
mkdir -p "$out/ckpt"

wanted() { echo "$1" | grep -Eq -- "$filter"; }

ckpt_of() {  # the FP checkpoint of a model
  case $1 in
    mobilenetv2-small) echo "$out/ckpt/mobilenetv2-small.pt" ;;
    *) echo "checkpoints/$1.pt" ;;
  esac
}

# train MODEL EPOCHS LR: the FP checkpoint a model without a shipped one needs (resumable).
train() {
  local model=$1 epochs=$2 lr=$3 name="train/$1"
  wanted "$name" || return 0
  local ckpt
  ckpt=$(ckpt_of "$model")
  if [[ -f "$ckpt.done" ]]; then return 0; fi
  echo "$name start $(date -u +%FT%TZ)"
  "$bin" train --model "$model" --epochs "$epochs" --seed 1 --lr "$lr" --out "$ckpt" \
    --resume >> "$out/ckpt/$model.log" 2>&1
  touch "$ckpt.done"
  echo "$name end $(date -u +%FT%TZ)"
}

# search CONFIG MODEL METHOD [FLAGS...]
search() {
  local config=$1 model=$2 method=$3
  shift 3
  local name="$config/$model-$method"
  wanted "$name" || return 0
  local dir="$out/$config" stem="$out/$config/$model-$method"
  mkdir -p "$dir"
  if [[ -f "$stem.json" ]]; then return 0; fi
  echo "$name start $(date -u +%FT%TZ)"
  if "$bin" map "${method%%+*}" --hw "configs/$config.toml" --model "$model" \
    --ckpt "$(ckpt_of "$model")" --no-progress --out "$stem.toml" --json "$stem.json" \
    --run-dir "$stem.run" "$@" >> "$stem.log" 2>&1; then
    echo "$name end $(date -u +%FT%TZ)"
  else
    echo "$name FAILED (see $stem.log)"
  fi
}

vit=(--batches 1 --batch-size 256)

# resnet20 on the preset where mappings matter (MPS-full and HILAL + LAFT searched there by
# scripts/search-mps-hilal-lionheart.sh in session 17).
search lowres resnet20 lionheart
search lowres resnet20 hilal-energy --no-laft
search lowres resnet20 mpaas --finetune-epochs 3
# MPS at map's defaults again (session 17's run, mappings/resnet20-lowres-mps-full, did not
# keep its front points' weights).
search lowres resnet20 mps --finetune-epochs 3
# The second and third models of the tables.
train mobilenetv2-small 10 0.1
for model in vit-tiny mobilenetv2-small; do
  flags=()
  [[ $model == vit-tiny ]] && flags=("${vit[@]}")
  search lowres "$model" mps --finetune-epochs 3
  search lowres "$model" hilal --stage-validation 2000 "${flags[@]}"
  search lowres "$model" hilal-energy --no-laft "${flags[@]}"
  search lowres "$model" mpaas --finetune-epochs 3
  search lowres "$model" lionheart
done
# resnet20 on the default chip (MPS, HILAL + LAFT and LionHEART: the back-to-back run).
search default resnet20 mpaas --finetune-epochs 3
# hilal-energy at the reference calibration (the shipped one is session 9's, 1 x 128 images).
search default resnet20 hilal-energy --no-laft
echo "matrix done $(date -u +%FT%TZ)"
