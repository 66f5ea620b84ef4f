"""The PACER access pages under each court's cgi-bin/, with CM/ECF's paths and field
names: Query (iquery.pl) and its per-case menu, the Docket Report (DktRpt.pl), the
Written Opinions report (WrtOpRpt.pl), documents with their receipt (doc1/<id>) and the
case-number look-up (possible_case_numbers.pl).

Views only translate HTTP: what a person may see comes from nextgen.records.selectors
(sealed material never leaves them), and every billable page is charged through
nextgen.records.charging in the same transaction that reads what it shows. An HTML
report is rendered first and its bytes counted; the receipt at its foot is that charge.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import unquote
from xml.sax.saxutils import quoteattr

from django.core.files import File
from django.db import transaction
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseNotAllowed,
    StreamingHttpResponse,
)
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_http_methods

from nextgen.dockets.listeners import free_look, mark_free_look
from nextgen.dockets.models import Case, Document
from nextgen.dockets.selectors import visible_case, visible_cases, visible_document
from nextgen.ecf.menus import court_menu, logout_url
from nextgen.ecf.models import Court
from nextgen.ecf.views.court import court_page, court_report_page
from nextgen.signon.http import AuthenticatedHttpRequest

from .. import charging, notices, selectors
from ..forms.access import DocketReportForm, QueryForm, WrittenOpinionsForm
from ..rendering import entry_rows

CHUNK = 64 * 1024


def _render(
    request: AuthenticatedHttpRequest, court: Court, template: str, context: dict, status: int = 200
) -> HttpResponse:
    return render(
        request,
        template,
        {
            "court": court,
            "menu": court_menu(request.user, court),
            "logout_url": logout_url(court),
            **context,
        },
        status=status,
    )


def _case_id_from_query(request: HttpRequest) -> int | None:
    """CM/ECF puts the case id alone in the query string (`DktRpt.pl?48385`), or after a
    nonce (`iquery.pl?1-L_1_0-48385`); posted forms name it `all_case_ids`."""
    raw = request.META.get("QUERY_STRING", "")
    if _ascii_digits(raw):
        return int(raw)
    match = re.fullmatch(r"[0-9A-Za-z_]*-L_[0-9A-Za-z_]*-([0-9]{1,12})", raw)
    if match:
        return int(match[1])
    posted = request.POST.get("all_case_ids", "") if request.method == "POST" else ""
    if _ascii_digits(posted):
        return int(posted)
    return None


def _ascii_digits(text: str, most: int = 12) -> bool:
    """0-9 only: str.isdigit() also accepts digits int() refuses (superscripts, "²")."""
    return text.isascii() and text.isdigit() and len(text) <= most


def _refused(
    request: AuthenticatedHttpRequest, court: Court, refusal: charging.FeeRefusal
) -> HttpResponse:
    """An access refused for a billing reason (no client code where the firm requires
    one): the reason in plain words, nothing shown, nothing charged."""
    return _render(
        request, court, "records/not_found.html", {"message": refusal.message}, status=403
    )


@dataclass(frozen=True)
class _Charged:
    """A report rendered and charged: its HTML and the receipt."""

    report_html: str
    receipt: charging.Receipt


def _charge_for_report(
    request: AuthenticatedHttpRequest,
    court: Court,
    *,
    report: str,
    context: dict,
    description: str,
    criteria: str,
    kind: str,
    case_specific: bool,
    found_nothing: bool = False,
) -> _Charged | charging.FeeRefusal:
    """Render the report part, count its bytes and record the charge, in the caller's
    transaction, the one of the reads (charging refuses to run outside one). A refusal
    is raised before anything is written, so it needs no savepoint of its own."""
    try:
        report_html = render_to_string(report, {"court": court, **context}, request=request)
        receipt = charging.charge(
            request,
            court,
            description=description,
            criteria=criteria,
            kind=kind,
            html_bytes=len(report_html.encode()),
            case_specific=case_specific,
            found_nothing=found_nothing,
        )
    except charging.FeeRefusal as refusal:
        return refusal
    return _Charged(report_html, receipt)


def _report_page(
    request: AuthenticatedHttpRequest,
    court: Court,
    page: str,
    context: dict,
    charged: _Charged | charging.FeeRefusal,
) -> HttpResponse:
    """The page with the report and its receipt, rendered after the charge's transaction
    has committed: the charge's day total is a row every report of the account updates,
    and its lock is held only from that update to the commit, not while the page (menu,
    quarter's total, layout) is rendered."""
    if isinstance(charged, charging.FeeRefusal):
        return _refused(request, court, charged)
    return _render(
        request,
        court,
        page,
        {**context, "report_html": mark_safe(charged.report_html), "receipt": charged.receipt},  # noqa: S308 (rendered by our template)
    )


# --- Query -----------------------------------------------------------------------


@court_page
@require_http_methods(["GET", "HEAD", "POST"])
def iquery(request: AuthenticatedHttpRequest, court: Court) -> HttpResponse:
    case_id = _case_id_from_query(request)
    if case_id is not None:
        case = visible_case(request.user, court, case_id, reading=True)
        if case is None:
            return _render(
                request, court, "records/not_found.html", {"message": notices.CASE_NOT_FOUND}, 404
            )
        return _case_page(request, court, case)
    if request.method != "POST":
        return _render(request, court, "records/query.html", {"form": QueryForm()})
    form = QueryForm(request.POST)
    if not form.is_valid():
        return _render(request, court, "records/query.html", {"form": form}, status=400)
    search = form.search()
    with transaction.atomic(durable=True):
        results = selectors.search_cases(request.user, court, search)
        if search.by_number and len(results) == 1:
            return _case_page(request, court, results[0].case)
        context = {"results": results, "search": search}
        charged = _charge_for_report(
            request,
            court,
            report="records/results.html",
            context=context,
            description="Search",
            criteria=search.criteria(),
            kind="search",
            case_specific=False,
            found_nothing=not results,
        )
    return _report_page(request, court, "records/results_page.html", context, charged)


def _case_page(request: AuthenticatedHttpRequest, court: Court, case: Case) -> HttpResponse:
    """The case's query page (what CM/ECF shows for one case): its header and the
    query menu."""
    return _render(
        request,
        court,
        "records/case_query.html",
        {
            "case": case,
            "bankruptcy": selectors.is_bankruptcy(case),
            "last_filing": selectors.last_filing(request.user, case),
            "query_menu": _query_menu(court, case),
        },
    )


def _query_menu(court: Court, case: Case) -> list[tuple[str, str]]:
    items = []
    for report, label in notices.QUERY_MENU:
        if report == "docket":
            url = reverse("records:docket_report", args=[court.code])
        else:
            url = reverse("records:case_report", args=[court.code, report])
        items.append((label, f"{url}?{case.pk}"))
    return items


REPORT_TITLES = dict(notices.QUERY_MENU)


@court_page
@require_http_methods(["GET"])
def case_report(request: AuthenticatedHttpRequest, court: Court, report: str) -> HttpResponse:
    """One report of a case's query menu (all but the Docket Report). GET only: every
    answer found is charged, and a HEAD (a link checker's) would be charged for a body
    it never receives."""
    if report not in REPORT_TITLES or report == "docket":
        raise Http404
    case_id = _case_id_from_query(request)
    case = visible_case(request.user, court, case_id, reading=True) if case_id else None
    if case is None:
        return _render(
            request, court, "records/not_found.html", {"message": notices.CASE_NOT_FOUND}, 404
        )
    with transaction.atomic(durable=True):
        context = {
            "case": case,
            "report": report,
            "title": REPORT_TITLES[report],
            "bankruptcy": selectors.is_bankruptcy(case),
        }
        if report in {"alias", "attorneys", "parties", "summary", "filers"}:
            context["parties"] = selectors.parties_and_counsel(case)
        if report == "associated":
            context["associated"] = selectors.associated_cases(request.user, court, case)
        if report in {"history", "status", "summary"}:
            entries = selectors.docket_entries(
                request.user, case, selectors.DocketOptions(sort="document number")
            )
            context["entries"] = entries
            context["doc_links"] = _doc_links(court, case, entries)
            context["last_filing"] = max((e.date_filed for e in entries), default=None)
        charged = _charge_for_report(
            request,
            court,
            report="records/case_report.html",
            context=context,
            description=REPORT_TITLES[report],
            criteria=case.number,
            kind="report",
            case_specific=True,
        )
    return _report_page(request, court, "records/report_page.html", context, charged)


# --- Docket Report ---------------------------------------------------------------


@court_report_page
@require_http_methods(["GET", "HEAD", "POST"])
def docket_report(request: AuthenticatedHttpRequest, court: Court) -> HttpResponse:
    if request.method != "POST":
        case_id = _case_id_from_query(request)
        case = visible_case(request.user, court, case_id, reading=True) if case_id else None
        initial = {
            "all_case_ids": case.pk if case else None,
            "case_num": case.number if case else "",
            "list_of_parties_and_counsel": True,
            "terminated_parties": True,
            "date_range_type": "Filed",
        }
        return _render(
            request,
            court,
            "records/docket_options.html",
            {"form": DocketReportForm(initial=initial), "case": case},
        )
    form = DocketReportForm(request.POST)
    if not form.is_valid():
        return _render(
            request, court, "records/docket_options.html", {"form": form, "case": None}, 400
        )
    case = _report_case(request, court, form)
    if case is None:
        form.add_error("case_num", notices.CASE_NOT_FOUND)
        return _render(
            request, court, "records/docket_options.html", {"form": form, "case": None}, 400
        )
    options = form.options()
    with transaction.atomic(durable=True):
        entries = selectors.docket_report_entries(request.user, case, options)
        parties = (
            selectors.report_parties(case, terminated=options.terminated_parties)
            if options.parties_and_counsel
            else []
        )
        context = {
            "case": case,
            "title": notices.DOCKET_REPORT_TITLE,
            "entries": entries,
            "entry_rows": entry_rows(court, case.pk, entries),
            "parties": parties,
            "bankruptcy": selectors.is_bankruptcy(case),
        }
        charged = _charge_for_report(
            request,
            court,
            report="records/docket_report.html",
            context=context,
            description="Docket Report",
            criteria=options.criteria(case),
            kind="docket_report",
            case_specific=True,
        )
    return _report_page(request, court, "records/report_page.html", context, charged)


def _report_case(request: HttpRequest, court: Court, form: DocketReportForm) -> Case | None:
    from nextgen.dockets import case_numbers

    if form.cleaned_data.get("all_case_ids"):
        return visible_case(request.user, court, form.cleaned_data["all_case_ids"], reading=True)
    number = form.cleaned_data.get("case_num")
    if not number:
        return None
    found = case_numbers.resolve(number, visible_cases(request.user, court)) or []
    return found[0] if len(found) == 1 else None


def _doc_links(court: Court, case: Case, entries) -> dict[int, dict]:
    """Per document row id: its doc1 link and the goDLS arguments CM/ECF puts on it."""
    links = {}
    base = reverse("records:doc1", args=[court.code, "0"])[:-1]
    for entry in entries:
        for document in entry.documents.all():
            doc_id = selectors.doc_id(document, court)
            links[document.pk] = {
                "href": f"{base}{doc_id}",
                "onclick": f"goDLS('{base}{doc_id}','{case.pk}','{entry.pk}','','','1','','');"
                "return(false);",
            }
    return links


# --- Reports menu and Written Opinions ---------------------------------------------


@court_page
def reports_menu(request: AuthenticatedHttpRequest, court: Court) -> HttpResponse:
    return _render(request, court, "records/reports_menu.html", {})


@court_page
@require_http_methods(["GET", "HEAD"])
def written_opinions(request: AuthenticatedHttpRequest, court: Court) -> HttpResponse:
    """Free: the court's written opinions filed in a date range (CM/ECF's WrtOpRpt.pl)."""
    if not request.GET:
        return _render(
            request, court, "records/opinions_form.html", {"form": WrittenOpinionsForm()}
        )
    if request.method == "HEAD":
        # The report is charged (at $0, but a row in the billing history) for its body.
        return HttpResponseNotAllowed(["GET"])
    form = WrittenOpinionsForm(request.GET)
    if not form.is_valid():
        return _render(request, court, "records/opinions_form.html", {"form": form}, 400)
    start, end = form.cleaned_data["filed_from"], form.cleaned_data["filed_to"]
    with transaction.atomic(durable=True):
        entries = selectors.written_opinions(request.user, court, start, end)
        links = {}
        for entry in entries:
            links.update(_doc_links(court, entry.case, [entry]))
        context = {"entries": entries, "doc_links": links, "start": start, "end": end}
        charged = _charge_for_report(
            request,
            court,
            report="records/opinions.html",
            context=context,
            description="Written Opinions",
            criteria=f"Filed: {start:%m/%d/%Y} - {end:%m/%d/%Y}",
            kind="written_opinions",
            case_specific=False,
        )
    return _report_page(request, court, "records/opinions_page.html", context, charged)


# --- possible_case_numbers.pl ------------------------------------------------------


@court_page
@require_http_methods(["GET", "HEAD"])
def possible_case_numbers(request: AuthenticatedHttpRequest, court: Court) -> HttpResponse:
    """PACER's case-number look-up: the cases a typed number may mean, as XML. A sealed
    case is answered exactly like a number that does not exist."""
    from nextgen.dockets import case_numbers

    # Only what a case number is made of, so any query string is a clean XML attribute.
    typed = re.sub(r"[^0-9A-Za-z:\- ]", "", unquote(request.META.get("QUERY_STRING", "")))[:60]
    found = case_numbers.resolve(typed, visible_cases(request.user, court)) or []
    lines = [f"<request number={quoteattr(typed)}>"]
    if not found:
        lines.append(f"<message text={quoteattr(f'{notices.CANNOT_FIND_CASE} {typed}')}/>")
    for case in found:
        closed = f" (closed {case.date_terminated:%m/%d/%Y})" if case.date_terminated else ""
        title = f"{case.number} {case.title}{closed}"
        lines.append(
            f"<case number={quoteattr(case.number)} id={quoteattr(str(case.pk))} "
            f"title={quoteattr(title)} sortable={quoteattr(case.number)}/>"
        )
    lines.append("</request>")
    body = '<?xml version="1.0" encoding="UTF-8"?>\n' + "\n".join(lines)
    return HttpResponse(body, content_type="text/xml; charset=utf-8")


# --- documents -------------------------------------------------------------------

PAID_KEY = "records_paid_documents"
PAID_FOR = 15 * 60  # seconds a paid view may be re-requested (a viewer's range requests)


@court_page
def doc1(request: AuthenticatedHttpRequest, court: Court, doc_id: str) -> HttpResponseBase:
    """A document: its attachment list first when it has attachments, then its
    Transaction Receipt; the "View Document" button (POST) charges and streams it."""
    if request.method not in ("GET", "HEAD", "POST"):
        return HttpResponseNotAllowed(["GET", "HEAD", "POST"])
    pk = selectors.document_pk(doc_id)
    document = visible_document(request.user, court, pk) if pk else None
    if document is None:
        raise Http404
    entry = document.entry
    case = entry.case
    description = f"Image{entry.number}-{document.number}"
    looked_free = False
    mark_free_look(request, looked_free)
    if request.method == "GET" and request.GET.get("magic_num"):
        # An NEF recipient's free look (nextgen.noticing fills the hook): spent and
        # recorded at $0 in one transaction, then the document itself, no receipt. Only
        # a GET spends it (a HEAD would spend it on a body never sent), and only once the
        # file is open and the range answerable.
        download = _open(request, document)
        if not isinstance(download, _Download):
            return download
        try:
            with transaction.atomic(durable=True):
                if free_look(acting=request.user, request=request, document=document):
                    looked_free = True
                    mark_free_look(request, looked_free)
                    charging.charge(
                        request,
                        court,
                        description=description,
                        criteria=case.number,
                        kind="document",
                        pdf_pages=document.page_count or 1,
                        case_specific=True,
                        free_look=True,
                    )
                    _mark_paid(request, document)
        except charging.FeeRefusal as refusal:
            download.close()
            return _refused(request, court, refusal)
        if looked_free:
            return _stream(download)
        download.close()
    attachments = list(entry.documents.order_by("number"))
    wants_menu = len(doc_id) != 12 or doc_id[3] == "0"
    if request.method != "POST" and document.is_main and len(attachments) > 1 and wants_menu:
        return _attachment_page(request, court, case, entry, attachments)
    if request.method != "POST":
        if _paid(request, document):
            return _stream(_open(request, document))
        try:
            receipt = charging.estimate(
                request,
                court,
                description=description,
                criteria=case.number,
                kind="document",
                pdf_pages=document.page_count or 1,
            )
        except charging.FeeRefusal as refusal:
            return _refused(request, court, refusal)
        return _render(
            request,
            court,
            "records/receipt_page.html",
            {"receipt": receipt, "case": case, "entry": entry, "document": document},
        )
    # Nothing is charged for a file that cannot be read (404) or a range past its end
    # (416): the file is opened and the range checked first.
    download = _open(request, document)
    if not isinstance(download, _Download):
        return download
    try:
        with transaction.atomic(durable=True):
            # The access and its charge in one transaction: still visible as it is paid.
            if visible_document(request.user, court, document.pk) is None:
                raise Http404
            charging.charge(
                request,
                court,
                description=description,
                criteria=case.number,
                kind="document",
                pdf_pages=document.page_count or 1,
                case_specific=True,
            )
            _mark_paid(request, document)
    except charging.FeeRefusal as refusal:
        download.close()
        return _refused(request, court, refusal)
    except Http404:
        download.close()
        raise
    return _stream(download)


def _attachment_page(request, court, case, entry, attachments) -> HttpResponse:
    links = _doc_links(court, case, [entry])
    main = attachments[0]
    # The main document's own link asks for the document itself (fourth digit 1), not
    # this menu again.
    main_href = links[main.pk]["href"]
    links[main.pk] = {
        "href": main_href[:-9] + "1" + main_href[-8:],
        "onclick": links[main.pk]["onclick"],
    }
    # Bankruptcy courts count the main document as 1 on this page, as CM/ECF does.
    offset = 1 if selectors.is_bankruptcy(case) else 0
    rows = [{"document": d, "number": d.number + offset, "link": links[d.pk]} for d in attachments]
    return _render(
        request,
        court,
        "records/attachments.html",
        {"case": case, "entry": entry, "main": rows[0], "rows": rows[1:]},
    )


def _paid(request: HttpRequest, document: Document) -> bool:
    paid = request.session.get(PAID_KEY, {}) if hasattr(request, "session") else {}
    until = paid.get(str(document.pk))
    return until is not None and until > timezone.now().timestamp()


def _mark_paid(request: HttpRequest, document: Document) -> None:
    if not hasattr(request, "session"):
        return
    now = timezone.now().timestamp()
    paid = {k: v for k, v in request.session.get(PAID_KEY, {}).items() if v > now}
    paid[str(document.pk)] = now + PAID_FOR
    request.session[PAID_KEY] = dict(list(paid.items())[-50:])


_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


@dataclass
class _Download:
    """A document's file, open, with the byte range the request asked for (None: all)."""

    document: Document
    handle: File
    size: int
    byte_range: tuple[int, int] | None

    def close(self) -> None:
        self.handle.close()


def _open(request: HttpRequest, document: Document) -> _Download | HttpResponseBase:
    """The document's file opened and the request's single HTTP byte range checked,
    before anything is charged or a free look spent: a file that cannot be read raises
    Http404, a range past its end is answered 416 (with the file closed)."""
    try:
        handle = document.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    size = document.file.size
    match = _RANGE.match(request.headers.get("Range", "").strip())
    if not (match and (match[1] or match[2])):
        return _Download(document, handle, size, None)
    if match[1]:
        start = int(match[1])
        end = min(int(match[2]), size - 1) if match[2] else size - 1
    else:
        start, end = max(size - int(match[2]), 0), size - 1
    if start > end or start >= size:
        handle.close()
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{size}"
        return response
    return _Download(document, handle, size, (start, end))


def _stream(download: _Download | HttpResponseBase) -> HttpResponseBase:
    """The PDF, streamed from storage in chunks (never read whole), or the part of it
    the request's range names, so viewers can fetch parts. `_open`'s answer is passed
    through when it is not a download (416)."""
    if not isinstance(download, _Download):
        return download
    document, handle, size = download.document, download.handle, download.size
    entry = document.entry
    name = document.original_name or f"{entry.case.number}-{entry.number}-{document.number}.pdf"
    response: HttpResponseBase
    if download.byte_range is not None:
        start, end = download.byte_range
        handle.seek(start)
        response = StreamingHttpResponse(
            _read_range(handle, end - start + 1), status=206, content_type="application/pdf"
        )
        response["Content-Range"] = f"bytes {start}-{end}/{size}"
        response["Content-Length"] = str(end - start + 1)
    else:
        response = FileResponse(handle, content_type="application/pdf", filename=name)
    response["Accept-Ranges"] = "bytes"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store, private"
    return response


def _read_range(handle, length: int):
    try:
        while length > 0:
            chunk = handle.read(min(CHUNK, length))
            if not chunk:
                break
            length -= len(chunk)
            yield chunk
    finally:
        handle.close()
