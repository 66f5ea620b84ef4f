"""Personal data lives in PACER and is forwarded to every court where the account is
linked (seed 002: "Any changes made in PACER are automatically forwarded to our court").

forward_personal_data is a listener of nextgen.signon.flows.maintenance
(PERSONAL_DATA_LISTENERS, registered in EcfConfig.ready()): it runs inside the
transaction of the central change, so the change and every court's copy commit or roll
back together, and it is one UPDATE, so the cost is the same for one linked court or
ninety-four.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from nextgen.signon.models import Account

from .models import FilerAccount

#: Account fields a court keeps on its CM/ECF account, under the same names. County and
#: country are not kept by the courts, so a change of only those forwards nothing.
FORWARDED_FIELDS = (
    "first_name",
    "last_name",
    "email",
    "firm",
    "phone",
    "address",
    "city",
    "state",
    "zip_code",
)


def personal_data(account: Account) -> dict[str, Any]:
    """The account's forwarded fields, ready for FilerAccount.objects.update()."""
    return {name: getattr(account, name) for name in FORWARDED_FIELDS}


def forward_personal_data(account: Account, changes: dict[str, dict[str, Any]]) -> int:
    """Copy the account's personal data to each CM/ECF account linked to it; return how many.

    Every forwarded field is written, not only the changed ones: the courts' copies then
    always equal PACER, even one that drifted (an import, an old bug)."""
    if not set(changes) & set(FORWARDED_FIELDS):
        return 0
    return FilerAccount.objects.filter(account=account).update(
        **personal_data(account), updated_at=timezone.now()
    )
