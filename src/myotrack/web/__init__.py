"""The clinic web app: FastAPI pages and JSON API over the registry, with login, roles and
sites. Start it with `myotrack serve`; build it with `create_app`."""

from myotrack.web.app import create_app
from myotrack.web.config import WebSettings
from myotrack.web.passwords import hash_password, password_problem
from myotrack.web.policy import Role

__all__ = [
    "Role",
    "WebSettings",
    "create_app",
    "hash_password",
    "password_problem",
]
