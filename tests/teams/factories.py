from datetime import timedelta

import factory
from django.utils import timezone

from apps.teams.models import Role, TeamInvite
from apps.teams.services import membership_counts_sync
from tests.accounts.factories import UserFactory


class TeamInviteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TeamInvite
        skip_postgeneration_save = True

    invited_by = factory.SubFactory(UserFactory, tier="pro")
    invited_email = factory.Sequence(lambda n: f"invitee{n}@example.com")
    role = Role.VIEWER
    expires_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=7))

    @factory.post_generation
    def count_membership(invite, create, extracted, **kwargs):
        """Keep the member's count of teams (`User.membership_count`) as the services would."""
        if create and invite.accepted_by_id:
            membership_counts_sync(user_ids=[invite.accepted_by_id])
            invite.accepted_by.refresh_from_db(fields=["membership_count"])
