import threading

import pytest
from django.db import connection

from apps.teams import services
from apps.teams.models import TeamInvite
from tests.accounts.factories import UserFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_two_accepts_for_the_last_seat_let_exactly_one_in():
    owner = UserFactory(tier="enterprise")
    people = [UserFactory(email=f"seat{index}@example.com") for index in range(5)]
    invites = [
        services.invite_create(owner=owner, email=person.email, role="viewer") for person in people
    ]
    for person, invite in zip(people[:3], invites[:3], strict=True):
        services.invite_accept(invite=invite, user=person)
    owner.tier = "pro"  # one seat left (owner + 3 members of 5), two invites still open
    owner.save(update_fields=["tier"])
    barrier = threading.Barrier(2)
    outcomes = []

    def accept(person, invite):
        try:
            barrier.wait()
            services.invite_accept(invite=invite, user=person)
            outcomes.append("joined")
        except Exception as error:  # noqa: BLE001 - the loser's error is the point
            outcomes.append(type(error).__name__)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=accept, args=(people[index], invites[index])) for index in (3, 4)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["LimitReached", "joined"]
    assert TeamInvite.objects.filter(accepted=True).count() == 4
