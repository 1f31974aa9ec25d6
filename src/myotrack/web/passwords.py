"""Passwords: Argon2 hashing through pwdlib (its recommended settings) and the policy
every new password must pass.

The policy (`password_problem`) refuses, with the reason and what would pass:
- fewer than `MIN_LENGTH` characters;
- a password containing the user name (case-insensitively);
- a guessable one: the zxcvbn estimator (Dropbox's, maintained as the `zxcvbn` package)
  scores guessability from 0 to 4 against lists of common passwords, names, words,
  keyboard patterns, repeats, sequences and dates; we require at least `MIN_SCORE` = 3.
  Score 3 means zxcvbn estimates at least 10^8 guesses (its documented bands: 2 is
  < 10^8, 3 is < 10^10, 4 is more), which the zxcvbn authors call "safely unguessable"
  against an online attack and a moderate defence against an offline attack on a slow
  hash — our case: logins are slowed per user name and address, and stored hashes are
  Argon2. Score 4 would refuse many memorable pass-phrases that clinic staff can type.
  `aaaaaaaaaa` scores 0, `Password123!` 1, `correct horse battery` 4.
"""

from __future__ import annotations

import threading
from functools import lru_cache

from pwdlib import PasswordHash
from pwdlib.exceptions import UnknownHashError

MIN_LENGTH = 10
MAX_LENGTH = 1000
MIN_SCORE = 3
# zxcvbn's run time grows with the length; the first 100 characters decide the score
# of any password a person types (a longer one is not guessable by these patterns).
_ESTIMATE_CHARS = 100
_PASSES = (
    "What passes: at least 10 characters that are hard to guess, such as three or four "
    "unrelated words or a long sentence of your own (not a quotation, a name or a keyboard "
    "row)."
)


# Argon2 (pwdlib's recommended settings) takes 64 MiB of memory per check: at most two
# checks run at once per server process, so a burst of log-ins cannot exhaust memory
# (the others wait their turn, a fraction of a second each).
_CHECKS_AT_ONCE = threading.BoundedSemaphore(2)


@lru_cache(maxsize=1)
def _hasher() -> PasswordHash:
    return PasswordHash.recommended()


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    return _hasher().hash("not-a-password-of-anyone")


def hash_password(password: str) -> str:
    """An Argon2 hash of `password`, safe to store."""
    with _CHECKS_AT_ONCE:
        return _hasher().hash(password)


def verify_password(password: str, stored_hash: str | None) -> bool:
    """Whether `password` matches; with no stored hash (unknown user) the same work is done,
    so the answer takes as long for unknown and known users. A malformed stored hash
    never logs anyone in (False). A fault while checking (out of memory, ...) is raised,
    never reported as a wrong password."""
    with _CHECKS_AT_ONCE:
        if stored_hash is None:
            _hasher().verify(password, _dummy_hash())
            return False
        try:
            return bool(_hasher().verify(password, stored_hash))
        except (UnknownHashError, ValueError):
            return False


def password_problem(password: str, username: str, *, site: str | None = None) -> str | None:
    """Why `password` may not be used by `username` (a sentence saying what would pass),
    or None when it is fine."""
    if len(password) < MIN_LENGTH:
        return f"The password is too short: use at least {MIN_LENGTH} characters. {_PASSES}"
    if len(password) > MAX_LENGTH:
        return f"The password is too long: use at most {MAX_LENGTH} characters."
    name = username.strip().casefold()
    if len(name) >= 3 and name in password.casefold():
        return f"The password must not contain the user name. {_PASSES}"
    from zxcvbn import zxcvbn

    inputs = [username, "myotrack", "jdm", "dermatomyositis"] + ([site] if site else [])
    result = zxcvbn(password[:_ESTIMATE_CHARS], user_inputs=inputs)
    if int(result["score"]) >= MIN_SCORE:
        return None
    feedback = result.get("feedback") or {}
    why = str(feedback.get("warning") or "").strip()
    reason = f" ({why.rstrip('.')})" if why else ""
    return f"The password is too easy to guess{reason}. {_PASSES}"
