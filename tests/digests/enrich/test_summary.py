"""Extractive summaries: whole sentences, in the article's order, within the budget."""

from __future__ import annotations

import pytest

from digests.enrich.summary import Method, summarise

DATELINE = "WARSAW, Nov 2 (Courier)."
PASSED = "Parliament passed the budget on Tuesday after a twelve-hour debate."
RAISES = "The budget raises spending on schools and hospitals by a fifth."
DEFICIT = "Opposition members said the budget spending plan would raise the deficit."
WEATHER = "The weather in the capital was cold and grey all week long."
ARTICLE = " ".join([DATELINE, PASSED, RAISES, DEFICIT, WEATHER])


def test_the_lead_skips_the_dateline_and_takes_the_first_two_sentences() -> None:
    # The digest's teaser: one or two sentences, never three.
    assert summarise(ARTICLE) == " ".join([PASSED, RAISES])


def test_fewer_sentences_when_asked() -> None:
    assert summarise(ARTICLE, sentences=1) == PASSED


def test_the_lead_stops_at_the_first_sentence_that_does_not_fit() -> None:
    # PASSED takes 68 characters; RAISES would make 132, and the lead never skips ahead.
    assert summarise(ARTICLE, budget=120) == PASSED


@pytest.mark.parametrize("method", list(Method))
@pytest.mark.parametrize("budget", range(20, 420, 25))
def test_every_summary_is_one_or_two_whole_sentences_within_its_budget(
    method: Method, budget: int
) -> None:
    summary = summarise(ARTICLE, budget=budget, method=method)
    assert len(summary) <= budget
    whole = [DATELINE, PASSED, RAISES, DEFICIT, WEATHER]
    assert summary in ["", *whole] or any(
        summary == f"{a} {b}" for i, a in enumerate(whole) for b in whole[i + 1 :]
    )


def test_a_sentence_longer_than_the_budget_is_never_cut() -> None:
    long_sentence = "The council " + "debated the plan again " * 20 + "and then voted."
    assert summarise(f"{long_sentence} The next vote is due in May.", budget=60) == (
        "The next vote is due in May."
    )
    assert summarise(long_sentence, budget=60) == ""


def test_abbreviations_do_not_end_a_sentence() -> None:
    text = "Dr. Smith met Mr. Jones at 10 a.m. in the city hall to sign the deal. They shook hands."
    assert summarise(text, sentences=1) == (
        "Dr. Smith met Mr. Jones at 10 a.m. in the city hall to sign the deal."
    )


def test_a_standalone_description_is_preferred_to_the_text() -> None:
    description = "Lawmakers approve a budget with a fifth more for schools and hospitals."
    assert summarise(ARTICLE, description=description) == description


@pytest.mark.parametrize(
    "description",
    [
        "Parliament passed the budget on Tuesday after a twelve-hour debate, and then...",
        "Lawmakers approve a budget with more for schools. Read more",
        "Budget passed.",  # too short to stand alone
    ],
)
def test_a_teaser_description_is_ignored(description: str) -> None:
    assert summarise(ARTICLE, description=description) == " ".join([PASSED, RAISES])


def test_a_description_that_repeats_the_opening_adds_nothing() -> None:
    text = f"{PASSED} {RAISES}"
    assert summarise(text, description=PASSED) == text


def test_without_text_the_description_is_summarised() -> None:
    assert summarise("", description=f"{PASSED} {RAISES}", sentences=1) == PASSED


def test_nothing_to_summarise_gives_nothing() -> None:
    assert summarise("") == ""
    assert summarise(" ... — ") == ""


def test_textrank_prefers_the_sentences_the_story_is_about() -> None:
    opener = "Our reporters were on the scene early in the morning today."
    closed = "Floods closed the main river bridge in Northbridge on Monday."
    rose = "The river rose two metres overnight and floods reached the old town."
    engineers = "Engineers say the bridge will stay closed until the river falls."
    residents = "Residents near the river were told to leave before the floods spread."
    text = " ".join([opener, engineers, rose, residents, closed])
    assert summarise(text, sentences=2) == f"{opener} {engineers}"
    # `closed` ranks first and `residents` second; the summary keeps the article's order.
    assert summarise(text, sentences=2, method=Method.TEXTRANK) == f"{residents} {closed}"
