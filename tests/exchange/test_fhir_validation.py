"""The export is valid FHIR R4: every resource and the Bundles parse with the R4B models
of fhir.resources (R4 4.0.1 structure and cardinality; never the R5 default models), and
myotrack's own invariants hold, written as FHIRPath (fhirpathpy)."""

from __future__ import annotations

import importlib
import json

import pytest

from myotrack.cohort.deidentify import Tier, apply_tier
from myotrack.domain import Cohort
from myotrack.exchange.fhir import code_system_resources, cohort_resources

from .conftest import export_texts
from .conftest import few as _few

r4b = pytest.importorskip("fhir.resources.R4B", reason="fhir.resources is a test extra")
fhirpath = pytest.importorskip("fhirpathpy", reason="fhirpathpy is a test extra")


def _model(resource_type: str) -> type:
    module = importlib.import_module(f"fhir.resources.R4B.{resource_type.lower()}")
    model: type = getattr(module, resource_type)
    return model


def _cohorts(demo: Cohort, catalogue: Cohort) -> list[Cohort]:
    return [demo, catalogue, apply_tier(demo, Tier.SAFE_HARBOR, key=b"k")]


def test_every_resource_is_valid_r4(demo_cohort: Cohort, catalogue_cohort: Cohort) -> None:
    checked: set[str] = set()
    for cohort in _cohorts(demo_cohort, catalogue_cohort):
        for resource in cohort_resources(cohort):
            _model(resource["resourceType"]).model_validate(resource)  # type: ignore[attr-defined]
            checked.add(resource["resourceType"])
    assert checked >= {
        "Patient",
        "Organization",
        "Condition",
        "Observation",
        "Encounter",
        "MedicationStatement",
        "AdverseEvent",
        "QuestionnaireResponse",
        "Questionnaire",
    }


@pytest.mark.parametrize("layout", ["bundle", "transaction"])
def test_bundles_are_valid_r4(catalogue_cohort: Cohort, layout: str) -> None:
    (text,) = export_texts(catalogue_cohort, layout).values()
    bundle = _model("Bundle").model_validate_json(text)  # type: ignore[attr-defined]
    assert bundle.type == ("collection" if layout == "bundle" else "transaction")


def test_the_myotrack_code_systems_are_valid_r4() -> None:
    for resource in code_system_resources():
        _model("CodeSystem").model_validate(resource)  # type: ignore[attr-defined]


def test_the_r4b_models_would_catch_a_broken_resource(demo_cohort: Cohort) -> None:
    resource = next(r for r in cohort_resources(demo_cohort) if r["resourceType"] == "Observation")
    del resource["status"]  # required in R4
    with pytest.raises(ValueError):
        _model("Observation").model_validate(resource)  # type: ignore[attr-defined]


# myotrack's invariants, evaluated on the collection Bundle.
INVARIANTS = {
    "references resolve inside the Bundle": (
        "Bundle.entry.resource.descendants().reference.all(%urls contains $this)"
    ),
    "every record belongs to a patient": (
        "Bundle.entry.resource.where(resourceType != 'Patient' and resourceType != "
        "'Organization' and resourceType != 'Questionnaire')"
        ".all((subject | patient).reference.exists())"
    ),
    # A course with a start and no end is active unless cohort format version 2 says it
    # stopped (an end known only as a duration) or does not say (status unknown).
    "a course is active exactly when it has no end": (
        "Bundle.entry.resource.where(resourceType = 'MedicationStatement')"
        ".all(iif(status = 'unknown' or status = 'stopped' or status = 'completed', "
        "true, effectivePeriod.end.empty()) and "
        "iif(effectivePeriod.end.exists(), status != 'active', true))"
    ),
    "a UCUM quantity has its code": (
        "Bundle.entry.resource.descendants().where(system = 'http://unitsofmeasure.org')"
        ".all(code.exists())"
    ),
    "a lab result has a value": (
        "Bundle.entry.resource.where(resourceType = 'Observation' and "
        "category.coding.code contains 'laboratory')"
        ".all(valueQuantity.exists() or valueCodeableConcept.exists() or valueBoolean.exists())"
    ),
    "a visit is one day": (
        "Bundle.entry.resource.where(resourceType = 'Encounter').all(period.start = period.end)"
    ),
    "every patient has one diagnosis": (
        "Bundle.entry.resource.where(resourceType = 'Patient').all("
        "%diagnosed contains ('urn:uuid:' + id))"
    ),
    "a response answers a myotrack Questionnaire of this export": (
        "Bundle.entry.resource.where(resourceType = 'QuestionnaireResponse')"
        ".all(%questionnaires contains questionnaire)"
    ),
}


@pytest.mark.parametrize("name", sorted(INVARIANTS))
def test_invariant(name: str, demo_cohort: Cohort, catalogue_cohort: Cohort) -> None:
    for cohort in _cohorts(_few(demo_cohort), catalogue_cohort):
        (text,) = export_texts(cohort, "bundle").values()
        bundle = json.loads(text)
        resources = [e["resource"] for e in bundle["entry"]]
        context = {
            "urls": [e["fullUrl"] for e in bundle["entry"]],
            "diagnosed": [
                r["subject"]["reference"]
                for r in resources
                if r["resourceType"] == "Condition"
                and any("CodeSystem/diagnosis" in c["system"] for c in r["code"]["coding"])
            ],
            "questionnaires": [
                f"{r['url']}|{r['version']}"
                for r in resources
                if r["resourceType"] == "Questionnaire"
            ],
        }
        assert fhirpath.evaluate(bundle, INVARIANTS[name], context) == [True], name


def test_an_invariant_fails_on_a_broken_bundle(demo_cohort: Cohort) -> None:
    (text,) = export_texts(_few(demo_cohort), "bundle").values()
    bundle = json.loads(text)
    bundle["entry"] = [e for e in bundle["entry"] if e["resource"]["resourceType"] != "Patient"]
    urls = [e["fullUrl"] for e in bundle["entry"]]
    result = fhirpath.evaluate(
        bundle, INVARIANTS["references resolve inside the Bundle"], {"urls": urls}
    )
    assert result == [False]
