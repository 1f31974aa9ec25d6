"""Property: any valid cohort folder survives read → registry → export → read unchanged.

Folders are generated as text (what a centre would hand over), including µkat/L enzymes,
qualitative screening results, open-ended courses, x_ columns and empty cells.
"""

from __future__ import annotations

import tempfile
from datetime import date, timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from myotrack import registry
from myotrack.cohort import read_folder, write_folder
from myotrack.domain import vocab
from myotrack.domain.plausibility import judge_lab, judge_measure
from myotrack.domain.units import accepted_units

ids = st.from_regex(r"[A-Za-z0-9_-]{1,12}", fullmatch=True)
small = st.one_of(st.none(), st.integers(0, 9).map(str), st.sampled_from(["0.5", "2.25", "7"]))
days = st.integers(0, 3000)


def _day(birth: date, offset: int) -> str:
    return (birth + timedelta(days=offset)).isoformat()


@st.composite
def cohort_folders(draw: st.DrawFn) -> dict[str, str]:
    patient_ids = draw(st.lists(ids, min_size=1, max_size=3, unique=True))
    patients = ["patient_id,sex,birth_date,diagnosis,antibodies,site,x_note"]
    visits = ["patient_id,date,weight_kg,rash,cmas,phga"]
    labs = ["patient_id,date,analyte,value,result,unit,ref_high"]
    courses = ["patient_id,drug,dose,dose_unit,frequency,start_date,end_date"]
    events = ["patient_id,date,event,detail"]
    for pid in patient_ids:
        birth = date(2005, 1, 1) + timedelta(days=draw(st.integers(0, 4000)))
        abs_ = draw(st.lists(st.sampled_from(vocab.ANTIBODIES[:-1]), max_size=3, unique=True))
        note = draw(st.sampled_from(["", "note, with comma", 'quoted "x"']))
        note_cell = '"' + note.replace('"', '""') + '"' if note else ""
        sex = draw(st.sampled_from(vocab.SEXES))
        patients.append(
            f"{pid},{sex},{birth},"
            f"{draw(st.sampled_from(vocab.DIAGNOSES))},{';'.join(abs_)},"
            f"{draw(st.sampled_from(['', 'A', 'B']))},{note_cell}"
        )
        for offset in draw(st.lists(days, max_size=4, unique=True)):
            rash = draw(st.sampled_from(["", "yes", "no"]))
            cmas = draw(st.one_of(st.none(), st.integers(0, 52)))
            on = birth + timedelta(days=offset)
            weight = draw(
                st.sampled_from(
                    [
                        w
                        for w in ("", "12.5", "30", "44.25")
                        if not w
                        or judge_measure(
                            "weight_kg", float(w), sex=sex, birth_date=birth, on=on
                        ).level
                        != "impossible"
                    ]
                )
            )
            visits.append(
                f"{pid},{_day(birth, offset)},{weight},{rash},{'' if cmas is None else cmas},"
                f"{draw(small) or ''}"
            )
        for offset, analyte in draw(
            st.lists(
                st.tuples(days, st.sampled_from(vocab.ANALYTES)),
                max_size=5,
                unique_by=lambda t: t,
            )
        ):
            if analyte in vocab.QUALITATIVE_ANALYTES:
                result = draw(st.sampled_from(vocab.QUALITATIVE_RESULTS))
                labs.append(f"{pid},{_day(birth, offset)},{analyte},,{result},,")
            else:
                unit = draw(st.sampled_from(accepted_units(analyte)))
                possible = [
                    v
                    for v in ("0.26", "5.37", "120", "3.17", "44")
                    if judge_lab(analyte, float(v), unit).level != "impossible"
                ]
                value = draw(st.sampled_from(possible))
                ref = draw(st.sampled_from(["", "5", "300"]))
                labs.append(f"{pid},{_day(birth, offset)},{analyte},{value},,{unit},{ref}")
        for offset in draw(st.lists(days, max_size=3, unique=True)):
            drug = draw(st.sampled_from(vocab.KNOWN_DRUGS))
            end = draw(st.one_of(st.none(), st.integers(0, 400)))
            end_text = "" if end is None else _day(birth, offset + end)
            courses.append(f"{pid},{drug},5,mg,BID,{_day(birth, offset)},{end_text}")
        for offset in draw(st.lists(days, max_size=3, unique=True)):
            event = draw(st.sampled_from(vocab.EVENTS))
            detail = draw(st.sampled_from(["", "EBV", "PJP"]))
            events.append(f"{pid},{_day(birth, offset)},{event},{detail}")
    return {
        "patients.csv": "\n".join(patients) + "\n",
        "visits.csv": "\n".join(visits) + "\n",
        "labs.csv": "\n".join(labs) + "\n",
        "treatments.csv": "\n".join(courses) + "\n",
        "events.csv": "\n".join(events) + "\n",
    }


def _write_text(folder: Path, files: dict[str, str]) -> Path:
    folder.mkdir(parents=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cohort_folders())
def test_import_export_import_is_lossless(files: dict[str, str]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        # the generated weights ignore age: accept (and so also test) implausible values
        original, issues = read_folder(_write_text(root / "in", files), accept_implausible=True)
        assert original is not None, [str(i) for i in issues]

        engine = registry.connect(f"sqlite:///{root / 'registry.db'}")
        registry.upgrade(engine)
        with registry.transaction(engine) as session:
            registry.import_cohort(session, original, actor="test", reason="property")
        with registry.transaction(engine) as session:
            stored = registry.load_cohort(session)
        write_folder(stored, root / "out")
        again, issues = read_folder(root / "out", accept_implausible=True)
        assert issues == []
        assert again == original
        with registry.transaction(engine) as session:
            summary = registry.import_cohort(session, again, actor="test", reason="again")
        assert not summary.changed
        engine.dispose()
