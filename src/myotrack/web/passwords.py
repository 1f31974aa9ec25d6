"""Password hashing: Argon2 through pwdlib (its recommended settings)."""

from __future__ import annotations

from functools import lru_cache

from pwdlib import PasswordHash


@lru_cache(maxsize=1)
def _hasher() -> PasswordHash:
    return PasswordHash.recommended()


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    return _hasher().hash("not-a-password-of-anyone")


def hash_password(password: str) -> str:
    """An Argon2 hash of `password`, safe to store."""
    return _hasher().hash(password)


def verify_password(password: str, stored_hash: str | None) -> bool:
    """Whether `password` matches; with no stored hash (unknown user) the same work is done,
    so the answer takes as long for unknown and known users."""
    if stored_hash is None:
        _hasher().verify(password, _dummy_hash())
        return False
    try:
        return bool(_hasher().verify(password, stored_hash))
    except Exception:  # a malformed stored hash never logs anyone in
        return False
