"""The records of cohort format version 2 (`Cohort.v2_rows`: investigations, organ
involvement, background, treatment detail, vaccinations, pregnancy tests, clinical
events, treatment decisions) as OMOP CDM 5.4 facts. Pure. `export` writes them after the
version 1 rows of each table, continuing its ids.

Where each goes (docs/exchange.md, OMOP section):

* an investigation (chest CT, lung function, oxygen, BAL, muscle MRI/ultrasound/biopsy,
  capillaroscopy, cardiac test, swallow): PROCEDURE_OCCURRENCE (`procedure_source_value`
  the kind), and each result column a fact (below);
* organ involvement, and a subtype with a verified concept (hypomyopathic JDM):
  CONDITION_OCCURRENCE (start the onset, end the resolution, the
  certainty in `condition_status_source_value`); antibody tests and pregnancy tests:
  MEASUREMENT (the result as a value concept, the titre as the number); vaccinations and
  courses known only to the month or year: DRUG_EXPOSURE; family history, treatment
  decisions and version 2 events: OBSERVATION; the background: OBSERVATION rows and
  PERSON's `race_source_value` / `ethnicity_source_value`; a course's detail (formulation,
  strength, indication, sites): its DRUG_EXPOSURE's `sig`;
* every other column of a record is a fact of its own on the record's date: a number a
  MEASUREMENT (`measurement_source_value` `<kind>.<column>`, its unit in
  `unit_source_value`), anything else an OBSERVATION (`value_as_string` the code, codes
  `;`-joined, yes/no, a date as written).

Concepts: the shipped subset's where myotrack already has one (an antibody, a drug, a
version 1 event or feature, positive/negative), else 0 with the source value: no concept
of these records is verified. Dates known to the month or year are imputed as the
analyses impute them (`PartialDate.impute`: the 15th of the month, 1 July of the year,
never after the cut-off). Not exported: free text, an antibody test's laboratory, a
course without any start (DRUG_EXPOSURE needs one).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Final

from myotrack.cohort import RecordKind, cell
from myotrack.cohort import columns as cols
from myotrack.domain import Cohort, PartialDate, RecordRow
from myotrack.exchange.omop.concepts import NO_MATCH, concept_id
from myotrack.exchange.v2_rows import KIND, V2Rows, v2_rows

INVESTIGATIONS: Final = frozenset(
    {
        "chest_ct",
        "lung_function",
        "oxygen_need",
        "bal",
        "muscle_mri",
        "muscle_ultrasound",
        "muscle_biopsy",
        "capillaroscopy",
        "cardiac_test",
        "swallow_assessment",
    }
)
# Columns never exported (free text may carry personal data; OMOP has no home for it).
NOT_EXPORTED: Final = frozenset({"free_text", "laboratory"})
# The columns each kind's own row holds (the rest become facts).
_OWN: Final[dict[str, frozenset[str]]] = {
    "organ_involvement": frozenset({"organ", "onset_date", "resolution_date", "certainty"}),
    "antibody_test": frozenset({"date", "antibody", "result", "titre"}),
    "pregnancy_test": frozenset({"date", "result"}),
    "vaccination": frozenset({"date", "vaccine", "dose_number"}),
    "family_history": frozenset({"relative", "condition"}),
    "treatment_decision": frozenset({"decided_on", "decision"}),
    "clinical_event": frozenset({"date", "event", "grade", "detail"}),
    "treatment_course": frozenset(
        {
            "drug",
            "dose",
            "dose_unit",
            "frequency",
            "route",
            "start_date",
            "end_date",
            "stop_reason",
            *("formulation", "strength", "strength_unit", "indication", "sites"),
            *("sites_excluded", "start_unknown", "duration_months", "status"),
            "prescribed_elsewhere",
        }
    ),
    "patient_background": frozenset({"onset_date", "diagnosis_date"}),
}
_SIG_DETAIL: Final = ("formulation", "strength", "strength_unit", "indication")


def day(value: Any, cutoff: date | None) -> date:
    """A date, or the day an analysis uses for a date known to the month or year."""
    return value.impute(cutoff).day if isinstance(value, PartialDate) else value


def _text(value: Any) -> str:
    return cell(value)


@dataclass(frozen=True, slots=True)
class Fact:
    """One MEASUREMENT or OBSERVATION row: `number` for a measurement, else `text`."""

    patient_id: str
    day: date
    source: str
    concept: int = NO_MATCH
    number: float | None = None
    unit: str | None = None
    value_concept: int | None = None
    value_source: str | None = None
    text: str | None = None


@dataclass(frozen=True, slots=True)
class Drug:
    patient_id: str
    drug: str
    start: date
    end: date | None  # None: running (the cut-off)
    verbatim_end: date | None
    sig: str
    concept: int
    route: str | None = None
    dose_unit: str | None = None
    stop_reason: str | None = None


@dataclass(frozen=True, slots=True)
class Condition:
    patient_id: str
    start: date | None  # None: the patient's anchor date
    end: date | None
    source: str  # the organ, or the subtype
    status: str | None
    concept: int


@dataclass(frozen=True, slots=True)
class Procedure:
    patient_id: str
    day: date
    kind: str


@dataclass(slots=True)
class Whole:
    """The OMOP facts of a cohort's version 2 records (by table)."""

    rows: V2Rows
    cutoff: date | None
    measurements: list[Fact] = field(default_factory=list)
    observations: list[Fact] = field(default_factory=list)
    anchored: list[Fact] = field(default_factory=list)  # observations on the anchor date
    drugs: list[Drug] = field(default_factory=list)
    conditions: list[Condition] = field(default_factory=list)
    procedures: list[Procedure] = field(default_factory=list)
    left_out: int = 0  # courses without a start

    def dates(self, patient_id: str) -> list[date]:
        """Every date of a patient's version 2 facts (for the observation period)."""
        found: list[date] = []
        for f in (*self.measurements, *self.observations):
            if f.patient_id == patient_id:
                found.append(f.day)
        for d in self.drugs:
            if d.patient_id == patient_id:
                found += [d.start] + ([d.end] if d.end is not None else [])
        for c in self.conditions:
            if c.patient_id == patient_id:
                found += [x for x in (c.start, c.end) if x is not None]
        found += [p.day for p in self.procedures if p.patient_id == patient_id]
        return found

    def anchor(self, patient_id: str) -> date | None:
        """The diagnosis date (else the onset) known only to the month or year."""
        values = self.rows.background(patient_id)
        for name in ("diagnosis_date", "onset_date"):
            if values.get(name) is not None:
                return day(values[name], self.cutoff)
        return None

    def course_sig(self, patient_id: str, drug: str, start: date) -> str:
        """The words a version 1 course's detail adds to its `sig`."""
        return _sig_detail(self.rows.detail_of_course(patient_id, drug, start))

    def person_values(self, patient_id: str) -> dict[str, str]:
        values = self.rows.background(patient_id)
        out = {}
        if values.get("race"):
            out["race_source_value"] = _text(values["race"])[:50]
        if values.get("ethnicity"):
            out["ethnicity_source_value"] = _text(values["ethnicity"])[:50]
        return out


