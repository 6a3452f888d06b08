"""Every service that writes prompts, tags or folders leaves each vault's cached sidebar exactly
as a fresh read shows it: the lists and the rendered HTML.

The services are found by walking every app's services module (or package), so a new public
service fails `test_every_public_service_is_accounted_for` until it is added below: to
`WRITES` with a way to call it, or to `OTHERS` with why it can't change a vault's sidebar.
"""

import importlib
import inspect
import pkgutil
from dataclasses import dataclass

import pytest
from django.apps import apps
from django.test import Client, override_settings
from django.urls import reverse

from apps.accounts import services as accounts
from apps.accounts.models import Tier, User
from apps.imports import services as imports
from apps.imports.models import ImportCandidate, ImportSession
from apps.prompts import selectors, sidebar
from apps.prompts.models import Prompt, PromptOptimization, Tag
from apps.prompts.services import bulk, folders, labels, optimization, tags
from apps.prompts.services import prompts as prompt_services
from apps.sharing import services as sharing
from apps.templates import services as templates
from tests.imports.factories import ImportSessionFactory
from tests.prompts.factories import PromptFactory, PromptOptimizationFactory
from tests.templates.factories import PromptTemplateFactory


def public_services() -> dict[str, object]:
    """Every public function defined in an app's services module or package, by its dotted
    name."""
    found = {}
    for config in apps.get_app_configs():
        if not config.name.startswith("apps."):
            continue
        try:
            package = importlib.import_module(f"{config.name}.services")
        except ModuleNotFoundError:
            continue
        modules = [package]
        if hasattr(package, "__path__"):
            modules += [
                importlib.import_module(info.name)
                for info in pkgutil.iter_modules(package.__path__, f"{package.__name__}.")
            ]
        for module in modules:
            for name, function in inspect.getmembers(module, inspect.isfunction):
                if function.__module__ == module.__name__ and not name.startswith("_"):
                    found[f"{module.__name__}.{name}"] = function
    return found


@dataclass
class Vaults:
    """Alice's vault (Pro, two prompts in sales and sales/email, tags red and blue), bob her
    editor, and charlie's vault (one public prompt in charlie-folder)."""

    alice: User
    bob: User
    charlie: User
    first: Prompt
    second: Prompt
    theirs: Prompt

    def tag(self, name: str) -> Tag:
        return Tag.objects.get(user=self.alice, name=name)


def _ready_rewrite(v: Vaults) -> PromptOptimization:
    return PromptOptimizationFactory(
        prompt=v.first,
        original_content=v.first.content,
        base_version=selectors.latest_version(v.first),
        status=PromptOptimization.Status.READY,
    )


def _import_session(v: Vaults) -> ImportSession:
    session = ImportSessionFactory(
        user=v.alice,
        status=ImportSession.Status.IMPORTING,
        metadata={"folder": "inbox", "tags": ["imported"]},
    )
    ImportCandidate.objects.create(
        session=session,
        position=0,
        name="Imported",
        content="From a file",
        content_key=imports.content_key("From a file"),
        model="mistral-large",
        folder="found",
        tags=["found-tag"],
    )
    return session


def _published(v: Vaults):
    return templates.template_publish(prompt=v.first, user=v.alice, category="writing")


