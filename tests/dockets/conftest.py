import pytest


@pytest.fixture(autouse=True)
def documents_dir(settings, tmp_path):
    """Every dockets test stores its document files in its own folder."""
    location = tmp_path / "documents"
    settings.STORAGES = {
        **settings.STORAGES,
        "documents": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(location), "base_url": None},
        },
    }
    return location
