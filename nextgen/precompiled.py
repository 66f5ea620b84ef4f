"""Queries on every signed-in page, with their SQL compiled once per process (issue 14).

Django builds the SQL of a queryset afresh on each evaluation. For the few queries that
run on every signed-in page (the session's account, the court with the viewer's link,
the quarter-to-date fee total) that costs more CPU than PostgreSQL spends answering
them: 0.6-2 ms each, against 0.1 ms for the round trip. A `Precompiled` query is still
written with the ORM; it is compiled on first use with placeholder arguments (values no
caller passes), and each call runs the same SQL with the caller's values in their place.

Only for querysets whose SQL does not depend on the values (a filter on a value, not an
`if` on it, nor `None`, which turns `=` into `IS NULL`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, Generic, TypeVar, cast

from django.db import connections
from django.db.models import Model, QuerySet
from django.db.models.query import ModelIterable, ValuesIterable, ValuesListIterable

# Values no caller passes, one per argument position and kind: found again in the
# compiled parameters, they mark where each argument goes.
_INT_BASE = -7_361_000_000_000
_DAY_BASE = dt.date(1111, 1, 1)


def _placeholder(kind: type, index: int) -> Any:
    if kind is int:
        return _INT_BASE - index
    if kind is str:
        return f"\x00precompiled-argument-{index}\x00"
    if kind is dt.date:
        return _DAY_BASE + dt.timedelta(days=index)
    raise TypeError(f"Precompiled takes int, str and date arguments, not {kind.__name__}")


class _Compiled:
    def __init__(self, queryset: QuerySet, placeholders: tuple[Any, ...]) -> None:
        compiler = queryset.query.get_compiler(queryset.db)
        self.sql, params = compiler.as_sql()
        # (argument index or None, the value or the adapter of the argument): a backend
        # may pass a value on adapted (SQLite: a date as its ISO text).
        self.slots: list[tuple[int | None, Any]] = []
        found = set()
        for value in params:
            for i, p in enumerate(placeholders):
                if type(p) is type(value) and p == value:
                    self.slots.append((i, None))
                    break
                if isinstance(p, dt.date) and value == str(p):
                    self.slots.append((i, str))
                    break
            else:
                self.slots.append((None, value))
                continue
            found.add(i)
        if len(found) != len(placeholders):
            raise ValueError("Precompiled: an argument does not reach the SQL as a parameter")
        # What the ORM would do with each row (e.g. SQLite's 0/1 into booleans).
        self.converters = compiler.get_converters([s[0] for s in compiler.select])
        self.compiler = compiler
        self.model = queryset.model
        self.values = queryset._iterable_class is ValuesIterable
        self.tuples = queryset._iterable_class is ValuesListIterable
        if not (self.values or self.tuples) and queryset._iterable_class is not ModelIterable:
            raise TypeError(
                "Precompiled takes a queryset of models, of .values() dicts or of "
                ".values_list() tuples"
            )
        if self.values or self.tuples:
            self.names = [
                *compiler.query.extra_select,
                *compiler.query.values_select,
                *compiler.query.annotation_select,
            ]
        else:
            klass_info = compiler.klass_info
            self.model_fields = [
                compiler.select[i][0].target.attname for i in klass_info["select_fields"]
            ]
            self.model_slice = klass_info["select_fields"]
            self.annotations = list(compiler.annotation_col_map.items())

    def rows(self, using: str, args: tuple[Any, ...]) -> list[tuple]:
        params = [v if i is None else (args[i] if v is None else v(args[i])) for i, v in self.slots]
        with connections[using].cursor() as cursor:
            cursor.execute(self.sql, params)
            rows = cursor.fetchall()
        if self.converters:
            rows = [tuple(r) for r in self.compiler.apply_converters(rows, self.converters)]
        return rows


# What `first` gives: a model instance, or a dict for a `.values()` queryset; named where
# the query is declared (`Precompiled[Account](...)`), as a lambda cannot say it.
Row = TypeVar("Row")


class Precompiled(Generic[Row]):
    """`build(*args)` returns the queryset; `.first(*args)` runs its SQL, compiled once per
    process and database, and gives the first model instance (or dict for `.values()`,
    tuple for `.values_list()`), or None; `.all(*args)` gives every row. `kinds` are the
    arguments' types (int, str, date)."""

    def __init__(self, build: Callable[..., QuerySet], *kinds: type) -> None:
        self.build = build
        self.placeholders = tuple(_placeholder(kind, i) for i, kind in enumerate(kinds))
        self._compiled: dict[tuple[str, str], _Compiled] = {}

    def _for(self, using: str) -> _Compiled:
        key = (using, connections[using].vendor)
        compiled = self._compiled.get(key)
        if compiled is None:
            compiled = self._compiled[key] = _Compiled(
                self.build(*self.placeholders).using(using), self.placeholders
            )
        return compiled

    def _rows(self, args: tuple[Any, ...], using: str) -> tuple[_Compiled, list[tuple]]:
        # The SQL was compiled for these argument kinds: a None (which the ORM would
        # have turned into IS NULL) or another type must never run it.
        if len(args) != len(self.placeholders) or not all(
            type(a) is type(p) or (isinstance(p, int) and type(a) is int)
            for a, p in zip(args, self.placeholders, strict=False)
        ):
            raise TypeError(f"Precompiled query called with {args!r}")
        compiled = self._for(using)
        return compiled, compiled.rows(using, args)

    @staticmethod
    def _row(compiled: _Compiled, using: str, row: tuple) -> Any:
        if compiled.tuples:
            return row
        if compiled.values:
            return dict(zip(compiled.names, row, strict=False))
        instance = compiled.model.from_db(
            using, compiled.model_fields, [row[i] for i in compiled.model_slice]
        )
        for name, position in compiled.annotations:
            setattr(instance, name, row[position])
        return instance

    def first(self, *args: Any, using: str = "default") -> Row | None:
        compiled, rows = self._rows(args, using)
        return cast(Row, self._row(compiled, using, rows[0])) if rows else None

    def all(self, *args: Any, using: str = "default") -> list[Row]:
        """Every row, in the queryset's order (a model instance, a dict for `.values()`,
        a tuple for `.values_list()`)."""
        compiled, rows = self._rows(args, using)
        if compiled.tuples:
            return cast(list[Row], rows)
        return [cast(Row, self._row(compiled, using, row)) for row in rows]


