"""myotrack: registry, scoring, decision support and reporting for juvenile dermatomyositis."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("myotrack")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0+unknown"
