"""The web app's routes, one module per resource, each with its `router`; `web.app` mounts
them. Nothing here is imported from outside `myotrack.web`."""

__all__: list[str] = []