def _sig_detail(values: Mapping[str, Any]) -> str:
    parts = []
    if values.get("formulation") is not None:
        strength = " ".join(
            _text(values[n]) for n in ("strength", "strength_unit") if values.get(n) is not None
        )
        parts.append(" ".join(p for p in (strength, values["formulation"]) if p))
    if values.get("indication") is not None:
        parts.append(f"({values['indication']})")
    for name, words in (("sites", "on"), ("sites_excluded", "not on")):
        if values.get(name):
            parts.append(f"{words} {_text(values[name])}")
    if values.get("duration_months") is not None:
        parts.append(f"for {_text(values['duration_months'])} months")
    if values.get("status") is not None:
        parts.append(f"status {values['status']}")
    if values.get("prescribed_elsewhere") == "yes":
        parts.append("prescribed elsewhere")
    return " ".join(parts)


def whole_facts(cohort: Cohort) -> Whole:
    """The facts of every version 2 record of `cohort`."""
    cutoff = cohort.effective_cutoff()
    out = Whole(v2_rows(cohort), cutoff)
    # a version 1 course's detail is words in its sig (`course_sig`)
    for pid, values in out.rows.patients.items():
        _facts(out, KIND["patient_background"], pid, values, None)
        # a subtype with a VERIFIED standard concept (hypomyopathic JDM, 606434) is also a
        # condition, on the patient's date
        subtype = values.get("subtype")
        if subtype is not None and concept_id("subtype", subtype) != NO_MATCH:
            concept = concept_id("subtype", subtype)
            out.conditions.append(Condition(pid, None, None, subtype, None, concept))
    for key, detail in out.rows.events.items():
        pid, when = key[0], key[1]
        _facts(out, KIND["event_detail"], pid, detail, day(when, cutoff))
    for kind, row in out.rows.own:
        _record(out, kind, row)
    return out