# How to call each service that writes prompts, tags or folders.
WRITES = {
    "apps.prompts.services.prompts.prompt_create": lambda v: prompt_services.prompt_create(
        owner=v.alice, author=v.bob, name="New", content="c", folder="ops", tags=["green"]
    ),
    "apps.prompts.services.prompts.prompt_update": lambda v: prompt_services.prompt_update(
        prompt=v.first, author=v.alice, folder="archive", model="o3", tags=["green"]
    ),
    "apps.prompts.services.prompts.prompt_restore": lambda v: prompt_services.prompt_restore(
        prompt=v.first, author=v.alice, version=selectors.latest_version(v.first)
    ),
    "apps.prompts.services.prompts.prompt_duplicate": lambda v: prompt_services.prompt_duplicate(
        prompt=v.second, owner=v.alice, author=v.alice, folder="copies"
    ),
    "apps.prompts.services.prompts.prompt_delete": lambda v: prompt_services.prompt_delete(
        prompt=v.second
    ),
    "apps.prompts.services.prompts.prompts_bulk_move": lambda v: prompt_services.prompts_bulk_move(
        owner=v.alice, prompt_ids=[v.first.pk, v.second.pk], folder="done"
    ),
    "apps.prompts.services.prompts.prompts_bulk_tag": lambda v: prompt_services.prompts_bulk_tag(
        owner=v.alice, prompt_ids=[v.first.pk], tag_name="blue"
    ),
    "apps.prompts.services.prompts.prompts_bulk_delete": lambda v: (
        prompt_services.prompts_bulk_delete(owner=v.alice, prompt_ids=[v.first.pk])
    ),
    "apps.prompts.services.prompts.prompts_recount": lambda v: (
        User.objects.filter(pk=v.alice.pk).update(prompt_count=7),
        prompt_services.prompts_recount(users=[v.alice]),
    ),
    "apps.prompts.services.prompts.prompt_count_adjust": lambda v: (
        prompt_services.prompt_count_adjust(owner_id=v.alice.pk, delta=+1)
    ),
    "apps.prompts.services.bulk.prompts_create_many": lambda v: bulk.prompts_create_many(
        owner=v.alice,
        author=v.alice,
        items=[bulk.NewPrompt(key=1, name="Many", content="d", folder="inbox", tags=("new",))],
    ),
    "apps.prompts.services.folders.folder_rename": lambda v: folders.folder_rename(
        owner=v.alice, old_path="sales", new_path="revenue"
    ),
    "apps.prompts.services.tags.tags_get_or_create": lambda v: tags.tags_get_or_create(
        owner=v.alice, names=["red", "fresh"]
    ),
    "apps.prompts.services.tags.tag_create": lambda v: tags.tag_create(
        owner=v.alice, name="unused"
    ),
    "apps.prompts.services.tags.tag_update": lambda v: tags.tag_update(
        tag=v.tag("red"), name="crimson", color="#112233"
    ),
    "apps.prompts.services.tags.tag_merge": lambda v: tags.tag_merge(
        source=v.tag("blue"), target=v.tag("red")
    ),
    "apps.prompts.services.tags.tag_delete": lambda v: tags.tag_delete(tag=v.tag("red")),
    "apps.prompts.services.tags.prompt_tag_link": lambda v: tags.prompt_tag_link(
        prompt=v.first, tag=v.tag("blue")
    ),
    "apps.prompts.services.tags.prompt_tags_unlink": lambda v: tags.prompt_tags_unlink(
        links=v.second.prompt_tags.filter(tag__name="red")
    ),
    "apps.prompts.services.labels.label_set": lambda v: labels.label_set(
        prompt=v.first, label="production", version=1, user=v.alice
    ),
    "apps.prompts.services.labels.label_remove": lambda v: (
        labels.label_set(prompt=v.first, label="staging", version=1, user=v.alice),
        labels.label_remove(prompt=v.first, label="staging", user=v.alice),
    ),
    "apps.prompts.services.optimization.optimization_accept": lambda v: (
        optimization.optimization_accept(optimization=_ready_rewrite(v), user=v.alice)
    ),
    "apps.prompts.services.optimization.optimization_discard": lambda v: (
        optimization.optimization_discard(optimization=_ready_rewrite(v), user=v.alice)
    ),
    "apps.sharing.services.prompt_fork": lambda v: sharing.prompt_fork(
        prompt=v.theirs, user=v.alice, via="gallery"
    ),
    "apps.sharing.services.prompt_set_visibility": lambda v: sharing.prompt_set_visibility(
        prompt=v.first, author=v.alice, is_public=True
    ),
    "apps.sharing.services.prompt_record_save": lambda v: sharing.prompt_record_save(
        prompt=v.theirs
    ),
    "apps.templates.services.template_use": lambda v: templates.template_use(
        template=PromptTemplateFactory(),
        user=v.alice,
        values={"topic": "tea"},
        folder="from-templates",
        tags=["templated"],
    ),
    "apps.templates.services.template_publish": _published,
    "apps.templates.services.template_unpublish": lambda v: templates.template_unpublish(
        template=_published(v), user=v.alice
    ),
    "apps.imports.services.session_import": lambda v: imports.session_import(
        session=_import_session(v)
    ),
    "apps.accounts.services.user_delete": lambda v: accounts.user_delete(user=v.charlie),
}

