"""How the benchmark judges a run: page targets as shares of the empty signed-in page against
the last committed report, aims that fail nothing, the API against the floor, and the same
queries for the owner, an editor and a viewer."""

import uuid

import pytest

from apps.accounts.models import User
from bench import report, scenarios

SIGNED_IN_RPS = 1000.0
FLOOR_RPS = 4000.0


def row(key: str, rps: float, *, role: str = "page", errors: int = 0, **extra) -> dict:
    return {
        "key": key,
        "label": key.replace("_", " ").capitalize(),
        "role": role,
        "load": {
            "rps": rps,
            "p50_ms": 8000 / rps,
            "p95_ms": 10_000 / rps,
            "errors": errors,
            "error_detail": {"not_200": errors},
        },
        "queries": {"app_ms": 1000 / rps},
        **extra,
    }


def results(*rows: dict) -> dict:
    everything = [
        row("floor", FLOOR_RPS, role="floor"),
        *rows,
        row("signed_in_reference", SIGNED_IN_RPS, role="reference"),
    ]
    return {item["key"]: item for item in everything}


def verdicts_for(key: str, verdicts: list) -> list:
    return [verdict for verdict in verdicts if key in verdict.keys]


def gate(key: str, verdicts: list) -> report.Verdict:
    (found,) = [
        verdict
        for verdict in report.gates(verdicts_for(key, verdicts))
        if "empty signed-in page's" in verdict.target
    ]
    return found


def test_a_page_exactly_at_ninety_percent_of_its_baseline_share_passes():
    least = report.BASELINE_SHARES["vault_first"] * report.BASELINE_NOISE  # 14.4 %
    verdicts = report.judge(results(row("vault_first", least * SIGNED_IN_RPS)), FLOOR_RPS)

    assert gate("vault_first", verdicts).passed


def test_a_page_just_under_ninety_percent_of_its_baseline_share_fails():
    least = report.BASELINE_SHARES["vault_first"] * report.BASELINE_NOISE
    verdicts = report.judge(results(row("vault_first", least * SIGNED_IN_RPS - 1)), FLOOR_RPS)

    verdict = gate("vault_first", verdicts)
    assert not verdict.passed
    assert verdict.result == "**FAIL**"
    assert "14.3% of the empty signed-in page" in verdict.measured


def test_the_gate_is_relative_to_the_signed_in_page_not_absolute():
    # A machine ten times slower: same shares, same verdicts.
    fast = report.judge(results(row("history", 150.0)), FLOOR_RPS)
    slow_rows = {
        key: {**item, "load": {**item["load"], "rps": item["load"]["rps"] / 10}}
        for key, item in results(row("history", 150.0)).items()
    }
    slow = report.judge(slow_rows, FLOOR_RPS / 10)

    assert gate("history", fast).passed and gate("history", slow).passed


def test_a_page_far_below_half_the_floor_still_passes_its_gate():
    verdicts = report.judge(results(row("share", 400.0)), FLOOR_RPS)  # 10 % of the floor

    assert gate("share", verdicts).passed
    assert not any("floor" in verdict.target for verdict in verdicts_for("share", verdicts))


def test_an_aim_not_met_is_reported_but_fails_nothing():
    verdicts = report.judge(results(row("prompt", 300.0)), FLOOR_RPS)  # 30 %: gate 23.4 %

    (aim,) = report.aims(verdicts_for("prompt", verdicts))
    assert not aim.passed
    assert aim.result == "not yet"
    assert all(verdict.passed for verdict in report.gates(verdicts))


def test_single_object_and_list_pages_have_their_own_aims():
    verdicts = report.judge(results(row("diff", 300.0), row("history", 300.0)), FLOOR_RPS)

    (diff_aim,) = report.aims(verdicts_for("diff", verdicts))
    (history_aim,) = report.aims(verdicts_for("history", verdicts))
    assert not diff_aim.passed  # 30 % of the 40 % aim for one object
    assert history_aim.passed and history_aim.result == "aim met"  # 25 % aim for a list


def test_a_page_without_a_baseline_has_an_aim_and_no_gate():
    verdicts = report.judge(results(row("version", 100.0)), FLOOR_RPS)

    assert [verdict.kind for verdict in verdicts_for("version", verdicts)] == [report.AIM]


@pytest.mark.parametrize(
    ("key", "share"), [("api_prompt", 0.5), ("api_list", 0.25)], ids=["by key", "list"]
)
def test_api_calls_are_held_to_a_share_of_the_floor(key, share):
    at_edge = report.judge(results(row(key, FLOOR_RPS * share, role="api")), FLOOR_RPS)
    under = report.judge(results(row(key, FLOOR_RPS * share - 1, role="api")), FLOOR_RPS)

    (passing,) = verdicts_for(key, at_edge)
    (failing,) = verdicts_for(key, under)
    assert passing.passed and passing.kind == report.TARGET
    assert not failing.passed


