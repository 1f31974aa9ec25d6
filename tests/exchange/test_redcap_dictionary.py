"""The REDCap data dictionary: REDCap's structural rules (interop.md §2.1, §8) hold for the
generated dictionary, the rules catch each kind of broken dictionary, the codes map back,
and every calculated total computes what myotrack's scorer computes (the oracle: the
instrument engine) for the same items."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping

import pytest

from myotrack.cohort.columns import FILES
from myotrack.domain.labels import label
from myotrack.exchange.redcap import HEADER, build_project, dictionary_csv, lint_dictionary
from myotrack.exchange.redcap.core_forms import LABEL_KINDS
from myotrack.exchange.redcap.instrument_forms import SCORER_NOTE
from myotrack.instruments import DEFINITIONS, score


def _rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def test_the_generated_dictionary_meets_redcaps_rules() -> None:
    text = dictionary_csv({"visits.csv": ["x_note"], "patients.csv": ["x_ward"]})
    assert lint_dictionary(text) == []
    rows = _rows(text)
    assert tuple(rows[0]) == HEADER and len(HEADER) == 18
    assert rows[1][:4] == ["patient_id", "patient", "", "text"]


def test_every_folder_column_and_instrument_item_is_a_field() -> None:
    project = build_project()
    for form_name, file in (("patient", "patients.csv"), ("visit", "visits.csv")):
        columns = {f.column for f in project.form(form_name).fields}
        assert {c.name for c in FILES[file]} - {"patient_id"} <= columns
    for name, defn in DEFINITIONS.items():
        items = {f.column for f in project.form(name).fields}
        assert set(defn.item_ids) <= items, name


def test_a_scale_shared_by_items_in_a_row_is_one_matrix_grid() -> None:
    form = build_project().form("mmt8")
    groups = {f.matrix_group for f in form.fields if f.column in DEFINITIONS["mmt8"].item_ids}
    assert groups == {"mmt8_grid_1"}  # the eight muscle groups on one 0-10 (and T) scale


def test_codes_are_redcap_spelt_labelled_and_map_back() -> None:
    for field in build_project().fields:
        if field.codes is None or field.column not in LABEL_KINDS:
            continue
        assert len(field.codes) == len(field.choices)  # no two codes collide
        for code, shown in field.choices:
            assert re.fullmatch(r"[a-z0-9_]+", code)
            words = label(LABEL_KINDS[field.column], field.codes[code])
            # a version 2 code without a version 1 label takes its table's (e.g. 'mg/kg/day')
            assert shown == words or words == field.codes[code] != ""
    antibodies = next(f for f in build_project().fields if f.name == "antibodies")
    assert antibodies.type == "checkbox" and antibodies.codes is not None
    assert antibodies.codes["tif1g"] == "TIF1G" and antibodies.codes["pl7"] == "PL7"


def _broken(change: str) -> str:
    rows = _rows(dictionary_csv())
    if change == "header":
        rows[0][4] = "Label"
    elif change == "record_id":
        rows[1][3] = "dropdown"
        rows[1][5] = "1, a"
    elif change == "name":
        rows[3][0] = "Birth_Date"
    elif change == "contiguous":
        rows.insert(2, rows.pop(20))  # a visit field among the patient fields
    elif change == "choices":
        rows[2][5] = "f female | m, male"
    elif change == "checkbox_code":
        row = next(r for r in rows if r[0] == "antibodies")
        row[5] = row[5].replace("tif1g,", "TIF1G,")
    elif change == "validation":
        rows[3][7] = "date_iso"
    elif change == "calculation":
        row = next(r for r in rows if r[0] == "cmas_total")
        row[5] = row[5].replace("[cmas_leg_raise]", "[cmas_leg_rise]")
    elif change == "flag":
        rows[3][10] = "yes"
    elif change == "unique":
        rows.append(list(rows[-1]))
    elif change == "branching":
        row = next(r for r in rows if r[0] == "lab_value")
        row[11] = "[lab_analyt] = 'ck'"
    elif change == "alignment":
        rows[2][13] = "center"
    elif change == "reserved":
        rows[-1][0] = "class"
    elif change == "matrix":  # one field of the MMT8 grid with other choices
        row = next(r for r in rows if r[0] == "mmt8_deltoid")
        row[5] = "0, none | 1, some"
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()


@pytest.mark.parametrize(
    "change",
    [
        "header",
        "record_id",
        "name",
        "contiguous",
        "choices",
        "checkbox_code",
        "validation",
        "calculation",
        "flag",
        "unique",
        "branching",
        "alignment",
        "matrix",
        "reserved",
    ],
)
def test_the_rules_catch_a_broken_dictionary(change: str) -> None:
    issues = lint_dictionary(_broken(change))
    rules = {i.rule for i in issues}
    assert change in rules, [str(i) for i in issues]
    assert all(i.line is not None for i in issues)


# --- calculated fields against the scorer ---------------------------------------------


def _evaluate(expression: str, values: Mapping[str, float]) -> float:
    """REDCap calc arithmetic as used here: sum() of terms, [x]*if([y]='1',f,1)."""

    def redcap_sum(*terms: float | None) -> float:
        return sum(t for t in terms if t is not None)

    def redcap_if(condition: bool, yes: float, no: float) -> float:
        return yes if condition else no

    python = re.sub(r"\[([a-z0-9_]+)\]='([^']*)'", r"(v('\1') == float('\2'))", expression)
    python = re.sub(r"\[([a-z0-9_]+)\]", r"v('\1')", python)
    python = python.replace("if(", "redcap_if(").replace("sum(", "redcap_sum(")
    namespace = {"v": values.__getitem__, "redcap_if": redcap_if, "redcap_sum": redcap_sum}
    return float(eval(python, namespace))


def _complete_items(name: str, pick: int) -> dict[str, float]:
    """Every item answered with a number: the `pick`-th allowed value, wrapping."""
    items: dict[str, float] = {}
    for n, it in enumerate(DEFINITIONS[name].items):
        steps = round((it.max - it.min) / it.step)
        value = it.min + ((pick * 3 + n) % (steps + 1)) * it.step
        if it.choices:
            value = it.choices[(pick + n) % len(it.choices)][0]
        items[it.id] = round(value, 6)
    return items


@pytest.mark.parametrize("name", sorted(DEFINITIONS))
@pytest.mark.parametrize("pick", [0, 1, 4])
def test_calculated_totals_equal_the_scorers(name: str, pick: int) -> None:
    form = build_project().form(name)
    items = _complete_items(name, pick)
    result = score(name, items)
    values = {f.name: items[f.column] for f in form.fields if f.column in items}
    calculated = {f.name: f for f in form.fields if f.type == "calc"}
    if f"{name}_total" in calculated:
        assert result.total is not None
        expression = calculated[f"{name}_total"].calculation
        assert _evaluate(expression, values) == pytest.approx(result.total)
    for sub_id, expected in result.subscores.items():
        for field_name in (f"{name}_{sub_id}", f"{name}_{sub_id}_score"):
            if field_name in calculated and expected is not None:
                assert _evaluate(calculated[field_name].calculation, values) == pytest.approx(
                    expected
                )
    for field in calculated.values():
        assert field.note == SCORER_NOTE  # myotrack stays the scorer of record


def test_instruments_redcap_cannot_total_say_so() -> None:
    form = build_project().form("chaq")
    assert not any(f.type == "calc" and f.name == "chaq_total" for f in form.fields)
    note = next(f for f in form.fields if f.type == "descriptive")
    assert "scored by myotrack only" in note.label
