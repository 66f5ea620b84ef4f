"""Hashers for passwords brought in from courts' old CM/ECF systems.

Django's `check_password` picks the hasher from the stored hash's prefix, so an
imported hash is checked without ever knowing the password. Raw bcrypt hashes
(`$2b$...`) are stored with Django's `bcrypt$` prefix; see `normalize_imported_hash`.
"""

from __future__ import annotations

import functools
import hashlib
import re
import secrets
from collections import Counter
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.contrib.auth.hashers import (
    Argon2PasswordHasher,
    BasePasswordHasher,
    PBKDF2PasswordHasher,
    check_password,
    get_hasher,
    get_hashers_by_algorithm,
    identify_hasher,
    make_password,
    mask_hash,
)
from django.utils.crypto import constant_time_compare


class SaltedSHA256Hasher(BasePasswordHasher):
    """`sha256$<salt>$<hex of sha256(salt + password)>`, as old CM/ECF exports hold."""

    algorithm = "sha256"

    if TYPE_CHECKING:
        # Django's private check of encode()'s arguments; django-stubs leaves it out.
        def _check_encode_args(self, password: str, salt: str) -> None: ...

    def encode(self, password: str, salt: str) -> str:
        self._check_encode_args(password, salt)
        digest = hashlib.sha256((salt + password).encode()).hexdigest()
        return f"{self.algorithm}${salt}${digest}"

    def decode(self, encoded: str) -> dict:
        algorithm, salt, digest = encoded.split("$", 2)
        assert algorithm == self.algorithm
        return {"algorithm": algorithm, "salt": salt, "hash": digest}

    def verify(self, password: str, encoded: str) -> bool:
        decoded = self.decode(encoded)
        return constant_time_compare(encoded, self.encode(password, decoded["salt"]))

    def safe_summary(self, encoded: str) -> dict:
        decoded = self.decode(encoded)
        return {
            "algorithm": decoded["algorithm"],
            "salt": mask_hash(decoded["salt"]),
            "hash": mask_hash(decoded["hash"]),
        }

    def salt(self) -> str:
        return secrets.token_hex(8)

    def must_update(self, encoded: str) -> bool:
        return True

    def harden_runtime(self, password: str, encoded: str) -> None:
        pass


# --- what an import accepts ----------------------------------------------------------
#
# Every imported hash is checked in full on import (not only its prefix), so a row that
# loads can always be checked at link time, and its cost is bounded, so no row can make
# a link attempt take seconds (or forever: bcrypt's cost 31 is 2^31 rounds). The bounds
# are the costs of today's defaults and a little over: an old system's hashes are
# cheaper than these, and anything dearer was made to hurt.
MAX_PBKDF2_ITERATIONS = 1_000_000  # Django 5.2's own default for new PBKDF2 hashes
MAX_BCRYPT_COST = 13  # 2^13 rounds: ~0.5 s; old systems use 10-12
MAX_ARGON2_TIME_COST = 4
MAX_ARGON2_MEMORY_KIB = 131_072  # 128 MiB; Django's default is 100 MiB
MAX_ARGON2_PARALLELISM = 16

_B64 = "A-Za-z0-9+/"
_SHAPES = {
    "sha256": re.compile(r"sha256\$([^$]+)\$([0-9a-fA-F]{64})\Z"),
    "pbkdf2_sha256": re.compile(rf"pbkdf2_sha256\$([0-9]{{1,10}})\$([^$]+)\$([{_B64}]{{43}}=)\Z"),
    "bcrypt": re.compile(r"bcrypt\$\$2[aby]\$([0-9]{2})\$[./A-Za-z0-9]{53}\Z"),
    "bcrypt_sha256": re.compile(r"bcrypt_sha256\$\$2[aby]\$([0-9]{2})\$[./A-Za-z0-9]{53}\Z"),
    "argon2": re.compile(
        rf"argon2\$(argon2id|argon2i|argon2d)\$v=(16|19)\$m=([0-9]{{1,10}}),t=([0-9]{{1,10}}),"
        rf"p=([0-9]{{1,10}})\$([{_B64}]{{11,}})\$([{_B64}]{{6,}})\Z"
    ),
}


class HashRefused(ValueError):
    """An imported hash that will not be stored; the message says why (never the hash)."""


def _too_costly(what: str, value: int, limit: int) -> HashRefused:
    return HashRefused(f"password hash too costly: {what} {value:,} (at most {limit:,})")


