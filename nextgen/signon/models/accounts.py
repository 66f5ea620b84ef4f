"""PACER accounts: the central identity every court trusts."""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import secrets

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.hashers import check_password, make_password
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

# Accounts created before this day and never upgraded are legacy accounts.
UPGRADE_CUTOFF = dt.date(2014, 8, 11)

SECURITY_QUESTIONS = [
    ("first_pet", "What was the name of your first pet?"),
    ("birth_city", "In what city were you born?"),
    ("first_school", "What was the name of your first school?"),
    ("mother_maiden", "What is your mother's maiden name?"),
    ("first_car", "What was the make of your first car?"),
    ("favorite_teacher", "What is the last name of your favorite teacher?"),
    ("childhood_street", "On what street did you live as a child?"),
]


@functools.lru_cache(maxsize=4)
def _key_digest(secret: str) -> str:
    """What a kept session hash records of the key it was made with (not the key)."""
    return hashlib.sha256(secret.encode()).hexdigest()


def normalize_username(username: str) -> str:
    """The key user names are unique by: case-insensitive, surrounding spaces ignored."""
    return username.strip().casefold()


def normalize_answer(answer: str) -> str:
    """Security answers compare ignoring case and spacing."""
    return " ".join(answer.split()).casefold()


class UserType(models.TextChoices):
    ATTORNEY = "attorney", "Attorney"
    NON_ATTORNEY = "non-attorney", "Non-attorney filer"
    PRO_SE = "pro-se", "Pro se filer"
    SEARCH_ONLY = "search-only", "Case search only"


class AccountManager(BaseUserManager["Account"]):
    def get_by_natural_key(self, username: str | None) -> Account:
        if username is None:  # Django's signature allows it; no account has no name
            raise self.model.DoesNotExist
        return self.get(username_key=normalize_username(username))

    def create_user(self, username: str, password: str | None = None, **fields) -> Account:
        account = self.model(username=username.strip(), **fields)
        account.set_password(password)
        account.save()
        return account

    def create_superuser(self, username: str, password: str | None = None, **fields) -> Account:
        fields.update(is_staff=True, is_superuser=True)
        fields.setdefault("upgraded_at", timezone.now())
        return self.create_user(username, password, **fields)


