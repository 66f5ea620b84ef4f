"""`nextgen check --deploy` requires an audit key of the deployment's own: outside the
database, shared by every process, not the secret key."""

import pytest
from django.test import override_settings

from nextgen.checks import check_audit_key

GOOD = "k" * 48


@pytest.mark.parametrize(
    "key, secret, complaint",
    [
        ("", "s" * 50, "is not set"),
        ("short", "s" * 50, "shorter than 32"),
        (GOOD, GOOD, "is the secret key"),
    ],
)
def test_the_deploy_check_refuses_a_missing_or_weak_audit_key(key, secret, complaint):
    with override_settings(NEXTGEN_AUDIT_KEY=key, SECRET_KEY=secret):
        (error,) = check_audit_key()
    assert error.id == "nextgen.audit.E001"
    assert complaint in error.msg
    assert "every app server and worker" in error.hint


def test_the_deploy_check_accepts_a_key_of_its_own():
    with override_settings(NEXTGEN_AUDIT_KEY=GOOD, SECRET_KEY="s" * 50):
        assert check_audit_key() == []
