"""Maintain Your E-mail: how each address of a filer's CM/ECF account in one court gets
its notices, and the cases it follows without being of record.

Per address (the primary e-mail and each secondary one of that court): "Send a notice for
each filing" or "Send a Daily Summary Report", in HTML or text (an `EmailPreference`
row; none means each filing, HTML). "Send notices in these additional cases": a
`FollowedCase` per case, added by its number as people type it (short forms resolved by
nextgen.dockets.case_numbers) among the court's public cases; a sealed case is answered
as one that does not exist.

Every lookup goes through (court, signed-in account): only the PACER account linked to a
CM/ECF account of this court reaches its addresses and cases, and another filer's
address or follow id is answered exactly as a missing one. Each write locks the CM/ECF
account's row, changes the data and writes its audit event in one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone

from nextgen.audit.models import Action
from nextgen.audit.services import record
from nextgen.dockets import case_numbers
from nextgen.dockets.models import Case, Representation
from nextgen.dockets.selectors import visible_cases
from nextgen.ecf.flows.emails import NotLinkedHere, linked_filer
from nextgen.ecf.models import Court, FilerAccount
from nextgen.signon.models import Account

from . import notices
from .models import Delivery, EmailPreference, FollowedCase, Format, normalize_address

ACTION_PREFERENCE = Action.NOTICING_EMAIL_PREFERENCE
ACTION_FOLLOW = Action.NOTICING_FOLLOW_CASE
ACTION_UNFOLLOW = Action.NOTICING_UNFOLLOW_CASE


@dataclass(frozen=True)
class AddressPreference:
    """One address of the filer as the page shows it."""

    address: str
    primary: bool
    delivery: str
    format: str


def addresses_of(filer: FilerAccount) -> list[tuple[str, bool]]:
    """(address, is primary) for the primary e-mail and each secondary one, no duplicates."""
    found: list[tuple[str, bool]] = []
    seen: set[str] = set()
    candidates = [(filer.email or "", True)] + [
        (e, False) for e in filer.secondary_emails.order_by("email").values_list("email", flat=True)
    ]
    for address, primary in candidates:
        normal = normalize_address(address)
        if normal and normal not in seen:
            seen.add(normal)
            found.append((address.strip(), primary))
    return found


def preferences_of(filer: FilerAccount) -> list[AddressPreference]:
    stored = {p.address: p for p in EmailPreference.objects.filter(filer=filer)}
    result = []
    for address, primary in addresses_of(filer):
        pref = stored.get(normalize_address(address))
        result.append(
            AddressPreference(
                address=address,
                primary=primary,
                delivery=pref.delivery if pref else Delivery.EACH,
                format=pref.format if pref else Format.HTML,
            )
        )
    return result


def followed_cases(filer: FilerAccount) -> list[FollowedCase]:
    """The cases this filer follows that are still public (a case sealed since is kept
    but neither shown nor noticed)."""
    return list(
        FollowedCase.objects.filter(filer=filer, case__sealed=False)
        .select_related("case")
        .order_by("case__year", "case__case_type", "case__office", "case__sequence")
    )


def _require_link(acting: Account, court: Court) -> None:
    """Refuse first (before reading any input) an account without a link in this court."""
    if linked_filer(acting, court) is None:
        raise NotLinkedHere


def _locked_filer(acting: Account, court: Court) -> FilerAccount:
    if not acting.is_authenticated or not acting.is_active:
        raise NotLinkedHere
    filer = FilerAccount.objects.select_for_update().filter(court=court, account=acting).first()
    if filer is None:
        raise NotLinkedHere
    return filer


def set_email_preference(
    *,
    acting: Account,
    court: Court,
    address: str,
    delivery: str,
    format: str,
    request: HttpRequest | None,
) -> EmailPreference:
    """How `address` (one of the acting account's addresses in `court`) gets its notices.

    Raises NotLinkedHere, or ValidationError naming the field: an address that is not
    (or no longer) one of this CM/ECF account's, an unknown delivery or format."""
    _require_link(acting, court)
    errors = {}
    if delivery not in Delivery.values:
        errors["delivery"] = notices.PREF_DELIVERY_INVALID
    if format not in Format.values:
        errors["format"] = notices.PREF_FORMAT_INVALID
    if errors:
        raise ValidationError(errors)
    normal = normalize_address(address)
    with transaction.atomic(durable=True):
        filer = _locked_filer(acting, court)
        if normal not in {normalize_address(a) for a, _ in addresses_of(filer)}:
            raise ValidationError({"address": notices.PREF_ADDRESS_GONE})
        pref = EmailPreference.objects.filter(filer=filer, address=normal).first()
        before = (pref.delivery, pref.format) if pref else (Delivery.EACH, Format.HTML)
        if pref is None:
            pref = EmailPreference(filer=filer, address=normal)
        pref.delivery, pref.format, pref.updated_at = delivery, format, timezone.now()
        pref.save()
        record(
            ACTION_PREFERENCE,
            request=request,
            actor=acting,
            court_code=court.code,
            details={
                "cmecf_login": filer.login,
                "address": normal,
                "before": {"delivery": before[0], "format": before[1]},
                "after": {"delivery": delivery, "format": format},
            },
        )
    return pref


def follow_case(
    *, acting: Account, court: Court, case_number: str, request: HttpRequest | None
) -> FollowedCase:
    """Follow a public case of `court` by its number (short forms allowed).

    Raises NotLinkedHere, or ValidationError({"case_number": ...}): not a case number, no
    such (public) case, a number that fits several cases (they are named: type one of
    them), a case the filer is of record in, or one already followed."""
    _require_link(acting, court)
    typed = " ".join(case_number.split())
    if not typed:
        raise ValidationError({"case_number": notices.FOLLOW_NUMBER_REQUIRED})
    # The public cases only: a sealed case answers as one that does not exist.
    found = case_numbers.resolve(typed, visible_cases(AnonymousUser(), court))
    if found is None:
        raise ValidationError({"case_number": notices.FOLLOW_NOT_A_NUMBER})
    if not found:
        raise ValidationError({"case_number": notices.FOLLOW_NO_SUCH_CASE})
    if len(found) > 1:
        numbers = ", ".join(c.number for c in found)
        raise ValidationError({"case_number": notices.FOLLOW_AMBIGUOUS.format(numbers=numbers)})
    case: Case = found[0]
    with transaction.atomic(durable=True):
        filer = _locked_filer(acting, court)
        of_record = Representation.objects.filter(
            party__case=case, filer=filer, date_terminated__isnull=True, to_be_noticed=True
        ).exists()
        if of_record:
            raise ValidationError({"case_number": notices.FOLLOW_OF_RECORD})
        if FollowedCase.objects.filter(filer=filer, case=case).exists():
            raise ValidationError({"case_number": notices.FOLLOW_ALREADY})
        try:
            with transaction.atomic():
                follow = FollowedCase.objects.create(filer=filer, case=case)
        except IntegrityError:
            raise ValidationError({"case_number": notices.FOLLOW_ALREADY}) from None
        record(
            ACTION_FOLLOW,
            request=request,
            actor=acting,
            court_code=court.code,
            details={"cmecf_login": filer.login, "case_id": case.pk, "case": case.number},
        )
    return follow


def unfollow_case(
    *, acting: Account, court: Court, follow_id: int, request: HttpRequest | None
) -> Case:
    """Stop following a case; return it. Another filer's follow id answers as a missing one."""
    with transaction.atomic(durable=True):
        filer = _locked_filer(acting, court)
        follow = FollowedCase.objects.select_related("case").filter(pk=follow_id, filer=filer)
        found = follow.first()
        if found is None:
            raise ValidationError(notices.FOLLOW_GONE, code="gone")
        case = found.case
        found.delete()
        record(
            ACTION_UNFOLLOW,
            request=request,
            actor=acting,
            court_code=court.code,
            details={"cmecf_login": filer.login, "case_id": case.pk, "case": case.number},
        )
    return case


def forget_address(*, acting: Account, filer_id: int, address: str) -> None:
    """A secondary address was removed (by `acting`, inside its transaction): its
    preference goes with it, so an address added again later starts from the default
    rather than an old choice. The removal's own audit event covers it."""
    EmailPreference.objects.filter(filer_id=filer_id, address=normalize_address(address)).delete()
