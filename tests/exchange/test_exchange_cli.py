"""`myotrack export --format --tier --layout` and `myotrack import` of any format (detected),
end to end as a data manager uses them; and the table of formats."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from myotrack.cli import app
from myotrack.cohort import DEMO_FOLDER, read_folder
from myotrack.exchange import FORMATS, detect_format, format_named
from myotrack.exchange.fhir.codes import PATIENT_ID_SYSTEM

runner = CliRunner()


def _run(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.output


@pytest.fixture
def database(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'registry.db'}"
    code, out = _run("import", str(DEMO_FOLDER), "--database", url, "--reason", "demo")
    assert code == 0, out
    return url


@pytest.mark.parametrize("layout", ["bundle", "ndjson", "transaction"])
def test_fhir_export_imports_back_with_no_change(
    tmp_path: Path, database: str, layout: str
) -> None:
    out = tmp_path / "fhir"
    code, text = _run(
        "export", str(out), "--database", database, "--format", "fhir", "--layout", layout
    )
    assert code == 0, text
    source = out if layout == "ndjson" else next(out.iterdir())
    code, text = _run("import", str(source), "--database", database, "--reason", "again")
    assert code == 0, text
    assert "Nothing changed" in text  # the format was recognised, the data are the registry's


def test_tiers_reach_the_fhir_files(tmp_path: Path, database: str) -> None:
    out = tmp_path / "safe"
    code, text = _run(
        "export", str(out), "--database", database, "--format", "fhir", "--tier", "safe-harbor"
    )
    assert code == 0 and "safe-harbor copy" in text, text
    bundle = json.loads((out / "cohort.fhir.json").read_text(encoding="utf-8"))
    patients = [
        e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Patient"
    ]
    demo, _ = read_folder(DEMO_FOLDER)
    assert demo is not None
    ids = {
        i["value"] for p in patients for i in p["identifier"] if i["system"] == PATIENT_ID_SYSTEM
    }
    assert ids and ids.isdisjoint(p.patient_id for p in demo.patients)
    assert all(p["birthDate"] != q.birth_date.isoformat() for p in patients for q in demo.patients)
    text_all = json.dumps(bundle)
    assert "Demo Centre" not in text_all and "extra-column" not in text_all
    code, text = _run("validate", str(out))
    assert code == 0 and "no problems found" in text, text


def test_bad_options_are_explained(tmp_path: Path, database: str) -> None:
    code, text = _run("export", str(tmp_path / "x"), "--database", database, "--format", "csv")
    assert code == 1 and "use one of folder, fhir" in text.replace("\n", " ")
    code, text = _run(
        "export", str(tmp_path / "x"), "--database", database, "--format", "fhir", "--layout", "zip"
    )
    assert code == 1 and "bundle, ndjson, transaction" in text
    code, text = _run(
        "export",
        str(tmp_path / "x"),
        "--database",
        database,
        "--deidentified",
        "--tier",
        "identified",
    )
    assert code == 1 and "--deidentified" in text
    (tmp_path / "busy").mkdir()
    (tmp_path / "busy" / "notes.txt").write_text("mine", encoding="utf-8")
    code, text = _run("export", str(tmp_path / "busy"), "--database", database, "--format", "fhir")
    assert code == 1 and "already holds other files" in text


def test_import_of_a_broken_fhir_file_names_the_place(tmp_path: Path, database: str) -> None:
    out = tmp_path / "fhir"
    assert _run("export", str(out), "--database", database, "--format", "fhir")[0] == 0
    path = out / "cohort.fhir.json"
    bundle = json.loads(path.read_text(encoding="utf-8"))
    number, patient = next(
        (n, e["resource"])
        for n, e in enumerate(bundle["entry"], start=1)
        if e["resource"]["resourceType"] == "Patient"
    )
    patient["birthDate"] = "2013-02-30"
    path.write_text(json.dumps(bundle), encoding="utf-8")
    code, text = _run("import", str(path), "--database", database, "--reason", "broken")
    assert code == 1
    assert f"cohort.fhir.json:{number}: Patient/{patient['id']}.birthDate (birth_date):" in text
    assert "nothing was stored" in text


def test_every_format_is_one_row() -> None:
    assert set(FORMATS) >= {"folder", "fhir"}
    for fmt in FORMATS.values():
        assert fmt.layouts and fmt.label and fmt.description
        assert (fmt.export is None) == (fmt.name == "folder")
    assert format_named("fhir").read is not None
    with pytest.raises(KeyError, match="use one of"):
        format_named("hl7v2")


def test_formats_are_recognised() -> None:
    assert detect_format(("patients.csv", "visits.csv"), {}) is FORMATS["folder"]
    assert detect_format(("Patient.ndjson", "manifest.json"), {}) is FORMATS["fhir"]
    sample = {"x.json": '{"resourceType": "Bundle", "type": "collection"'}
    assert detect_format(("x.json",), sample) is FORMATS["fhir"]
    assert detect_format(("notes.txt",), {}) is None


def test_formats_command_lists_formats_and_tiers() -> None:
    code, text = _run("formats")
    assert code == 0
    for word in ("folder", "fhir", "ndjson", "identified", "pseudonymised", "safe-harbor"):
        assert word in text


def test_an_export_only_format_is_not_imported(tmp_path: Path, database: str) -> None:
    export_only = [f for f in FORMATS.values() if f.read is None and f.export is not None]
    if not export_only:
        pytest.skip("every format can be imported")
    fmt = export_only[0]
    out = tmp_path / fmt.name
    assert _run("export", str(out), "--database", database, "--format", fmt.name)[0] == 0
    for named in (None, fmt.name):
        extra = [] if named is None else ["--format", named]
        code, text = _run("import", str(out), "--database", database, *extra)
        assert code == 1 and "does not import" in text.replace("\n", " "), text
