"""Batch budget (issue 9): `dxassess batch` of all 1,741 municipalities from `sample`, with
every per-municipality HTML report, against merely parsing the same files once with
ruamel.yaml's C-backed safe loader in one process (budget 1.5×). Also the peak memory of batch
runs of different sizes, to show it does not grow with the number of municipalities beyond the
summary itself.

Run: python benchmarks/batch.py [--count 1741] [--repeat 3]
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

FLOOR = """
import sys
from pathlib import Path
from ruamel.yaml import YAML
yaml = YAML(typ="safe")
assert yaml.Parser.__name__ == "CParser"
for path in sorted(Path(sys.argv[1]).glob("*.yaml")):
    yaml.load(path.read_bytes())
"""


def run(cmd: list[str]) -> tuple[float, int]:
    """Wall time and the peak RSS (KiB) of a child process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, check=False)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"{cmd[:4]} failed ({proc.returncode}): {proc.stderr.decode()[-800:]}")
    return elapsed, max(before, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)


def peak_rss(cmd: list[str]) -> int:
    """Peak RSS (KiB) of the command and its children, measured in a fresh process."""
    probe = (
        "import resource, subprocess, sys; subprocess.run(sys.argv[1:], capture_output=True, check=True); "
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    out = subprocess.run([sys.executable, "-c", probe, *cmd], capture_output=True, check=True, text=True)
    return int(out.stdout.strip())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=1741)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    py = sys.executable
    dx = [py, "-m", "dxassess"]
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        samples = tmp_path / "samples"
        subprocess.run(
            [*dx, "sample", "--count", str(args.count), "--seed", "1", "-o", str(samples)],
            check=True,
            capture_output=True,
        )
        floor_script = tmp_path / "floor.py"
        floor_script.write_text(FLOOR)
        floors, batches = [], []
        for i in range(args.repeat):
            floors.append(run([py, str(floor_script), str(samples)])[0])
            batches.append(run([*dx, "batch", str(samples), "-o", str(tmp_path / f"out{i}")])[0])
        floor, batch = statistics.median(floors), statistics.median(batches)
        reports = len(list((tmp_path / "out0" / "reports").glob("*.html")))
        ratios = [b / f for f, b in zip(floors, batches, strict=True)]
        ratio = statistics.median(ratios)
        print(f"files: {args.count}, reports written: {reports}")
        print(f"parse floor (C safe loader, one process): {floor:6.2f} s (median of {args.repeat})")
        print(f"dxassess batch (all cores, HTML reports): {batch:6.2f} s (median of {args.repeat})")
        print("ratio of each run:", ", ".join(f"{r:.2f}" for r in ratios))
        print(f"median ratio {ratio:.2f} (budget 1.5) {'OK' if ratio <= 1.5 else 'OVER'}")
        small = tmp_path / "small"
        small.mkdir()
        for path in sorted(samples.glob("*.yaml"))[: max(1, args.count // 4)]:
            (small / path.name).write_bytes(path.read_bytes())
        rss_small = peak_rss([*dx, "batch", str(small), "-o", str(tmp_path / "m1")])
        rss_full = peak_rss([*dx, "batch", str(samples), "-o", str(tmp_path / "m2")])
        print(
            f"peak RSS: {len(list(small.iterdir()))} files {rss_small / 1024:.0f} MiB, "
            f"{args.count} files {rss_full / 1024:.0f} MiB"
        )
    sys.exit(0 if ratio <= 1.5 else 1)


if __name__ == "__main__":
    main()
