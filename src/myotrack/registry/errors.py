"""Errors the registry raises, in words a data manager understands."""

from __future__ import annotations


class RegistryError(Exception):
    """Base class of every error the registry raises on purpose."""


class StaleEditError(RegistryError):
    """The record was changed by someone else since it was read (optimistic concurrency)."""


class NotFoundError(RegistryError):
    """No such patient or record (or it has been retired)."""


class DuplicateError(RegistryError):
    """A record with the same natural key already exists."""


class InvalidValueError(RegistryError, ValueError):
    """A value the registry cannot store (e.g. an unknown role or record kind)."""


class BusyError(RegistryError):
    """The registry could not get the lock a write needs in time (another save or an
    import held it). Nothing was written; trying again a moment later works."""


class UnavailableError(RegistryError):
    """The registry database cannot be reached or failed (server down, disk full, out of
    memory). Nothing was written."""


class ImportRunningError(RegistryError):
    """Another cohort import is running on this registry; only one runs at a time."""
