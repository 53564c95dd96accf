"""New rows of one table written at once, holding what the ORM's save() would
write: COPY on PostgreSQL, one executemany on SQLite.

An archive import writes some ten rows per article. The ORM's bulk_create
builds SQL for every value of every row (a third of an import's time, and on
PostgreSQL it quotes each value in Python); here the values every row shares
are prepared once, and each row's own values by their field, as the ORM would.
"""

from __future__ import annotations

from typing import Any

from django.db import connection, models
from django.db.models import Model


def new_ids(model: type[Model], count: int) -> list[int]:
    """``count`` primary keys for new rows of ``model``, as the database would
    hand them out: its sequence on PostgreSQL, after the highest ever used on
    SQLite (AUTOINCREMENT). Call it inside the transaction that writes them:
    SQLite's write lock, or the sequence, keeps another writer off them."""
    if not count:
        return []
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) "
                "FROM generate_series(1, %s)",
                [table, model._meta.pk.column, count],
            )
            return [row[0] for row in cursor.fetchall()]
        quoted = connection.ops.quote_name(table)
        cursor.execute(
            "SELECT max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = %s), 0),"
            f" coalesce((SELECT max({model._meta.pk.column}) FROM {quoted}), 0))",
            [table],
        )
        last = cursor.fetchone()[0]
    return list(range(last + 1, last + 1 + count))


# Text, numbers and flags reach the database as they are: their fields' own
# preparation only checks the type (a third of the time spent on a row).
def _type_stored_as_given(field: models.Field) -> type | None:
    while isinstance(field, models.ForeignKey):
        field = field.target_field
    if isinstance(field, models.BooleanField):
        return bool
    if isinstance(field, models.IntegerField):  # and the AutoFields
        return int
    if isinstance(field, models.CharField | models.TextField):
        return str
    return None


class NewRows:
    """Rows for ``model``'s table: ``shared`` values (by attribute name) are the
    same in every row, ``varying`` ones are given to ``add`` in that order, and
    every other column takes its field's default."""

    def __init__(self, model: type[Model], shared: dict[str, Any], varying: list[str]):
        fields = {f.attname: f for f in model._meta.concrete_fields}
        unknown = (set(shared) | set(varying)) - set(fields)
        if unknown:
            raise ValueError(f"{model.__name__} has no {sorted(unknown)}")
        self.table = model._meta.db_table
        self.columns = [f.column for f in fields.values()]
        self.template: list[Any] = []
        for name, field in fields.items():
            if name in varying:
                value = None
            elif name in shared:
                value = shared[name]
            elif (field.has_default() and callable(field.default)) or any(
                getattr(field, flag, False) for flag in ("auto_now", "auto_now_add")
            ):
                # uuid4, timezone.now…: one value for every row would be wrong.
                raise ValueError(f"{model.__name__}.{name} needs a value per row")
            else:
                value = field.get_default()
            self.template.append(field.get_db_prep_save(value, connection))
        positions = {name: i for i, name in enumerate(fields)}
        self.varying = [
            (positions[name], fields[name], _type_stored_as_given(fields[name]))
            for name in varying
        ]
        self.rows: list[list[Any]] = []

    def add(self, *values: Any) -> None:
        row = self.template.copy()
        for (position, field, plain), value in zip(self.varying, values, strict=True):
            if plain and (value is None or type(value) is plain):
                row[position] = value
            else:
                row[position] = field.get_db_prep_save(value, connection)
        self.rows.append(row)

    def write(self) -> None:
        if not self.rows:
            return
        table = connection.ops.quote_name(self.table)
        columns = ", ".join(map(connection.ops.quote_name, self.columns))
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                sql = f"COPY {table} ({columns}) FROM STDIN"
                with cursor.cursor.copy(sql) as copy:
                    for row in self.rows:
                        copy.write_row(row)
            else:
                placeholders = ", ".join(["%s"] * len(self.columns))
                cursor.executemany(
                    f"INSERT INTO {table} ({columns}) VALUES ({placeholders})",
                    self.rows,
                )
        self.rows = []
