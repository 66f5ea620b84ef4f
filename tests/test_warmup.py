"""A gunicorn worker compiles the project's templates once, before its first request
(nextgen/warmup.py, gunicorn.conf.py's post_worker_init), so the threads of its first
burst of requests never each compile the same templates at once."""

from __future__ import annotations

import gc
import runpy
import weakref
from pathlib import Path

from django.forms.renderers import get_default_renderer
from django.template import engines
from django.template.loaders.cached import Loader as CachedLoader

from nextgen.warmup import (
    form_template_names,
    project_template_names,
    set_aside_what_is_loaded,
    warm_up,
)

ROOT = Path(__file__).resolve().parent.parent


def cached_loader(engine) -> CachedLoader:
    (loader,) = [loader for loader in engine.template_loaders if isinstance(loader, CachedLoader)]
    return loader


def emptied_caches() -> tuple[CachedLoader, CachedLoader]:
    pages = cached_loader(engines["django"].engine)
    forms = cached_loader(get_default_renderer().engine.engine)
    pages.reset()
    forms.reset()
    return pages, forms


def test_the_project_templates_are_every_template_under_the_nextgen_package():
    names = project_template_names(engines["django"])
    assert "signon/login.html" in names
    assert "base.html" in names
    # Django's and third parties' templates (the admin's) are left to the pages using them.
    assert not any(name.startswith("admin/") for name in names)


def test_warming_up_compiles_every_project_template_and_the_form_widgets():
    pages, forms = emptied_caches()

    compiled = warm_up()

    assert set(project_template_names(engines["django"])) <= set(pages.get_template_cache)
    assert "django/forms/widgets/input.html" in forms.get_template_cache
    assert set(form_template_names()) <= set(forms.get_template_cache)
    assert compiled == len(project_template_names(engines["django"])) + len(form_template_names())


def test_every_gunicorn_worker_warms_up_and_sets_aside_what_it_loaded_before_its_first_request():
    pages, _ = emptied_caches()
    settings = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    try:
        settings["post_worker_init"](worker=None)

        assert "signon/login.html" in pages.get_template_cache
        # Full collections no longer walk what was loaded, the compiled templates
        # among it.
        assert gc.get_freeze_count() > 0
        assert id(pages.get_template_cache) not in {id(o) for o in gc.get_objects()}
    finally:
        gc.unfreeze()


def test_garbage_made_after_setting_aside_is_still_collected():
    set_aside_what_is_loaded()
    try:

        class Cycle:
            pass

        first, second = Cycle(), Cycle()
        first.other, second.other = second, first
        alive = weakref.ref(first)
        del first, second

        gc.collect()

        assert alive() is None
    finally:
        gc.unfreeze()


def test_a_template_that_fails_oddly_is_skipped_and_logged_not_fatal(caplog):
    from nextgen.warmup import _compile

    def get_template(name: str) -> object:
        if name == "bad.html":
            raise UnicodeDecodeError("utf-8", b"\xff", 0, 1, "not text")
        return object()

    assert _compile(get_template, ["good.html", "bad.html"]) == 1
    assert "bad.html" in caplog.text


def test_only_template_files_are_compiled():
    names = project_template_names(engines["django"])
    assert names and all(name.rsplit(".", 1)[-1] in ("html", "txt", "xml") for name in names)


def test_a_failing_warm_up_never_keeps_the_worker_from_serving(monkeypatch, caplog):
    import nextgen.warmup

    def broken() -> int:
        raise RuntimeError("boom")

    monkeypatch.setattr(nextgen.warmup, "warm_up", broken)
    settings = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    settings["post_worker_init"](worker=None)  # gunicorn would halt the server on a raise
    assert "warm-up failed" in caplog.text
