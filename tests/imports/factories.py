import factory

from apps.imports.models import ImportSession, ImportSource
from tests.accounts.factories import UserFactory


class ImportSessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ImportSession

    user = factory.SubFactory(UserFactory)
    source = ImportSource.CHATGPT
    original_filename = "export.zip"
