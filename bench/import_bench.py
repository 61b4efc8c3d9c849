"""Import benchmark: Keino's streaming pipeline against a straightforward pandas implementation.

Both do the same job on the same generated file (the demo generator's Kuntaliitto 2021
layout, one million rows by default): read the CSV, parse decimal-comma amounts and dd.mm.yyyy
dates, validate supplier business ids, split the rows into accepted and rejected, and write
them to Parquet. Each run is a fresh subprocess, so that its peak memory is its own; runs
alternate between the two so that a slow moment of the machine hits both alike. The two must
agree on the rows accepted and their sum, or the benchmark fails.

    python bench/import_bench.py [--rows 1000000] [--seed 1] [--repeat 3]

The generated file is kept in the temporary folder and reused by a later run with the same
rows, seed and generator.
"""

import argparse
import hashlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

from measure import resident_mb

IMPLEMENTATIONS = ("keino", "pandas")
YEARS = (2022, 2025)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--workdir",
        type=Path,
        default=Path(tempfile.gettempdir()) / "keino-import-bench",
        help="Where the generated file is kept (default: in the temporary folder).",
    )
    parser.add_argument("--child", nargs=3, metavar=("IMPLEMENTATION", "FILE", "OUT_DIR"))
    args = parser.parse_args()
    if args.child:
        implementation, file, out_dir = args.child
        print(json.dumps(run_child(implementation, Path(file), Path(out_dir))))
        return
    sys.exit(benchmark(args.rows, args.seed, args.repeat, args.workdir))


# The parent: generate, run, compare, print -----------------------------------------------------


def benchmark(rows: int, seed: int, repeat: int, workdir: Path) -> int:
    workdir.mkdir(parents=True, exist_ok=True)
    path, expected = demo_file(workdir, rows, seed)
    print(f"{path.name}: {expected['rows']} rows, {path.stat().st_size / 1e6:.0f} MB")
    results: dict[str, list[dict]] = {name: [] for name in IMPLEMENTATIONS}
    for attempt in range(1, repeat + 1):
        for name in IMPLEMENTATIONS:
            result = run_subprocess(name, path, workdir)
            results[name].append(result)
            print(
                f"  run {attempt} {name:<6} {result['seconds']:6.2f} s, "
                f"peak {result['peak_mb']:5.0f} MB, {result['rows_accepted']} accepted, "
                f"sum {result['sum_accepted']}"
            )
    print_table(results)
    return check_agreement(results, expected)


def demo_file(workdir: Path, rows: int, seed: int) -> tuple[Path, dict]:
    """The generated file and its summary, reused when rows, seed and generator are the same."""
    from keino.invoices import demo

    fingerprint = hashlib.sha256(
        Path(demo.__file__).read_bytes() + demo.ACCOUNTS_FILE.read_bytes()
    ).hexdigest()[:12]
    path = workdir / f"demo-{rows}-{seed}-{fingerprint}.csv"
    summary_path = path.with_suffix(".json")
    if path.exists() and summary_path.exists():
        return path, json.loads(summary_path.read_text())
    for stale in workdir.glob(f"demo-{rows}-{seed}-*"):  # made by an older generator
        stale.unlink()
    started = time.perf_counter()
    buyer = demo.Buyer("577", "Demokaupunki (demo)", "9990001-6")
    summary = demo.write_demo_file(path, buyer=buyer, rows=rows, seed=seed, years=YEARS)
    print(f"generated in {time.perf_counter() - started:.1f} s")
    expected = summary.as_dict()
    summary_path.write_text(json.dumps(expected))
    return path, expected


