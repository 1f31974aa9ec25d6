"""The baseline of `myotrack import`: a cohort folder's CSV rows inserted with Python's
`csv` and `sqlite3.executemany`, one transaction, no parsing into types, no validation,
no constraints. What a hand-written loader of the same files costs on this machine.

    python benchmarks/raw_load.py FOLDER DATABASE_FILE

Prints the number of rows stored.
"""

from __future__ import annotations

import csv
import sqlite3
import sys
from pathlib import Path

FILES = ("patients.csv", "visits.csv", "labs.csv", "treatments.csv", "events.csv")


def raw_load(folder: Path, database: Path) -> int:
    connection = sqlite3.connect(database)
    total = 0
    with connection:
        for name in FILES:
            path = folder / name
            if not path.is_file():
                continue
            with path.open(encoding="utf-8", newline="") as handle:
                reader = csv.reader(handle)
                header = next(reader)
                table = name.removesuffix(".csv")
                columns = ", ".join(f'"{h}"' for h in header)
                connection.execute(f"CREATE TABLE {table} ({columns})")
                marks = ", ".join("?" for _ in header)
                rows = list(reader)
                connection.executemany(f"INSERT INTO {table} VALUES ({marks})", rows)
                total += len(rows)
    connection.close()
    return total


if __name__ == "__main__":
    print(raw_load(Path(sys.argv[1]), Path(sys.argv[2])))
