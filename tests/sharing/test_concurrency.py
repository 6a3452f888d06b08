import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from apps.sharing.models import Share

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_fifty_concurrent_views_count_fifty(share, settings):
    settings.PUBLIC_RATE_LIMIT_PER_MINUTE = 10_000
    url = reverse("sharing:share_page", args=[share.share_code])
    barrier = threading.Barrier(50)
    statuses = []

    def view():
        try:
            barrier.wait()
            statuses.append(Client().get(url).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=view) for _ in range(50)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [200] * 50
    assert Share.objects.get(pk=share.pk).view_count == 50
