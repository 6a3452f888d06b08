"""Exports: JSON with every version, CSV, and a zip of Markdown files; streamed."""

import csv
import io
import json
import zipfile

import pytest
import yaml
from django.http import StreamingHttpResponse
from django.urls import reverse

from apps.prompts import export, services
from tests.prompts.factories import PromptFactory

MULTILINE = 'Line one, with a comma\nLine "two" with quotes\n\nLine four; {{var}}\r'


@pytest.fixture
def vault(alice):
    first = PromptFactory(
        user=alice,
        name="Cold email",
        description="For prospects",
        content="v1 text",
        folder="sales/email",
        tags=["email", "Sales"],
        metadata={"temperature": 0.2, "nested": {"a": [1, 2]}},
        model="claude-opus-4",
        is_public=True,
    )
    services.prompt_update(prompt=first, author=alice, content=MULTILINE, change_message="Two")
    second = PromptFactory(user=alice, name="Cold email", content="same name, other folder")
    third = PromptFactory(user=alice, name="Ünïcode / slashes: *?", content="ü", folder="other")
    return {"first": first, "second": second, "third": third}


def _download(client, **query):
    response = client.get(reverse("prompts:export"), query)
    assert response.status_code == 200
    assert isinstance(response, StreamingHttpResponse)
    assert "attachment;" in response["Content-Disposition"]
    return response, b"".join(response.streaming_content)


def test_the_export_page_offers_formats_and_folders(alice_client, vault):
    page = alice_client.get(reverse("prompts:export")).content.decode()
    for value in ("json", "markdown", "csv", "", "sales", "sales/email", "other"):
        assert f'value="{value}"' in page
    assert "The whole vault (3 prompts)" in page


def test_the_export_page_preselects_the_folder_being_browsed(alice_client, vault):
    page = alice_client.get(reverse("prompts:export"), {"folder": "sales"}).content.decode()
    assert '<option value="sales" selected>' in page


def test_choosing_a_folder_alone_exports_that_folder(alice_client, vault):
    _, body = _download(alice_client, format="csv", folder="/sales/")
    assert body.count(b"sales/email") == 1
    assert b"other" not in body
    _, body = _download(alice_client, format="json", folder="")
    assert len(json.loads(body)["prompts"]) == 3


def test_a_bad_folder_is_refused_with_a_message(alice_client, vault):
    response = alice_client.get(reverse("prompts:export"), {"format": "json", "folder": "a/../b"})
    assert response.status_code == 400
    assert "can&#x27;t contain" in response.content.decode()


def test_json_export_holds_every_prompt_version_tag_and_metadata(alice_client, alice, vault):
    response, body = _download(alice_client, format="json")
    assert response["Content-Type"].startswith("application/json")
    data = json.loads(body)
    assert data["format"] == export.EXPORT_FORMAT
    assert data["format_version"] == export.EXPORT_FORMAT_VERSION
    assert data["owner"] == "Alice"
    assert data["exported_at"]
    by_content = {p["content"]: p for p in data["prompts"]}
    first = by_content[MULTILINE.replace("\r", "\n")]
    assert first["id"] == str(vault["first"].pk)
    assert first["name"] == "Cold email"
    assert first["description"] == "For prospects"
    assert first["model"] == "claude-opus-4"
    assert first["folder"] == "sales/email"
    assert first["is_public"] is True
    assert first["metadata"] == {"temperature": 0.2, "nested": {"a": [1, 2]}}
    assert first["tags"] == [
        {"name": "email", "color": "#3B82F6"},
        {"name": "Sales", "color": "#3B82F6"},
    ]  # sorted without regard to case
    assert [(v["version"], v["change_message"], v["content"]) for v in first["versions"]] == [
        (1, "Initial version", "v1 text"),
        (2, "Two", MULTILINE.replace("\r", "\n")),
    ]
    assert first["versions"][0]["author"] == "Alice"
    assert first["versions"][1]["metadata"] == first["metadata"]
    assert first["created_at"] and first["updated_at"]
    assert len(data["prompts"]) == 3


def test_an_empty_vault_exports_valid_json(alice_client):
    _, body = _download(alice_client, format="json")
    assert json.loads(body)["prompts"] == []


def test_json_export_reads_back_into_the_same_prompts(alice_client, alice, vault):
    """What an importer needs is all there: recreating the vault from the file loses nothing."""
    _, body = _download(alice_client, format="json")
    from tests.accounts.factories import UserFactory

    other = UserFactory()
    for record in json.loads(body)["prompts"]:
        versions = record["versions"]
        copy = services.prompt_create(
            owner=other,
            author=other,
            name=record["name"],
            content=versions[0]["content"],
            description=record["description"],
            model=record["model"],
            folder=record["folder"],
            tags=[tag["name"] for tag in record["tags"]],
            is_public=record["is_public"],
            metadata=versions[0]["metadata"],
            change_message=versions[0]["change_message"],
        )
        for version in versions[1:]:
            services.prompt_update(
                prompt=copy,
                author=other,
                content=version["content"],
                metadata=version["metadata"],
                change_message=version["change_message"],
            )
        services.prompt_update(prompt=copy, author=other, metadata=record["metadata"])
        original = alice.prompts.get(pk=record["id"])
        copy.refresh_from_db()
        for field in ("name", "description", "content", "model", "folder", "metadata"):
            assert getattr(copy, field) == getattr(original, field), field
        assert list(
            copy.versions.order_by("version").values_list("content", "change_message")
        ) == list(original.versions.order_by("version").values_list("content", "change_message"))