def test_the_same_queries_for_every_role_passes():
    page = row("history", 200.0, queries_by_role={"owner": 5, "editor": 5, "viewer": 5})

    (verdict,) = [
        verdict
        for verdict in report.judge(results(page), FLOOR_RPS)
        if verdict.table == report.BY_ROLE
    ]
    assert verdict.passed
    assert verdict.measured == "owner 5, editor 5, viewer 5"


def test_a_member_running_one_more_query_fails_and_shows_all_three_counts():
    page = row("vault_first", 200.0, queries_by_role={"owner": 5, "editor": 6, "viewer": 5})

    (verdict,) = [
        verdict
        for verdict in report.judge(results(page), FLOOR_RPS)
        if verdict.table == report.BY_ROLE
    ]
    assert not verdict.passed
    assert verdict.kind == report.TARGET
    assert verdict.measured == "owner 5, editor 6, viewer 5"


def test_search_latency_is_reported_not_judged():
    slow = row("search_common", 100.0)
    slow["load"]["p95_ms"] = 5000.0

    verdicts = report.judge(results(slow), FLOOR_RPS)

    assert all(verdict.passed for verdict in report.gates(verdicts))
    assert not any("p95" in verdict.target for verdict in verdicts)


def test_failed_requests_fail_the_run():
    verdicts = report.judge(results(row("api_list", 2000.0, role="api", errors=3)), FLOOR_RPS)

    failed = [verdict for verdict in report.gates(verdicts) if not verdict.passed]
    assert [verdict.target for verdict in failed] == ["Api list: no failed requests"]


def test_the_deep_page_check_is_kept():
    verdicts = report.judge(results(row("vault_first", 200.0), row("vault_deep", 150.0)), FLOOR_RPS)

    (deep,) = [verdict for verdict in verdicts if verdict.keys == ("vault_first", "vault_deep")]
    assert not deep.passed


def test_every_baseline_and_aim_names_a_scenario():
    keys = {scenario.key for scenario in scenarios.SCENARIOS}

    assert set(report.BASELINE_SHARES) <= keys
    assert set(report.AIMS) <= keys
    assert set(report.API_FLOOR_SHARES) <= keys


def targets() -> scenarios.Targets:
    return scenarios.Targets(
        heavy=User(pk=uuid.UUID(int=7)),
        members={},
        sample_id="sample",
        sample_key="sample-key",
        history_id="history",
        deep_page=100,
        share_code="code",
    )


def scenario(key: str) -> scenarios.Scenario:
    return next(item for item in scenarios.SCENARIOS if item.key == key)


def test_members_name_the_vault_on_pages_that_list_it():
    owner_id = str(uuid.UUID(int=7))

    assert scenario("vault_deep").url_path(targets()) == "/prompts/?page=100"
    assert (
        scenario("vault_deep").url_path(targets(), "viewer")
        == f"/prompts/?page=100&vault={owner_id}"
    )
    assert scenario("vault_first").url_path(targets(), "editor") == f"/prompts/?vault={owner_id}"
    assert scenario("prompt").url_path(targets(), "viewer") == "/prompts/sample/"


def test_each_scenario_sends_its_own_credentials():
    credentials = scenarios.Credentials(
        sessions={"owner": "own", "editor": "edit", "viewer": "view"}, api_secret="pv_secret"
    )

    assert scenario("history").headers(credentials, "viewer")["Cookie"].endswith("=view")
    assert scenario("api_list").headers(credentials) == {"Authorization": "Bearer pv_secret"}
    assert scenario("explore").headers(credentials) == {}
    assert [item.key for item in scenarios.SCENARIOS if item.counted_by_role] == [
        "vault_first",
        "vault_deep",
        "search_common",
        "search_rare",
        "prompt",
        "version",
        "history",
        "diff",
        "signed_in_reference",
    ]


def test_a_slice_measured_again_is_named_in_the_report():
    assert report._stalled_lines({"stalled_slices": []}) == []
    [line] = report._stalled_lines(
        {
            "stalled_slices": [
                {
                    "label": "API: a list of 50 prompts",
                    "set_seconds": 5,
                    "seconds": 10.7,
                    "rps": 606.6,
                    "max_ms": 5675.0,
                }
            ]
        }
    )
    assert "API: a list of 50 prompts (10.7 s for a 5 s slice, 607 req/s" in line
    assert "slowest request 5675 ms" in line
