"""A case-report draft of one patient from the registry, shaped like the second seed
(Strauss et al., Pediatr Rheumatol 2023: an MDA5-positive child on ruxolitinib): patient
information, clinical findings, a timeline figure of drugs, doses, CMAS and the
interferon score, laboratory values in the units the laboratory reported, investigations,
the therapeutic interventions, follow-up and outcomes, images with publication consent,
and the CARE checklist (`casereport_care`) saying which items the record fills and which
the authors must still write.

What leaves the registry: no registry id, site, birth date or full date. Dates are given
as month and year with the day relative to the JAK-inhibitor start ("Oct 2021, day +0"),
as case reports print them; ages in years. Images: only those with publication consent
(`domain.images.images_for(..., "publication")`), whatever the caller passes; their
captions are the clinicians' and are printed (check them before submission).

Pure: the caller passes the record, the images and a function that reads an image's
bytes, and `generated_at`; nothing is read from the clock or the registry here.
Rendering (HTML, PDF through WeasyPrint, DOCX through python-docx) is `casereport_out`.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from myotrack.domain import (
    BODY_SITE_LABELS,
    IMAGE_KIND_LABELS,
    ClinicalEvent,
    ClinicalImage,
    DrugCourse,
    LabResult,
    PartialDate,
    PatientBackground,
    PatientRecord,
    TreatmentCourse,
    TreatmentDecision,
    before_after_pairs,
    images_for,
)
from myotrack.domain.labels import label, labels_of
from myotrack.domain.record_vocab import record_label
from myotrack.domain.vocab import QUALITATIVE_ANALYTES, VISIT_MEASURES
from myotrack.report.casereport_care import CareItem, care_items, to_write_text
from myotrack.report.casereport_figures import pair_figure
from myotrack.report.casereport_findings import findings_text
from myotrack.report.figures.labels import dose_text, drug_name, measure_label
from myotrack.report.figures.timeline import timeline_figure
from myotrack.report.tables import Row, Table

ADVERSE_EVENTS = ("infection", "thromboembolism", "adverse_event", "death")
# The scores a case report of JDM shows, in this order, where recorded (visit columns).
OUTCOME_MEASURES = ("cmas", "mmt8", "cdasi_activity", "cdasi_damage", "catbm_activity", "phga")
# Measures of the timeline figure, where recorded: the seed's Figure 3 shows CMAS and the
# interferon score; CDASI activity is added when recorded.
FIGURE_MEASURES = ("cmas", "cdasi_activity", "IFN_score")
LAB_COLUMNS_PER_TABLE = 6
CASE_LABEL = "Case"  # what the figures call the patient (never the registry id)

ReadImage = Callable[[ClinicalImage], bytes]


@dataclass(frozen=True, slots=True)
class Section:
    key: str
    title: str
    care: str  # the CARE item numbers the section fills
    paragraphs: tuple[str, ...] = ()
    tables: tuple[Table, ...] = ()
    empty: str | None = None  # what the section says when the record holds nothing


@dataclass(frozen=True, slots=True)
class ReportImage:
    """An image of the draft: a figure (PNG bytes) with its title and legend."""

    title: str
    legend: str
    png: bytes


@dataclass(frozen=True, slots=True)
class CaseReport:
    title: str
    generated_at: str
    sections: tuple[Section, ...]
    timeline_png: bytes
    timeline_legend: str
    images: tuple[ReportImage, ...]
    images_left_out: int  # images without publication consent (not shown)
    care: tuple[CareItem, ...]
    notes: tuple[str, ...]

    @property
    def to_write(self) -> str:
        """The CARE items the authors must still write, in one line
        (`casereport_care.to_write_text`)."""
        return to_write_text(self.care)


def _day(record: PatientRecord, day: date) -> str:
    """'Oct 2021 (day +0)': month and year, and the day relative to the index date."""
    month = day.strftime("%b %Y")
    start = record.index_date
    return month if start is None else f"{month} (day {(day - start).days:+d})"


def _on(record: PatientRecord, day: date) -> str:
    """'Oct 2021, day +14': `_day` for running text (no brackets inside brackets)."""
    month = day.strftime("%b %Y")
    start = record.index_date
    return month if start is None else f"{month}, day {(day - start).days:+d}"


def _partial(record: PatientRecord, when: PartialDate) -> str:
    """A date of the whole record: exact as `_day`, else to its own precision
    ('Sep 2021 (day not known)'), since no day relative to the start can be given."""
    if when.is_exact:
        return _day(record, when.earliest())
    if when.precision == "month":
        return f"{when.earliest().strftime('%b %Y')} (day not known)"
    return f"{when.earliest().year} (month not known)"


def dose_words(course: DrugCourse) -> str:
    """'12.5 mg/m² weekly': the dose with its unit in print, as the figures write it."""
    return dose_text(course)


def _years(record: PatientRecord, day: date | None) -> str:
    if day is None:
        return "not recorded"
    return f"{record.patient.age_years(day):.1f} years"


def _jak_text(record: PatientRecord) -> str:
    drugs = list(dict.fromkeys(label("drug", c.drug) for c in record.jak_courses))
    return " and ".join(drugs) if drugs else "no JAK inhibitor"


def _diagnosis_words(record: PatientRecord, background: PatientBackground | None) -> str:
    """The diagnosis in words; an amyopathic/hypomyopathic diagnosis as the subtype the
    record names ('hypomyopathic dermatomyositis')."""
    words = label("diagnosis", record.patient.diagnosis)
    subtype = background.subtype if background is not None else None
    if subtype in ("amyopathic", "hypomyopathic") and "amyopathic/hypomyopathic" in words:
        return words.replace("amyopathic/hypomyopathic", subtype)
    return words


def working_title(record: PatientRecord, background: PatientBackground | None = None) -> str:
    p = record.patient
    antibodies = [a for a in p.antibodies if a not in ("ANA", "none")]
    ab = f" ({', '.join(label('antibody', a) for a in antibodies)})" if antibodies else ""
    diagnosis = _sentence(_diagnosis_words(record, background))
    return f"{diagnosis}{ab} treated with {_jak_text(record)}: a case report"


def _antibody_words(record: PatientRecord, background: PatientBackground | None) -> str:
    """The antibodies in words, the ANA with its titre when recorded ('... ANA 1:160')."""
    words = [label("antibody", a) for a in record.patient.antibodies]
    titres = [a.titre_text for a in (background.ana if background else ()) if a.titre_text]
    if titres and "ANA" in record.patient.antibodies:
        at = record.patient.antibodies.index("ANA")
        words[at] = f"{words[at]} {titres[-1]}"
    return ", ".join(words) or "none recorded"


def _family_words(background: PatientBackground | None) -> str | None:
    if background is None:
        return None
    if background.family_history:
        return "; ".join(
            f"{record_label('relative', f.relative)}: "
            f"{record_label('family_condition', f.condition)}"
            + (f" ({f.free_text})" if f.free_text else "")
            for f in background.family_history
        )
    return (
        "no autoimmune disease in the family (stated)" if background.family_history_none else None
    )


def _patient_section(record: PatientRecord, background: PatientBackground | None) -> Section:
    p = record.patient
    rows = [
        Row("Sex", (label("sex", p.sex),)),
        Row("Age at disease onset", (_years(record, p.onset_date),)),
        Row("Age at diagnosis", (_years(record, p.diagnosis_date),)),
        Row("Age at JAK-inhibitor start", (_years(record, record.index_date),)),
        Row("Diagnosis", (_diagnosis_words(record, background),)),
    ]
    if p.bohan_peter:
        rows.append(Row("Bohan and Peter criteria", (label("bohan_peter", p.bohan_peter),)))
    rows.append(Row("Antibodies", (_antibody_words(record, background),)))
    rows.append(Row("Features", (labels_of("feature", p.features) or "none recorded",)))
    if p.refractory:
        rows.append(Row("Refractory", (label("refractory", p.refractory),)))
    family = _family_words(background)
    if family is not None:
        rows.append(Row("Family history", (family,)))
    table = Table("Table 1. Patient information (de-identified)", ("", "Recorded"), tuple(rows))
    return Section("patient", "Patient information", "5a, 5b, 5c, 8d", tables=(table,))


def _findings_section(record: PatientRecord) -> Section:
    if not record.visits:
        return Section(
            "findings", "Clinical findings", "6", empty="No visit is recorded: no findings."
        )
    first = record.visits[0]
    facts = [f"At the first recorded visit ({_on(record, first.date)})"]
    signs = []
    if first.rash is not None:
        signs.append("rash" if first.rash else "no rash")
    if first.weakness is not None:
        signs.append("muscle weakness" if first.weakness else "no muscle weakness")
    scores = [
        f"{measure_label(m)} {_num(first.measure(m))}"
        for m in OUTCOME_MEASURES
        if first.measure(m) is not None
    ]
    text = facts[0] + ": " + ", ".join(signs + scores) + "." if signs or scores else facts[0]
    if first.weight_kg is not None:
        text += f" Weight {first.weight_kg:g} kg."
    return Section("findings", "Clinical findings", "5b, 6", paragraphs=(text,))


def _num(value: object) -> str:
    if isinstance(value, bool) or value is None:
        return "" if value is None else ("yes" if value else "no")
    if isinstance(value, int | float):
        return f"{value:g}"
    return str(value)


def _timeline_rows(
    record: PatientRecord,
    images: Sequence[ClinicalImage],
    decisions: Sequence[TreatmentDecision] = (),
    background: PatientBackground | None = None,
    clinical_events: Sequence[ClinicalEvent] = (),
) -> list[tuple[date, str, str]]:
    """(date to sort by, when, what) of everything dated in the record, in date order."""
    rows: list[tuple[date, str, str]] = []

    def add(day: date, text: str) -> None:
        rows.append((day, _day(record, day), text))

    p = record.patient
    if p.onset_date:
        add(p.onset_date, "Disease onset")
    if p.diagnosis_date:
        add(p.diagnosis_date, f"Diagnosis: {_diagnosis_words(record, background)}")
    for course in record.courses:
        add(course.start_date, f"Start {drug_name(course.drug)} {dose_words(course)}")
        if course.end_date is not None:
            why = f" ({label('stop_reason', course.stop_reason)})" if course.stop_reason else ""
            add(course.end_date, f"End {drug_name(course.drug)}{why}")
    for event in record.events:
        detail = f" ({event.detail})" if event.detail else ""
        add(event.date, f"{_sentence(label('event', event.event))}{detail}")
    for decision in decisions:
        drug = f" ({drug_name(decision.drug)})" if decision.drug else ""
        status = record_label("decision_status", decision.status)
        text = f"Decision: {record_label('decision', decision.decision)}{drug}, {status}"
        when = decision.decided_on
        rows.append((when.earliest(), _partial(record, when), text))
    for happened in clinical_events:
        rows.append(
            (happened.date.earliest(), _partial(record, happened.date), _event_words(happened))
        )
    for image in images:
        what = IMAGE_KIND_LABELS.get(image.kind, image.kind)
        site = BODY_SITE_LABELS.get(image.body_site, image.body_site)
        add(image.date, f"Image: {what}, {site}")
    return sorted(rows, key=lambda r: r[0])


def _event_words(happened: ClinicalEvent) -> str:
    """'Interstitial lung disease diagnosed', 'Hospital admission (external clinic)'."""
    text = _sentence(record_label("record_event", happened.event))
    return f"{text} ({happened.free_text})" if happened.free_text else text


def _timeline_section(
    record: PatientRecord,
    images: Sequence[ClinicalImage],
    decisions: Sequence[TreatmentDecision] = (),
    background: PatientBackground | None = None,
    clinical_events: Sequence[ClinicalEvent] = (),
) -> Section:
    rows = tuple(
        Row(when, (text,))
        for _, when, text in _timeline_rows(record, images, decisions, background, clinical_events)
    )
    table = Table("Table 2. Timeline of this episode of care", ("When", "What"), rows)
    return Section(
        "timeline",
        "Timeline",
        "7",
        tables=(table,) if rows else (),
        empty=None if rows else "Nothing dated is recorded.",
    )


def _reported(lab: LabResult) -> tuple[str, str | None, float | None, float | None]:
    """(value text, unit, ref_low, ref_high) as the laboratory reported them."""
    if lab.value is None:
        return (label("result", lab.result) if lab.result else "", None, None, None)
    if lab.reported is not None:
        r = lab.reported
        return (f"{r.value:g}", r.unit, r.ref_low, r.ref_high)
    return (f"{lab.value:g}", lab.unit, lab.ref_low, lab.ref_high)


def unit_text(unit: str) -> str:
    """A reported unit as it is printed: the laboratory's spelling with its typography
    ('µmol/(s*L)' -> 'µmol/(s·L)', 'ukat/L' -> 'µkat/L', '10^9/L' -> '10⁹/L')."""
    text = unit.replace("*", "·").replace("^9", "⁹").replace("^12", "¹²")
    for ascii_prefix in ("umol", "ukat", "ug/", "ug "):
        if text.startswith(ascii_prefix):
            text = "µ" + text[1:]
    return text


def same_unit(one: str, other: str) -> bool:
    """Two spellings of one unit (the registry's unit table maps both to one label)."""
    return one == other or label("unit", one) == label("unit", other)


def _ref_text(low: float | None, high: float | None) -> str:
    if low is not None and high is not None:
        return f"{low:g}–{high:g}"
    if high is not None:
        return f"< {high:g}"
    if low is not None:
        return f"> {low:g}"
    return ""


def lab_tables(record: PatientRecord) -> tuple[Table, ...]:
    """Quantitative results as reported: one row per analyte (its most frequent reported
    unit; a value reported in another spelling or unit carries its own), one column per
    date, split into as few tables of at most `LAB_COLUMNS_PER_TABLE` dates as needed, of
    even width (7 dates: 4 and 3, not 6 and 1); then the screening results."""
    quantitative = [lab for lab in record.labs if lab.analyte not in QUALITATIVE_ANALYTES]
    dates = sorted({lab.date for lab in quantitative})
    analytes = list(dict.fromkeys(lab.analyte for lab in quantitative))
    tables: list[Table] = []
    parts = -(-len(dates) // LAB_COLUMNS_PER_TABLE)  # ceiling division
    width = -(-len(dates) // parts) if dates else LAB_COLUMNS_PER_TABLE
    for start in range(0, len(dates), width):
        chunk = dates[start : start + width]
        rows = []
        for analyte in analytes:
            labs = [lab for lab in quantitative if lab.analyte == analyte]
            shown = [_reported(lab) for lab in labs]
            units = Counter(unit for _, unit, _, _ in shown if unit)
            unit = units.most_common(1)[0][0] if units else ""
            ref = next((_ref_text(lo, hi) for _, u, lo, hi in shown if u == unit), "")
            cells = []
            for day in chunk:
                lab = next((x for x in labs if x.date == day), None)
                if lab is None:
                    cells.append("")
                    continue
                text, own_unit, _, _ = _reported(lab)
                same = own_unit is None or same_unit(own_unit, unit)
                cells.append(text if same else f"{text} {unit_text(own_unit or '')}".strip())
            if any(cells):
                rows.append(Row(label("analyte", analyte), (unit_text(unit), ref, *cells)))
        several = len(dates) > LAB_COLUMNS_PER_TABLE
        letter = chr(ord("a") + len(tables)) if several else ""
        tables.append(
            Table(
                f"Table 3{letter}. Laboratory values as reported",
                ("Analyte", "Unit", "Reference", *(_day(record, d) for d in chunk)),
                tuple(rows),
                notes=(
                    "Values, units and reference ranges as the laboratory reported them; a "
                    "unit written in another way (µmol/(s·L), µkat/L, ukat/L: the same unit) "
                    "is given once in the Unit column; a value in a different unit carries "
                    "its own; blank: not measured.",
                )
                if start == 0
                else (),
            )
        )
    screening = [lab for lab in record.labs if lab.analyte in QUALITATIVE_ANALYTES]
    if screening:
        tests = tuple(
            Row(label("analyte", lab.analyte), (_day(record, lab.date), _reported(lab)[0]))
            for lab in screening
        )
        tables.append(Table("Screening tests", ("Test", "When", "Result"), tests))
    return tuple(tables)


INVESTIGATION_TITLES: dict[str, str] = {
    "ChestHrct": "Chest CT",
    "LungFunction": "Lung function",
    "OxygenNeed": "Oxygen need",
    "BronchoalveolarLavage": "Bronchoalveolar lavage",
    "MuscleMri": "Muscle MRI",
    "MuscleUltrasound": "Muscle ultrasound",
    "MuscleBiopsy": "Muscle biopsy",
    "Capillaroscopy": "Nailfold capillaroscopy",
    "CardiacTest": "Cardiac test",
    "SwallowAssessment": "Swallow assessment",
}


def investigation_table(record: PatientRecord, investigations: Sequence[Any]) -> Table | None:
    """The investigations (the whole record's dataclasses: HRCT, lung function, BAL, muscle
    MRI, capillaroscopy, ...), one row each with its recorded findings in words."""
    if not investigations:
        return None
    rows = []
    for item in sorted(investigations, key=lambda i: i.date.sort_key()):
        rows.append(
            Row(
                INVESTIGATION_TITLES.get(type(item).__name__, type(item).__name__),
                (_partial(record, item.date), findings_text(item)),
            )
        )
    return Table("Table 4. Investigations", ("Investigation", "When", "Findings"), tuple(rows))


NO_INVESTIGATIONS = (
    "No investigations (chest CT, lung function, bronchoalveolar lavage, muscle MRI or "
    "ultrasound, biopsy, capillaroscopy, cardiac or swallow tests) are recorded for this "
    "patient in the registry. Describe them in the text, or record them (cohort format "
    "version 2) and make the draft again."
)


def _diagnostic_section(
    record: PatientRecord, investigations: Sequence[Any], background: PatientBackground | None
) -> Section:
    tables = list(lab_tables(record))
    inv = investigation_table(record, investigations)
    paragraphs = [f"Antibodies: {_antibody_words(record, background)}."]
    if inv is not None:
        tables.append(inv)
    else:
        paragraphs.append(NO_INVESTIGATIONS)
    return Section(
        "diagnostic",
        "Diagnostic assessment",
        "8a, 8d, 10b",
        paragraphs=tuple(paragraphs),
        tables=tuple(tables),
        empty=None if tables else "No laboratory results are recorded.",
    )


def _weeks(course: DrugCourse, last: date) -> str:
    end = course.end_date or last
    weeks = (end - course.start_date).days / 7
    return f"{weeks:.0f}" + ("" if course.end_date else " (ongoing)")


def _other_course_row(record: PatientRecord, course: TreatmentCourse) -> Row:
    """A course the whole record holds and the version 1 courses do not (e.g. an antibiotic
    given elsewhere, known only to the year): its dates at their own precision."""
    elsewhere = " (given elsewhere)" if course.prescribed_elsewhere else ""
    dose = dose_text(
        DrugCourse(
            patient_id=course.patient_id,
            drug=course.drug,
            start_date=record.patient.birth_date,
            dose=course.dose,
            dose_unit=label("dose_unit", course.dose_unit) if course.dose_unit else None,
            frequency=course.frequency,
        )
    )
    return Row(
        f"{drug_name(course.drug)}{elsewhere}",
        (
            dose if course.dose is not None else "not recorded",
            label("route", course.route) if course.route else "",
            _partial(record, course.start) if course.start else "not known",
            _partial(record, course.end) if course.end else "not recorded",
            "",
            label("stop_reason", course.stop_reason) if course.stop_reason else "",
        ),
    )


def _intervention_section(
    record: PatientRecord, last: date, treatment_courses: Sequence[TreatmentCourse] = ()
) -> Section:
    rows = []
    for c in record.courses:
        rows.append(
            Row(
                drug_name(c.drug),
                (
                    dose_words(c) if c.dose is not None else "not recorded",
                    label("route", c.route) if c.route else "",
                    _day(record, c.start_date),
                    _day(record, c.end_date) if c.end_date else "ongoing",
                    _weeks(c, last),
                    label("stop_reason", c.stop_reason) if c.stop_reason else "",
                ),
            )
        )
    known = {c.drug for c in record.courses}
    others = [c for c in treatment_courses if c.drug not in known]
    rows += [_other_course_row(record, c) for c in others]
    notes = ["A dose change ends one course and starts the next (one row each)."]
    if others:
        notes.append(
            "Last rows: courses the record holds with less detail (dates to the month or "
            "year), not drawn in Figure 1."
        )
    table = Table(
        "Table 5. Therapeutic interventions",
        ("Drug", "Dose", "Route", "Start", "End", "Weeks", "Why stopped or changed"),
        tuple(rows),
        notes=tuple(notes),
    )
    return Section(
        "interventions",
        "Therapeutic intervention",
        "5d, 9a, 9b, 9c",
        tables=(table,) if rows else (),
        empty=None if rows else "No drug course is recorded.",
    )


# Events of the whole record that are outcomes (listed with the outcome events).
OUTCOME_RECORD_EVENTS = ("remission", "relapse", "flare", "death")


def _outcome_section(
    record: PatientRecord, clinical_events: Sequence[ClinicalEvent] = ()
) -> Section:
    start = record.index_date
    rows: list[Row] = []
    last_visit = record.visits[-1] if record.visits else None
    for name in OUTCOME_MEASURES:
        values = [(v.date, v.measure(name)) for v in record.visits if v.measure(name) is not None]
        if not values:
            continue
        base = [x for x in values if start is not None and x[0] <= start]
        first = base[-1] if base else values[0]
        last = values[-1]
        rows.append(
            Row(
                measure_label(name),
                (
                    f"{_num(first[1])} · {_day(record, first[0])}",
                    f"{_num(last[1])} · {_day(record, last[0])}",
                ),
            )
        )
    ifn = [lab for lab in record.labs if lab.analyte == "IFN_score" and lab.value is not None]
    if ifn:
        before = [lab for lab in ifn if start is not None and lab.date <= start]
        first_lab = before[-1] if before else ifn[0]
        rows.append(
            Row(
                "Interferon score",
                (
                    f"{_reported(first_lab)[0]} · {_day(record, first_lab.date)}",
                    f"{_reported(ifn[-1])[0]} · {_day(record, ifn[-1].date)}",
                ),
            )
        )
    table = Table(
        "Table 6. Outcomes: at the JAK-inhibitor start and at the last record",
        ("Measure", "At the start (or first)", "Last"),
        tuple(rows),
        notes=(
            "'At the start': the last value on or before the JAK-inhibitor start; the "
            "first recorded value when none was measured before it.",
        ),
    )
    events = [e for e in record.events if e.event not in ADVERSE_EVENTS]
    adverse = [e for e in record.events if e.event in ADVERSE_EVENTS]
    after = [e for e in adverse if start is None or e.date >= start]
    earlier = [e for e in adverse if start is not None and e.date < start]

    def listed(found: list[Any]) -> str:
        return "; ".join(
            f"{label('event', e.event)}{f' ({e.detail})' if e.detail else ''}, "
            f"{_on(record, e.date)}"
            for e in found
        )

    paragraphs = []
    outcome_texts = [f"{label('event', e.event)} ({_on(record, e.date)})" for e in events]
    for happened in clinical_events:
        if happened.event in OUTCOME_RECORD_EVENTS:
            when = _partial(record, happened.date).split(" (")[0]
            words = _event_words(happened)
            outcome_texts.append(f"{words[:1].lower()}{words[1:]}, {when}")
    if outcome_texts:
        paragraphs.append("Outcome events: " + "; ".join(outcome_texts) + ".")
    paragraphs.append(
        ("Adverse events recorded on or after the JAK-inhibitor start: " if start else "")
        + ("Adverse events recorded: " if start is None else "")
        + (listed(after) if after else "none")
        + "."
    )
    if earlier:
        paragraphs.append(f"Before the JAK-inhibitor start: {listed(earlier)}.")
    if last_visit is not None and start is not None:
        months = (last_visit.date - start).days / 30.4375
        paragraphs.append(f"Follow-up after the JAK-inhibitor start: {months:.1f} months.")
    return Section(
        "outcomes",
        "Follow-up and outcomes",
        "10a, 10b, 10d",
        paragraphs=tuple(paragraphs),
        tables=(table,) if rows else (),
    )


def _image_figures(
    record: PatientRecord, images: Sequence[ClinicalImage], read: ReadImage
) -> tuple[ReportImage, ...]:
    """Before/after pairs of each body site (from Figure 2 on), then single images."""
    usable = images_for(images, "publication")
    out: list[ReportImage] = []
    paired: set[int] = set()
    number = 2
    if record.index_date is not None:
        for pair in before_after_pairs(usable, record.index_date, "publication"):
            site = BODY_SITE_LABELS.get(pair.body_site, pair.body_site)
            kind = IMAGE_KIND_LABELS.get(pair.before.kind, pair.before.kind)
            png = pair_figure(
                pair,
                read,
                fmt="png",
                date_text=lambda d: _day(record, d),
                captions=False,
                title=f"{_sentence(kind)}, {site}",
            )
            legend = (
                f"{_sentence(kind)}, {site}, before (A, {_on(record, pair.before.date)}) and "
                f"after (B, {_on(record, pair.after.date)}) the JAK-inhibitor start. "
                f"A: {_stop(pair.before.caption or 'before')} "
                f"B: {_stop(pair.after.caption or 'after')}"
            )
            out.append(ReportImage(f"Figure {number}.", legend, png))
            paired.update({pair.before.image_id or 0, pair.after.image_id or 0})
            number += 1
    for image in usable:
        if (image.image_id or 0) in paired:
            continue
        site = BODY_SITE_LABELS.get(image.body_site, image.body_site)
        kind = IMAGE_KIND_LABELS.get(image.kind, image.kind)
        legend = f"{_sentence(kind)}, {site}, {_on(record, image.date)}." + (
            f" {_stop(image.caption)}" if image.caption else ""
        )
        out.append(ReportImage(f"Figure {number}.", legend, read(image)))
        number += 1
    return tuple(out)


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def _stop(text: str) -> str:
    """A caption as a sentence: ends with a full stop."""
    text = text.strip()
    return text if text.endswith((".", "!", "?")) else f"{text}."


def _last_date(record: PatientRecord) -> date:
    dates = [v.date for v in record.visits] + [lab.date for lab in record.labs]
    dates += [e.date for e in record.events] + [c.start_date for c in record.courses]
    dates += [c.end_date for c in record.courses if c.end_date]
    return max(dates) if dates else record.patient.birth_date


def build_case_report(
    record: PatientRecord,
    *,
    generated_at: datetime,
    images: Sequence[ClinicalImage] = (),
    read_image: ReadImage | None = None,
    investigations: Sequence[Any] = (),
    background: PatientBackground | None = None,
    decisions: Sequence[TreatmentDecision] = (),
    clinical_events: Sequence[ClinicalEvent] = (),
    treatment_courses: Sequence[TreatmentCourse] = (),
) -> CaseReport:
    """The case-report draft of `record` (see the module docstring). `images` may hold
    every image of the patient: only those with publication consent are used, and
    `read_image` gives their bytes. `investigations`, `background` (subtype, ANA titre,
    family history), `decisions`, `clinical_events` (admissions, ILD diagnosed, remission)
    and `treatment_courses` (courses known only to the month or year) come from the whole
    record (cohort format version 2), when the registry holds them."""
    anonymous = dataclasses.replace(
        record,
        patient=dataclasses.replace(record.patient, patient_id=CASE_LABEL),
    )
    measures = [
        m
        for m in FIGURE_MEASURES
        if (m in VISIT_MEASURES and any(v.measure(m) is not None for v in record.visits))
        or any(lab.analyte == m and lab.value is not None for lab in record.labs)
    ] or ["cmas"]
    timeline_png = timeline_figure(anonymous, measures=measures, fmt="png")
    published = images_for(images, "publication")
    if published and read_image is None:
        raise ValueError("images with publication consent need read_image to read their files")
    figures = _image_figures(record, published, read_image) if read_image else ()
    notes = [
        "Draft made from the registry: check every value against the source records before "
        "submission. Dates are month and year with the day relative to the JAK-inhibitor "
        "start; no registry id, site or birth date is printed.",
    ]
    left_out = len(images) - len(published)
    if left_out:
        notes.append(
            f"{left_out} image{'s' if left_out != 1 else ''} of this patient "
            f"{'have' if left_out != 1 else 'has'} no publication consent and "
            f"{'are' if left_out != 1 else 'is'} not included."
        )
    legend = (
        f"Course of the disease and its treatment: {', '.join(measure_label(m) for m in measures)} "
        "over time (each on its own axis; log scale where the values span orders of "
        "magnitude), above a bar for every drug course with its dose (an arrow: still given "
        "at the last record). The dashed line marks the JAK-inhibitor start."
    )
    recorded = frozenset(
        {"family_history"}
        if background is not None and (background.family_history or background.family_history_none)
        else set()
    )
    return CaseReport(
        title=working_title(record, background),
        generated_at=generated_at.isoformat(timespec="seconds"),
        sections=(
            _patient_section(record, background),
            _findings_section(record),
            _timeline_section(record, published, decisions, background, clinical_events),
            _diagnostic_section(record, investigations, background),
            _intervention_section(record, _last_date(record), treatment_courses),
            _outcome_section(record, clinical_events),
        ),
        timeline_png=timeline_png,
        timeline_legend=legend,
        images=figures,
        images_left_out=left_out,
        care=care_items(recorded),
        notes=tuple(notes),
    )


__all__ = [
    "CASE_LABEL",
    "NO_INVESTIGATIONS",
    "CaseReport",
    "ReportImage",
    "Section",
    "build_case_report",
    "dose_words",
    "investigation_table",
    "lab_tables",
    "working_title",
]
