"""The admin: every registered model answers for staff and refuses visitors, prompt writes go
through the services, the actions work, and changelists don't grow queries with rows."""

import re
from datetime import timedelta
from html.parser import HTMLParser

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult, get_date_max

from apps.accounts import services as account_services
from apps.accounts.models import User
from apps.imports.models import ImportCandidate
from apps.prompts import services
from apps.prompts.models import Prompt, PromptTag, PromptVersion, Tag
from apps.sharing.models import Share
from apps.teams.models import TeamInvite
from apps.templates.models import PromptTemplate
from tests.accounts.factories import StripeEventFactory, UserFactory
from tests.imports.factories import ImportSessionFactory
from tests.prompts.factories import PromptFactory, PromptOptimizationFactory, TagFactory
from tests.sharing.factories import ShareFactory
from tests.teams.factories import TeamInviteFactory
from tests.templates.factories import PromptTemplateFactory, TemplateRatingFactory

REGISTERED = sorted(admin.site._registry.items(), key=lambda item: item[0]._meta.label)
MODEL_IDS = [model._meta.label for model, _ in REGISTERED]


def _url(model, view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def fill_vault(tag: str) -> None:
    """Rows for every registered model, the way the product makes them."""
    owner = UserFactory(email=f"owner-{tag}@example.com", tier="pro")
    member = UserFactory(email=f"member-{tag}@example.com")
    labels = [f"{tag}-work", f"{tag}-email"]
    for n in range(3):
        prompt = PromptFactory(user=owner, name=f"{tag} prompt {n}", folder="work", tags=labels)
        services.prompt_update(prompt=prompt, author=member, content=f"Edited {tag} {n}")
        ShareFactory(prompt=prompt)
        PromptOptimizationFactory(prompt=prompt, requested_by=owner)
        services.label_set(prompt=prompt, label="production", version=1, user=member)
        services.label_set(prompt=prompt, label="production", version=2, user=owner)
    account_services.api_key_create(user=owner, name=f"{tag} app")
    TeamInviteFactory(invited_by=owner, invited_email=member.email, accepted=True)
    session = ImportSessionFactory(user=owner, imported_count=3, skipped_count=1)
    for n in range(2):
        ImportCandidate.objects.create(
            session=session, position=n, name=f"Found {n}", content="Hi", content_key=f"k{n}"
        )
    template = PromptTemplateFactory(name=f"{tag} template", slug=f"{tag}-template")
    TemplateRatingFactory(template=template, user=member, score=5)
    StripeEventFactory(event_id=f"evt_{tag}")
    Group.objects.get_or_create(name=f"{tag} editors")
    DBTaskResult.objects.create(
        task_path="apps.imports.tasks.run_import",
        args_kwargs={"args": [], "kwargs": {}},
        backend_name="default",
        run_after=get_date_max(),
        exception_class_path="",
        traceback="",
    )


@pytest.fixture
def staff(db) -> User:
    return UserFactory(
        email="staff@example.com", name="Sam Staff", is_staff=True, is_superuser=True
    )


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


@pytest.fixture
def vault(db):
    fill_vault("a")


class FormReader(HTMLParser):
    """Collects what a browser would submit from the admin's change form."""

    def __init__(self, form_id: str):
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inside = False
        self.data: dict[str, list[str]] = {}
        self._select: str | None = None
        self._textarea: str | None = None
        self._text: list[str] = []

    def _add(self, name: str, value: str) -> None:
        self.data.setdefault(name, []).append(value)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("id") == self.form_id:
            self.inside = True
        if not self.inside or not attrs.get("name") and tag != "option":
            return
        if tag == "input":
            kind = attrs.get("type", "text")
            if kind in {"submit", "button", "file"}:
                return
            if kind in {"checkbox", "radio"} and "checked" not in attrs:
                return
            self._add(attrs["name"], attrs.get("value", "on" if kind == "checkbox" else ""))
        elif tag == "select":
            self._select = attrs["name"]
        elif tag == "option" and self._select and "selected" in attrs:
            self._add(self._select, attrs.get("value", ""))
        elif tag == "textarea":
            self._textarea = attrs["name"]
            self._text = []

    def handle_data(self, data):
        if self._textarea:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "form" and self.inside:
            self.inside = False
        elif tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea:
            # Browsers drop the newline that follows <textarea>.
            self._add(self._textarea, "".join(self._text).removeprefix("\n"))
            self._textarea = None


def form_data(client, url: str, model) -> dict:
    response = client.get(url)
    assert response.status_code == 200
    reader = FormReader(f"{model._meta.model_name}_form")
    reader.feed(response.content.decode())
    return {name: values if len(values) > 1 else values[0] for name, values in reader.data.items()}


# --- Every registered model -------------------------------------------------------------------


@pytest.mark.parametrize(("model", "model_admin"), REGISTERED, ids=MODEL_IDS)
def test_staff_can_open_every_changelist_and_add_page(
    rf, staff, staff_client, vault, model, model_admin
):
    assert staff_client.get(_url(model, "changelist")).status_code == 200
    request = rf.get("/")
    request.user = staff
    expected = 200 if model_admin.has_add_permission(request) else 403
    assert staff_client.get(_url(model, "add")).status_code == expected


@pytest.mark.parametrize(("model", "model_admin"), REGISTERED, ids=MODEL_IDS)
def test_staff_can_open_a_real_objects_change_page(staff_client, vault, model, model_admin):
    obj = model._default_manager.first()
    assert obj is not None
    response = staff_client.get(_url(model, "change", obj.pk))
    assert response.status_code == 200


@pytest.mark.parametrize(("model", "model_admin"), REGISTERED, ids=MODEL_IDS)
def test_visitors_are_sent_to_the_admin_login(client, db, model, model_admin):
    for view in ("changelist", "add"):
        url = _url(model, view)
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))


