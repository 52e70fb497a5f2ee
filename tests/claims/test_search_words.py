"""PostgreSQL's vocabulary for near spellings (claims.search_words): kept by triggers on every
write path, filled by install() for rows written without them, and what a misspelt word is
compared with instead of every wording and title."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from claims import search, search_words
from claims.models import Claim
from studies.models import Study
from tests.factories import link, make_claim, make_study

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the vocabulary is PostgreSQL's"),
]


def vocabulary(source: str) -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT word FROM {search_words.TABLE} WHERE in_{source}")
        return {word for (word,) in cursor.fetchall()}


def test_a_claim_and_a_study_add_their_words_each_to_their_own_source():
    make_claim(plain_statement="Creatine helps sprinting.", statement="X", topic="Ergogenic aids")
    make_study(title="Beetroot juice and cycling", authors="Refalo MC", journal="Sports Med")
    assert {"creatine", "helps", "sprinting", "ergogenic", "aids"} <= vocabulary("claims")
    assert {"beetroot", "juice", "cycling", "refalo", "sports"} <= vocabulary("studies")
    assert "beetroot" not in vocabulary("claims") and "creatine" not in vocabulary("studies")
    assert "med" not in vocabulary("studies")  # shorter than a word that is ever corrected


def test_bulk_writes_and_updates_add_their_words():
    Study.objects.bulk_create([Study(title="Caffeine timing", design="rct", year=2024)])
    claim = make_claim()
    Claim.objects.filter(pk=claim.pk).update(topic="Hydration strategies")
    assert "caffeine" in vocabulary("studies")
    assert {"hydration", "strategies"} <= vocabulary("claims")


def test_install_adds_the_words_written_while_its_triggers_were_missing():
    search_words.uninstall(connection)
    make_study(title="Plyometric drills")
    search_words.install(connection)
    assert "plyometric" in vocabulary("studies")
    make_study(title="Isometric holds")  # and the triggers are back
    assert "isometric" in vocabulary("studies")


def test_a_misspelt_word_is_mapped_to_the_nearest_word_of_its_source():
    make_claim(plain_statement="Training builds strength.")
    make_study(title="Hypertrophy after training", authors="Refalo MC")
    assert search_words.nearest_words("default", ["trainig", "zzzzqq"], "claims") == {
        "trainig": "training"
    }
    assert search_words.nearest_words("default", ["refallo"], "claims") == {}
    assert search_words.nearest_words("default", ["refallo"], "studies") == {"refallo": "refalo"}
    with pytest.raises(ValueError, match="source must be one of"):
        search_words.nearest_words("default", ["x"], "topics")


def test_a_typo_is_searched_through_the_vocabulary_not_every_wording():
    """The defect: `word <% wording` compared the word with every row the trigram index
    offered (0.2-0.7 s at 100,000 claims and 500,000 studies)."""
    claim = make_claim(plain_statement="Training builds strength.")
    link(claim, make_study(title="Hypertrophie after training", authors="Refalo MC"))
    with CaptureQueriesContext(connection) as queries:
        assert [c.pk for c in Claim.objects.published().search("trainig")] == [claim.pk]
        assert [s.title for s in search.studies_for_list("refallo", 10)] == [
            "Hypertrophie after training"
        ]
    sqls = " ".join(q["sql"] for q in queries.captured_queries)
    assert "<%" not in sqls and "word_similarity(" in sqls  # only the vocabulary's
    assert sqls.count(search_words.TABLE) == 2