_NO_PROMPTS = "reads or writes no prompts, tags or folders"
_SESSION = "changes an import session, not the vault"
_ACCOUNT = "changes the account, not its prompts"
_TEAM = "changes who may see a vault, not what is in it"
_SHARE = "changes share links, not prompts"
_REWRITE = "records a rewrite; only accepting it changes the prompt"
_LIBRARY = "changes the template library, not anyone's vault"

# Public services that can't change what a vault's sidebar shows, and why.
OTHERS = {
    "apps.accounts.services.api_key_create": _ACCOUNT,
    "apps.accounts.services.api_key_revoke": _ACCOUNT,
    "apps.accounts.services.api_key_touch": _ACCOUNT,
    "apps.accounts.services.email_change_cancel": _ACCOUNT,
    "apps.accounts.services.email_change_check": _ACCOUNT,
    "apps.accounts.services.email_change_confirm": _ACCOUNT,
    "apps.accounts.services.email_change_request": _ACCOUNT,
    "apps.accounts.services.email_change_token": _ACCOUNT,
    "apps.accounts.services.email_confirm": _ACCOUNT,
    "apps.accounts.services.email_confirmation_check": _ACCOUNT,
    "apps.accounts.services.email_confirmation_token": _ACCOUNT,
    "apps.accounts.services.user_create": _ACCOUNT,
    "apps.accounts.services.user_set_tier": _ACCOUNT,
    "apps.accounts.services.user_update_profile": _ACCOUNT,
    "apps.imports.services.candidates_select": _SESSION,
    "apps.imports.services.candidates_select_all": _SESSION,
    "apps.imports.services.content_key": _NO_PROMPTS,
    "apps.imports.services.session_create": _SESSION,
    "apps.imports.services.session_discard": _SESSION,
    "apps.imports.services.session_expire": _SESSION,
    "apps.imports.services.session_extract": _SESSION,
    "apps.imports.services.session_reread": _SESSION,
    "apps.imports.services.session_start_import": _SESSION,
    "apps.imports.services.sessions_cleanup": _SESSION,
    "apps.imports.services.too_big_message": _NO_PROMPTS,
    "apps.imports.services.uploads_cleanup": _SESSION,
    "apps.prompts.services.labels.clean_label": _NO_PROMPTS,
    "apps.prompts.services.optimization.llm_configured": _NO_PROMPTS,
    "apps.prompts.services.optimization.optimization_run": _REWRITE,
    "apps.prompts.services.optimization.optimization_start": _REWRITE,
    "apps.prompts.services.optimization.prompt_optimize": _REWRITE,
    "apps.prompts.services.optimization.refusal_reason": _NO_PROMPTS,
    "apps.prompts.services.prompts.clean_prompt_fields": _NO_PROMPTS,
    "apps.sharing.services.live_shares_q": _NO_PROMPTS,
    "apps.sharing.services.new_share_code": _NO_PROMPTS,
    "apps.sharing.services.public_name": _NO_PROMPTS,
    "apps.sharing.services.share_create": _SHARE,
    "apps.sharing.services.share_record_view": _SHARE,
    "apps.sharing.services.share_revoke": _SHARE,
    "apps.sharing.services.shares_cleanup": _SHARE,
    "apps.teams.services.invite_accept": _TEAM,
    "apps.teams.services.invite_create": _TEAM,
    "apps.teams.services.invite_from_token": _TEAM,
    "apps.teams.services.invite_resend": _TEAM,
    "apps.teams.services.invite_revoke": _TEAM,
    "apps.teams.services.invite_token": _TEAM,
    "apps.teams.services.invites_cleanup": _TEAM,
    "apps.teams.services.member_add": _TEAM,
    "apps.teams.services.member_leave": _TEAM,
    "apps.teams.services.member_set_role": _TEAM,
    "apps.teams.services.membership_counts_sync": _TEAM,
    "apps.templates.services.catalogue_sync": _LIBRARY,
    "apps.templates.services.categories": _NO_PROMPTS,
    "apps.templates.services.fill_template": _NO_PROMPTS,
    "apps.templates.services.template_rate": _LIBRARY,
    "apps.templates.services.templates_mark": _LIBRARY,
}


