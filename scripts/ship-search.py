#!/usr/bin/env python3
"""Copy one finished search (map's --out/--json, and its front points) into mappings/ and
its fine-tuned weights into checkpoints/, rewriting the report's paths so that
`compare --methods file:mappings/NAME.toml@mappings/NAME.json` and `eval` find them.

usage: scripts/ship-search.py SRC_STEM NAME
  SRC_STEM: the search's --out without .toml (e.g. out/matrix/lowres/resnet20-mpaas)
  NAME:     the shipped name (mappings/NAME.toml, .json, .front-I.toml; checkpoints/NAME.pt)
The front points' own weights (RUN_DIR/front-I.pt) are not copied: their reports say
"(not shipped: PATH)"; rerunning the search command rebuilds them (same seed, same bits).
The run-dir paths inside the report (run_dir_mapping, laft.checkpoint) are left as written.
"""
import json
import pathlib
import shutil
import sys


def main() -> int:
    if len(sys.argv) != 3:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    src, name = pathlib.Path(sys.argv[1]), sys.argv[2]
    root = pathlib.Path(__file__).resolve().parent.parent
    maps, ckpts = root / "mappings", root / "checkpoints"
    report_path = src.with_suffix(".json")
    if not report_path.is_file() or not src.with_suffix(".toml").is_file():
        print(f"ship-search: {src}.toml/.json not found", file=sys.stderr)
        return 1
    report = json.loads(report_path.read_text())
    shutil.copyfile(src.with_suffix(".toml"), maps / f"{name}.toml")
    report["mapping_file"] = f"mappings/{name}.toml"
    if "checkpoint_out" in report:
        shutil.copyfile(report["checkpoint_out"], ckpts / f"{name}.pt")
        report["checkpoint_out"] = f"../checkpoints/{name}.pt"
    for i, point in enumerate(report.get("front", [])):
        point_stem = pathlib.Path(f"{src}.front-{i}")
        dest = maps / f"{name}.front-{i}.toml"
        shutil.copyfile(point_stem.with_suffix(".toml"), dest)
        point["mapping_file"] = f"mappings/{name}.front-{i}.toml"
        if "checkpoint_out" in point:
            point["checkpoint_out"] = f"(not shipped: {point['checkpoint_out']})"
    # hilal-energy's front points have no report list entry, only their files.
    for point_toml in sorted(src.parent.glob(f"{src.name}.front-*.toml")):
        dest = maps / point_toml.name.replace(src.name, name, 1)
        if not dest.exists():
            shutil.copyfile(point_toml, dest)
    (maps / f"{name}.json").write_text(json.dumps(report, indent=2, sort_keys=True) + "\n")
    print(f"shipped {src} as mappings/{name}.*" +
          (f" and checkpoints/{name}.pt" if "checkpoint_out" in report else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
