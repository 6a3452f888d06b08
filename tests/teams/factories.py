from datetime import timedelta

import factory
from django.utils import timezone

from apps.teams.models import Role, TeamInvite
from tests.accounts.factories import UserFactory


class TeamInviteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TeamInvite

    invited_by = factory.SubFactory(UserFactory, tier="pro")
    invited_email = factory.Sequence(lambda n: f"invitee{n}@example.com")
    role = Role.VIEWER
    expires_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=7))
