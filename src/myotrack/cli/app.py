"""The typer application every command module registers on."""

from __future__ import annotations

import typer

app = typer.Typer(
    name="myotrack",
    help=(
        "myotrack: the registry, scores, decision support and case-series report for "
        "juvenile dermatomyositis treated with JAK inhibitors. Run `myotrack COMMAND --help` "
        "for any command."
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_show_locals=False,
)
