"""Sessions in the database with Redis in front, that keep working when Redis does not.

Django's cached_db backend reads a session from the cache and falls back to the database
on a miss, but its read path writes the session back into the cache, and `exists` and
`delete` ask the cache, all without catching an error: with Redis down, every signed-in
page (and every page that makes a session) was a 500. Here every cache call is caught
and logged, and the database, which holds every session anyway, answers alone.

What this cannot do: a session changed or ended while Redis was *frozen* (not restarted)
keeps its older copy in Redis once Redis thaws, until that copy expires. Restarting a
frozen Redis (which starts empty unless it persists to disk) avoids that; see
docs/operations.md, "When a part fails".
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from django.contrib.sessions.backends import cached_db
from django.contrib.sessions.backends.base import VALID_KEY_CHARS, CreateError, UpdateError
from django.db import DatabaseError, IntegrityError, connections, router
from django.utils.crypto import get_random_string

from nextgen.throttle import CACHE_ERRORS

if TYPE_CHECKING:
    from django.contrib.sessions.base_session import AbstractBaseSession
    from django.contrib.sessions.models import Session
    from django.core.cache.backends.base import BaseCache

logger = logging.getLogger("django.contrib.sessions")


def _warn(what: str) -> None:
    logger.warning("Session cache unavailable (%s); using the database alone", what)


class SessionStore(cached_db.SessionStore):
    if TYPE_CHECKING:
        # Django's private members this builds on; django-stubs declares only the public API.
        _cache: BaseCache
        _session: dict[str, Any]

        def _get_session_from_db(self) -> Session | None: ...

        def _get_session(self, no_load: bool = False) -> dict[str, Any]: ...

    def load(self) -> dict:
        cache_up = True
        try:
            data = self._cache.get(self.cache_key)
        except CACHE_ERRORS:
            _warn("read")
            data, cache_up = None, False
        except Exception:  # as Django: an invalid cache key resets the session (#17810)
            data = None
        if data is not None:
            return data
        s = self._get_session_from_db()
        if s is None:
            return {}
        data = self.decode(s.session_data)
        if cache_up:  # a frozen Redis would cost a second timeout for nothing
            try:
                self._cache.set(self.cache_key, data, self.get_expiry_age(expiry=s.expire_date))
            except CACHE_ERRORS:
                _warn("write")
        return data

    def exists(self, session_key: str) -> bool:
        if session_key:
            try:
                if (self.cache_key_prefix + session_key) in self._cache:
                    return True
            except CACHE_ERRORS:
                _warn("read")
        # The database holds every session; the cache only some of them.
        return super(cached_db.SessionStore, self).exists(session_key)

    def cycle_key(self) -> None:
        """A new key for the same data (every sign-in). Django's cycle_key writes the new
        session at once (an exists check, an insert) and the response then writes it
        again; here the key is chosen now and the row inserted once, when the response
        saves the session. The old session is deleted now, as Django does."""
        data = self._session
        old_key = self.session_key
        self._session_key = _new_key()
        self._session_cache = data
        self.modified = True
        self._insert_on_save = True
        self.__dict__.pop("_row_written", None)
        if old_key:
            self.delete(old_key)

    def row_to_insert(self) -> AbstractBaseSession | None:
        """The row this session's save() would insert (a new key awaiting its row, after
        cycle_key), for a caller that inserts it in a statement of its own, inside its
        transaction (a sign-in: one round trip less), then calls `row_inserted`. None
        when there is no such row to write."""
        if not self.__dict__.get("_insert_on_save") or self.session_key is None:
            return None
        return self.create_model_instance(self._session)

    def row_inserted(self) -> None:
        """The row of `row_to_insert` is written (the caller's transaction, if it fails,
        fails the request: no session is saved on a 500). The response's save then writes
        only the cache, or updates the row if the data changed since."""
        self.__dict__.pop("_insert_on_save", None)
        # As encoded: a value changed in place later (a nested dict) is seen as a change.
        self._row_written = (self.session_key, self.encode(self._session))

    def save(self, must_create: bool = False) -> None:
        written = self.__dict__.pop("_row_written", None)
        if written is not None and not must_create:
            if written != (self.session_key, self.encode(self._session)):
                self._save_row(must_create=False)
            self._cache_write()
            return
        if self.__dict__.pop("_insert_on_save", False) and not must_create:
            # 190 random bits: a clash is all but impossible, but costs a new key, not data.
            for _ in range(3):
                try:
                    return self.save(must_create=True)
                except CreateError:
                    self._session_key = _new_key()
            raise CreateError
        self._save_row(must_create)
        self._cache_write()

    def _cache_write(self) -> None:
        try:
            self._cache.set(self.cache_key, self._session, self.get_expiry_age())
        except CACHE_ERRORS:
            _warn("write")

    def _save_row(self, must_create: bool) -> None:
        """The database row, as Django's db backend writes it, but as one statement on its
        own when no transaction is open (the response saving the session): an INSERT or
        UPDATE is atomic by itself, and Django's transaction around it cost two more round
        trips (BEGIN, COMMIT) on every sign-in. Inside a transaction, Django's way (a
        savepoint, so a clash leaves the transaction usable) stays."""
        if self.session_key is None:
            return self.create()
        using = router.db_for_write(self.model)
        if connections[using].in_atomic_block:
            return super(cached_db.SessionStore, self).save(must_create)
        obj = self.create_model_instance(self._get_session(no_load=must_create))
        try:
            obj.save(force_insert=must_create, force_update=not must_create, using=using)
        except IntegrityError as exc:
            if must_create:
                raise CreateError from exc
            raise
        except DatabaseError as exc:
            if not must_create:
                raise UpdateError from exc
            raise

    def delete(self, session_key: str | None = None) -> None:
        super(cached_db.SessionStore, self).delete(session_key)
        if session_key is None:
            if self.session_key is None:
                return
            session_key = self.session_key
        try:
            self._cache.delete(self.cache_key_prefix + session_key)
        except CACHE_ERRORS:
            _warn("delete")


def _new_key() -> str:
    return get_random_string(32, VALID_KEY_CHARS)
