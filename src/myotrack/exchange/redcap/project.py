"""The REDCap project myotrack proposes, as data: its forms (instruments) and fields.

One table drives the data dictionary, the records export and the records import, and
it is built from the same definitions as everything else (interop.md §2.4):

* the cohort folder's field table (`cohort.columns`): one form per file — `patient`
  (not repeating) and `visit`, `lab`, `treatment`, `event` (repeating instruments);
  types, choices, ranges and required flags come from each `Column`;
* the labels of every coded value (`domain.labels`);
* every instrument definition (`instruments.DEFINITIONS`, also the variants kept for
  stored assessments, e.g. CMAS 0-51 and the pre-errata CDASI): one repeating form each,
  item by item, with its total (and the sub-scores that fill a visit column) as REDCap
  calculated fields — a convenience only: myotrack stays the scorer of record.

Variable names (REDCap allows `^[a-z][a-z0-9_]*$`, unique in the project):
* a folder column keeps its name (`weight_kg`, `antibodies`, `drug`), except the
  generic ones, which take their form's name as prefix (`visit_date`, `lab_value`,
  `event_type`, `event_detail`); `patient_id` is the record id, the project's first field;
* an `x_` column becomes `<form>_<x_name>` (`visit_x_note`), a notes field flagged as
  an identifier (free text may carry personal data);
* an instrument item becomes `<instrument>_<item>` (`cmas_head_elevation`); if a folder
  column already has that name (DAS: `das_skin`), `_item` is added (`das_skin_item`);
  calculated totals are `<instrument>_total`, sub-scores `<instrument>_<subscore>` or,
  if taken, `<instrument>_<subscore>_score` (`catbm_activity_score`).

Choice codes are the folder's codes in REDCap's spelling: lower case, any character
other than a-z, 0-9 and `_` written `_` (`TIF1G` -> `tif1g`, `mg/kg` -> `mg_kg`),
because checkbox codes become column names (`antibodies___tif1g`). `Field.codes` maps
them back (a test checks that no two codes of a field collide).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from myotrack.exchange.redcap.core_forms import CORE_FORMS, core_form
from myotrack.exchange.redcap.fields import COMPLETE_SUFFIX, Names, Project
from myotrack.exchange.redcap.instrument_forms import instrument_form
from myotrack.instruments import DEFINITIONS


def build_project(extra_columns: Mapping[str, Sequence[str]] | None = None) -> Project:
    """The project: the five core forms (with the `x_` columns given per folder file),
    then one form per item-level instrument."""
    extra = extra_columns or {}
    forms = [core_form(form, extra.get(form.file, ())) for form in CORE_FORMS]
    taken = [f.name for form in forms for f in form.fields]
    taken += [form.name + COMPLETE_SUFFIX for form in forms]
    names = Names(taken)
    for defn in DEFINITIONS.values():
        names.taken.add(defn.name + COMPLETE_SUFFIX)
        forms.append(instrument_form(defn, names))
    return Project(forms=tuple(forms))
