from django.core.exceptions import ValidationError
from django.http import Http404

from apps.accounts.models import User
from apps.imports.models import ImportSession


def get_session_for(user: User, pk) -> ImportSession:
    """An import session, for the user who uploaded it only (404 for anyone else)."""
    try:
        session = ImportSession.objects.get(pk=pk)
    except (ImportSession.DoesNotExist, ValueError, TypeError, ValidationError) as error:
        raise Http404("No such import.") from error
    if session.user_id != user.pk:
        raise Http404("No such import.")
    return session
