"""Background work for imports, run by the task worker (`manage.py db_worker`)."""

from django.tasks import task

from apps.imports import services
from apps.imports.models import ImportSession


@task()
def extract_upload(session_id: str) -> None:
    session = ImportSession.objects.select_related("user").filter(pk=session_id).first()
    if session is None or session.status not in (
        ImportSession.Status.UPLOADED,
        ImportSession.Status.EXTRACTING,
    ):
        return
    services.session_extract(session=session)


@task()
def import_selected(session_id: str) -> None:
    session = ImportSession.objects.filter(pk=session_id).first()
    if session is None or session.status != ImportSession.Status.IMPORTING:
        return
    services.session_import(session=session)
