import pytest
from django.core.cache import cache

from tests.factories import PASSWORD, AccountFactory, LegacyAccountFactory


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Throttling counters live in the cache: every test starts with none."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _fast_hasher(settings, request):
    """Argon2 at OWASP cost is slow by design; most tests only need a correct one.
    Tests marked `real_hasher` keep the configured parameters."""
    if "real_hasher" not in request.keywords:
        settings.ARGON2_TIME_COST = 1
        settings.ARGON2_MEMORY_COST = 256


@pytest.fixture
def password():
    return PASSWORD


@pytest.fixture
def account(db):
    return AccountFactory(username="jattorney", first_name="John", last_name="Attorney")


@pytest.fixture
def legacy_account(db):
    return LegacyAccountFactory(username="llegacy", first_name="Linda", last_name="Legacy")


@pytest.fixture
def login(client, password):
    """Sign `account` in through the real login page."""

    def _login(account, *, pw: str | None = None, **extra):
        client.get("/csologin/login/")
        return client.post(
            "/csologin/login/", {"username": account.username, "password": pw or password, **extra}
        )

    return _login
