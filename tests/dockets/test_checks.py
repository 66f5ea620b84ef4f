"""The documents storage checks fail loudly on a setting that would lose or expose files."""

from nextgen.dockets.checks import documents_storage


def test_no_documents_storage_is_an_error(settings):
    settings.STORAGES = {k: v for k, v in settings.STORAGES.items() if k != "documents"}
    assert [m.id for m in documents_storage(None)] == ["dockets.E001"]


def test_a_documents_folder_served_by_url_is_a_warning(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "documents": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path), "base_url": "/media/"},
        },
    }
    assert [m.id for m in documents_storage(None)] == ["dockets.W001"]


def test_the_default_settings_pass():
    assert documents_storage(None) == []
