"""The `myotrack` command. Each command group lives in its own module of this package
and registers itself on `app`; the modules are listed in `_COMMAND_MODULES`."""

from __future__ import annotations

import importlib

from myotrack.cli.app import app

# One module per concept; each registers its commands on `app` when imported.
_COMMAND_MODULES = (
    "myotrack.cli.registry_commands",
    "myotrack.cli.browse_commands",
    "myotrack.cli.calc",
    "myotrack.cli.check",
    "myotrack.cli.due",
    "myotrack.cli.report_commands",
    "myotrack.cli.web_commands",
    "myotrack.cli.backup_commands",
    "myotrack.cli.redcap_commands",
    "myotrack.cli.omop_commands",
    "myotrack.cli.exchange_commands",
    "myotrack.cli.casereport",
)

for _module in _COMMAND_MODULES:
    importlib.import_module(_module)


def main() -> None:
    app()


__all__ = ["app", "main"]
