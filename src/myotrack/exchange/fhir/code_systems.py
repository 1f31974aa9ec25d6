"""The myotrack CodeSystems as FHIR CodeSystem resources (for a terminology server, the
docs and validators that resolve local codes). Generated from `codes.LOCAL_SYSTEMS`."""

from __future__ import annotations

from typing import Any

from myotrack.exchange.fhir.codes import LOCAL_SYSTEMS, local_display
from myotrack.exchange.fhir.ids import resource_id


def code_system_resources() -> list[dict[str, Any]]:
    """One CodeSystem resource per myotrack CodeSystem (status active, content complete)."""
    return [
        {
            "resourceType": "CodeSystem",
            "id": resource_id("CodeSystem", cs.name),
            "url": cs.url,
            "name": "Myotrack_" + cs.name.replace("-", "_"),
            "title": f"myotrack: {cs.title}",
            "status": "active",
            "caseSensitive": True,
            "content": "complete",
            "count": len(cs.codes),
            "concept": [
                {"code": code, "display": local_display(cs.name, code)} for code in cs.codes
            ],
        }
        for cs in LOCAL_SYSTEMS.values()
    ]
