"""`myotrack calc`: run any instrument, criterion or therapy calculator on a JSON input,
list them all, or print the JSON schema of a calculator's input."""

from __future__ import annotations

import json
import math
import sys
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from rich.text import Text

from myotrack import criteria, instruments, therapy
from myotrack.cli.app import app
from myotrack.cli.common import err_console
from myotrack.domain import Calculator, units

USAGE_ERROR = 2  # bad input or unknown calculator


class ConvertInput(BaseModel):
    """A laboratory value in one unit, to be given in another unit of the same analyte."""

    model_config = ConfigDict(extra="forbid")

    analyte: str = Field(description="analyte, e.g. CK, LDH, AST, ALT, aldolase, hemoglobin")
    value: float = Field(ge=0, description="the value as reported")
    from_unit: str = Field(description="the unit it is given in, e.g. µkat/L")
    to_unit: str | None = Field(
        default=None, description="the unit wanted (default: the analyte's canonical unit)"
    )


def _convert(data: ConvertInput) -> Mapping[str, Any]:
    """value x factor(from) / factor(to), each factor to the analyte's canonical unit, from
    the one unit table `myotrack.domain.units.UNITS` (sources cited there)."""
    if data.analyte not in units.UNITS:
        raise ValueError(
            f"no unit conversion is known for {data.analyte!r}; analytes: "
            f"{', '.join(sorted(units.UNITS))}"
        )
    allowed = units.accepted_units(data.analyte)
    to_unit = data.to_unit or units.canonical_unit(data.analyte)
    for field, unit in (("from_unit", data.from_unit), ("to_unit", to_unit)):
        if unit not in allowed:
            raise ValueError(
                f"field {field!r}: {unit!r} is not a unit of {data.analyte}; "
                f"allowed: {', '.join(allowed)}"
            )
    table = units.UNITS[data.analyte][1]
    factor = table[data.from_unit] / table[to_unit]
    converted = Decimal(repr(data.value)) * factor
    return {
        "name": "convert",
        "version": "1",
        "source": CONVERT_SOURCE,
        "analyte": data.analyte,
        "value": data.value,
        "from_unit": data.from_unit,
        "converted": float(converted),
        "to_unit": to_unit,
        "factor": float(factor),
        "assumptions": [],
    }


CONVERT_SOURCE = (
    "myotrack.domain.units: 1 µkat/L = 60 U/L (IFCC/IUPAC katal, Dybkaer R, Clin Chem Lab Med "
    "2001;39:1216); other factors as cited there"
)
CONVERTER = Calculator(
    name="convert",
    title="Laboratory unit conversion (µkat/L <-> U/L and the other units of the format)",
    version="1",
    source=CONVERT_SOURCE,
    kind="unit",
    input_model=ConvertInput,
    compute=_convert,
)


def all_calculators() -> dict[str, Calculator]:
    """Every calculator of `myotrack calc`, by name: instruments, criteria, therapy, and the
    laboratory unit converter."""
    merged: dict[str, Calculator] = {}
    for group in (
        instruments.CALCULATORS,
        criteria.CALCULATORS,
        therapy.CALCULATORS,
        {CONVERTER.name: CONVERTER},
    ):
        for name, calc in group.items():
            if name in merged:
                raise RuntimeError(f"two calculators are named {name!r}")
            merged[name] = calc
    return merged


@app.command()
def calc(
    name: Annotated[
        str | None,
        typer.Argument(help="Calculator name, e.g. cmas, mmt8, chaq, interferon_score."),
    ] = None,
    input_file: Annotated[
        str | None,
        typer.Option(
            "--input",
            "-i",
            help="JSON file with the calculator's input, or - to read it from standard input.",
        ),
    ] = None,
    list_all: Annotated[
        bool, typer.Option("--list", help="List every calculator with its version and source.")
    ] = False,
    schema: Annotated[
        bool, typer.Option("--schema", help="Print the JSON schema of NAME's input.")
    ] = False,
) -> None:
    """Compute a score or criterion from a JSON input and print the result as JSON.

    Examples: `myotrack calc --list`; `myotrack calc cmas --schema`;
    `myotrack calc cmas --input visit_cmas.json`; `echo '{...}' | myotrack calc chaq --input -`.
    """
    calculators = all_calculators()
    if list_all:
        _print_list(calculators)
        return
    if name is None:
        _usage_error("give a calculator NAME (see `myotrack calc --list`), or --list.")
    calculator = calculators.get(name)
    if calculator is None:
        _usage_error(f"unknown calculator {name!r}. Calculators: {', '.join(sorted(calculators))}.")
    if schema:
        _print_json(calculator.input_schema())
        return
    if input_file is None:
        _usage_error(
            f"give the input with --input FILE.json (or --input - for standard input); "
            f"`myotrack calc {name} --schema` shows what it contains."
        )
    raw = _read_json(input_file)
    try:
        data = calculator.input_model.model_validate(raw)
    except ValidationError as exc:
        _usage_error(_describe_validation(name, calculator.input_model, exc, input_file))
    try:
        result = dict(calculator.compute(data))
    except instruments.ItemError as exc:
        allowed = "" if exc.allowed in exc.message else f" (allowed: {exc.allowed})"
        _usage_error(f"{_where(input_file)}field {exc.field!r}: {exc.message}{allowed}")
    except ValueError as exc:
        _usage_error(f"{_where(input_file)}{exc}")
    result.setdefault("kind", calculator.kind)
    _print_json(result)


