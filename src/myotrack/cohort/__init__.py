"""Reading and writing cohorts at the edges: the cohort folder format (CSV), synthetic
cohorts, and the bundled demo cohort."""

from importlib.resources import files
from pathlib import Path

from myotrack.cohort.reader import read_folder
from myotrack.cohort.writer import write_folder

# The bundled, fictional demo cohort (see its README.md).
DEMO_FOLDER = Path(str(files("myotrack") / "data" / "demo"))

__all__ = ["DEMO_FOLDER", "read_folder", "write_folder"]
