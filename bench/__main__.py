"""Run the benchmarks, print a table and write bench/results.json."""

from __future__ import annotations

import argparse
import importlib
import json
import pkgutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def discover() -> list[str]:
    return sorted(
        m.name.removeprefix("bench_")
        for m in pkgutil.iter_modules([str(HERE)])
        if m.name.startswith("bench_")
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--name", help="run one benchmark (file bench/bench_NAME.py)")
    args = parser.parse_args()
    names = [args.name] if args.name else discover()
    results_path = HERE / "results.json"
    results = json.loads(results_path.read_text()) if results_path.exists() else {}
    rows = []
    for name in names:
        module = importlib.import_module(f"bench.bench_{name}")
        print(f"running {name} …", file=sys.stderr, flush=True)
        for figure in module.run():
            results[figure.name] = figure.as_json()
            rows.append(figure)
    width = max((len(f.name) for f in rows), default=10)
    print(f"{'figure':<{width}}  {'value':>12}  {'unit':<8}  {'baseline':>12}  {'ratio':>7}")
    for f in rows:
        base = f"{f.baseline:12.3f}" if f.baseline is not None else f"{'':>12}"
        ratio = f"{f.ratio:7.2f}" if f.ratio is not None else f"{'':>7}"
        print(f"{f.name:<{width}}  {f.value:12.3f}  {f.unit:<8}  {base}  {ratio}")
    results_path.write_text(json.dumps(results, indent=2, sort_keys=True) + "\n")
    print(f"wrote {results_path.relative_to(HERE.parent)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
