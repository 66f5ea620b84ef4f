"""An NEF's free look is spent only on a view the recipient receives: not on a HEAD
request, not on a file that cannot be read."""

from __future__ import annotations

import pytest

from nextgen.noticing.models import FreeLook
from tests.noticing.test_free_look import _link_of

pytestmark = pytest.mark.django_db


def test_a_head_request_does_not_spend_the_free_look(scene, client, login):
    scene.file()
    link = _link_of("dana@def.test")
    login(scene.defense_counsel.account)
    assert client.head(link).status_code == 200
    assert not FreeLook.objects.filter(used_at__isnull=False).exists()
    # The GET that follows still has it.
    response = client.get(link)
    assert response["Content-Type"] == "application/pdf"
    assert FreeLook.objects.filter(used_at__isnull=False).count() == 1


def test_a_file_that_cannot_be_read_does_not_spend_the_free_look(scene, client, login):
    entry = scene.file()
    document = entry.documents.get(number=0)
    document.file.storage.delete(document.file.name)
    link = _link_of("dana@def.test")
    login(scene.defense_counsel.account)
    assert client.get(link).status_code == 404
    assert not FreeLook.objects.filter(used_at__isnull=False).exists()
