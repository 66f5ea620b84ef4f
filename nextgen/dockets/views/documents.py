"""The document view: the only way a filed document leaves the server.

A document has no URL of its own (its file sits under a random name in storage that
is never served); this view checks that the signed-in account may see it (sealed
material only for court staff and the case's attorneys of record) and streams it.
Anyone else gets the 404 of a document that does not exist. The fees issue adds the
transaction receipt and the charge here.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import FileResponse, Http404, HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from nextgen.ecf.models import Court
from nextgen.signon.http import is_signed_in

from ..listeners import free_look, mark_free_look
from ..selectors import visible_document


@never_cache
@require_GET
def document(request: HttpRequest, code: str, pk: int) -> HttpResponseBase:
    court = get_object_or_404(Court, code=code)
    if not is_signed_in(request):
        query = urlencode({"next": request.get_full_path()})
        return redirect(f"{reverse('signon:login')}?{query}")
    doc = visible_document(request.user, court, pk)
    if doc is None:
        raise Http404
    # The NEF recipient's one free view (nextgen.noticing fills the hook); the fees use it.
    mark_free_look(request, free_look(acting=request.user, request=request, document=doc))
    try:
        handle = doc.file.open("rb")
    except FileNotFoundError:
        # An imported path that was never copied into storage: as if it were not there.
        raise Http404 from None
    entry = doc.entry
    name = doc.original_name or f"{entry.case.number}-{entry.number}-{doc.number}.pdf"
    response = FileResponse(handle, content_type="application/pdf", filename=name)
    response["X-Content-Type-Options"] = "nosniff"
    return response
