"""The web side of a wizard journey, shared by registration and upgrade.

`step_page` turns one request for one step into: a redirect to the step the
journey is really at, the step's form (again, with errors), the next step, or
the journey's end. What each step does is the journey's business (flows/).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from .. import notices
from ..flows.wizard import Journey, Refused, Step, WizardState
from ..redirects import return_url_from

SECRET_FIELDS = ("password1", "password2", "answer_1", "answer_2")


@dataclass(frozen=True)
class WizardPages:
    """Where a journey's steps live and where it ends."""

    journey: Journey
    heading: str
    url_names: Mapping[str, str]  # step name → URL name
    refused_url_name: str  # where someone who may not take the journey is sent
    cancel_url_name: str
    done_url_name: str
    done_message: str = ""
    template: str = "signon/wizard_step.html"

    def url(self, step: Step) -> str:
        return reverse(self.url_names[step.name])


def _indicator(pages: WizardPages, state: WizardState, step: Step) -> list[dict[str, Any]]:
    wizard = pages.journey.wizard
    done = wizard.completed(state)
    return [
        {
            "title": s.title,
            "status": "current" if s == step else ("complete" if s in done else "upcoming"),
            # Completed steps can be opened again, as the seeds' "Click Person" does.
            "url": pages.url(s) if s in done and s != step else "",
        }
        for s in wizard.steps
    ]


def step_page(request: HttpRequest, pages: WizardPages, step_name: str) -> HttpResponse:
    journey, wizard = pages.journey, pages.journey.wizard
    refusal = journey.refusal(request)
    if refusal:
        wizard.discard(request)
        messages.info(request, refusal)
        return redirect(pages.refused_url_name)
    try:
        visit = wizard.visit(
            request, step_name, owner=journey.owner(request), return_url=return_url_from(request)
        )
    except KeyError as exc:
        raise Http404 from exc
    if visit.expired:
        messages.warning(request, notices.WIZARD_EXPIRED)
    if not visit.allowed:
        if not visit.expired:
            messages.info(request, notices.WIZARD_STEP_LOCKED)
        return redirect(pages.url(visit.step))

    state, step = visit.state, visit.step
    assert state is not None  # allowed visits always carry their state
    form_class = journey.forms[step.name]
    kwargs = journey.form_kwargs(request, state, step)
    status = 200
    if request.method == "POST":
        form = form_class(request.POST, **kwargs)
        if form.is_valid():
            if step != wizard.last:
                return redirect(pages.url(wizard.complete(request, state, step, form.cleaned_data)))
            try:
                journey.submit_last(request, state, form)
            except Refused as exc:
                messages.info(request, exc.message)
                return redirect(pages.refused_url_name)
            except ValidationError as exc:
                form.add_flow_errors(exc)
            else:
                if pages.done_message:
                    messages.success(request, pages.done_message)
                return redirect(pages.done_url_name)
        throttled = any(
            error.code == "throttled"
            for errors in form.errors.as_data().values()
            for error in errors
        )
        status = 429 if throttled else 400
    else:
        form = form_class(initial=journey.initial(request, state, step), **kwargs)
    previous = wizard.previous(step)
    return render(
        request,
        pages.template,
        {
            "heading": pages.heading,
            "step": step,
            "step_number": wizard.steps.index(step) + 1,
            "step_count": len(wizard.steps),
            "indicator": _indicator(pages, state, step),
            "form": form,
            "action_url": pages.url(step),
            "back_url": pages.url(previous) if previous else "",
            "is_last": step == wizard.last,
            "cancel_url": reverse(pages.cancel_url_name),
        },
        status=status,
    )
