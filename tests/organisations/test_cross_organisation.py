import pytest

from tests.organisations.url_walker import problems_in, walk


@pytest.mark.django_db
def test_every_url_is_marked_and_no_organisation_scoped_url_leaks():
    assert problems_in() == []


@pytest.mark.django_db
def test_the_walk_covers_the_organisation_scoped_urls():
    names = {pattern.name for pattern in walk()}
    assert {
        "organisations:overview",
        "organisations:members",
        "organisations:member_detail",
        "organisations:member_remove",
        "jobs:list",
        "jobs:detail",
    } <= names


@pytest.mark.django_db
def test_the_walker_finds_leaks_unmarked_views_and_uncovered_ids(settings):
    settings.ROOT_URLCONF = "tests.organisations.leaky_urls"
    problems = problems_in("tests.organisations.leaky_urls")
    assert len(problems) == 4, problems
    leak_problems = [p for p in problems if p.startswith("leak:")]
    # B's membership under A's address answered 200 for GET and POST alike.
    assert len(leak_problems) == 2
    assert all("B's objects under A's address" in p and "answered 200" in p for p in leak_problems)
    assert any(p.startswith("plan:") and "no object factory for plan_id" in p for p in problems)
    assert any(p.startswith("unmarked:") and "no access marker" in p for p in problems)
    assert not any(p.startswith("safe:") for p in problems)
