"""A worker process made ready before its first request (gunicorn.conf.py, post_worker_init).

Django compiles a template the first time a page uses it and keeps it (the cached
loader, per process), and builds the URL resolver's reverse map on the first `reverse`.
Neither takes a lock: when a threaded worker's first burst of requests all ask for the
same page at once (go-live day: 200 attorneys open the login page in the same second),
every thread compiles the same templates itself, and the burst waits for tens of copies
of that work (in bench figure 7, the first login pages cost ~15 ms of CPU each instead
of ~4 ms, and the burst took seconds). Doing it once, before the worker takes a
connection, leaves the requests only their own work.

Then the worker sets aside what it has loaded so far (`gc.freeze`): Python's full
garbage collection otherwise walks every object of the process, ~130,000 after Django
and the project are loaded, ~50 ms with the GIL held, during which none of the
process's 64 threads serves a page (pages of 60-100 ms of CPU in figure 7 were those).
Those objects live as long as the process anyway; what requests allocate is still
collected as before.
"""

from __future__ import annotations

import gc
import logging
from collections.abc import Callable
from os import PathLike
from pathlib import Path

import django.forms
from django.forms.renderers import get_default_renderer
from django.template import TemplateDoesNotExist, TemplateSyntaxError, engines
from django.template.backends.django import DjangoTemplates
from django.template.utils import get_app_template_dirs
from django.urls import reverse

logger = logging.getLogger(__name__)


# What the project's templates are (a stray editor file or image in a template folder
# is not compiled).
TEMPLATE_SUFFIXES = {".html", ".txt", ".xml"}


def project_template_names(engine: DjangoTemplates) -> list[str]:
    """The names of every template under the project's own template folders (the
    engine's DIRS and the project apps' templates/; not Django's or third parties')."""
    project = Path(__file__).resolve().parent  # the nextgen package
    dirs: list[str | PathLike[str]] = [*engine.engine.dirs, *get_app_template_dirs("templates")]
    folders = [Path(d) for d in dirs]
    names: set[str] = set()
    for folder in folders:
        folder = folder.resolve()
        if not folder.is_relative_to(project):
            continue
        names.update(
            p.relative_to(folder).as_posix()
            for p in folder.rglob("*")
            if p.is_file() and p.suffix in TEMPLATE_SUFFIXES
        )
    return sorted(names)


def form_template_names() -> list[str]:
    """Django's own form and widget templates (the form renderer has an engine and a
    template cache of its own: every form field on a page renders one)."""
    folder = Path(django.forms.__file__).resolve().parent / "templates"
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*.html"))


def warm_up() -> int:
    """Compile every project template, and Django's form templates, into the process's
    template caches and build the URL resolver's reverse map; the number compiled."""
    compiled = 0
    for backend in engines.all():
        if isinstance(backend, DjangoTemplates):
            compiled += _compile(backend.get_template, project_template_names(backend))
    compiled += _compile(get_default_renderer().get_template, form_template_names())
    reverse("signon:login")
    return compiled


def set_aside_what_is_loaded() -> None:
    """Collect the garbage of the start-up, then move every object still alive into the
    collector's permanent generation, which full collections no longer walk."""
    gc.collect()
    gc.freeze()


def _compile(get_template: Callable[[str], object], names: list[str]) -> int:
    compiled = 0
    for name in names:
        try:
            get_template(name)
        except (TemplateSyntaxError, TemplateDoesNotExist):
            continue  # the page using it reports it, as it would without a warm-up
        except Exception:  # noqa: BLE001 - a warm-up never keeps a worker from serving
            logger.exception("warm-up: template %s did not compile", name)
            continue
        compiled += 1
    return compiled
