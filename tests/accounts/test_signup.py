import pytest
from django.urls import reverse

from apps.accounts.models import User

SIGNUP = reverse("accounts:signup")
GOOD_PASSWORD = "violet-kettle-orbit-42"


def _signup(client, **overrides):
    data = {"name": "Dana Scully", "email": "dana@example.com", "password": GOOD_PASSWORD}
    data.update(overrides)
    return client.post(SIGNUP, data)


def test_a_visitor_signs_up_and_lands_on_their_dashboard(client, db):
    response = _signup(client)
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    dashboard = client.get(response["Location"])
    assert dashboard.status_code == 200
    assert "home/dashboard.html" in [t.name for t in dashboard.templates]
    assert "Welcome to PromptVault" in dashboard.content.decode()
    user = User.objects.get()
    assert (user.email, user.name, user.tier, user.prompt_count) == (
        "dana@example.com",
        "Dana Scully",
        "free",
        0,
    )
    assert user.check_password(GOOD_PASSWORD)


def test_sign_up_log_out_log_in_round_trip(client, db):
    _signup(client)
    assert client.post(reverse("accounts:logout")).status_code == 302
    landing = client.get(reverse("home"))
    assert "home/landing.html" in [t.name for t in landing.templates]
    response = client.post(
        reverse("accounts:login"), {"username": "dana@example.com", "password": GOOD_PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    dashboard = client.get(reverse("home"))
    assert "home/dashboard.html" in [t.name for t in dashboard.templates]
    assert "Hello, Dana Scully" in dashboard.content.decode()


def test_the_email_is_stored_lower_cased(client, db):
    _signup(client, email="  Dana.Scully@FBI.example.COM ")
    assert User.objects.get().email == "dana.scully@fbi.example.com"


@pytest.mark.parametrize("email", ["alice@example.com", "ALICE@Example.com"])
def test_a_taken_email_is_refused_whatever_its_case(client, alice, email):
    response = _signup(client, email=email)
    assert response.status_code == 200
    form = response.context["form"]
    assert "already exists" in form.errors["email"][0]
    assert "already exists" in response.content.decode()
    assert User.objects.count() == 1


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("short1", "too short"),
        ("password123", "too common"),
        ("48213975610", "entirely numeric"),
        ("dana@example.com", "too similar"),
    ],
)
def test_a_weak_password_is_refused(client, db, password, message):
    response = _signup(client, password=password)
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors["password"])
    assert message in errors
    assert not User.objects.exists()


@pytest.mark.parametrize("email", ["not-an-email", "dana@", "@example.com", ""])
def test_a_malformed_email_is_refused(client, db, email):
    response = _signup(client, email=email)
    assert response.status_code == 200
    assert "email" in response.context["form"].errors
    assert not User.objects.exists()


def test_sign_up_follows_a_safe_next_only(client, db):
    response = client.post(
        f"{SIGNUP}?next=/prompts/",
        {"email": "dana@example.com", "password": GOOD_PASSWORD, "next": "/prompts/"},
    )
    assert response["Location"] == "/prompts/"
    client.post(reverse("accounts:logout"))
    response = client.post(
        SIGNUP,
        {"email": "eve@example.com", "password": GOOD_PASSWORD, "next": "https://evil.example/"},
    )
    assert response["Location"] == reverse("home")


def test_people_signed_in_are_sent_home_from_sign_up(alice_client):
    response = alice_client.get(SIGNUP)
    assert response.status_code == 302
    assert response["Location"] == reverse("home")


def test_an_empty_sign_up_says_what_is_missing(client, db):
    response = client.post(SIGNUP, {})
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"email", "password"}
    assert not User.objects.exists()