# --- a model's INSERT, for a statement of the caller's own ------------------------------

_INSERTS: dict[tuple[type, str, bool], tuple[str, list[Any]]] = {}


def insert_statement(obj: Model, connection: Any, *, returning: bool = False) -> tuple[str, list]:
    """The INSERT of `obj` as SQL and parameters, for a caller that folds it into a
    statement of its own (a WITH clause: a sign-in's session rows, an audit append, a
    charge). What `save()` would send: every concrete column but an automatic primary
    key, each value through its field's `pre_save` and `get_db_prep_save`; `returning`
    adds `RETURNING` the primary key. The SQL is written once per model and database."""
    model = type(obj)
    key = (model, connection.vendor, returning)
    written = _INSERTS.get(key)
    if written is None:
        meta = model._meta
        fields = [f for f in meta.local_concrete_fields if not (f.primary_key and f.auto_created)]
        qn = connection.ops.quote_name
        sql = (
            f"INSERT INTO {qn(meta.db_table)} ({', '.join(qn(f.column) for f in fields)}) "  # noqa: S608 (names from _meta)
            f"VALUES ({', '.join(['%s'] * len(fields))})"
        )
        if returning:
            sql += f" RETURNING {qn(meta.pk.column)}"
        written = _INSERTS[key] = (sql, fields)
    sql, fields = written
    return sql, [f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields]
