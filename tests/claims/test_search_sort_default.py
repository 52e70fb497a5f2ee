"""The list's Sort control sends nothing by default, so a search typed into the form that the
list page rendered is ranked by best match, not newest first (its default used to be "newest",
which a search then carried along)."""

import re

import pytest


def sort_options(html: str) -> list[tuple[str, bool]]:
    select = re.search(r'<select id="sort".*?</select>', html, re.S).group()
    return [
        (value, bool(selected))
        for value, selected in re.findall(r'<option value="([^"]*)"( selected)?', select)
    ]


@pytest.mark.django_db
def test_the_list_forms_default_sort_is_empty(client, demo):
    options = sort_options(client.get("/claims/").content.decode())
    assert options[0] == ("", True)
    assert ("newest", False) in options


@pytest.mark.django_db
def test_a_search_sent_from_that_form_is_ranked_by_best_match(client, demo):
    response = client.get("/claims/", {"q": "failure", "sort": ""}, follow=True)
    assert response.status_code == 200
    assert response.context["sort"] == "relevance"
    assert sort_options(response.content.decode())[0] == ("", True)


@pytest.mark.django_db
def test_a_chosen_sort_stays_selected(client, demo):
    options = sort_options(client.get("/claims/", {"sort": "strongest"}).content.decode())
    assert ("strongest", True) in options and ("", False) in options
