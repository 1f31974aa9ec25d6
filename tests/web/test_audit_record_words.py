"""The audit page's "Record" column in the clinic's words (issue 9, "human labels for every
coded value ... in pages, report and audit"): "Lab: creatine kinase (CK) 2024-05-02",
"Visit 2024-05-02", not the stored key "EMPTY-A | 2024-05-02 | CK"."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from myotrack.domain.labels import label
from myotrack.web.routes.admin import record_words

Clients = Callable[[str | None], TestClient]
PID = "EMPTY-A"  # site A (tests/web/conftest.py)


@pytest.mark.parametrize(
    ("table", "record", "words"),
    [
        ("visit", "P01 | 2022-02-01", "Visit 2022-02-01"),
        ("lab", "P01 | 2010-03-01 | CK", f"Lab: {label('analyte', 'CK')} 2010-03-01"),
        ("patient", "P01", "Patient P01"),
        (
            "course",
            "P01 | ruxolitinib | 2021-10-05",
            f"Drug course: {label('drug', 'ruxolitinib')} from 2021-10-05",
        ),
        (
            "event",
            "P01 | 2021-09-17 | infection | PJP",
            f"Event: {label('event', 'infection')} 2021-09-17 (PJP)",
        ),
        (
            "event",
            "P01 | 2021-09-17 | infection | ",
            f"Event: {label('event', 'infection')} 2021-09-17",
        ),
        ("assessment", "P01 | 2024-03-01 | cdasi", "Item-level scores: CDASI v2 2024-03-01"),
        (
            "assessment",
            "P01 | 2024-03-01 | globals",
            "Item-level scores: Global assessments 2024-03-01",
        ),
        ("chest_ct", "P01 | 2021-09-20", "Chest CT: 2021-09-20"),
        ("clinical_image", "P01 | 2021-09-20 | 0123456789ab", "Clinical image 2021-09-20"),
        # anything else (users, settings, imports; a key of an unexpected shape): as stored,
        # parts separated by a dot
        ("user_account", "nurse", "nurse"),
        ("lab", "P01 | 2010-03-01", "P01 · 2010-03-01"),
        (None, "demo folder", "demo folder"),
        ("visit", None, ""),
    ],
)
def test_record_words(table: str | None, record: str | None, words: str) -> None:
    assert record_words(table, record) == words


def test_audit_page_record_column_reads_in_words(client_for: Clients) -> None:
    client = client_for("clin_a")
    visit = client.post(f"/api/patients/{PID}/visits", json={"date": "2024-05-02", "weight_kg": 30})
    assert visit.status_code == 200, visit.text
    body = {"date": "2024-05-02", "analyte": "CK", "value": 700, "unit": "U/L"}
    lab = client.post(f"/api/patients/{PID}/labs", json=body)
    assert lab.status_code == 200, lab.text
    page = client_for("admin").get("/audit", params={"patient": PID}).text
    assert f"Lab: {label('analyte', 'CK')} 2024-05-02" in page
    assert "Visit 2024-05-02" in page
    assert f"{PID} · 2024-05-02 · CK" not in page and f"{PID} | 2024-05-02" not in page