class Account(AbstractBaseUser, PermissionsMixin):
    """A PACER (CSO) account. `upgraded_at` null means a legacy account."""

    username = models.CharField("user name", max_length=80, unique=True)
    username_key = models.CharField(max_length=80, unique=True, editable=False)
    first_name = models.CharField(max_length=80)
    last_name = models.CharField(max_length=80)
    date_of_birth = models.DateField(null=True, blank=True)
    email = models.EmailField("e-mail", max_length=254, db_index=True)
    user_type = models.CharField(
        max_length=20, choices=UserType.choices, default=UserType.SEARCH_ONLY
    )
    is_shared = models.BooleanField(
        "shared firm account",
        default=False,
        help_text="A firm's shared login: may search, never link or file.",
    )

    firm = models.CharField("firm", max_length=120, blank=True)
    address = models.CharField(max_length=200, blank=True)
    city = models.CharField(max_length=80, blank=True)
    state = models.CharField(max_length=40, blank=True)
    county = models.CharField(max_length=80, blank=True)
    zip_code = models.CharField("zip code", max_length=20, blank=True)
    country = models.CharField(max_length=80, blank=True, default="United States")
    phone = models.CharField("primary phone", max_length=30, blank=True)

    security_question_1 = models.CharField(max_length=40, choices=SECURITY_QUESTIONS, blank=True)
    security_answer_1 = models.CharField(max_length=200, blank=True)
    security_question_2 = models.CharField(max_length=40, choices=SECURITY_QUESTIONS, blank=True)
    security_answer_2 = models.CharField(max_length=200, blank=True)

    created_at = models.DateTimeField(default=timezone.now)
    upgraded_at = models.DateTimeField(null=True, blank=True)
    is_active = models.BooleanField(default=True)
    deactivation_reason = models.CharField(max_length=300, blank=True)
    is_staff = models.BooleanField("admin site access", default=False)
    is_service_center = models.BooleanField("PACER Service Center staff", default=False)
    # Rotated to end every session of this account (deactivation, MFA changes).
    security_stamp = models.CharField(max_length=32, default="", editable=False)

    objects = AccountManager()

    USERNAME_FIELD = "username"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["email", "first_name", "last_name"]

    class Meta:
        verbose_name = "PACER account"
        indexes = [models.Index(fields=["last_name", "first_name", "date_of_birth"])]

    def __str__(self) -> str:
        return self.username

    def save(self, *args, **kwargs) -> None:
        # The unique key must always follow the user name; it is derived, not domain logic.
        self.username_key = normalize_username(self.username)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "username" in update_fields:
            kwargs["update_fields"] = {*update_fields, "username_key"}
        super().save(*args, **kwargs)

    # --- what the account is ------------------------------------------------
    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.first_name

    @property
    def is_legacy(self) -> bool:
        return self.upgraded_at is None

    @property
    def account_type_label(self) -> str:
        return "Legacy PACER Account" if self.is_legacy else "Upgraded PACER Account"

    @property
    def may_file(self) -> bool:
        """Only an active, upgraded, individual account may link or file."""
        return self.is_active and not self.is_legacy and not self.is_shared

    # --- security answers -----------------------------------------------------
    def set_security_answers(self, q1: str, a1: str, q2: str, a2: str) -> None:
        self.security_question_1, self.security_question_2 = q1, q2
        self.security_answer_1 = make_password(normalize_answer(a1))
        self.security_answer_2 = make_password(normalize_answer(a2))

    def check_security_answer(self, number: int, answer: str) -> bool:
        stored = self.security_answer_1 if number == 1 else self.security_answer_2
        return bool(stored) and check_password(normalize_answer(answer), stored)

    # --- sessions ---------------------------------------------------------------
    def _session_auth_hash(self, secret: str | None = None) -> str:
        return salted_hmac(
            "nextgen.signon.Account.session",
            f"{self.password}:{self.security_stamp}",
            secret=secret,
            algorithm="sha256",
        ).hexdigest()

    def get_session_auth_hash(self) -> str:
        """Django checks this on every request: changing the stamp ends all sessions.

        Django's get_user() and the session's activity row (flows/sessions.touch) both
        ask for it on every signed-in request: the HMAC is kept on this instance with
        the password, stamp and key it was made from (a digest of the key: the instance
        never carries the key itself, pickled or not), and made anew when any changes."""
        made_from = (self.password, self.security_stamp, _key_digest(settings.SECRET_KEY))
        kept = self.__dict__.get("_nextgen_session_hash")
        if kept is None or kept[0] != made_from:
            kept = self.__dict__["_nextgen_session_hash"] = (made_from, self._session_auth_hash())
        return kept[1]

    def get_session_auth_fallback_hash(self):
        """The hash under each retired key (SECRET_KEY_FALLBACKS): Django accepts a session
        that matches one and moves it to the current key, so a key rotation signs no one
        out. (The inherited version hashes only the password, never our stamp.)"""
        for secret in settings.SECRET_KEY_FALLBACKS:
            yield self._session_auth_hash(secret)

    def session_auth_hash_matches(self, value: str) -> bool:
        """Whether `value` is this account's session hash under the current key or a
        retired one: for what keeps a copy of it (pending logins, API tokens)."""
        candidates = [self.get_session_auth_hash(), *self.get_session_auth_fallback_hash()]
        return any(constant_time_compare(value or "", c) for c in candidates)

    def rotate_security_stamp(self) -> None:
        self.security_stamp = secrets.token_hex(16)


class Paa(models.Model):
    """A PACER Administrative Account: a firm's billing group. No case access of its own."""

    firm_name = models.CharField("firm name", max_length=160)
    billing_contact = models.CharField("billing contact", max_length=160)
    billing_email = models.EmailField("billing contact e-mail", max_length=254)
    administrator = models.ForeignKey(
        Account, on_delete=models.PROTECT, related_name="administered_paas"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "PACER Administrative Account"

    def __str__(self) -> str:
        return self.firm_name


class PaaMembership(models.Model):
    """An individual account's membership in a PAA, from invitation to its end."""

    class Status(models.TextChoices):
        INVITED = "invited", "Invited"
        ACTIVE = "active", "Active"
        DECLINED = "declined", "Declined"
        ENDED = "ended", "Ended"

    paa = models.ForeignKey(Paa, on_delete=models.CASCADE, related_name="memberships")
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="paa_memberships")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.INVITED)
    invited_at = models.DateTimeField(default=timezone.now)
    responded_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            # An account is paid for by at most one PAA at a time, and invited once per PAA.
            models.UniqueConstraint(
                fields=["account"],
                condition=models.Q(status="active"),
                name="signon_one_active_paa",
            ),
            models.UniqueConstraint(
                fields=["paa", "account"],
                condition=models.Q(status__in=["invited", "active"]),
                name="signon_one_open_membership",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.account} in {self.paa}: {self.status}"
