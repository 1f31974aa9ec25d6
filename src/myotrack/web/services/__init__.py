"""What the pages and the JSON API do, once: reading patients (de-identified where the
policy says so) and saving what was entered, each save in the caller's one transaction.
The page and the API call the same function, so they cannot disagree.

One module per resource: `patients` (list, summary, detail, adding and changing a patient),
`visits`, `labs`, `courses`, `events` (saving each), `decision` (the decision-support
panel); `writing` holds what every save shares (the write check, the record checks'
context, `FormErrors`).

    from myotrack.web import services
    version = services.save_visit(session, principal, patient_id, data)
"""

from myotrack.web.forms import ItemProblem
from myotrack.web.services.courses import (
    change_course,
    course_from,
    refuse_course_problems,
    start_course,
)
from myotrack.web.services.decision import decision_support
from myotrack.web.services.events import add_event, event_from
from myotrack.web.services.labs import lab_from, save_lab
from myotrack.web.services.patients import (
    SORT_KEYS,
    PatientFilter,
    create_patient,
    detail,
    known_sites,
    lab_flag,
    list_patients,
    reference_date,
    summary,
    version_of,
)
from myotrack.web.services.visits import MEASURE_COLUMNS, save_visit, visit_from
from myotrack.web.services.writing import FormErrors, issues_out, writable_record

__all__ = [
    "MEASURE_COLUMNS",
    "SORT_KEYS",
    "FormErrors",
    "ItemProblem",
    "PatientFilter",
    "add_event",
    "change_course",
    "course_from",
    "create_patient",
    "decision_support",
    "detail",
    "event_from",
    "issues_out",
    "known_sites",
    "lab_flag",
    "lab_from",
    "list_patients",
    "reference_date",
    "refuse_course_problems",
    "save_lab",
    "save_visit",
    "start_course",
    "summary",
    "version_of",
    "visit_from",
    "writable_record",
]
