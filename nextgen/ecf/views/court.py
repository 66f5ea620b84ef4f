"""Court site pages: thin views over ecf.flows and ecf.menus."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from nextgen.hashgate import verifies_password
from nextgen.nostore import never_cache
from nextgen.signon.flows import login as login_flow
from nextgen.signon.http import AuthenticatedHttpRequest, is_signed_in
from nextgen.signon.samesite import is_own_site_request

from .. import notices
from ..flows import linking
from ..forms.court import ConfirmForm, LinkForm
from ..menus import (
    COURT_LOGOUT_HANDLERS,
    court_for_viewer,
    court_menu,
    filing_menu_url,
    has_filing_rights,
    logout_url,
)
from ..models import Court, FilerAccount, LinkMenu

CourtView = Callable[..., HttpResponseBase]


def _login_redirect(request: HttpRequest) -> HttpResponse:
    query = urlencode({"next": request.get_full_path()})
    return redirect(f"{reverse('signon:login')}?{query}")


def court_page(view: CourtView) -> CourtView:
    """Load the court, require a signed-in account, and never let a page be cached
    (menus depend on the link state at this very moment)."""
    return _court_page(view, post_reads=False)


def court_report_page(view: CourtView) -> CourtView:
    """court_page for a view whose POST changes neither the viewer's link nor staff role
    (a report posted as a form, its fee charged): it reads them with the court once, as
    a GET does."""
    return _court_page(view, post_reads=True)


def _court_page(view: CourtView, *, post_reads: bool) -> CourtView:
    @wraps(view)
    @never_cache
    def wrapper(request: HttpRequest, code: str, *args, **kwargs) -> HttpResponseBase:
        if request.method in ("GET", "HEAD") or post_reads:
            # A page that changes nothing reads the viewer's link and staff role with
            # the court, once (menus.court_for_viewer); another POST asks afresh each time.
            court = court_for_viewer(code, request.user, request)
        else:
            court = get_object_or_404(Court, code=code)
        if not is_signed_in(request):
            return _login_redirect(request)
        return view(request, court, *args, **kwargs)

    return wrapper


def _render(
    request: AuthenticatedHttpRequest,
    court: Court,
    template: str,
    context: dict | None = None,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        template,
        {
            "court": court,
            "menu": court_menu(request.user, court),
            "logout_url": logout_url(court),
            **(context or {}),
        },
        status=status,
    )


# --- the court's public pages ---------------------------------------------------


def court_list(request: HttpRequest) -> HttpResponse:
    return redirect("home")


def court_home(request: HttpRequest, code: str) -> HttpResponse:
    """The court's website, with its "Document Filing System" link."""
    court = get_object_or_404(Court, code=code)
    return render(request, "ecf/court_home.html", {"court": court})


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def entry(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    """cgi-bin/login.pl: the Document Filing System entry, and `?logout`.

    `?logout` ends a PACER client's API token, or a browser session when the request
    came from our own pages (samesite.py). Another site's link or redirect ends nothing:
    it gets a page asking to confirm, whose button POSTs here (with the CSRF token)."""
    court = get_object_or_404(Court, code=code)
    if "logout" in request.GET:
        if any(handler(request) for handler in COURT_LOGOUT_HANDLERS):
            pass  # a client signed in by an API token: that token has ended
        elif request.user.is_authenticated:
            if request.method != "POST" and not is_own_site_request(request):
                return _render(
                    request,
                    court,
                    "ecf/logout_confirm.html",
                    {"title": notices.LOGOUT_CONFIRM_TITLE, "text": notices.LOGOUT_CONFIRM},
                )
            login_flow.sign_out(request, acting=request.user)
        return redirect("ecf:court_home", code=court.code)
    if request.method == "POST":
        return redirect("ecf:entry", code=court.code)
    if not request.user.is_authenticated:
        return _login_redirect(request)
    return redirect("ecf:main", code=court.code)


# --- signed-in court pages -------------------------------------------------------


@court_page
def main_page(request: AuthenticatedHttpRequest, court: Court) -> HttpResponse:
    return _render(
        request,
        court,
        "ecf/main.html",
        {
            "filer": has_filing_rights(request.user, court),
            "not_live_text": None if court.is_live() else _not_live_text(court),
        },
    )


def _not_live_text(court: Court) -> str:
    if court.go_live is None:
        return notices.NOT_LIVE_UNANNOUNCED
    return notices.not_live_until(court.go_live.strftime("%B %-d, %Y"))


def _central(request: HttpRequest, name: str) -> str:
    """A central page that comes back here when done."""
    return f"{reverse(name)}?{urlencode({'next': request.get_full_path()})}"


@court_page
def utilities(request: AuthenticatedHttpRequest, court: Court) -> HttpResponse:
    return _render(
        request,
        court,
        "ecf/utilities.html",
        {
            "link_here": court.link_menu == LinkMenu.UTILITIES,
            "central": {
                "client_code": _central(request, "signon:client_code"),
                "exemption": _central(request, "fees:exemptions"),
                "billing": _central(request, "fees:billing"),
            },
        },
    )


@court_page
def release_menu(request: AuthenticatedHttpRequest, court: Court) -> HttpResponse:
    if court.link_menu != LinkMenu.RELEASE_1_1:
        raise Http404
    return _render(request, court, "ecf/release_menu.html")


def _link_page(
    request: AuthenticatedHttpRequest,
    court: Court,
    form: LinkForm,
    *,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    refusal = linking.account_refusal(request.user, court)
    return _render(
        request,
        court,
        "ecf/link.html",
        {
            "form": form,
            "error": error,
            "title": notices.LINK_TITLE,
            "intro": notices.LINK_INTRO,
            "refusal": notices.REFUSALS[refusal] if refusal and refusal != "not_live" else "",
            "not_live_text": _not_live_text(court) if refusal == "not_live" else "",
        },
        status=status,
    )


@verifies_password
@sensitive_post_parameters("password")
# Its POST only checks the CM/ECF password and keeps a proof (no link changes): the
# viewer's link is read with the court, once, as on a GET.
@court_report_page
@require_http_methods(["GET", "POST"])
def link_start(request: AuthenticatedHttpRequest, court: Court) -> HttpResponse:
    if request.method == "GET":
        return _link_page(request, court, LinkForm())
    form = LinkForm(request.POST)
    if not form.is_valid():
        return _link_page(request, court, form, status=400)
    try:
        linking.propose_link(
            request=request,
            acting=request.user,
            court=court,
            login=form.cleaned_data["login"],
            password=form.cleaned_data["password"],
        )
    except linking.LinkRefused as refusal:
        retry = LinkForm(initial={"login": form.cleaned_data["login"]})
        status = 429 if refusal.reason == "throttled" else 200
        return _link_page(request, court, retry, error=refusal.message, status=status)
    return redirect("ecf:link_confirm", code=court.code)


@court_page
@require_http_methods(["GET", "POST"])
def link_confirm(request: AuthenticatedHttpRequest, court: Court) -> HttpResponse:
    error = ""
    if request.method == "POST":
        # The flow first, even without a proof in the session: a repeated submit of a
        # confirmation this session already carried out is answered with its success.
        form = ConfirmForm(request.POST)
        form.is_valid()
        try:
            filer = linking.confirm_link(
                request=request,
                acting=request.user,
                court=court,
                nonce=form.cleaned_data.get("nonce", ""),
                same_person=bool(form.cleaned_data.get("same_person")),
            )
        except linking.LinkRefused as refusal:
            if refusal.reason != "same_person":
                return _link_page(request, court, LinkForm(), error=refusal.message)
            error = refusal.message
        else:
            request.session["nextgen_ecf_linked_name"] = filer.cmecf_name
            return redirect("ecf:link_done", code=court.code)
    try:
        proposal = linking.pending_proposal(request=request, account=request.user, court=court)
    except linking.LinkRefused as refusal:
        return _link_page(request, court, LinkForm(), error=refusal.message)
    return _render(
        request,
        court,
        "ecf/link_confirm.html",
        {
            "title": notices.LINK_TITLE,
            "question": notices.CONFIRM_QUESTION,
            "warning": notices.CONFIRM_WARNING,
            "names_differ": notices.NAMES_DIFFER,
            "proposal": proposal,
            "form": ConfirmForm(initial={"nonce": proposal.nonce}),
            "error": error,
        },
    )


@court_page
def link_done(request: AuthenticatedHttpRequest, court: Court) -> HttpResponse:
    name = request.session.pop("nextgen_ecf_linked_name", None)
    if name is None:
        return redirect("ecf:utilities", code=court.code)
    return _render(
        request,
        court,
        "ecf/link_done.html",
        {
            "title": notices.LINK_TITLE,
            "message": notices.linked(name),
        },
    )


@court_page
def maintain_account(request: AuthenticatedHttpRequest, court: Court) -> HttpResponse:
    """Maintain Your Account: the person information forwarded from PACER."""
    # This court's copy of the forwarded data, when the account is linked here.
    filer = FilerAccount.objects.filter(court=court, account=request.user).first()
    return _render(
        request,
        court,
        "ecf/maintain_account.html",
        {
            "account": request.user,
            "filer": filer,
            "source_note": (
                notices.PERSON_INFO_FORWARDED if filer else notices.PERSON_INFO_NOT_FORWARDED
            ),
            "personal_url": _central(request, "signon:personal_info"),
            "address_url": _central(request, "signon:address_info"),
        },
    )


@court_page
def citation_preferences(request: AuthenticatedHttpRequest, court: Court) -> HttpResponse:
    return _render(request, court, "ecf/citation.html")


MENU_PAGES = {"query", "reports", "search", "help", "civil", "criminal", "bankruptcy", "adversary"}


@court_page
def menu_page(request: AuthenticatedHttpRequest, court: Court, menu: str) -> HttpResponse:
    if menu not in MENU_PAGES:
        raise Http404
    filing = menu in {"civil", "criminal", "bankruptcy", "adversary"}
    if filing and (
        menu.title() not in court.filing_menus or not has_filing_rights(request.user, court)
    ):
        raise Http404
    if filing and (url := filing_menu_url(court, menu)):
        return redirect(url)  # the filing app serves its menus
    return _render(
        request,
        court,
        f"ecf/menu_{'filing' if filing else menu}.html",
        {
            "menu_label": menu.title(),
            "link_url": reverse("ecf:link", args=[court.code]),
        },
    )


# --- central side: this account's courts ------------------------------------------


@never_cache
def my_courts(request: HttpRequest) -> HttpResponse:
    """Every court with its go-live date and this account's link status there."""
    if not request.user.is_authenticated:
        return _login_redirect(request)
    linked = dict(
        FilerAccount.objects.filter(account=request.user).values_list("court_id", "linked_at")
    )
    rows = [
        {
            "court": court,
            "linked_at": linked.get(court.pk),
            "linked": court.pk in linked,
            "live": court.is_live(),
        }
        for court in Court.objects.order_by("name")
    ]
    return render(request, "ecf/my_courts.html", {"rows": rows, "may_link": request.user.may_file})
