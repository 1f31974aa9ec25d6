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
