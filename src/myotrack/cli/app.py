"""The typer application every command module registers on."""

from __future__ import annotations

import typer

from myotrack.cli.common import close_registries

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


@app.callback()
def _every_command(ctx: typer.Context) -> None:
    # Runs before any command: the registries it opens are closed when it ends.
    ctx.call_on_close(close_registries)
