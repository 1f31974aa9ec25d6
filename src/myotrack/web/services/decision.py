"""The decision-support panel of a patient on a date (`therapy.decision_support`), or the
words saying why it could not be computed."""

from __future__ import annotations

import logging
from datetime import date

from myotrack.domain import PatientRecord, WholeRecord
from myotrack.therapy import DecisionSupport

log = logging.getLogger(__name__)


def decision_support(
    record: PatientRecord,
    requested: date | None,
    today: date | None = None,
    whole: WholeRecord | None = None,
) -> tuple[DecisionSupport | None, bool, str | None]:
    """The decision-support result (typed: the page reads its attributes, the API its
    `to_dict()`), whether it blocks a JAK-inhibitor start, and an
    error text if it could not be computed (shown, never hidden). With `today`, the date is
    `requested` or else the patient's latest record date when in the past (the panel says
    which); without it, `requested` is the date. `whole` (`registry.load_whole_record`)
    adds the checks that need the whole record (live vaccines, pregnancy test, ancestry,
    dated ILD, oxygen)."""
    try:
        from myotrack.therapy import decision_support as compute
        from myotrack.therapy.decision_support import as_of

        day = requested if requested is not None else today
        assert day is not None
        chosen = as_of(record, requested, today) if today is not None else None
        result = compute(
            record, day if chosen is None else chosen.on, as_of_date=chosen, whole=whole
        )
        return result, bool(result.blocks_jak_start), None
    except Exception as exc:  # shown to the clinician rather than breaking the page
        log.exception("decision support failed for %s", record.patient.patient_id)
        return None, False, f"Decision support could not be computed: {exc}"