def test_every_public_service_is_accounted_for():
    found = set(public_services())
    assert not set(WRITES) & set(OTHERS)
    assert found - set(WRITES) - set(OTHERS) == set(), (
        "New services: add each to WRITES (how to call it) or OTHERS (why it can't change a "
        "vault's sidebar)."
    )
    assert set(WRITES) | set(OTHERS) <= found, "Services listed here that no longer exist."


def _lists(owner: User) -> tuple:
    """What the sidebar shows, in plain values, read through the cache when it is on."""
    shown = sidebar.vault_sidebar(owner)
    return (
        [(node.path, node.count, node.own_count) for node in shown.folders],
        [(tag.name, tag.color, tag.prompt_total) for tag in shown.tags],
        list(shown.models),
    )


def _sidebar_html(owner: User) -> tuple[str, str]:
    """The sidebar and the filter menus of the owner's vault page."""
    client = Client()
    client.force_login(owner)
    html = client.get(reverse("prompts:list")).text
    aside = html[html.index("<aside") : html.index("</aside>")]
    start = html.index('<div class="filters__row">')
    return aside, html[start : html.index("</details>", start)]


def _shown(owner: User) -> tuple:
    return _lists(owner), _sidebar_html(owner)


@pytest.fixture
def vaults(alice, bob, charlie, settings):
    settings.VAULT_SIDEBAR_CACHE = True
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "sidebar-every-service",
        }
    }
    alice.tier = Tier.PRO
    alice.save(update_fields=["tier"])
    first = PromptFactory(user=alice, name="One", folder="sales", tags=["red"])
    second = PromptFactory(
        user=alice, name="Two", folder="sales/email", model="claude-3-opus", tags=["red", "blue"]
    )
    theirs = PromptFactory(user=charlie, name="Theirs", folder="charlie-folder", is_public=True)
    return Vaults(alice, bob, charlie, first, second, theirs)


@pytest.mark.parametrize("name", sorted(WRITES))
def test_after_each_write_the_cached_sidebar_is_what_a_fresh_read_shows(
    vaults, name, django_assert_num_queries
):
    owners = [vaults.alice, vaults.charlie]
    owner_ids = [owner.pk for owner in owners]
    for owner in owners:
        _shown(owner)
        with django_assert_num_queries(1):  # the vault's version; the lists are cached
            _lists(owner)

    WRITES[name](vaults)

    for owner_id in owner_ids:
        # A deleted account has no page left to show, only an empty vault.
        owner = User.objects.filter(pk=owner_id).first()
        page = owner is not None
        owner = owner or User(pk=owner_id)
        with override_settings(VAULT_SIDEBAR_CACHE=False):
            fresh = (_lists(owner), _sidebar_html(owner) if page else None)
        assert (_lists(owner), _sidebar_html(owner) if page else None) == fresh, name
