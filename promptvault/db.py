"""Database helpers shared by the apps."""

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