def validate_imported_hash(value: str) -> str:
    """The stored form of an old system's hash, checked in full: a known scheme, in the
    exact shape its hasher reads, at a bounded cost. Raises HashRefused saying why not.

    Cheap (a regular expression per row), so 100k rows pay microseconds each."""
    value = value.strip()
    if value.startswith(("$2a$", "$2b$", "$2y$")):
        value = "bcrypt$" + value
    algorithm = value.partition("$")[0]
    # Only the configured hashers' schemes (settings.PASSWORD_HASHERS) may be stored.
    if algorithm not in get_hashers_by_algorithm():
        raise HashRefused("unknown password hash format")
    shape = _SHAPES.get(algorithm)
    match = shape.match(value) if shape else None
    if match is None:
        raise HashRefused(f"malformed {algorithm} password hash")
    if algorithm == "sha256":
        # Our hasher writes lower-case hex, and compares the whole string.
        return f"sha256${match[1]}${match[2].lower()}"
    if algorithm == "pbkdf2_sha256":
        iterations = int(match[1])
        if iterations < 1:
            raise HashRefused(f"malformed {algorithm} password hash")
        if iterations > MAX_PBKDF2_ITERATIONS:
            raise _too_costly("PBKDF2 iterations", iterations, MAX_PBKDF2_ITERATIONS)
    elif algorithm in ("bcrypt", "bcrypt_sha256"):
        cost = int(match[1])
        if cost < 4:  # bcrypt's own minimum; the library refuses less
            raise HashRefused(f"malformed {algorithm} password hash")
        if cost > MAX_BCRYPT_COST:
            raise _too_costly("bcrypt cost", cost, MAX_BCRYPT_COST)
    elif algorithm == "argon2":
        memory, time_cost, lanes = int(match[3]), int(match[4]), int(match[5])
        if time_cost < 1 or lanes < 1 or memory < 8 * lanes:  # Argon2's own minimums
            raise HashRefused(f"malformed {algorithm} password hash")
        if time_cost > MAX_ARGON2_TIME_COST:
            raise _too_costly("Argon2 time cost", time_cost, MAX_ARGON2_TIME_COST)
        if memory > MAX_ARGON2_MEMORY_KIB:
            raise _too_costly("Argon2 memory (KiB)", memory, MAX_ARGON2_MEMORY_KIB)
        if lanes > MAX_ARGON2_PARALLELISM:
            raise _too_costly("Argon2 parallelism", lanes, MAX_ARGON2_PARALLELISM)
    return value


def _below(limit: int) -> str:
    """A regular expression of the whole numbers from 1 to under the next lower power of
    ten (1-999,999 for 1,000,000): every number it matches is at most `limit`."""
    digits = len(str(limit)) - 1
    return rf"[1-9][0-9]{{0,{digits - 1}}}" if digits > 0 else "(?!)"


# The hashes validate_imported_hash certainly stores as they are (a raw bcrypt hash with
# the `bcrypt$` prefix added): its shapes, with their costs in bounds written into the
# expression. An import checks a whole column with one C loop of matches (a call of
# validate_imported_hash per row was a quarter of the import's Python time); what does
# not match (argon2, upper-case hex, leading zeros, errors) is checked by
# validate_imported_hash, which accepts everything this accepts, and the same way.
_COSTS_IN_BOUNDS = {
    "sha256": r"sha256\$[^$]+\$[0-9a-f]{64}",
    "pbkdf2_sha256": (rf"pbkdf2_sha256\${_below(MAX_PBKDF2_ITERATIONS)}\$[^$]+\$[{_B64}]{{43}}="),
    "bcrypt": (
        r"(?:bcrypt\$)?\$2[aby]\$(?:"
        + "|".join(f"{cost:02d}" for cost in range(4, MAX_BCRYPT_COST + 1))
        + r")\$[./A-Za-z0-9]{53}"
    ),
    "bcrypt_sha256": (
        r"bcrypt_sha256\$\$2[aby]\$(?:"
        + "|".join(f"{cost:02d}" for cost in range(4, MAX_BCRYPT_COST + 1))
        + r")\$[./A-Za-z0-9]{53}"
    ),
}


def stored_as_is() -> re.Pattern[str]:
    """Matches (whole) a stripped hash that validate_imported_hash accepts and returns
    unchanged, or, for a raw bcrypt hash (`$2b$...`), returns with `bcrypt$` before it.
    Only the configured hashers' schemes (settings.PASSWORD_HASHERS) match."""
    return _stored_as_is(tuple(sorted(get_hashers_by_algorithm())))


@functools.lru_cache(maxsize=8)
def _stored_as_is(algorithms: tuple[str, ...]) -> re.Pattern[str]:
    shapes = [_COSTS_IN_BOUNDS[a] for a in algorithms if a in _COSTS_IN_BOUNDS]
    return re.compile(rf"(?:{'|'.join(shapes) or '(?!)'})\Z")


