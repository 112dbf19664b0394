"""Start-up budget (issue 3): ratios measured in one run, each command as a fresh process.

- `dxassess --help` against the `--help` of a bare typer app with ten commands (budget 1.3×);
- `dxassess validate` of the flagship against a fresh Python process that only loads that file
  once with ruamel's round-trip loader (budget 2.5×).

Run: python benchmarks/startup.py [--repeat N]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bytecode import compile_package

ROOT = Path(__file__).resolve().parent.parent
FLAGSHIP = ROOT / "questionnaires" / "municipal-dx.yaml"

BARE_APP = (
    """
import typer
app = typer.Typer()
"""
    + "".join(
        f'''
@app.command()
def command{i}(name: str = "x") -> None:
    """Command number {i}."""
'''
        for i in range(10)
    )
    + """
app()
"""
)

RT_LOAD = """
import sys
from ruamel.yaml import YAML
with open(sys.argv[1], encoding="utf-8") as fh:
    YAML(typ="rt").load(fh)
"""


def timed(cmd: list[str], repeat: int) -> float:
    """Median wall time of `repeat` runs (after one warm-up run)."""
    subprocess.run(cmd, capture_output=True, check=False)
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        proc = subprocess.run(cmd, capture_output=True, check=False)
        times.append(time.perf_counter() - start)
        if proc.returncode not in (0,):
            raise SystemExit(f"{cmd} failed: {proc.stderr.decode()[-500:]}")
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    py = sys.executable
    compile_package()  # as pip install does: no run pays for compiling the sources
    with tempfile.TemporaryDirectory() as tmp:
        bare = Path(tmp) / "bare.py"
        bare.write_text(BARE_APP)
        rt = Path(tmp) / "rt.py"
        rt.write_text(RT_LOAD)
        bare_help = timed([py, str(bare), "--help"], args.repeat)
        dx_help = timed([py, "-m", "dxassess", "--help"], args.repeat)
        rt_load = timed([py, str(rt), str(FLAGSHIP)], args.repeat)
        dx_validate = timed([py, "-m", "dxassess", "validate", str(FLAGSHIP)], args.repeat)
    rows = [
        ("dxassess --help", dx_help, "bare typer app (10 commands) --help", bare_help, 1.3),
        ("dxassess validate municipal-dx.yaml", dx_validate, "python + ruamel rt load of the file", rt_load, 2.5),
    ]
    ok = True
    for name, value, base_name, base, budget in rows:
        ratio = value / base
        ok &= ratio <= budget
        print(
            f"{name:38s} {value * 1000:7.1f} ms | {base_name:38s} {base * 1000:7.1f} ms | "
            f"ratio {ratio:.2f} (budget {budget}) {'OK' if ratio <= budget else 'OVER'}"
        )
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
