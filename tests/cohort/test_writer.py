"""write_folder → read_folder gives back the same cohort."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from myotrack.cohort import read_folder, write_folder

FolderMaker = Callable[..., Path]


def test_round_trip_is_lossless(tmp_path: Path, folder_maker: FolderMaker) -> None:
    cohort, issues = read_folder(folder_maker(tmp_path / "in"))
    assert cohort is not None, issues
    write_folder(cohort, tmp_path / "out")
    again, issues = read_folder(tmp_path / "out")
    assert issues == []
    assert again == cohort


def test_reported_units_are_written_back(tmp_path: Path, folder_maker: FolderMaker) -> None:
    cohort, _ = read_folder(folder_maker(tmp_path / "in"))
    assert cohort is not None
    write_folder(cohort, tmp_path / "out")
    labs = (tmp_path / "out" / "labs.csv").read_text(encoding="utf-8")
    assert "P02,2021-09-20,CK,0.26,,µmol/(s*L),3.17," in labs
    assert "x_note" in (tmp_path / "out" / "patients.csv").read_text(encoding="utf-8")