def normalize_imported_hash(value: str) -> str | None:
    """The stored form of an old system's hash, or None when it is refused."""
    try:
        return validate_imported_hash(value)
    except HashRefused:
        return None


# --- checking a password against a court's hashes -------------------------------------

# What makes two hashes cost the same to check: the scheme and its cost parameters.
CostProfile = tuple[Any, ...]
# Enough of a court's hashes to see which scheme and cost most of them use.
PROFILE_SAMPLE = 200
# The schemes a cost profile names (its first part).
PROFILE_ALGORITHMS = frozenset(_SHAPES)


def cost_profile(encoded: str) -> CostProfile | None:
    """The scheme and cost of a stored hash; None for a refused or unusable one."""
    stored = normalize_imported_hash(encoded) if encoded else None
    if stored is None:
        return None
    algorithm = stored.partition("$")[0]
    match = _SHAPES[algorithm].match(stored)
    assert match is not None  # validated above
    if algorithm == "pbkdf2_sha256":
        return (algorithm, int(match[1]))
    if algorithm in ("bcrypt", "bcrypt_sha256"):
        return (algorithm, int(match[1]))
    if algorithm == "argon2":
        return (algorithm, match[1], int(match[2]), int(match[3]), int(match[4]), int(match[5]))
    return (algorithm,)


def _hash_with_profile(password: str, profile: CostProfile) -> str:
    """A hash of `password` that costs exactly what a hash of `profile` costs to check."""
    algorithm = profile[0]
    if algorithm == "pbkdf2_sha256":
        hasher = PBKDF2PasswordHasher()
        return hasher.encode(password, hasher.salt(), iterations=profile[1])
    if algorithm in ("bcrypt", "bcrypt_sha256"):
        import bcrypt

        # Django's bcrypt hashers take a bcrypt salt, which is bytes; the stubs say str.
        salt = bcrypt.gensalt(profile[1])
        return get_hasher(algorithm).encode(password, salt)  # type: ignore[arg-type]
    if algorithm == "argon2":
        import argon2

        _, variety, version, memory, time_cost, lanes = profile
        kind = {"argon2id": argon2.Type.ID, "argon2i": argon2.Type.I, "argon2d": argon2.Type.D}
        data = argon2.low_level.hash_secret(
            password.encode(),
            secrets.token_bytes(16),
            time_cost=time_cost,
            memory_cost=memory,
            parallelism=lanes,
            hash_len=32,
            type=kind[variety],
            version=version,
        )
        return "argon2" + data.decode("ascii")
    return SaltedSHA256Hasher().encode(password, secrets.token_hex(8))


@functools.lru_cache(maxsize=64)
def dummy_hash(profile: CostProfile) -> str:
    """A hash nobody knows the password of, with `profile`'s scheme and cost; made once
    per process and profile (making it costs one hash)."""
    return _hash_with_profile(secrets.token_urlsafe(24), profile)


def default_dummy_hash() -> str:
    """A dummy hash costing what NextGen's own new hashes cost (the settings may change
    them, so the profile is read each time; the hash is made once per profile)."""
    hasher = get_hasher("default")
    if hasher.algorithm == "argon2" and isinstance(hasher, Argon2PasswordHasher):
        params = hasher.params()
        profile: CostProfile = (
            "argon2",
            "argon2id",
            params.version,
            params.memory_cost,
            params.time_cost,
            params.parallelism,
        )
    elif hasher.algorithm == "pbkdf2_sha256" and isinstance(hasher, PBKDF2PasswordHasher):
        profile = ("pbkdf2_sha256", hasher.iterations)
    else:
        return make_password(secrets.token_urlsafe(24))
    return dummy_hash(profile)


def dominant_profile(hashes: Iterable[str]) -> CostProfile | None:
    """The scheme and cost most of `hashes` use (None if none is usable)."""
    counts = Counter(p for p in map(cost_profile, hashes) if p is not None)
    return counts.most_common(1)[0][0] if counts else None


def check_imported_password(password: str, encoded: str) -> bool:
    """Whether `password` matches an imported hash. A hash stored before imports were
    checked in full (malformed, or over the cost bounds) matches nothing and never
    raises: it costs one default hash instead, like an unusable one."""
    if cost_profile(encoded) is None and not _made_here(encoded):
        check_password(password, default_dummy_hash())
        return False
    return check_password(password, encoded)


def _made_here(encoded: str) -> bool:
    """A hash NextGen made with today's settings (a CM/ECF password reset writes one),
    which may cost more than an import may, by the operators' choice."""
    hasher = get_hasher("default")
    try:
        return identify_hasher(encoded).algorithm == hasher.algorithm and not hasher.must_update(
            encoded
        )
    except (ValueError, TypeError, IndexError, AssertionError):
        return False
