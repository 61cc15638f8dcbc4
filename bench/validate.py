"""Benchmark: our SCDL validator against plain frictionless, same file, same run.

Generates a realistic, valid 200,000-row subsidies CSV (scdl/subventions
2.1.1) in a temporary directory, then times

* ours: ``ckanext.loiretcher.validation.validate_file`` (every Table Schema
  check plus the SCDL custom checks), and
* the baseline: frictionless's ``validate`` of the same file with the same
  schema, without the custom checks (what ``frictionless validate --schema``
  does),

each in a fresh subprocess, several times, and compares the medians. Each
subprocess also reports its peak memory (``ru_maxrss``) and how much it grew
while validating; memory flatness compares that growth at 20,000 and 200,000
rows. Target: time ratio <= 1.00 and flat memory.

Run: ``.venv/bin/python bench/validate.py [--rows N] [--repeat N]``. No service
is needed. The last line is ``validate/frictionless time ratio: X.XX``.
"""
from __future__ import annotations

import argparse
import csv
import json
import random
import statistics
import subprocess
import sys
import tempfile
import uuid
from datetime import date, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

HEADER = [
    "nomAttribuant", "idAttribuant", "dateConvention", "referenceDecision",
    "nomBeneficiaire", "idBeneficiaire", "rnaBeneficiaire", "objet", "montant",
    "nature", "conditionsVersement", "datesPeriodeVersement", "idRAE",
    "notificationUE", "pourcentageSubvention", "dispositifAide",
]
_DOUBLED = (0, 2, 4, 6, 8, 1, 3, 5, 7, 9)


def _luhn_digit(body: str) -> str:
    """The digit that completes ``body`` into a valid Luhn number."""
    for digit in "0123456789":
        total = 0
        for position, char in enumerate(reversed(body + digit)):
            value = int(char)
            total += _DOUBLED[value] if position % 2 else value
        if total % 10 == 0:
            return digit
    raise AssertionError("unreachable")


def make_siret(rng: random.Random) -> str:
    siren = "".join(rng.choice("0123456789") for _ in range(8))
    siren += _luhn_digit(siren)
    nic = "".join(rng.choice("0123456789") for _ in range(4))
    return siren + nic + _luhn_digit(siren + nic)


def write_subsidies(path: Path, rows: int, seed: int = 41) -> None:
    """A valid scdl/subventions 2.1.1 file, as a département would publish it."""
    rng = random.Random(seed)
    attributor = make_siret(rng)
    kinds = ["Association", "Comité des fêtes", "Club sportif", "Amicale",
             "Commune", "SARL", "Union", "Foyer rural"]
    places = ["Blois", "Vendôme", "Romorantin-Lanthenay", "Mer", "Montoire",
              "Salbris", "Contres", "Onzain", "Saint-Aignan", "Lamotte-Beuvron"]
    subjects = ["Fonctionnement annuel", "Organisation du festival",
                "Équipement sportif", "Animations pour les jeunes",
                "Aide à l'investissement", "Rénovation énergétique",
                "Soutien à l'emploi local", "Transport scolaire",
                "Actions culturelles en milieu rural", "Insertion professionnelle"]
    beneficiaries = []
    for number in range(5000):
        name = f"{rng.choice(kinds)} de {rng.choice(places)} n°{number}"
        if rng.random() < 0.85:
            beneficiaries.append((name, make_siret(rng), ""))
        else:
            beneficiaries.append((name, "", "W" + f"{rng.randrange(10**9):09d}"))
    start = date(2019, 1, 1)
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream, lineterminator="\r\n")
        writer.writerow(HEADER)
        for row in range(rows):
            signed = start + timedelta(days=rng.randrange(5 * 365))
            name, siret, rna = rng.choice(beneficiaries)
            paid = signed + timedelta(days=rng.randrange(1, 120))
            if rng.random() < 0.6:
                period = paid.isoformat()
                conditions = "unique"
            else:
                until = paid + timedelta(days=365)
                period = f"{paid.isoformat()}/{until.isoformat()}"
                conditions = "échelonné"
            writer.writerow([
                "Département de Loir-et-Cher",
                attributor,
                signed.isoformat(),
                f"CP-{signed.year}-{row % 997:03d}",
                name,
                siret,
                rna,
                f"{rng.choice(subjects)} {signed.year}",
                f"{rng.randrange(100, 2_000_000) / 100:.2f}",
                rng.choice(["aide en numéraire", "aide en numéraire", "aide en nature",
                            "aide en numéraire;aide en nature"]),
                conditions,
                period,
                f"{rng.randrange(10**5):05d}" if rng.random() < 0.1 else "",
                rng.choice(["oui", "non", "non", "non"]),
                rng.choice(["1", "1", "1", "0.5", "0.25", "0.75"]),
                str(uuid.UUID(int=rng.getrandbits(128))) if rng.random() < 0.2 else "",
            ])


