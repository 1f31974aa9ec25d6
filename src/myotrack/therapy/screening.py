"""Screening before a JAK-inhibitor start, from the patient's data, as honest checks: each
test is present and recent enough (nothing blocks), missing/too old/indeterminate (cannot
assess, naming the test and the window it needs), or a result a label says must be dealt
with first (blocks).

Label requirements (shared/spec/criteria-therapy.md §5.1, VERIFIED from label reproductions):
* tuberculosis: evaluate for active and latent TB before the start; "if the patient has
  latent TB, treat for TB prior to" tofacitinib (Xeljanz US 2.1, Pfizer medical
  information); baricitinib "should not be given to patients with active tuberculosis ...
  if positive, start treatment for latent infection prior to" use (Olumiant US label,
  prescriberpoint/drugs.com); ruxolitinib: inquire about past TB (Jakafi 2.1). A positive
  test therefore blocks until TB is assessed and treated;
* hepatitis B and C: "viral hepatitis screening in accordance with clinical guidelines"
  (Xeljanz 2.1; Olumiant); EU baricitinib: monitor HBV DNA if anti-HBc+/HBsAg- (MIMS). A
  positive result needs a specialist's review (cannot assess), not an invented verdict;
* VZV: update immunisations before the start, no live vaccines during or immediately before
  therapy (Olumiant EU, MIMS; Xeljanz 2.1); checking VZV immune status in children is
  paediatric practice (SECONDARY, Norwegian JIA abstract);
* lipids: the labels ask for lipids 4-12 weeks after the start (see `monitoring`); a
  baseline profile before the start is the reference for that check.

Local-policy settings (no published interval; reported as assumptions): how old a pre-start
infection screen may be (`SCREEN_VALID_DAYS`), how recent pre-start counts and lipids must be
(`PRESTART_RECENT_DAYS`), and which tests make up the hepatitis B screen
(`HBV_SCREEN_ANALYTES`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Final

from myotrack.domain import LabResult, PatientRecord
from myotrack.therapy.status import Check, CheckStatus, NeededInput

SCREEN_VALID_DAYS: Final = 365  # LOCAL POLICY (no published interval)
PRESTART_RECENT_DAYS: Final = 90  # LOCAL POLICY (no published interval)
HBV_SCREEN_ANALYTES: Final = ("HBsAg", "anti_HBc")  # LOCAL POLICY: both tests
LIPIDS: Final = ("total_cholesterol", "LDL", "triglycerides")

ASSUMPTIONS: Final = (
    f"a pre-start infection screen (TB, hepatitis B/C, VZV) must be within {SCREEN_VALID_DAYS} "
    "days of the date (local policy, no published interval)",
    f"pre-start blood counts and lipids must be within {PRESTART_RECENT_DAYS} days of the date "
    "(local policy, no published interval)",
    "the hepatitis B screen is HBsAg and anti-HBc (local policy; the labels say 'in "
    "accordance with clinical guidelines')",
)

_TB_SOURCE: Final = (
    "Xeljanz US 2.1 (Pfizer medical information); Olumiant US label (drugs.com, "
    "prescriberpoint); Jakafi 2.1"
)
_HEP_SOURCE: Final = "Xeljanz 2.1 (Pfizer medical information); Olumiant (drugs.com; MIMS)"
_VZV_SOURCE: Final = (
    "Olumiant EU SmPC (MIMS); Xeljanz 2.1 (update immunisations); paediatric practice (SECONDARY)"
)
_LIPID_SOURCE: Final = (
    "baseline for the post-start lipid check: Xeljanz (4-8 weeks), Olumiant EU (12 weeks), "
    "Jakafi (8-12 weeks)"
)


@dataclass(frozen=True, slots=True)
class ScreenTest:
    """One pre-start screening test: which analytes answer it and what a positive means."""

    name: str
    analytes: tuple[str, ...]
    positive_blocks: bool
    positive_means: str
    source: str


TESTS: Final[tuple[ScreenTest, ...]] = (
    ScreenTest(
        name="tuberculosis",
        analytes=("TB_IGRA", "TB_skin_test"),
        positive_blocks=True,
        positive_means="positive TB test: exclude active TB and treat latent TB before a JAK "
        "inhibitor (labels: treat latent TB prior to use; not with active TB)",
        source=_TB_SOURCE,
    ),
    *(
        ScreenTest(
            name=f"hepatitis B ({a})",
            analytes=(a,),
            positive_blocks=False,
            positive_means="positive: hepatology review before a JAK inhibitor (EU baricitinib: "
            "monitor HBV DNA if anti-HBc positive and HBsAg negative)",
            source=_HEP_SOURCE,
        )
        for a in HBV_SCREEN_ANALYTES
    ),
    ScreenTest(
        name="hepatitis C",
        analytes=("HCV_Ab",),
        positive_blocks=False,
        positive_means="HCV antibody positive: specialist review before a JAK inhibitor",
        source=_HEP_SOURCE,
    ),
)


def _qualitative(
    labs: tuple[LabResult, ...], analytes: tuple[str, ...], on: date
) -> LabResult | None:
    found = [r for r in labs if r.analyte in analytes and r.date <= on and r.result is not None]
    return max(found, key=lambda r: r.date) if found else None


def _describe(lab: LabResult) -> str:
    if lab.result is not None:
        return f"{lab.analyte} {lab.result} on {lab.date.isoformat()}"
    return f"{lab.analyte} {lab.value:g} {lab.unit or ''} on {lab.date.isoformat()}".strip()


def _window() -> str:
    return f"a result within {SCREEN_VALID_DAYS} days before the start (local policy)"


def _screen(test: ScreenTest, labs: tuple[LabResult, ...], on: date) -> Check:
    lab = _qualitative(labs, test.analytes, on)
    base = Check(
        section="screening",
        name=test.name,
        status="cannot_assess",
        message="",
        source=test.source,
    )
    what = " or ".join(test.analytes)
    if lab is None:
        need = NeededInput(what, "missing", _window())
        return _with(base, "cannot_assess", f"{test.name}: {need.message}", (need,), None)
    if lab.result == "positive":
        if test.positive_blocks:
            return _with(base, "blocks", test.positive_means, (), _describe(lab))
        need = NeededInput(
            f"specialist review of {_describe(lab)}", "needs_review", "before the start"
        )
        return _with(base, "cannot_assess", test.positive_means, (need,), _describe(lab))
    if lab.result != "negative":
        need = NeededInput(what, "indeterminate", "a determinate result", latest=lab.date)
        return _with(base, "cannot_assess", f"{test.name}: {need.message}", (need,), _describe(lab))
    if (on - lab.date).days > SCREEN_VALID_DAYS:
        need = NeededInput(what, "out_of_window", _window(), latest=lab.date)
        return _with(base, "cannot_assess", f"{test.name}: {need.message}", (need,), _describe(lab))
    return _with(base, "nothing_blocks", f"{test.name}: negative", (), _describe(lab))


def _with(
    base: Check,
    status: CheckStatus,
    message: str,
    needs: tuple[NeededInput, ...],
    evidence: str | None,
) -> Check:
    return Check(
        section=base.section,
        name=base.name,
        status=status,
        message=message,
        source=base.source,
        needs=needs,
        evidence=evidence,
    )


def _vzv(labs: tuple[LabResult, ...], on: date) -> Check:
    base = Check(
        section="screening",
        name="VZV immune status",
        status="cannot_assess",
        message="",
        source=_VZV_SOURCE,
    )
    lab = _qualitative(labs, ("VZV_IgG",), on)
    if lab is None:
        need = NeededInput("VZV IgG", "missing", "before the start")
        return _with(base, "cannot_assess", f"VZV immune status: {need.message}", (need,), None)
    if lab.result == "positive":
        return _with(base, "nothing_blocks", "VZV IgG positive (immune)", (), _describe(lab))
    if lab.result == "negative":
        return _with(
            base,
            "nothing_blocks",
            "VZV seronegative: consider vaccination before the start; no live vaccines during "
            "or immediately before therapy",
            (),
            _describe(lab),
        )
    need = NeededInput("VZV IgG", "indeterminate", "a determinate result", latest=lab.date)
    return _with(
        base, "cannot_assess", f"VZV immune status: {need.message}", (need,), _describe(lab)
    )


def _baseline_lipids(labs: tuple[LabResult, ...], on: date) -> Check:
    base = Check(
        section="screening",
        name="baseline lipids",
        status="cannot_assess",
        message="",
        source=_LIPID_SOURCE,
    )
    found = [r for r in labs if r.analyte in LIPIDS and r.date <= on and r.value is not None]
    window = f"a result within {PRESTART_RECENT_DAYS} days before the start (local policy)"
    if not found:
        need = NeededInput("lipid profile", "missing", window)
        return _with(base, "cannot_assess", f"baseline lipids: {need.message}", (need,), None)
    lab = max(found, key=lambda r: r.date)
    if (on - lab.date).days > PRESTART_RECENT_DAYS:
        need = NeededInput("lipid profile", "out_of_window", window, latest=lab.date)
        return _with(
            base, "cannot_assess", f"baseline lipids: {need.message}", (need,), _describe(lab)
        )
    return _with(base, "nothing_blocks", "baseline lipids present", (), _describe(lab))


def screening(record: PatientRecord, on: date) -> list[Check]:
    """The pre-start screening checks on `on` (nothing recorded after `on` is used)."""
    labs = tuple(r for r in record.labs if r.date <= on)
    checks = [_screen(t, labs, on) for t in TESTS]
    checks.append(_vzv(labs, on))
    checks.append(_baseline_lipids(labs, on))
    return checks
