import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nextgen.settings")
django_application = get_wsgi_application()

# After Django is set up: the gate resolves URLs.
from nextgen.hashgate import HashGate  # noqa: E402

# Password checks wait at the gate, before Django, so other pages never queue behind them.
application = HashGate(django_application)
