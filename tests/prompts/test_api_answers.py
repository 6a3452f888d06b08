"""The memory of kept API answers: bounded in bytes, the least recently used going first."""

from apps.prompts.api.cached import Answer, Answers


def _answer(size: int) -> Answer:
    return Answer(b"x" * size, etag='"e"')


def test_answers_past_the_budget_push_out_the_least_recently_used():
    answers = Answers(max_bytes=8_000)
    for name in "abcd":
        answers.put((name,), _answer(1_000))
    assert answers.get(("a",)) is not None  # now the most recently used
    for name in "efghi":
        answers.put((name,), _answer(1_000))

    assert len(answers) == 8
    assert answers.get(("b",)) is None and answers.get(("a",)) is not None


def test_one_answer_too_large_for_its_share_is_not_kept():
    answers = Answers(max_bytes=8_000)
    answers.put(("small",), _answer(1_000))
    answers.put(("large",), _answer(1_001))

    assert answers.get(("large",)) is None and answers.get(("small",)) is not None


def test_a_budget_of_nothing_keeps_nothing():
    answers = Answers(max_bytes=0)
    answers.put(("a",), _answer(1))

    assert len(answers) == 0


def test_an_answer_kept_again_replaces_the_old_one_and_its_bytes():
    answers = Answers(max_bytes=8_000)
    for _ in range(20):
        answers.put(("same",), _answer(1_000))
    answers.put(("other",), _answer(1_000))

    assert len(answers) == 2 and answers._bytes == 2_000
