"""The clinic web app: FastAPI pages and JSON API over the registry, with login, roles and
sites. Start it with `myotrack serve`; build it with `create_app`."""

from myotrack.web.app import create_app
from myotrack.web.config import WebSettings

__all__ = ["WebSettings", "create_app"]
