#!/usr/bin/env bash
# One compare table of issue 13 (1 d, 5 programming seeds, all 10,000 test images unless
# SEEDS/TEST_LIMIT say otherwise): the baselines, then every finished search report
# MODEL-*.json (with its mapping MODEL-*.toml) found in the given folders, then their Pareto
# front points (MODEL-*.front-I.toml, with the point's own report and weights where the
# search wrote one: MPS/MPAAS; hilal-energy --no-laft's points with its report, so they count
# in its family, on the FP checkpoint; a point of a fine-tuning search without a report of
# its own is left out: neither the FP nor the fine-tuned weights are the ones it was scored
# with). compare prints the hypervolume per method family.
#   usage: scripts/compare-matrix.sh CONFIG MODEL OUT_STEM DIR_OR_REPORT [...]
#     (a folder: its MODEL-*.json; a file: that report)
#   e.g.   scripts/compare-matrix.sh default resnet20 results/compare/resnet20-default-1d-5x10k \
#            out/b2b-default out/matrix/default
#   SEEDS (5), TIME (1d), TEST_LIMIT (0 = all), AIMCSIM_BIN, CKPT (default: the model's FP
#   checkpoint as scripts/search-matrix.sh finds it), NO_FRONTS=1 leaves the front points out.
set -euo pipefail
cd "$(dirname "$0")/.."
config=$1 model=$2 stem=$3
shift 3
bin=${AIMCSIM_BIN:-build/cli/aimcsim}
case $model in
  mobilenetv2-small) ckpt=${CKPT:-checkpoints/mobilenetv2-small.pt} ;;  # out/matrix/ckpt's, shipped
  *) ckpt=${CKPT:-checkpoints/$model.pt} ;;
esac
export OMP_WAIT_POLICY=PASSIVE
methods=all-digital,all-digital-int8,all-analog,first-last-digital
fronts=""
for arg in "$@"; do
  reports=("$arg")
  [[ -d $arg ]] && reports=("$arg/$model"-*.json)
  for report in "${reports[@]}"; do
    [[ -f $report ]] || continue
    base=${report%.json}
    case $base in *.front-*) continue ;; esac
    [[ -f $base.toml ]] || continue
    methods+=",file:$base.toml@$report"
    for point in "$base".front-*.toml; do
      [[ -f $point ]] || continue
      if [[ -f ${point%.toml}.json ]]; then
        fronts+=",file:$point@${point%.toml}.json"
      elif ! grep -q '"checkpoint_out"' "$report"; then
        fronts+=",file:$point@$report"  # no fine-tuned weights: the method's row, FP weights
      else  # a fine-tuned search whose point has no weights of its own (not kept): leave out
        echo "compare-matrix: $point left out (its weights ${point%.toml}.json were not kept)" >&2
      fi
    done
  done
done
[[ ${NO_FRONTS:-0} == 1 ]] || methods+=$fronts
mkdir -p "$(dirname "$stem")"
"$bin" compare --hw "configs/$config.toml" --model "$model" --ckpt "$ckpt" \
  --methods "$methods" --time "${TIME:-1d}" --seeds "${SEEDS:-5}" \
  --test-limit "${TEST_LIMIT:-0}" --no-progress --json "$stem.json" --csv "$stem.csv" \
  > "$stem.txt.tmp"
mv "$stem.txt.tmp" "$stem.txt"
cat "$stem.txt"