# --- what each subprocess runs ----------------------------------------------

_CHILD = r"""
import json, os, resource, sys, time
sys.path.insert(0, {root!r})
kind, path = sys.argv[1], sys.argv[2]
# frictionless refuses absolute paths unless trusted: work beside the file.
os.chdir(os.path.dirname(path))
path = os.path.basename(path)
if kind == "ours":
    from ckanext.loiretcher.validation import validate_file
    def run():
        result = validate_file(path, "subventions")
        return result["valid"], result["rows"], result["error_count"]
else:
    import frictionless
    from ckanext.loiretcher.validation import load_schema
    descriptor = load_schema("subventions")
    descriptor.pop("custom_checks")
    schema = frictionless.Schema.from_descriptor(descriptor)
    def run():
        report = frictionless.validate(path, schema=schema)
        task = report.tasks[0]
        return report.valid, task.stats.get("rows"), len(task.errors)
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
started = time.perf_counter()
valid, rows, errors = run()
seconds = time.perf_counter() - started
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({{"seconds": seconds, "peak_kb": peak, "growth_kb": peak - before,
                   "valid": valid, "rows": rows, "errors": errors}}))
"""


def run_child(kind: str, path: Path) -> dict:
    code = _CHILD.format(root=str(ROOT))
    output = subprocess.run(
        [sys.executable, "-c", code, kind, str(path)],
        check=True, capture_output=True, text=True,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    small_rows = max(1, args.rows // 10)

    with tempfile.TemporaryDirectory(prefix="loiretcher-bench-") as tmp:
        big = Path(tmp) / "subventions-big.csv"
        small = Path(tmp) / "subventions-small.csv"
        write_subsidies(big, args.rows)
        write_subsidies(small, small_rows)
        size_mb = big.stat().st_size / 1e6
        print(f"file: {args.rows} rows, {size_mb:.1f} MB; "
              f"small file: {small_rows} rows")

        runs: dict[str, list[dict]] = {"ours": [], "frictionless": []}
        for repetition in range(args.repeat):
            # Alternate the order so that neither side always runs on a warm cache.
            order = ["ours", "frictionless"] if repetition % 2 == 0 else [
                "frictionless", "ours"]
            for kind in order:
                result = run_child(kind, big)
                runs[kind].append(result)
                print(f"  run {repetition + 1} {kind:<12} {result['seconds']:7.2f} s  "
                      f"peak {result['peak_kb'] / 1024:6.1f} MB  "
                      f"valid={result['valid']} rows={result['rows']} "
                      f"errors={result['errors']}")
        for kind, results in runs.items():
            if not all(r["valid"] for r in results):
                print(f"WARNING: {kind} found the generated file invalid")

        median = {
            k: statistics.median(r["seconds"] for r in v) for k, v in runs.items()
        }
        peak = {k: max(r["peak_kb"] for r in v) / 1024 for k, v in runs.items()}
        growth = {k: max(r["growth_kb"] for r in v) / 1024 for k, v in runs.items()}
        small_ours = run_child("ours", small)
        small_frictionless = run_child("frictionless", small)

        print(f"ours:         median {median['ours']:.2f} s "
              f"({args.rows / median['ours']:,.0f} rows/s), peak RSS "
              f"{peak['ours']:.1f} MB, growth while validating {growth['ours']:.1f} MB")
        print(f"frictionless: median {median['frictionless']:.2f} s "
              f"({args.rows / median['frictionless']:,.0f} rows/s), peak RSS "
              f"{peak['frictionless']:.1f} MB, growth while validating "
              f"{growth['frictionless']:.1f} MB")
        print(f"memory flatness (peak RSS at {small_rows} rows -> {args.rows} rows): "
              f"ours {small_ours['peak_kb'] / 1024:.1f} -> {peak['ours']:.1f} MB, "
              f"frictionless {small_frictionless['peak_kb'] / 1024:.1f} -> "
              f"{peak['frictionless']:.1f} MB")
        ratio = peak["ours"] / (small_ours["peak_kb"] / 1024)
        print(f"ours peak memory ratio {args.rows} rows / {small_rows} rows: "
              f"{ratio:.2f} "
              f"({'flat' if ratio < 1.1 else 'NOT flat'})")
        print(f"validate/frictionless time ratio: "
              f"{median['ours'] / median['frictionless']:.2f}")


if __name__ == "__main__":
    main()