def _print_list(calculators: Mapping[str, Calculator]) -> None:
    rows = [(c.name, c.kind, c.version, c.source) for c in calculators.values()]
    rows.sort(
        key=lambda r: (
            {"instrument": 0, "criterion": 1, "therapy": 2, "unit": 3}.get(r[1], 4),
            r[0],
        )
    )
    widths = [max(len(r[i]) for r in [("NAME", "KIND", "VERSION", ""), *rows]) for i in range(3)]
    header = ("NAME", "KIND", "VERSION", "SOURCE")
    for row in (header, *rows):
        typer.echo(
            "  ".join(cell.ljust(widths[i]) if i < 3 else cell for i, cell in enumerate(row))
        )


def _print_json(value: Any) -> None:
    typer.echo(json.dumps(_json_safe(value), indent=2, ensure_ascii=False))


def _json_safe(value: Any) -> Any:
    """JSON has no NaN/Infinity; tuples become lists."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, Mapping):
        return {str(k): _json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json_safe(v) for v in value]
    return value


def _read_json(source: str) -> Any:
    where = "standard input" if source == "-" else source
    try:
        text = sys.stdin.read() if source == "-" else Path(source).read_text(encoding="utf-8")
    except OSError as exc:
        _usage_error(f"cannot read the input file {source}: {exc.strerror or exc}.")
    except UnicodeDecodeError:
        _usage_error(f"the input file {source} is not UTF-8 text.")
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        _usage_error(
            f"{where} is not valid JSON: line {exc.lineno}, column {exc.colno}: {exc.msg}."
        )


def _describe_validation(
    name: str, model: type[BaseModel], exc: ValidationError, source: str
) -> str:
    lines = [f"{_where(source)}the input for {name!r} is not valid:"]
    for error in exc.errors():
        loc = tuple(error["loc"])
        field = ".".join(str(p) for p in loc) or "(whole input)"
        if error["type"] == "extra_forbidden":
            allowed = ", ".join(_field_names(model, loc[:-1])) or "(none)"
            lines.append(f"  field {field!r} is not known; allowed fields: {allowed}")
            continue
        got = error.get("input")
        message = f"  field {field!r}: {error['msg']}"
        if error["type"] != "missing":
            message += f"; got {got!r}"
        description = _field_description(model, loc)
        if description:
            message += f" — {description}"
        lines.append(message)
    lines.append(f"See `myotrack calc {name} --schema`.")
    return "\n".join(lines)


def _submodel(model: type[BaseModel], loc: tuple[Any, ...]) -> type[BaseModel] | None:
    current: type[BaseModel] | None = model
    for part in loc:
        if current is None or not isinstance(part, str) or part not in current.model_fields:
            return None
        annotation = current.model_fields[part].annotation
        current = (
            annotation
            if isinstance(annotation, type) and issubclass(annotation, BaseModel)
            else None
        )
    return current


def _field_names(model: type[BaseModel], loc: tuple[Any, ...]) -> list[str]:
    sub = _submodel(model, loc)
    return list(sub.model_fields) if sub is not None else []


def _field_description(model: type[BaseModel], loc: tuple[Any, ...]) -> str | None:
    for cut in range(len(loc), 0, -1):
        parent = _submodel(model, loc[: cut - 1])
        key = loc[cut - 1]
        if parent is not None and isinstance(key, str) and key in parent.model_fields:
            return parent.model_fields[key].description
    return None


def _where(source: str) -> str:
    return "standard input: " if source == "-" else f"{source}: "


def _usage_error(message: str) -> NoReturn:
    err_console.print(Text.assemble(("Error: ", "bold red"), message), soft_wrap=True)
    raise typer.Exit(USAGE_ERROR)
