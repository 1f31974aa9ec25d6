"""The one code table: no emitted code outside it, every row with its source, standard
codes written nowhere else, UCUM units that parse, and the LOINC code picked by the unit
actually stored (interop.md §3.3)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from myotrack.domain import Cohort, LabResult
from myotrack.exchange.fhir import code_system_resources, codes, cohort_resources
from myotrack.exchange.fhir.writer import Writer

FHIR_SOURCE = Path(codes.__file__).parent


def _codings(element: Any) -> Iterator[tuple[str, str]]:
    """Every (system, code) pair in a resource: Codings and coded Quantities."""
    if isinstance(element, dict):
        if "system" in element and "code" in element:
            yield element["system"], element["code"]
        for value in element.values():
            yield from _codings(value)
    elif isinstance(element, list):
        for value in element:
            yield from _codings(value)


def test_every_emitted_code_is_in_the_code_table(
    demo_cohort: Cohort, catalogue_cohort: Cohort
) -> None:
    emitted: set[tuple[str, str]] = set()
    for cohort in (demo_cohort, catalogue_cohort):
        for resource in cohort_resources(cohort):
            emitted.update(_codings(resource))
    unknown = emitted - codes.KNOWN_KEYS
    assert unknown == set()
    # the catalogue cohort uses every vocabulary value: every standard row is reachable
    assert emitted >= codes.STANDARD_KEYS


def test_the_check_would_catch_a_code_outside_the_table() -> None:
    resource = {"code": {"coding": [{"system": codes.LOINC, "code": "5234-0"}]}}  # Jo-1
    assert set(_codings(resource)) - codes.KNOWN_KEYS == {(codes.LOINC, "5234-0")}


def test_every_standard_code_has_a_source() -> None:
    for row in codes.STANDARD:
        assert row.source.strip(), row
        assert row.display.strip(), row
    for row in codes.STANDARD:
        if row.system in (codes.SNOMED, codes.LOINC, codes.RXNORM):
            assert "interop.md" in row.source, row  # verified there, not elsewhere


@pytest.mark.parametrize("module", sorted(p.name for p in FHIR_SOURCE.glob("*.py")))
def test_standard_codes_are_written_only_in_the_code_table(module: str) -> None:
    if module == "codes.py":
        return
    text = (FHIR_SOURCE / module).read_text(encoding="utf-8")
    for row in codes.STANDARD:
        if row.system == codes.UCUM or row.system.startswith("http://terminology.hl7.org"):
            continue  # unit strings and FHIR's own codes are ordinary words
        assert not re.search(rf'["\']{re.escape(row.code)}["\']', text), (module, row.code)


def test_ucum_units_parse() -> None:
    ucumvert = pytest.importorskip("ucumvert", reason="ucumvert is a test-only extra")
    parser = ucumvert.get_ucum_parser()
    for row in codes.UCUM_UNITS.values():
        parser.parse(row.code)  # raises on a unit UCUM does not define


@pytest.mark.parametrize(
    ("analyte", "unit", "expected"),
    [
        ("total_cholesterol", "mmol/L", "14647-2"),  # moles/volume
        ("total_cholesterol", "mg/dL", "2093-3"),  # mass/volume
        ("triglycerides", "mmol/L", "14927-8"),
        ("triglycerides", "mg/dL", "2571-8"),
        ("LDL", "mg/dL", "2089-1"),
        ("LDL", "mmol/L", None),  # 22748-8 is SECONDARY: local code only
        ("CK", "µkat/L", "2157-6"),  # catalytic activity in either unit
        ("KL6", "U/mL", None),  # no verified LOINC
        ("aldolase", "U/L", "1761-6"),  # not 1763-2 (aldosterone)
    ],
)
def test_loinc_is_picked_by_the_unit_stored(analyte: str, unit: str, expected: str | None) -> None:
    writer = Writer(Cohort(), "relative")
    writer.patient_ids["P1"] = "p1"
    from datetime import date

    resource = writer.lab(LabResult("P1", date(2020, 1, 1), analyte, value=2.0, unit=unit))
    loinc = [c["code"] for c in resource["code"]["coding"] if c["system"] == codes.LOINC]
    assert loinc == ([] if expected is None else [expected])
    local = [c["code"] for c in resource["code"]["coding"] if c["system"].startswith(codes.BASE)]
    assert local == [analyte]


def test_local_code_systems_list_every_vocabulary_value() -> None:
    resources = {r["url"]: r for r in code_system_resources()}
    for cs in codes.LOCAL_SYSTEMS.values():
        assert cs.url.startswith("https://myotrack.org/fhir/CodeSystem/")
        concepts = [c["code"] for c in resources[cs.url]["concept"]]
        assert concepts == list(cs.codes)
        assert all(c["display"] for c in resources[cs.url]["concept"])


def test_a_standard_code_means_one_thing() -> None:
    seen: dict[tuple[str, str], tuple[str, str]] = {}
    for key, meaning in codes.REVERSE.items():
        assert seen.setdefault(key, meaning) == meaning
    assert codes.meaning(codes.SNOMED, "1212005") == ("diagnosis", "JDM")
    assert codes.meaning(codes.LOINC, "2157-6") == ("analytes", "CK")
    assert codes.meaning(codes.LOINC, "0000-0") is None
    assert codes.meaning(codes.code_system_url("analytes"), "CK") == ("analytes", "CK")
    assert codes.meaning(codes.code_system_url("analytes"), "XYZ") is None
