"""Database helpers shared by the apps."""

from collections.abc import Iterable, Sequence
from itertools import islice

from django.db import connections, models, router


class NamedIndex(models.Index):
    """An index whose name may run to PostgreSQL's 63 characters. Django caps index names at
    30 for portability, but the schema we honour names `prompt_optimizations_prompt_id_idx`."""

    max_name_length = 63


class StoredGeneratedField(models.GeneratedField):
    """A generated column the database stores, whose system checks need no database. Django
    checks a GeneratedField by asking each database whether it has virtual generated columns,
    which on PostgreSQL means connecting to read the server's version; `manage.py check
    --deploy` must pass where there is no database. Both databases the project runs on store
    generated columns."""

    def check(self, **kwargs):
        return super().check(**{**kwargs, "databases": ()})


def insert_rows(model: type[models.Model], rows: list[dict]) -> None:
    """Insert plain rows (dicts of attribute name → value, every concrete field given) as
    fast as the database allows: COPY on PostgreSQL, bulk_create elsewhere. For bulk writes
    (imports) where building thousands of model instances costs more than the database work.
    Values go through each field's own preparation, so they are stored exactly as the ORM
    would store them."""
    if not rows:
        return
    connection = connections[router.db_for_write(model)]
    if connection.vendor != "postgresql":
        model.objects.bulk_create([model(**row) for row in rows])
        return
    # Generated columns are the database's to fill.
    fields = [field for field in model._meta.concrete_fields if not field.generated]
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(
                    [field.get_db_prep_save(row[field.attname], connection) for field in fields]
                )


# Parameters one UPDATE … FROM VALUES carries: SQLite allows 32,766 and PostgreSQL 65,535;
# a thousand two-value rows a statement is where the import's writes stopped getting faster.
UPDATE_PARAMETERS = 2_000


def update_rows(
    model: type[models.Model],
    rows: Iterable[Sequence],
    *,
    match: Sequence[str],
    assign: Sequence[str],
    constants: dict | None = None,
    where: dict | None = None,
) -> int:
    """Set different values on many rows at once: each of `rows` holds the values of the
    `match` fields that find its row, then of the `assign` fields to store there. `constants`
    are stored in every row found, and `where` narrows the rows further. Written as
    UPDATE … FROM (VALUES …), a few hundred rows a statement: Django's bulk_update builds a
    CASE per row and field, which costs more than the bulk write it serves. Values go through
    each field's own preparation, as the ORM would store them. Returns the rows updated."""
    connection = connections[router.db_for_write(model)]
    opts = model._meta
    quote = connection.ops.quote_name
    table = quote(opts.db_table)
    keyed = [opts.get_field(name) for name in (*match, *assign)]
    constants, where = constants or {}, where or {}
    fixed = [(opts.get_field(name), value) for name, value in constants.items()]
    narrowed = [(opts.get_field(name), value) for name, value in where.items()]
    settings = [
        f"{quote(field.column)} = v.column{index}"
        for index, field in enumerate(keyed[len(match) :], start=len(match) + 1)
    ] + [f"{quote(field.column)} = %s" for field, _value in fixed]
    conditions = [
        f"{table}.{quote(field.column)} = v.column{index}"
        for index, field in enumerate(keyed[: len(match)], start=1)
    ] + [f"{table}.{quote(field.column)} = %s" for field, _value in narrowed]
    row_sql = "(" + ", ".join(["%s"] * len(keyed)) + ")"
    per_statement = max(1, UPDATE_PARAMETERS // len(keyed))
    updated = 0
    rows = iter(rows)
    with connection.cursor() as cursor:
        while chunk := list(islice(rows, per_statement)):
            params = [
                field.get_db_prep_value(value, connection)
                for row in chunk
                for field, value in zip(keyed, row, strict=True)
            ]
            cursor.execute(
                f"UPDATE {table} SET {', '.join(settings)} "  # noqa: S608 - names and placeholders only
                f"FROM (VALUES {', '.join([row_sql] * len(chunk))}) AS v "
                f"WHERE {' AND '.join(conditions)}",
                [
                    *(field.get_db_prep_value(value, connection) for field, value in fixed),
                    *params,
                    *(field.get_db_prep_value(value, connection) for field, value in narrowed),
                ],
            )
            updated += cursor.rowcount
    return updated
