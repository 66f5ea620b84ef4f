"""The Django admin app, with NextGen's own admin site as the default site.

In INSTALLED_APPS instead of "django.contrib.admin". Kept apart from admin_site.py
because INSTALLED_APPS imports this module before any model is ready."""

from django.contrib.admin.apps import AdminConfig


class NextGenAdminConfig(AdminConfig):
    default_site = "nextgen.signon.admin_site.NextGenAdminSite"