def test_csv_export_round_trips_multiline_content(alice_client, vault):
    response, body = _download(alice_client, format="csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"), newline="")))
    assert rows[0] == export.CSV_COLUMNS
    records = [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]
    assert len(records) == 3
    first = next(r for r in records if r["id"] == str(vault["first"].pk))
    assert first["content"] == MULTILINE.replace("\r", "\n")
    assert first["tags"] == "email, Sales"
    assert first["is_public"] == "true"
    assert json.loads(first["metadata"]) == {"temperature": 0.2, "nested": {"a": [1, 2]}}


def test_csv_export_neutralises_spreadsheet_formulas_reversibly(alice_client, alice):
    PromptFactory(
        user=alice,
        name='=HYPERLINK("http://evil")',
        description="'quoted",
        content="- a bullet\n- another",
        tags=["@mention"],
    )
    _, body = _download(alice_client, format="csv")
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"), newline="")))
    record = dict(zip(rows[0], rows[1], strict=True))
    assert record["name"] == '\'=HYPERLINK("http://evil")'
    assert record["content"] == "'- a bullet\n- another"
    assert record["tags"] == "'@mention"
    assert record["description"] == "''quoted"
    # A reader drops one leading apostrophe and gets the exact text back.
    assert record["description"][1:] == "'quoted"
    assert record["content"][1:] == "- a bullet\n- another"


def _zip(body):
    archive = zipfile.ZipFile(io.BytesIO(body))
    assert archive.testzip() is None
    return archive


def _front_matter(text):
    assert text.startswith("---\n")
    header, _, content = text[4:].partition("\n---\n\n")
    return yaml.safe_load(header), content


def test_markdown_zip_has_front_matter_folders_and_unique_names(alice_client, vault):
    response, body = _download(alice_client, format="markdown")
    assert response["Content-Type"] == "application/zip"
    archive = _zip(body)
    names = archive.namelist()
    assert len(names) == len(set(names)) == 3
    assert "promptvault/sales/email/Cold-email.md" in names
    assert "promptvault/Cold-email.md" in names
    assert all(".." not in name and not name.startswith("/") for name in names)
    meta, content = _front_matter(archive.read("promptvault/sales/email/Cold-email.md").decode())
    assert content == MULTILINE.replace("\r", "\n") + "\n"
    assert meta["name"] == "Cold email"
    assert meta["description"] == "For prospects"
    assert meta["model"] == "claude-opus-4"
    assert meta["folder"] == "sales/email"
    assert meta["tags"] == ["email", "Sales"]
    assert meta["public"] is True
    assert meta["metadata"] == {"temperature": 0.2, "nested": {"a": [1, 2]}}
    odd = [n for n in names if n.startswith("promptvault/other/")]
    assert len(odd) == 1 and odd[0].endswith(".md")


def test_markdown_names_stay_unique_for_many_same_named_prompts(alice_client, alice):
    for _ in range(4):
        PromptFactory(user=alice, name="Same", folder="f")
    PromptFactory(user=alice, name="same", folder="f")
    _, body = _download(alice_client, format="markdown")
    names = _zip(body).namelist()
    assert len(set(name.casefold() for name in names)) == 5


def test_front_matter_survives_yaml_hostile_values(alice_client, alice):
    PromptFactory(
        user=alice,
        name="yes",
        description="key: value\n- item\n---",
        content="---\nnot front matter\n---",
        tags=["null", "true"],
        metadata={"x": "---"},
    )
    _, body = _download(alice_client, format="markdown")
    archive = _zip(body)
    meta, content = _front_matter(archive.read(archive.namelist()[0]).decode())
    assert meta["name"] == "yes"
    assert meta["description"] == "key: value\n- item\n---"
    assert meta["tags"] == ["null", "true"]
    assert content == "---\nnot front matter\n---\n"


def test_exporting_a_folder_includes_its_subfolders_only(alice_client, alice, vault):
    PromptFactory(user=alice, name="sibling", folder="sales2")
    _, body = _download(alice_client, format="json", scope="folder", folder="sales")
    names = sorted(p["folder"] for p in json.loads(body)["prompts"])
    assert names == ["sales/email"]


def test_exporting_a_selection(alice_client, vault):
    ids = [str(vault["second"].pk), str(vault["third"].pk), "not-a-uuid"]
    _, body = _download(alice_client, format="json", scope="selection", ids=ids)
    assert sorted(p["id"] for p in json.loads(body)["prompts"]) == sorted(ids[:2])


def test_the_vault_bulk_form_posts_the_selection_to_the_export_page(alice_client, vault):
    response = alice_client.post(
        reverse("prompts:export"),
        {"action": "export", "ids": [str(vault["second"].pk)], "next": "/prompts/"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert f'name="ids" value="{vault["second"].pk}"' in page
    export_form = page[page.index('data-testid="export-form"') :]
    export_form = export_form[: export_form.index("</form>")]
    assert "csrfmiddlewaretoken" not in export_form


def test_a_selection_link_reaches_the_export_page(alice_client, vault):
    response = alice_client.get(
        reverse("prompts:export"), {"action": "export", "ids": [str(vault["second"].pk)]}
    )
    page = response.content.decode()
    assert f'name="ids" value="{vault["second"].pk}"' in page
    assert "1 selected prompt" in page


def test_an_unknown_format_shows_the_form_again(alice_client):
    response = alice_client.get(reverse("prompts:export"), {"format": "xml"})
    assert response.status_code == 400
    assert "export-form" in response.content.decode()


def test_the_markdown_zip_is_produced_piece_by_piece(alice, vault):
    from apps.prompts.models import Prompt

    pieces = list(export.stream_markdown_zip(Prompt.objects.filter(user=alice)))
    assert sum(1 for piece in pieces if piece) >= 3
    _zip(b"".join(pieces))