def run_subprocess(name: str, path: Path, workdir: Path) -> dict:
    with tempfile.TemporaryDirectory(dir=workdir) as scratch:
        out_dir = Path(scratch) / "out"
        out_dir.mkdir()
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "keino.core.settings",
            "KEINO_DATA_DIR": str(Path(scratch) / "data"),
        }
        started = time.perf_counter()
        # The command is this script run with fixed arguments, not outside input.
        completed = subprocess.run(  # noqa: S603
            [sys.executable, __file__, "--child", name, str(path), str(out_dir)],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        elapsed = time.perf_counter() - started
        if completed.returncode:
            sys.exit(f"{name} failed:\n{completed.stderr}")
        result = json.loads(completed.stdout.strip().splitlines()[-1])
        result["process_seconds"] = elapsed
        result["parquet_mb"] = sum(f.stat().st_size for f in out_dir.iterdir()) / 1e6
        return result


def print_table(results: dict[str, list[dict]]) -> None:
    summary = {}
    for name, runs in results.items():
        seconds = statistics.median(run["seconds"] for run in runs)
        summary[name] = {
            "seconds": seconds,
            "process_seconds": statistics.median(run["process_seconds"] for run in runs),
            "rows_per_second": runs[0]["rows_read"] / seconds,
            "peak_mb": max(run["peak_mb"] for run in runs),
            "start_mb": max(run["start_mb"] for run in runs),
            "parquet_mb": runs[0]["parquet_mb"],
        }
    print()
    print(
        f"{'implementation':<15}{'wall s':>8}{'process s':>11}{'rows/s':>11}"
        f"{'peak MB':>9}{'of which at start':>19}{'Parquet MB':>12}"
    )
    for name, figures in summary.items():
        print(
            f"{name:<15}{figures['seconds']:>8.2f}{figures['process_seconds']:>11.2f}"
            f"{figures['rows_per_second']:>11,.0f}{figures['peak_mb']:>9.0f}"
            f"{figures['start_mb']:>19.0f}{figures['parquet_mb']:>12.1f}"
        )
    keino, pandas = summary["keino"], summary["pandas"]
    print(
        f"pandas / keino: time {pandas['seconds'] / keino['seconds']:.1f}×, "
        f"peak memory {pandas['peak_mb'] / keino['peak_mb']:.1f}×"
    )
    print(
        "wall s: median of the runs, the job only; process s: the whole subprocess with "
        "interpreter start and imports; peak MB: the process's peak resident memory (VmHWM)."
    )


def check_agreement(results: dict[str, list[dict]], expected: dict) -> int:
    outcomes = {
        (name, run["rows_read"], run["rows_accepted"], run["sum_accepted"])
        for name, runs in results.items()
        for run in runs
    }
    distinct = {outcome[1:] for outcome in outcomes}
    generated = (expected["rows"], expected["rows_accepted"], expected["sum_accepted"])
    print(f"generator: {generated[1]} rows to accept, sum {generated[2]}")
    if distinct != {generated}:
        print(f"DISAGREEMENT: {sorted(outcomes)}", file=sys.stderr)
        return 1
    print(f"both agree: {generated[1]} rows accepted, sum {generated[2]} EUR")
    return 0


# The children: one import each, reporting its own time and memory -------------------------------


def run_child(implementation: str, path: Path, out_dir: Path) -> dict:
    job = {"keino": keino_job, "pandas": pandas_job}[implementation]()  # imports happen here
    start_mb = resident_mb("VmRSS")
    started = time.perf_counter()
    outcome = job(path, out_dir)
    seconds = time.perf_counter() - started
    return {**outcome, "seconds": seconds, "peak_mb": resident_mb("VmHWM"), "start_mb": start_mb}


def keino_job():
    import django

    django.setup()
    from keino.invoices.importers.layouts import propose_mapping, recognise_layout
    from keino.invoices.importers.pipeline import import_to_parquet
    from keino.invoices.importers.sources import sniff

    def job(path: Path, out_dir: Path) -> dict:
        info = sniff(path)
        layout = recognise_layout(info.header)
        if layout.code != "kuntaliitto_2021":
            raise SystemExit(f"layout recognised as {layout.code}")
        outcome = import_to_parquet(path, info, propose_mapping(info.header, layout), out_dir)
        return {
            "rows_read": outcome.rows_read,
            "rows_accepted": outcome.rows_accepted,
            "sum_accepted": f"{outcome.sum_accepted:.2f}",
        }

    return job


def pandas_job():
    import pandas as pd
    from stdnum.fi import ytunnus

    def job(path: Path, out_dir: Path) -> dict:
        frame = pd.read_csv(path, sep=";", dtype=str, keep_default_na=False, encoding="utf-8")
        amount_text = frame["Laskun summa ilman ALV"].str.strip()
        amount = pd.to_numeric(
            amount_text.str.replace(" ", "", regex=False).str.replace(",", ".", regex=False),
            errors="coerce",
        )
        date = pd.to_datetime(
            frame["Tositepäivämäärä"].str.strip(), format="%d.%m.%Y", errors="coerce"
        )
        business_id = frame["Toimittajan Y-tunnus"].str.strip()
        id_valid = business_id.map(lambda value: ytunnus.is_valid(value) if value else None)
        rejected = amount.isna() | date.isna()
        accepted = frame[~rejected].assign(
            amount=amount[~rejected].round(2),
            voucher_date=date[~rejected],
            supplier_business_id_valid=id_valid[~rejected].astype("boolean"),
        )
        accepted.to_parquet(out_dir / "lines.parquet", compression="zstd", index=False)
        frame[rejected].to_parquet(out_dir / "rejected.parquet", compression="zstd", index=False)
        # Summed in whole cents, so that no float error reaches the total.
        cents = int((accepted["amount"] * 100).round().astype("int64").sum())
        return {
            "rows_read": len(frame),
            "rows_accepted": len(accepted),
            "sum_accepted": f"{Decimal(cents).scaleb(-2):.2f}",
        }

    return job


if __name__ == "__main__":
    main()
