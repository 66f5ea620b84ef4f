"""The password-reset engine's parameters: a court-scoped reset stays within its court (a
token for one court never resets another court's login, a session opened at one court is
not pending at another, the throttle counts each court's targets apart), and each side's
new password is checked by its own validators, through Django's framework."""

from __future__ import annotations

import pytest
from django.contrib.auth.hashers import check_password
from django.contrib.auth.password_validation import (
    password_validators_help_texts,
    validate_password,
)
from django.core.exceptions import ValidationError
from django.test import RequestFactory
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from nextgen.audit.models import Event, Outcome
from nextgen.ecf import notices as ecf_notices
from nextgen.ecf.flows import recovery as cmecf
from nextgen.ecf.passwords import CMECF_PASSWORD_VALIDATORS, rule_texts
from nextgen.signon.flows import recovery as pacer
from tests.factories import ECF_PASSWORD, CourtFactory, FilerAccountFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Fresh#Start42"


def _request(address: str = "198.51.100.7"):
    request = RequestFactory().get("/", REMOTE_ADDR=address)
    request.session = {}
    return request


def _uid(holder) -> str:
    return urlsafe_base64_encode(force_bytes(holder.pk))


@pytest.fixture
def two_courts():
    return CourtFactory(code="prd"), CourtFactory(code="vid")


@pytest.fixture
def namesakes(two_courts):
    """The same CM/ECF login at two courts: two accounts, two owners."""
    prd, vid = two_courts
    return (
        FilerAccountFactory(court=prd, login="maria", email="maria@prd.example"),
        FilerAccountFactory(court=vid, login="maria", email="maria@vid.example"),
    )


class TestCourtScope:
    def test_a_link_for_one_court_does_not_open_at_another(self, two_courts, namesakes):
        prd, vid = two_courts
        at_prd, _ = namesakes
        token = cmecf.RESET.token_generator.make_token(at_prd)
        request = _request()
        assert not cmecf.RESET.open_link(
            acting=None, request=request, scope=vid, uidb64=_uid(at_prd), token=token
        )
        assert cmecf.RESET.session.key not in request.session
        refused = Event.objects.get(action=cmecf.ACTION_RESET)
        assert (refused.court_code, refused.outcome) == ("vid", Outcome.FAILURE)

    def test_a_token_for_one_court_never_resets_another_courts_login(self, two_courts, namesakes):
        prd, vid = two_courts
        at_prd, at_vid = namesakes
        token = cmecf.RESET.token_generator.make_token(at_prd)
        with pytest.raises(ValidationError) as refused:
            cmecf.RESET.set_password(
                acting=None,
                request=_request(),
                scope=vid,
                holder=at_prd,
                token=token,
                new_password=NEW_PASSWORD,
            )
        assert refused.value.code == "invalid_link"
        for filer in namesakes:
            filer.refresh_from_db()
            assert check_password(ECF_PASSWORD, filer.password)
        # Refused on the locked row, and audited like every other refusal.
        audited = Event.objects.get(action=cmecf.ACTION_RESET)
        assert (audited.court_code, audited.outcome) == ("vid", Outcome.FAILURE)
        assert audited.details["reason"] == "token no longer valid"

    def test_a_session_opened_at_one_court_is_not_pending_at_another(self, two_courts, namesakes):
        prd, vid = two_courts
        at_prd, _ = namesakes
        request = _request()
        token = cmecf.RESET.token_generator.make_token(at_prd)
        assert cmecf.RESET.open_link(
            acting=None, request=request, scope=prd, uidb64=_uid(at_prd), token=token
        )
        assert cmecf.RESET.pending(request, _uid(at_prd), vid) is None
        pending = cmecf.RESET.pending(request, _uid(at_prd), prd)
        assert pending is not None and pending.holder == at_prd

    def test_the_link_names_the_court_of_its_account(self, two_courts, namesakes):
        _, at_vid = namesakes
        url = cmecf.RESET.reset_url(_request(), at_vid)
        assert f"/ecf/vid/passreset/{_uid(at_vid)}/" in url

    def test_a_court_scoped_reset_without_a_court_finds_no_account(self, namesakes):
        at_prd, _ = namesakes
        assert cmecf.RESET.holder_from_uidb64(_uid(at_prd), None) is None

    @pytest.mark.frozen_clock
    def test_the_same_target_at_two_courts_is_counted_apart(self, two_courts, namesakes):
        prd, vid = two_courts
        answers = [
            cmecf.RESET.throttled(
                _request(f"198.51.100.{n}"),
                acting=None,
                scope=prd,
                action=cmecf.ACTION_PASSWORD,
                targets=["maria"],
            )
            for n in range(1, 8)
        ]
        assert answers[0] is None and answers[-1] is not None and answers[-1].throttled
        elsewhere = cmecf.RESET.throttled(
            _request("198.51.100.99"),
            acting=None,
            scope=vid,
            action=cmecf.ACTION_PASSWORD,
            targets=["maria"],
        )
        assert elsewhere is None


class TestValidators:
    def test_the_cmecf_rules_are_django_validators_whose_help_is_the_rules_shown(self):
        assert (
            password_validators_help_texts(CMECF_PASSWORD_VALIDATORS)
            == rule_texts()
            == [
                ecf_notices.CMECF_RULE_LENGTH,
                ecf_notices.CMECF_RULE_LETTERS_AND_NUMBERS,
                ecf_notices.CMECF_RULE_CASE,
                ecf_notices.CMECF_RULE_SPECIAL,
            ]
        )

    def test_each_broken_cmecf_rule_is_named_in_the_courts_words(self):
        with pytest.raises(ValidationError) as refused:
            validate_password("abc", password_validators=CMECF_PASSWORD_VALIDATORS)
        assert refused.value.messages == [
            ecf_notices.CMECF_BROKEN_LENGTH,
            ecf_notices.CMECF_BROKEN_LETTERS_AND_NUMBERS,
            ecf_notices.CMECF_BROKEN_CASE,
            ecf_notices.CMECF_BROKEN_SPECIAL,
        ]

    def test_a_cmecf_reset_names_the_cmecf_rules_on_the_new_password_field(self, namesakes):
        at_prd, _ = namesakes
        with pytest.raises(ValidationError) as refused:
            cmecf.RESET.validate_new_password("Abcdefg12", at_prd)
        assert refused.value.message_dict == {"new_password": [ecf_notices.CMECF_BROKEN_SPECIAL]}

    def test_a_pacer_reset_uses_the_pacer_rules_and_knows_the_account(self, account):
        # "Abcdefg12" keeps every PACER rule but not the CM/ECF special-character one.
        pacer.RESET.validate_new_password("Abcdefg12", account)
        with pytest.raises(ValidationError) as refused:
            pacer.RESET.validate_new_password(f"X1{account.username}", account)
        assert refused.value.message_dict == {
            "new_password": ["Password must not contain your user name."]
        }
