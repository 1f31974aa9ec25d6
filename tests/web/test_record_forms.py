"""The whole record's forms and patient page without a browser (issue 11): a refused value is
named in the form's words in the error summary, the button names the kind with its
abbreviation, a course the paper gives no start for is listed as "start not known" with its
strength and unit as one fact, and the page's decision support reads the whole record.
Oracle: the seed-003 child's facts (Strauss T et al., Pediatr Rheumatol 2023)."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient

Clients = Callable[[str | None], TestClient]


def _form(client: TestClient, path: str, data: dict[str, str]) -> str:
    page = client.get(path)
    token = page.text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    return str(client.post(path, data={**data, "csrf_token": token}).text)


def test_a_refused_value_is_named_in_the_forms_words(client_for: Clients) -> None:
    admin = client_for("admin")
    page = _form(
        admin, "/patients/EMPTY-A/records/chest_ct", {"date": "2021-09", "extent_percent": "120"}
    )
    assert "Extent (%): 120 is out of range" in page
    assert "Extent_percent" not in page
    assert "Save chest CT" in page


def test_the_page_lists_a_course_without_start_and_reads_the_whole_record(
    client_for: Clients,
) -> None:
    admin = client_for("admin")
    for kind, body in (
        (
            "treatment_course",
            {
                "drug": "tacrolimus",
                "start_unknown": "yes",
                "route": "topical",
                "formulation": "ointment",
                "strength": "0.1",
                "strength_unit": "%",
            },
        ),
        ("oxygen_need", {"date": "2021-09", "support": "supplemental_not_stated"}),
        ("patient_background", {"race": ["unknown"]}),
    ):
        r = admin.post(f"/api/patients/EMPTY-A/records/{kind}", json=body)
        assert r.status_code == 201, r.text
    page = admin.get("/patients/EMPTY-A").text
    row = page.split('id="records-treatment_course"', 1)[1].split("</table>", 1)[0]
    assert "start not known" in row
    assert "<dt>strength</dt><dd>0.1 %</dd>" in row and "strength unit" not in row
    panel = page.split('id="decision-support"', 1)[1]
    # with the whole record: race 'unknown' is no ancestry, and the panel says it looked
    # for digital infarcts in the organ involvement ("none recorded")
    assert "Not recorded in the data: Asian ancestry" in panel
    assert "digital infarcts (OR 43.8): none recorded" in panel
