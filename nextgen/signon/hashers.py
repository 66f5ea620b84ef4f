"""The project's Argon2id hasher, with parameters from settings.

Defaults follow OWASP's minimum for Argon2id (m=19 MiB, t=2, p=1); operators can
raise them through NEXTGEN_ARGON2_* without a code change. Existing hashes are
re-hashed at the next successful sign-in when the parameters change.
"""

from django.conf import settings
from django.contrib.auth.hashers import Argon2PasswordHasher


class NextGenArgon2Hasher(Argon2PasswordHasher):
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
