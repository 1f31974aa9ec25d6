"""Who may do what: the ONE place where roles and sites are decided.

Every route of the app declares one `Access` level (through `myotrack.web.deps.Requires`);
this module alone decides whether a user has it and which patients a user may see.

Roles (issue 5):
- admin: everything, including users, the audit log and cohort import;
- clinician: reads and writes the patients of their own site only;
- researcher: reads only, de-identified (no birth dates, ages and days relative to the
  index date, pseudonyms only); the patients of their site, or of all sites if they have none.

Which de-identification tier a user gets (`cohort.deidentify.Tier`) is decided here
alone, by `tier_for`: researchers see the `pseudonymised` tier everywhere (pages, JSON
API, report, figures): keyed research pseudonyms (also in their URLs), relative days, no
free text, no site. `web.research` applies it. Which tiers a user may export (any format:
folder, FHIR, REDCap, OMOP) is `export_tiers`/`may_export`; whether the aggregate tables
they see hide small counts is `suppresses_small_cells`.

Without login only /health, /login (and POST /api/session) and the static files answer;
pages send anonymous users to /login, the API (and /openapi.json) answers 401.

A patient of another site is answered exactly like a patient that does not exist
(404 Not Found, never 403), so that a user cannot learn which pseudonyms exist elsewhere.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from myotrack.cohort import Tier


class Role(StrEnum):
    ADMIN = "admin"
    CLINICIAN = "clinician"
    RESEARCHER = "researcher"


class Access(StrEnum):
    """What a route needs."""

    PUBLIC = "public"  # no login: /health, /login, static files
    USER = "user"  # any logged-in user
    READ_PATIENTS = "patients:read"  # admin, clinician, researcher (scoped by site)
    WRITE_PATIENTS = "patients:write"  # admin, clinician of the patient's site
    EXPORT = "cohort:export"  # identifiable cohort download: admin, clinician (own site)
    EXCHANGE = "cohort:exchange"  # export in any format, at a tier `export_tiers` allows
    IMPORT = "cohort:import"  # cohort upload: admin
    ADMIN = "admin"  # users, audit log
    WORKLIST = "worklist"  # the clinic worklist: admin (all sites), clinician (own site)


_GRANTS: dict[Role, frozenset[Access]] = {
    Role.ADMIN: frozenset(Access),
    Role.CLINICIAN: frozenset(
        {
            Access.PUBLIC,
            Access.USER,
            Access.READ_PATIENTS,
            Access.WRITE_PATIENTS,
            Access.EXPORT,
            Access.EXCHANGE,
            Access.WORKLIST,
        }
    ),
    Role.RESEARCHER: frozenset({Access.PUBLIC, Access.USER, Access.READ_PATIENTS, Access.EXCHANGE}),
}


@dataclass(frozen=True, slots=True)
class Principal:
    """The logged-in user as the policy sees them."""

    username: str
    role: Role
    site: str | None

    @property
    def deidentified(self) -> bool:
        """Whether this user sees de-identified data only."""
        return tier_for(self) is not Tier.IDENTIFIED

    @property
    def is_admin(self) -> bool:
        return self.role is Role.ADMIN


# The de-identification tier each role sees in the web app (issue 10: researchers get the
# same rules as the de-identified export).
_TIERS: dict[Role, Tier] = {
    Role.ADMIN: Tier.IDENTIFIED,
    Role.CLINICIAN: Tier.IDENTIFIED,
    Role.RESEARCHER: Tier.PSEUDONYMISED,
}


def tier_for(principal: Principal) -> Tier:
    """The de-identification tier of everything this user is shown."""
    return _TIERS[principal.role]


# The tiers each role may export (issue 12; docs/deidentification.md, "Who may export
# which tier"), of the patients `site_scope` lets them see. A role that sees identified
# data loses nothing by a coarser tier, so clinicians (their own site) may also hand out
# safe-harbor files; researchers never get the identified tier.
_EXPORT_TIERS: dict[Role, tuple[Tier, ...]] = {
    Role.ADMIN: (Tier.IDENTIFIED, Tier.PSEUDONYMISED, Tier.SAFE_HARBOR),
    Role.CLINICIAN: (Tier.IDENTIFIED, Tier.PSEUDONYMISED, Tier.SAFE_HARBOR),
    Role.RESEARCHER: (Tier.PSEUDONYMISED, Tier.SAFE_HARBOR),
}


def export_tiers(principal: Principal) -> tuple[Tier, ...]:
    """The tiers this user may export (the first: the one offered by default)."""
    tiers = _EXPORT_TIERS[principal.role]
    mine = tier_for(principal)
    return (mine, *(t for t in tiers if t is not mine)) if mine in tiers else tiers


def may_export(principal: Principal, tier: Tier) -> bool:
    """Whether the user may export the patients they see at `tier` (in any format)."""
    return allows(principal, Access.EXCHANGE) and tier in _EXPORT_TIERS[principal.role]


def suppresses_small_cells(principal: Principal) -> bool:
    """Whether aggregate tables this user opens or exports hide small counts
    (`analysis.small_cells`): every de-identified user (researchers); never silently for
    the identified tier (clinicians, admins), who may ask for it."""
    return tier_for(principal) is not Tier.IDENTIFIED


def allows(principal: Principal, access: Access) -> bool:
    """Whether the user's role grants `access` (site scoping is separate)."""
    return access in _GRANTS[principal.role]


def site_scope(principal: Principal) -> frozenset[str] | None:
    """The sites whose patients the user may see; None means every site."""
    if principal.role is Role.ADMIN:
        return None
    if principal.role is Role.RESEARCHER and principal.site is None:
        return None
    # A clinician without a site sees nobody (user add refuses to create one).
    return frozenset({principal.site}) if principal.site is not None else frozenset()


def may_see(principal: Principal, patient_site: str | None) -> bool:
    """Whether the user may see a patient of `patient_site`."""
    scope = site_scope(principal)
    return scope is None or (patient_site is not None and patient_site in scope)


def may_write(principal: Principal, patient_site: str | None) -> bool:
    """Whether the user may change a patient of `patient_site`."""
    return allows(principal, Access.WRITE_PATIENTS) and may_see(principal, patient_site)


class ImageView(StrEnum):
    """How a user may see one clinical image of a patient they may see (issue 14)."""

    NONE = "none"  # not shown, not even that it exists
    DEIDENTIFIED = "deidentified"  # pixels, body site, kind, days; no caption, no date
    FULL = "full"  # everything, caption and date included


def image_view(principal: Principal, *, research_consent: bool) -> ImageView:
    """The identified tier sees every image of its patients; a de-identified user only
    images with research consent, without their caption (free text) or date
    (`docs/images.md`). Site scoping is `may_see`, checked before."""
    if tier_for(principal) is Tier.IDENTIFIED:
        return ImageView.FULL
    return ImageView.DEIDENTIFIED if research_consent else ImageView.NONE


def site_for_new_patient(principal: Principal, requested: str | None) -> str | None:
    """The site a new patient gets: a clinician's own site, whatever was asked for."""
    if principal.role is Role.CLINICIAN:
        return principal.site
    return requested or None
