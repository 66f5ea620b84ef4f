"""The free look: each NEF recipient's link opens its document once, within 15 days, for
that recipient only; the key is stored hashed."""

from __future__ import annotations

import datetime as dt
import hashlib
from urllib.parse import urlsplit

import pytest
import time_machine
from django.core import mail
from django.test import RequestFactory
from django.utils import timezone

from nextgen.dockets.doc_ids import doc1_path
from nextgen.noticing.free_look import redeem
from nextgen.noticing.models import FreeLook
from tests.factories import AccountFactory
from tests.noticing.conftest import magic_nums

pytestmark = pytest.mark.django_db


def _link_of(address: str) -> str:
    """The main document link of the NEF that reached `address` (path and query)."""
    message = next(m for m in mail.outbox if m.to == [address])
    html = message.alternatives[0][0]
    start = html.index('<a href="', html.index("Document Number:")) + len('<a href="')
    url = urlsplit(html[start : html.index('"', start)].replace("&amp;", "&"))
    return f"{url.path}?{url.query}"


def _view(client, link: str) -> bool:
    response = client.get(link)
    assert response.status_code == 200
    free = response.wsgi_request.nextgen_free_look
    if not free:  # a paid view: the Transaction Receipt first, then "View Document"
        assert response["Content-Type"].startswith("text/html")
        response = client.post(link)
    b"".join(response.streaming_content)
    return free


def test_the_recipient_views_the_document_free_once(scene, client, login):
    scene.file()
    link = _link_of("dana@def.test")
    login(scene.defense_counsel.account)
    assert _view(client, link) is True
    assert _view(client, link) is False  # the second view is charged as usual
    used = FreeLook.objects.get(used_at__isnull=False)
    assert used.address == "dana@def.test" and used.used_by == scene.defense_counsel.account


def test_each_address_of_a_recipient_has_its_own_free_look(scene, client, login):
    scene.file()
    login(scene.defense_counsel.account)
    assert _view(client, _link_of("dana@def.test")) is True
    assert _view(client, _link_of("paralegal@def.test")) is True


def test_someone_else_signed_in_with_the_recipients_link_pays_and_leaves_the_key_unused(
    scene, client, login
):
    scene.file()
    link = _link_of("dana@def.test")
    login(scene.plaintiff_counsel.account)  # of record too, but not this key's recipient
    assert _view(client, link) is False
    client.logout()
    login(AccountFactory())
    assert _view(client, link) is False
    assert not FreeLook.objects.filter(used_at__isnull=False).exists()


def test_the_free_look_works_on_day_14_and_not_after_15_days(scene, client, login):
    scene.file()
    fresh, stale = _link_of("dana@def.test"), _link_of("paralegal@def.test")
    now = timezone.now()
    with time_machine.travel(now + dt.timedelta(days=14), tick=False):
        login(scene.defense_counsel.account)
        assert _view(client, fresh) is True
    client.logout()
    with time_machine.travel(now + dt.timedelta(days=15, seconds=1), tick=False):
        login(scene.defense_counsel.account)
        assert _view(client, stale) is False


def test_a_key_opens_only_its_own_document(scene, client, login):
    entry = scene.file()
    main, exhibit = entry.documents.order_by("number")
    link = _link_of("dana@def.test")
    login(scene.defense_counsel.account)
    court = main.entry.case.court
    other = link.replace(doc1_path(main, court), doc1_path(exhibit, court))
    assert other != link
    assert _view(client, other) is False
    assert _view(client, link) is True


@pytest.mark.parametrize("key", ["", "abc", "1" * 65, "12' OR 1=1", "٣٣٣"])
def test_a_malformed_key_is_just_a_paid_view(scene, client, login, key):
    entry = scene.file()
    main = entry.documents.get(number=0)
    login(scene.defense_counsel.account)
    assert _view(client, f"/ecf/ctd/doc1/{main.pk}/?magic_num={key}") is False


def test_only_the_hash_of_a_key_is_stored(scene):
    scene.file()
    message = next(m for m in mail.outbox if m.to == ["dana@def.test"])
    keys = magic_nums(message.body)
    stored = set(FreeLook.objects.values_list("key_hash", flat=True))
    assert not stored & set(keys)
    assert {hashlib.sha256(k.encode()).hexdigest() for k in keys} <= stored


def test_redeem_refuses_a_signed_out_visitor(scene):
    entry = scene.file()
    message = next(m for m in mail.outbox if m.to == ["dana@def.test"])
    key = magic_nums(message.body)[0]
    main = entry.documents.get(number=0)
    assert redeem(acting=None, request=RequestFactory().get("/"), document=main, key=key) is False
