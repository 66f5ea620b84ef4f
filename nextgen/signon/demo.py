"""Demo data loaders of the apps above signon, run by `nextgen demo` after its accounts.

Each app registers its loaders in its AppConfig.ready() (ecf: courts, CM/ECF logins and
court staff; dockets: cases), so signon never imports them. They run in the order
registered, which follows INSTALLED_APPS: each needs what the ones before it loaded.
A loader loads its data (idempotently) and prints its section through `write`."""

from __future__ import annotations

from collections.abc import Callable

DemoLoader = Callable[[Callable[[str], object]], None]

DEMO_LOADERS: list[DemoLoader] = []