def _record(out: Whole, kind: RecordKind, row: RecordRow) -> None:
    v, pid, cutoff = row.values, row.patient_id, out.cutoff
    name = kind.name
    # the record's date (an involvement's facts are dated by its onset)
    when = v.get("decided_on", v.get("date", v.get("onset_date")))
    on = day(when, cutoff) if when is not None else None
    if name in INVESTIGATIONS and on is not None:
        out.procedures.append(Procedure(pid, on, name))
    elif name == "organ_involvement":
        out.conditions.append(
            Condition(
                pid,
                day(v["onset_date"], cutoff) if v.get("onset_date") is not None else None,
                day(v["resolution_date"], cutoff) if v.get("resolution_date") else None,
                v["organ"],
                v.get("certainty"),
                concept_id("feature", v["organ"]),
            )
        )
    elif name in ("antibody_test", "pregnancy_test") and on is not None:
        result = v["result"]
        titre = v.get("titre")
        out.measurements.append(
            Fact(
                pid,
                on,
                v.get("antibody", name),
                concept=concept_id("antibody", v["antibody"]) if "antibody" in v else NO_MATCH,
                number=float(titre) if titre is not None else None,
                value_concept=concept_id("result", result),
                value_source=result,
            )
        )
    elif name == "vaccination" and on is not None:
        dose = v.get("dose_number")
        sig = f"vaccine {v['vaccine']}" + (f" dose {dose}" if dose is not None else "")
        out.drugs.append(Drug(pid, v["vaccine"], on, on, on, sig, NO_MATCH))
    elif name == "family_history":
        text = f"{v['relative']}: {v['condition']}"
        out.anchored.append(Fact(pid, date.min, name, text=text))
    elif name == "treatment_decision" and on is not None:
        out.observations.append(Fact(pid, on, name, text=v["decision"]))
    elif name == "clinical_event" and on is not None:
        detail = v.get("detail")
        out.observations.append(
            Fact(
                pid,
                on,
                v["event"],
                concept=concept_id("event", v["event"]),
                number=float(v["grade"]) if v.get("grade") is not None else None,
                text=detail[:60] if detail else None,
            )
        )
    elif name == "treatment_course":
        _course(out, row)
    _facts(out, kind, pid, v, on)


def _course(out: Whole, row: RecordRow) -> None:
    v, cutoff = row.values, out.cutoff
    if v.get("start_date") is None:
        out.left_out += 1
        return
    start = day(v["start_date"], cutoff)
    end = day(v["end_date"], cutoff) if v.get("end_date") is not None else None
    exact_end = v.get("end_date") if isinstance(v.get("end_date"), date) else None
    dose = " ".join(
        _text(v[n]) for n in ("dose", "dose_unit", "frequency", "route") if v.get(n) is not None
    )
    dates = f"dates as reported: {_text(v['start_date'])} to {_text(v.get('end_date')) or '…'}"
    sig = " ".join(p for p in (v["drug"], dose, _sig_detail(v), dates) if p)
    out.drugs.append(
        Drug(
            row.patient_id,
            v["drug"],
            start,
            end if end is None or end >= start else start,
            exact_end,
            sig,
            concept_id("drug", v["drug"]),
            route=v.get("route"),
            dose_unit=v.get("dose_unit"),
            stop_reason=v.get("stop_reason"),
        )
    )


def _facts(
    out: Whole, kind: RecordKind, pid: str, values: Mapping[str, Any], on: date | None
) -> None:
    """Every column of a record its own row does not hold, as a fact of its own."""
    own = _OWN.get(kind.name, frozenset({"date"}))
    for column in kind.columns:
        value = values.get(column.name)
        name = column.name
        if value is None or name == "patient_id" or name in own or name in NOT_EXPORTED:
            continue
        if kind.name == "event_detail" and name in _V1_EVENT_COLUMNS:
            continue
        source = f"{kind.name}.{name}"
        when = on if on is not None else date.min
        if column.kind in ("number", "integer"):
            fact = Fact(pid, when, source, number=float(value), unit=column.unit)
        else:
            fact = Fact(pid, when, source, text=_text(value)[:60])
        if on is None:  # no date of its own: an observation on the patient's anchor date
            out.anchored.append(fact)
        elif fact.number is not None:
            out.measurements.append(fact)
        else:
            out.observations.append(fact)


_V1_EVENT_COLUMNS: Final = frozenset(cols.COLUMNS["events.csv"])


def anchored(whole: Whole, anchors: Mapping[str, date]) -> Iterator[Fact]:
    """The facts without a date of their own, on the patient's anchor date."""
    for f in whole.anchored:
        yield Fact(
            f.patient_id,
            anchors[f.patient_id],
            f.source,
            f.concept,
            f.number,
            f.unit,
            f.value_concept,
            f.value_source,
            f.text,
        )
