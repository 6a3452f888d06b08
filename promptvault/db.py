"""Database helpers shared by the apps."""

from django.db import models


class NamedIndex(models.Index):
    """An index whose name may run to PostgreSQL's 63 characters. Django caps index names at
    30 for portability, but the schema we honour names `prompt_optimizations_prompt_id_idx`."""

    max_name_length = 63
