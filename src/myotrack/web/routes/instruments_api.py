"""Instruments in the JSON API: the visit form's instruments item by item, and live scoring."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from myotrack.instruments import INSTRUMENTS, score
from myotrack.web import schemas
from myotrack.web.errors import NotFound
from myotrack.web.forms import item_errors, visit_instruments
from myotrack.web.policy import Principal
from myotrack.web.routes.api_shared import ERRORS, USER, api_router
from myotrack.web.schemas import Problem

router = api_router()


@router.get(
    "/instruments",
    response_model=list[schemas.InstrumentOut],
    tags=["instruments"],
    responses=ERRORS,
)
def api_instruments(_: Annotated[Principal, Depends(USER)]) -> list[schemas.InstrumentOut]:
    """The instruments of the visit form, item by item."""
    return [
        schemas.InstrumentOut(
            name=d.name,
            title=d.title,
            version=d.version,
            source=d.source,
            total_min=d.total_min,
            total_max=d.total_max,
            visit_column=d.visit_column,
            items=[
                schemas.InstrumentItemOut(
                    id=i.id,
                    label=i.label,
                    min=i.min,
                    max=i.max,
                    step=i.step,
                    choices=[list(c) for c in i.choices] or None,
                    section=i.section,
                    help=i.help,
                )
                for i in d.items
            ],
        )
        for d in visit_instruments()
    ]


@router.post(
    "/instruments/{name}/score",
    response_model=schemas.ScoreResponse,
    tags=["instruments"],
    responses={**ERRORS, 404: {"model": Problem}},
)
def api_score(
    name: str, body: schemas.ScoreRequest, _: Annotated[Principal, Depends(USER)]
) -> schemas.ScoreResponse:
    """Score items as they are entered: the total so far and a message per bad item."""
    if name not in INSTRUMENTS:
        raise NotFound(f"There is no instrument {name!r}.")
    given = {k: v for k, v in body.items.items() if v is not None}
    errors = [
        schemas.FieldError(field=err.field, message=err.message) for err in item_errors(name, given)
    ]
    if errors:
        return schemas.ScoreResponse(
            instrument=name, total=None, complete=False, result=None, errors=errors
        )
    result = score(name, given)
    return schemas.ScoreResponse(
        instrument=name,
        total=result.total,
        complete=not result.missing,
        result=result.to_dict(),
        errors=[],
    )