def test_every_model_of_the_product_is_registered():
    product_models = [model for model in apps.get_models() if model.__module__.startswith("apps.")]
    assert product_models
    unregistered = [m._meta.label for m in product_models if m not in admin.site._registry]
    assert not unregistered


def test_people_without_staff_status_are_sent_to_the_admin_login(alice_client):
    response = alice_client.get(_url(Prompt, "changelist"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


@pytest.mark.parametrize(("model", "model_admin"), REGISTERED, ids=MODEL_IDS)
def test_changelist_queries_stay_flat_as_rows_grow(
    staff_client, vault, django_assert_max_num_queries, model, model_admin
):
    url = _url(model, "changelist")
    staff_client.get(url)  # warm caches such as content types
    with CaptureQueriesContext(connection) as few:
        assert staff_client.get(url).status_code == 200
    for tag in ("b", "c", "d"):
        fill_vault(tag)
    with django_assert_max_num_queries(len(few)):
        assert staff_client.get(url).status_code == 200


def test_changelist_searches_answer(staff_client, vault):
    for model, model_admin in REGISTERED:
        if model_admin.search_fields:
            response = staff_client.get(_url(model, "changelist"), {"q": "a"})
            assert response.status_code == 200, model._meta.label


def test_every_autocomplete_target_is_searchable():
    for model, model_admin in REGISTERED:
        for name in model_admin.autocomplete_fields:
            target = model._meta.get_field(name).remote_field.model
            assert admin.site._registry[target].search_fields, (model, name)


# --- Users ------------------------------------------------------------------------------------


def test_staff_add_a_user_with_email_and_password(staff_client):
    response = staff_client.post(
        _url(User, "add"),
        {
            "email": "  New.Person@Example.COM ",
            "name": "New Person",
            "tier": "pro",
            "password1": "a-long-unusual-passphrase",
            "password2": "a-long-unusual-passphrase",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(email="new.person@example.com")
    assert user.tier == "pro"
    assert user.check_password("a-long-unusual-passphrase")
    assert user.prompt_count == 0


def test_staff_cannot_add_a_second_account_for_an_address(staff_client, alice):
    response = staff_client.post(
        _url(User, "add"),
        {
            "email": "ALICE@example.com",
            "password1": "a-long-unusual-passphrase",
            "password2": "a-long-unusual-passphrase",
        },
    )
    assert response.status_code == 200
    assert "already exists" in response.content.decode()
    assert User.objects.filter(email__iexact="alice@example.com").count() == 1


def test_user_change_page_links_to_the_password_form(staff_client, alice):
    response = staff_client.get(_url(User, "change", alice.pk))
    assert 'href="../password/"' in response.content.decode()
    password_page = staff_client.get(reverse("admin:auth_user_password_change", args=[alice.pk]))
    assert password_page.status_code == 200


def test_staff_change_a_users_tier_without_touching_their_prompt_count(staff_client, alice):
    url = _url(User, "change", alice.pk)
    data = form_data(staff_client, url, User)
    assert "prompt_count" not in data
    # The owner adds a prompt while the form is open; saving the form must not undo it.
    PromptFactory(user=alice)
    data["tier"] = "pro"
    response = staff_client.post(url, data)
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.tier == "pro"
    assert alice.prompt_count == 1


def test_recount_action_fixes_a_wrong_prompt_count(staff_client, alice, charlie):
    PromptFactory(user=alice)
    PromptFactory(user=alice)
    User.objects.filter(pk=alice.pk).update(prompt_count=17)
    User.objects.filter(pk=charlie.pk).update(prompt_count=3)
    response = staff_client.post(
        _url(User, "changelist"),
        {"action": "recount_prompt_counts", "_selected_action": [alice.pk, charlie.pk]},
        follow=True,
    )
    assert "Corrected the prompt count of 2 user(s)." in response.content.decode()
    alice.refresh_from_db()
    charlie.refresh_from_db()
    assert (alice.prompt_count, charlie.prompt_count) == (2, 0)


def test_deleting_a_user_in_admin_removes_their_vault(staff_client, alice):
    prompt = PromptFactory(user=alice)
    response = staff_client.post(_url(User, "delete", alice.pk), {"post": "yes"})
    assert response.status_code == 302
    assert not User.objects.filter(pk=alice.pk).exists()
    assert not Prompt.objects.filter(pk=prompt.pk).exists()


# --- Prompts go through the services ----------------------------------------------------------


def _prompt_add_data(owner: User, **overrides) -> dict:
    data = {
        "user": str(owner.pk),
        "name": "Launch email",
        "description": "For the spring launch",
        "content": "Write a launch email about {{product}}.",
        "model": "gpt-4o",
        "folder": " marketing//email ",
        "tag_names": "launch, Email",
        "metadata": '{"temperature": 0.3}',
        "versions-TOTAL_FORMS": "0",
        "versions-INITIAL_FORMS": "0",
        "shares-TOTAL_FORMS": "0",
        "shares-INITIAL_FORMS": "0",
    }
    data.update(overrides)
    return data


def test_adding_a_prompt_creates_version_one_and_counts_it(staff_client, staff, alice):
    response = staff_client.post(_url(Prompt, "add"), _prompt_add_data(alice))
    assert response.status_code == 302
    prompt = Prompt.objects.get(user=alice)
    assert prompt.folder == "marketing/email"
    assert prompt.metadata == {"temperature": 0.3}
    assert sorted(prompt.tags.values_list("name", flat=True)) == ["Email", "launch"]
    version = prompt.versions.get()
    assert (version.version, version.created_by, version.change_message) == (
        1,
        staff,
        "Initial version",
    )
    alice.refresh_from_db()
    assert alice.prompt_count == 1


def test_adding_a_prompt_to_a_full_free_vault_is_refused(staff_client, alice):
    User.objects.filter(pk=alice.pk).update(prompt_count=50)
    response = staff_client.post(_url(Prompt, "add"), _prompt_add_data(alice))
    assert response.status_code == 200
    assert "Upgrade to add more" in response.content.decode()
    assert not Prompt.objects.filter(user=alice).exists()


def test_a_bad_prompt_is_refused_with_the_services_messages(staff_client, alice):
    response = staff_client.post(
        _url(Prompt, "add"),
        _prompt_add_data(alice, folder="a/../b", metadata="[1, 2]", content="   "),
    )
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert set(form.errors) >= {"folder", "metadata", "content"}
    assert not Prompt.objects.exists()


def test_a_content_change_adds_a_version_by_the_staff_member(staff_client, staff, alice):
    prompt = PromptFactory(user=alice, content="First draft", tags=["draft"])
    ShareFactory(prompt=prompt)
    url = _url(Prompt, "change", prompt.pk)
    data = form_data(staff_client, url, Prompt)
    assert data["tag_names"] == "draft"
    data.update(content="Second draft", change_message="Tightened the wording")
    response = staff_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    prompt.refresh_from_db()
    assert prompt.content == "Second draft"
    latest = prompt.versions.order_by("-version").first()
    assert (latest.version, latest.created_by, latest.change_message) == (
        2,
        staff,
        "Tightened the wording",
    )
    assert latest.content == prompt.content
    assert list(prompt.tags.values_list("name", flat=True)) == ["draft"]


def test_a_name_change_adds_no_version(staff_client, alice):
    prompt = PromptFactory(user=alice)
    url = _url(Prompt, "change", prompt.pk)
    data = form_data(staff_client, url, Prompt)
    data["name"] = "Renamed in admin"
    assert staff_client.post(url, data).status_code == 302
    prompt.refresh_from_db()
    assert prompt.name == "Renamed in admin"
    assert prompt.versions.count() == 1


def test_prompt_change_page_shows_versions_and_shares(staff_client, alice):
    prompt = PromptFactory(user=alice, tags=["alpha", "beta"])
    services.prompt_update(prompt=prompt, author=alice, content="v2", change_message="Second")
    share = ShareFactory(prompt=prompt)
    body = staff_client.get(_url(Prompt, "change", prompt.pk)).content.decode()
    assert "Second" in body and "Initial version" in body
    assert share.share_code in body
    assert "alpha, beta" in body


def test_editing_a_share_inline_keeps_its_view_count(staff_client, alice):
    prompt = PromptFactory(user=alice)
    share = ShareFactory(prompt=prompt)
    Share.objects.filter(pk=share.pk).update(view_count=7)
    url = _url(Prompt, "change", prompt.pk)
    data = form_data(staff_client, url, Prompt)
    assert not any(key.endswith("view_count") for key in data)
    data["shares-0-revoked_at_0"] = "2030-01-01"
    data["shares-0-revoked_at_1"] = "12:00:00"
    assert staff_client.post(url, data).status_code == 302
    share.refresh_from_db()
    assert share.revoked_at is not None
    assert share.view_count == 7


def test_deleting_a_prompt_keeps_the_count_right(staff_client, alice):
    keep, gone = PromptFactory(user=alice), PromptFactory(user=alice)
    response = staff_client.post(_url(Prompt, "delete", gone.pk), {"post": "yes"})
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.prompt_count == 1
    assert list(Prompt.objects.values_list("pk", flat=True)) == [keep.pk]
    assert not PromptVersion.objects.filter(prompt_id=gone.pk).exists()


def test_bulk_delete_keeps_every_owners_count_right(staff_client, alice, charlie):
    alice_prompts = [PromptFactory(user=alice) for _ in range(3)]
    charlie_prompts = [PromptFactory(user=charlie) for _ in range(2)]
    selected = [alice_prompts[0].pk, alice_prompts[1].pk, charlie_prompts[0].pk]
    response = staff_client.post(
        _url(Prompt, "changelist"),
        {"action": "delete_selected", "_selected_action": selected, "post": "yes"},
    )
    assert response.status_code == 302
    alice.refresh_from_db()
    charlie.refresh_from_db()
    assert (alice.prompt_count, charlie.prompt_count) == (1, 1)
    assert Prompt.objects.count() == 2


def test_prompt_recount_action_fixes_owner_counts(staff_client, alice):
    prompt = PromptFactory(user=alice)
    User.objects.filter(pk=alice.pk).update(prompt_count=0)
    staff_client.post(
        _url(Prompt, "changelist"),
        {"action": "recount_owner_counts", "_selected_action": [prompt.pk]},
    )
    alice.refresh_from_db()
    assert alice.prompt_count == 1


def test_prompt_owner_cannot_be_changed_once_created(staff_client, alice, charlie):
    prompt = PromptFactory(user=alice)
    url = _url(Prompt, "change", prompt.pk)
    data = form_data(staff_client, url, Prompt)
    data["user"] = str(charlie.pk)
    staff_client.post(url, data)
    prompt.refresh_from_db()
    assert prompt.user == alice


# --- Tags -------------------------------------------------------------------------------------


def test_tag_names_stay_unique_per_vault_ignoring_case(staff_client, alice):
    TagFactory(user=alice, name="Email")
    response = staff_client.post(
        _url(Tag, "add"), {"user": str(alice.pk), "name": "email", "color": "#112233"}
    )
    assert response.status_code == 200
    assert Tag.objects.filter(user=alice).count() == 1


def test_a_tag_from_another_vault_cannot_be_linked(staff_client, alice, charlie):
    prompt = PromptFactory(user=alice)
    other = TagFactory(user=charlie)
    response = staff_client.post(
        _url(PromptTag, "add"), {"prompt": str(prompt.pk), "tag": str(other.pk)}
    )
    assert response.status_code == 200
    assert not PromptTag.objects.exists()


def test_a_link_added_in_the_admin_goes_through_the_service(staff_client, alice, monkeypatch):
    prompt = PromptFactory(user=alice)
    tag = TagFactory(user=alice)
    calls = []
    link = services.prompt_tag_link
    monkeypatch.setattr(services, "prompt_tag_link", lambda **kw: calls.append(kw) or link(**kw))

    response = staff_client.post(
        _url(PromptTag, "add"), {"prompt": str(prompt.pk), "tag": str(tag.pk)}
    )

    assert response.status_code == 302
    assert calls == [{"prompt": prompt, "tag": tag}]
    assert list(prompt.tags.all()) == [tag]


def test_links_are_removed_in_the_admin_through_the_service(staff_client, alice, monkeypatch):
    prompt = PromptFactory(user=alice, tags=["one", "two"])
    removed = []
    unlink = services.prompt_tags_unlink
    monkeypatch.setattr(
        services, "prompt_tags_unlink", lambda **kw: removed.append(kw) or unlink(**kw)
    )
    first, second = PromptTag.objects.filter(prompt=prompt).order_by("tag__name")

    staff_client.post(_url(PromptTag, "delete", first.pk), {"post": "yes"})
    staff_client.post(
        _url(PromptTag, "changelist"),
        {"action": "delete_selected", "_selected_action": [str(second.pk)], "post": "yes"},
    )

    assert len(removed) == 2
    assert not prompt.tags.exists()


def test_a_link_cannot_be_repointed_in_the_admin(staff_client, alice):
    prompt = PromptFactory(user=alice, tags=["one"])
    other = TagFactory(user=alice)
    link = PromptTag.objects.get(prompt=prompt)

    staff_client.post(
        _url(PromptTag, "change", link.pk), {"prompt": str(prompt.pk), "tag": str(other.pk)}
    )

    link.refresh_from_db()
    assert link.tag.name == "one"


# --- Shares and templates ---------------------------------------------------------------------


def test_expire_now_ends_live_links_only(staff_client, alice):
    prompt = PromptFactory(user=alice)
    live = ShareFactory(prompt=prompt)
    later = ShareFactory(prompt=prompt, expires_at=timezone.now() + timedelta(days=7))
    long_gone = timezone.now() - timedelta(days=30)
    dead = ShareFactory(prompt=prompt, expires_at=long_gone)
    before = timezone.now()
    response = staff_client.post(
        _url(Share, "changelist"),
        {"action": "expire_now", "_selected_action": [live.pk, later.pk, dead.pk]},
        follow=True,
    )
    assert "Expired 2 share link(s)." in response.content.decode()
    for share in (live, later, dead):
        share.refresh_from_db()
    assert before <= live.expires_at <= timezone.now()
    assert before <= later.expires_at <= timezone.now()
    assert dead.expires_at == long_gone


def test_staff_add_a_share_through_the_sharing_service(staff_client, alice):
    prompt = PromptFactory(user=alice)
    before = timezone.now()
    response = staff_client.post(
        _url(Share, "add"), {"prompt": str(prompt.pk), "version": "", "expires_in": "7d"}
    )
    assert response.status_code == 302
    share = Share.objects.get()
    assert share.shared_by == alice
    assert len(share.share_code) >= 22
    assert share.expires_at >= before + timedelta(days=7)


def test_a_share_cannot_pin_another_prompts_version(staff_client, alice):
    prompt, other = PromptFactory(user=alice), PromptFactory(user=alice)
    response = staff_client.post(
        _url(Share, "add"),
        {"prompt": str(prompt.pk), "version": str(other.versions.get().pk), "expires_in": "1d"},
    )
    assert response.status_code == 200
    assert not Share.objects.exists()


def test_mark_and_unmark_official(staff_client):
    community = PromptTemplateFactory(is_official=False)
    official = PromptTemplateFactory(is_official=True)
    url = _url(PromptTemplate, "changelist")
    staff_client.post(url, {"action": "mark_official", "_selected_action": [community.pk]})
    community.refresh_from_db()
    assert community.is_official
    staff_client.post(
        url, {"action": "unmark_official", "_selected_action": [community.pk, official.pk]}
    )
    chosen = PromptTemplate.objects.filter(pk__in=[community.pk, official.pk])
    assert not chosen.filter(is_official=True).exists()


def test_removing_a_rating_updates_the_templates_average(staff_client):
    template = PromptTemplateFactory()
    low = TemplateRatingFactory(template=template, score=1)
    TemplateRatingFactory(template=template, score=5)
    response = staff_client.post(_url(type(low), "delete", low.pk), {"post": "yes"})
    assert response.status_code == 302
    template.refresh_from_db()
    assert (template.rating, template.rating_count) == (5.0, 1)


# --- Team invites -----------------------------------------------------------------------------


def test_resend_action_mails_a_fresh_link_and_skips_answered_invites(
    staff_client, django_capture_on_commit_callbacks, mailoutbox
):
    pending = TeamInviteFactory(expires_at=timezone.now() + timedelta(hours=1))
    answered = TeamInviteFactory(accepted=True)
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            _url(TeamInvite, "changelist"),
            {"action": "resend", "_selected_action": [pending.pk, answered.pk]},
            follow=True,
        )
    body = response.content.decode()
    assert "Resent 1 invite(s)." in body
    assert answered.invited_email in body
    assert [message.to for message in mailoutbox] == [[pending.invited_email]]
    pending.refresh_from_db()
    assert pending.expires_at > timezone.now() + timedelta(days=6)


def test_revoke_action_withdraws_invites(staff_client):
    invite = TeamInviteFactory()
    staff_client.post(
        _url(TeamInvite, "changelist"), {"action": "revoke", "_selected_action": [invite.pk]}
    )
    invite.refresh_from_db()
    assert invite.revoked_at is not None


# --- Content security policy ------------------------------------------------------------------


def test_admin_scripts_carry_the_pages_nonce(staff_client, vault):
    prompt = Prompt.objects.first()
    for url in (
        reverse("admin:index"),
        _url(Prompt, "changelist"),
        _url(Prompt, "change", prompt.pk),
        _url(PromptTemplate, "add"),
    ):
        response = staff_client.get(url)
        nonce = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"]).group(1)
        tags = re.findall(r"<script\b[^>]*>", response.content.decode())
        assert tags, url
        assert all(f'nonce="{nonce}"' in tag for tag in tags), url


def test_optimizations_are_read_and_deleted_in_the_admin_never_edited(staff_client):
    from apps.prompts.models import PromptOptimization

    optimization = PromptOptimizationFactory(prompt=PromptFactory(), optimized_content="Better")
    page = staff_client.get(_url(PromptOptimization, "change", optimization.pk))
    assert page.status_code == 200
    assert b"Better" in page.content
    assert b'name="optimized_content"' not in page.content
    staff_client.post(
        _url(PromptOptimization, "change", optimization.pk), {"optimized_content": "Edited"}
    )
    optimization.refresh_from_db()
    assert optimization.optimized_content == "Better"
    assert staff_client.get(_url(PromptOptimization, "add")).status_code == 403
