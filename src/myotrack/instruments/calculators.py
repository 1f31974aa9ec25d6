"""The instrument calculators of `myotrack calc`: one per instrument plus helpers (CMAS timed
items and sit-ups, change against published anchors, the Rice interferon score). Input
models are generated from the same definitions the engine scores."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, create_model

from myotrack.domain import Calculator
from myotrack.instruments.anchors import cdasi_activity_change, cmas_change
from myotrack.instruments.cmas_timed import TIMED_ITEMS, cmas_situps, cmas_timed_item
from myotrack.instruments.definitions import DEFINITIONS
from myotrack.instruments.definitions.cmas import SIT_UP_VARIANTS, TOP_BAND_ASSUMPTION
from myotrack.instruments.engine import score
from myotrack.instruments.interferon import RICE_CUTOFF, RICE_GENES, SOURCE, interferon_score
from myotrack.instruments.model import InstrumentDefinition, Item, ItemError, OptionSpec

_FORBID = ConfigDict(extra="forbid")

SitUpVariant = Literal["thighs_cb", "chest_cb", "head_cb", "thighs_nocb", "chest_nocb", "head_nocb"]
TimedItem = Literal["head_elevation", "straight_leg_lift", "arm_raise_duration"]
# The literal types restate the data of definitions.cmas; keep them in step.
assert get_args(SitUpVariant) == tuple(k for k, _ in SIT_UP_VARIANTS)
assert set(get_args(TimedItem)) == set(TIMED_ITEMS)


def _item_field(it: Item) -> Any:
    extra: dict[str, Any] = {"x-section": it.section} if it.section else {}
    if it.unit != "cm":  # VAS may be given in mm, so its bounds depend on vas_unit
        extra.update(minimum=it.min, maximum=it.max, multipleOf=it.step)
    else:
        extra["x-unit"] = "cm (0–10); mm (0–100) with vas_unit='mm'"
    if it.choices:
        extra["x-choices"] = [{"value": v, "label": text} for v, text in it.choices]
    if it.codes:
        extra["x-codes"] = [{"code": c, "meaning": m} for c, m in it.codes]
    description = f"{it.label}. Allowed: {it.allowed_text()}."
    if it.help:
        description += f" {it.help}"
    return (
        float | bool | str | None,
        Field(default=None, description=description, json_schema_extra=extra),
    )


def _option_field(opt: OptionSpec) -> Any:
    kind: Any
    if opt.allowed:
        kind = Literal[opt.allowed] | None
    elif opt.name == "min_domains":
        kind = int | None
    else:
        kind = float | None
    return (kind, Field(default=opt.default, description=opt.description))


def _items_model(defn: InstrumentDefinition) -> type[BaseModel]:
    fields: dict[str, Any] = {it.id: _item_field(it) for it in defn.items}
    model: type[BaseModel] = create_model(f"{_camel(defn.name)}Items", __config__=_FORBID, **fields)
    return model


def _input_model(
    defn: InstrumentDefinition,
    *,
    skip_options: tuple[str, ...] = (),
    extra: Mapping[str, Any] | None = None,
) -> type[BaseModel]:
    items_model = _items_model(defn)
    fields: dict[str, Any] = {
        "items": (
            items_model,
            Field(
                default_factory=items_model,
                description=f"Item scores of the {defn.title}; "
                "leave an item out (or null) when it was not done.",
            ),
        ),
    }
    for opt in defn.options:
        if opt.name not in skip_options:
            fields[opt.name] = _option_field(opt)
    fields.update(extra or {})
    model: type[BaseModel] = create_model(f"{_camel(defn.name)}Input", __config__=_FORBID, **fields)
    return model


def _instrument_calculator(
    name: str,
    *,
    skip_options: tuple[str, ...] = (),
    extra: Mapping[str, Any] | None = None,
    prepare: Any = None,
) -> Calculator:
    defn = DEFINITIONS[name]
    model = _input_model(defn, skip_options=skip_options, extra=extra)
    option_names = [o.name for o in defn.options if o.name not in skip_options]

    def compute(data: Any) -> Mapping[str, Any]:
        items = {k: v for k, v in data.items.model_dump().items() if v is not None}
        if prepare is not None:
            items = prepare(data, items)
        options = {k: getattr(data, k) for k in option_names}
        result = score(name, items, **options).to_dict()
        result["kind"] = "instrument"
        return result

    return Calculator(
        name=name,
        title=defn.title,
        version=defn.version,
        source=defn.source,
        kind="instrument",
        input_model=model,
        compute=compute,
    )


def _cmas_prepare(data: Any, items: dict[str, Any]) -> dict[str, Any]:
    """Fill CMAS timed items from seconds and item 5 from its sit-up variants."""
    derived: dict[str, int] = {}
    for item, seconds in (data.timed_seconds or {}).items():
        derived[item] = cmas_timed_item(item, seconds)
    if data.sit_up_variants is not None:
        derived["sit_ups"] = cmas_situps(data.sit_up_variants)
    for item, value in derived.items():
        given = items.get(item)
        if given is not None and float(given) != value:
            raise ItemError(
                item,
                f"{value} (from the recorded seconds/variants)",
                f"CMAS {item}: item score {given} disagrees with {value} derived from "
                "the recorded seconds/variants",
            )
        items[item] = value
    return items


_CMAS_EXTRA = {
    "timed_seconds": (
        dict[TimedItem, float] | None,
        Field(
            default=None,
            description="Seconds held for the timed items; scored with the CMAS "
            "time bands (items 1 and 3: 1/10/30/60/120 s; item 8: 1/10/30/60 s). The form's "
            "top bands say '> 2 min' / '> 60 s'; 120 s and 60 s count in them (the only "
            "reading without a gap).",
        ),
    ),
    "sit_up_variants": (
        dict[SitUpVariant, int] | None,
        Field(
            default=None,
            description="Item 5 sit-ups: each of the six variants 0 (unable) or "
            "1 (able): " + "; ".join(f"{k} = {t}" for k, t in SIT_UP_VARIANTS),
        ),
    ),
}


class CmasTimedInput(BaseModel):
    model_config = _FORBID
    item: TimedItem = Field(
        description="Timed CMAS item: 1 head_elevation, 3 straight_leg_lift, 8 arm_raise_duration"
    )
    seconds: float = Field(ge=0, description="Seconds held (0 = unable)")


class CmasSitUpsInput(BaseModel):
    model_config = _FORBID
    variants: dict[SitUpVariant, int] = Field(
        description="Each of the six sit-up variants 0 (unable) or 1 (able)"
    )


class ChangeInput(BaseModel):
    model_config = _FORBID
    baseline: float
    followup: float


class InterferonInput(BaseModel):
    model_config = _FORBID
    ddct: dict[str, float] | None = Field(
        default=None,
        description="ΔΔCt of each of the six genes against the median ΔCt of the "
        f"healthy controls: {', '.join(RICE_GENES)}",
    )
    dct: dict[str, float] | None = Field(
        default=None,
        description="The patient's ΔCt (Ct gene − Ct reference) per gene; needs control_median_dct",
    )
    control_median_dct: dict[str, float] | None = Field(
        default=None, description="Median ΔCt of the healthy controls per gene"
    )
    cutoff: float = Field(
        default=RICE_CUTOFF,
        gt=0,
        description=f"Positive if score > cutoff (Rice 2017: {RICE_CUTOFF})",
    )
    reference_range: str | None = Field(
        default=None, description="The lab's reference range, stored with the result"
    )
    lab: str | None = Field(default=None, description="Laboratory / method identifier")


def _timed(data: Any) -> Mapping[str, Any]:
    return {
        "name": "cmas_timed_item",
        "version": "0-52",
        "source": DEFINITIONS["cmas"].source,
        "item": data.item,
        "seconds": data.seconds,
        "item_score": cmas_timed_item(data.item, data.seconds),
        "assumptions": [TOP_BAND_ASSUMPTION],
    }


def _situps(data: Any) -> Mapping[str, Any]:
    return {
        "name": "cmas_situps",
        "version": "0-52",
        "source": DEFINITIONS["cmas"].source,
        "item_score": cmas_situps(data.variants),
        "assumptions": [],
    }


def _cmas_change(data: Any) -> Mapping[str, Any]:
    return {
        "name": "cmas_change",
        "version": "0-52",
        **cmas_change(data.baseline, data.followup),
        "assumptions": [],
    }


def _cdasi_change(data: Any) -> Mapping[str, Any]:
    return {
        "name": "cdasi_change",
        "version": "v2",
        **cdasi_activity_change(data.baseline, data.followup),
        "assumptions": [],
    }


def _interferon(data: Any) -> Mapping[str, Any]:
    result = interferon_score(
        ddct=data.ddct,
        dct=data.dct,
        control_median_dct=data.control_median_dct,
        cutoff=data.cutoff,
        reference_range=data.reference_range,
        lab=data.lab,
    )
    return result.to_dict()


def _camel(name: str) -> str:
    return "".join(part.capitalize() for part in name.split("_"))


def _build() -> dict[str, Calculator]:
    calcs = [
        _instrument_calculator("cmas", extra=_CMAS_EXTRA, prepare=_cmas_prepare),
        _instrument_calculator("cmas9"),
        _instrument_calculator("mmt8", skip_options=("laterality",)),
        _instrument_calculator("mmt8_bilateral", skip_options=("laterality",)),
        _instrument_calculator("catbm"),
        _instrument_calculator("cdasi", skip_options=("version",)),
        _instrument_calculator("das"),
        _instrument_calculator("myoact"),
        _instrument_calculator("chaq"),
        _instrument_calculator("globals"),
        Calculator(
            "cmas_timed_item",
            "CMAS timed item score from seconds held",
            "0-52",
            DEFINITIONS["cmas"].source,
            "instrument",
            CmasTimedInput,
            _timed,
        ),
        Calculator(
            "cmas_situps",
            "CMAS item 5 (sit-ups) from its six variants",
            "0-52",
            DEFINITIONS["cmas"].source,
            "instrument",
            CmasSitUpsInput,
            _situps,
        ),
        Calculator(
            "cmas_change",
            "CMAS change against the published MID (1.5–3.0)",
            "0-52",
            "Huber AM et al., Arthritis Rheum 2004;50:1595",
            "instrument",
            ChangeInput,
            _cmas_change,
        ),
        Calculator(
            "cdasi_change",
            "CDASI activity change against the MCID (4 UPenn, 5 Stanford)",
            "v2",
            "Anyanwu CO et al., Br J Dermatol 2015;173:969",
            "instrument",
            ChangeInput,
            _cdasi_change,
        ),
        Calculator(
            "interferon_score",
            "Type I interferon score (6-gene median fold change)",
            "Rice 2017",
            SOURCE,
            "instrument",
            InterferonInput,
            _interferon,
        ),
    ]
    return {c.name: c for c in calcs}


CALCULATORS: dict[str, Calculator] = _build()
