"""The project's Argon2id hasher, with parameters from settings.

Defaults follow OWASP's minimum for Argon2id (m=19 MiB, t=2, p=1); operators can
raise them through NEXTGEN_ARGON2_* without a code change. Existing hashes are
re-hashed at the next successful sign-in when the parameters change.
"""

from django.conf import settings
from django.contrib.auth.hashers import Argon2PasswordHasher
from django.contrib.auth.hashers import BCryptPasswordHasher as DjangoBCryptPasswordHasher

from nextgen.hashgate import at_low_priority


class NextGenArgon2Hasher(Argon2PasswordHasher):
    """Hashes on the process's low-priority hashing threads (nextgen/hashgate.py), so
    on busy cores the pages that check no password go first."""

    def encode(self, password: str, salt: str) -> str:
        return at_low_priority(super().encode, password, salt)

    def verify(self, password: str, encoded: str) -> bool:
        return at_low_priority(super().verify, password, encoded)

    # The costs are read from the settings at each use (tests and deployments change
    # them), so properties where Django has class attributes: the ignores below.
    @property
    def time_cost(self) -> int:  # type: ignore[override]  # Django's: a class attribute
        return settings.ARGON2_TIME_COST

    @property
    def memory_cost(self) -> int:  # type: ignore[override]  # Django's: a class attribute
        return settings.ARGON2_MEMORY_COST

    @property
    def parallelism(self) -> int:  # type: ignore[override]  # Django's: a class attribute
        return settings.ARGON2_PARALLELISM


# bcrypt reads the first 72 bytes of a password: the systems that made the bcrypt hashes
# brought in (CM/ECF, older PACER) passed longer ones and bcrypt used those bytes alone.
# bcrypt 5 refuses a longer one instead (a ValueError: a server error on a login or link
# page). The same first 72 bytes match, as they always did.
BCRYPT_MAX_BYTES = 72


class BCryptPasswordHasher(DjangoBCryptPasswordHasher):
    """Django's bcrypt hasher (verify only: hashes brought in from older systems), with
    bcrypt's own 72-byte limit applied as the systems that made the hashes applied it."""

    def encode(self, password: str, salt: bytes) -> str:  # type: ignore[override]
        import bcrypt  # as Django's hasher: loaded only when a bcrypt hash is checked

        data = bcrypt.hashpw(password.encode()[:BCRYPT_MAX_BYTES], salt)
        return f"{self.algorithm}${data.decode('ascii')}"
