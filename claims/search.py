"""Full-text search of claims and studies: the query, per vendor (the index itself, its DDL
and triggers, is claims.search_index).

- PostgreSQL: the GIN-indexed `search_vector`, matched with prefix terms, ranked by SearchRank.
- SQLite: the FTS5 table `claims_claim_fts` (porter stemming), ranked by weighted bm25.
- Any other database: a plain `icontains` per word, unranked.

Typo tolerance (issue 18): a word of FUZZY_MIN_LENGTH letters or more also matches a word
spelled nearly like it ("trainig" finds "training", "Refallo" finds Refalo). Shorter words
match only as typed: a one-letter slip in "leg" is another word.
- PostgreSQL: when the words as typed find nothing, each long word no row holds is mapped to
  the word of a vocabulary (claims.search_words: every word of the claims' wording and topic,
  of the studies' titles, authors and journals) spelled most nearly like it by pg_trgm
  (word_similarity at least 0.6), and the search runs again with that word beside it, through
  the same indexes; it ranks as the word it is near. Spelling every word again only when
  nothing was found (issue 20): "strength" matched 7% of 100,000 claims as typed; and the
  vocabulary, not each matching wording or title, is what a misspelt word is compared with
  (a word no study held sent 6,392 titles through pg_trgm's recheck: 0.2-0.3 s).
- PostgreSQL ranks and counts only the first SEARCH_RANKED claims (and the list's Studies
  section the first STUDY_CANDIDATES studies) the indexes find: a word in most claims' wording
  made ranking and counting every match 2.3 s at 100,000 claims. The list says so.
- SQLite, the simpler fallback: a word that no word of the table starts with is compared with
  difflib (ratio >= SQLITE_CUTOFF) to the table's words, and the closest is searched beside it.
  Its limits: the words are read from the first VOCABULARY_ROWS rows only (a word found only in
  later rows cannot be corrected to), drafts included (a correction only adds a spelling: what
  is listed is still filtered); they are read again on every search with a long word (one query
  per table: claims, studies); a word is corrected to one other word at most; difflib scores
  letters, so two swapped letters cost as much as two typos.

`search_studies()` is the claim list's study search: a DOI (or a doi.org link) finds its study;
otherwise every word must be in the title, the authors or the journal, or be the year ("Refalo
2024", the way a study is cited).

How claims and studies are ranked (the rule: a word found whole beats the same letters found
inside a longer word, whatever the field):
- Claims: those holding every word whole (after stemming: "fats" is "fat", "fatigue" is not)
  come first, then those where some word only starts a longer one; within each, the full-text
  rank (bm25 on SQLite, SearchRank on PostgreSQL), then newest first.
- Studies: each word adds, per field, the field's weight (STUDY_FIELDS: title 3, authors 2,
  journal 1) when found whole, PART_OF_A_WORD of it when found only inside a longer word, and
  FIRST_AUTHOR more when it is (in) the first author's name, whom a citation names; a year
  word adds YEAR when it is the study's year. One whole-word match (1 at least) thus outranks
  the word found inside longer words in all three fields (0.6). A near spelling ranks as the
  word it is near. Ties: newest year first.

`ClaimQuerySet.search()` calls `search_claims()`.
"""

import difflib
import re

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.core.exceptions import ValidationError
from django.db import connections
from django.db.models import (
    BooleanField,
    Case,
    F,
    FloatField,
    Func,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.expressions import RawSQL

from core.query_plan import planner_without
from studies.doi import normalize_doi
from studies.models import Study

from .search_words import nearest_words

FTS_TABLE = "claims_claim_fts"
SEARCHED_COLUMNS = ("plain_statement", "statement", "topic")
SEARCH_WORD = re.compile(r"[^\W_]+")
MAX_WORDS = 8
# FTS5's bm25() cannot be correlated per row cheaply, so the best SQLITE_RANKED matches are
# ranked in one FTS query and the rest share rank 0.
SQLITE_RANKED = 200
# bm25 column weights, in SEARCHED_COLUMNS order: plain wording, scientific wording, topic.
SQLITE_WEIGHTS = (10.0, 4.0, 2.0)
# Claims with every word as a whole word (stemmed: "fats" is "fat", "fatigue" is not) come
# before those matching some word only as the start of a longer one.
BEST_FIRST = ("-whole_words", "-search_rank", "-created_at", "-pk")
FUZZY_MIN_LENGTH = 4
# PostgreSQL ranks (and counts) the first SEARCH_RANKED claims a search matches, not all: a word
# in most claims' wording ("after") made ranking and counting every match 2.3 s at 100,000
# claims (issue 20). The list then says "1,000 or more" and asks for another word.
SEARCH_RANKED = 1000
SQLITE_CUTOFF = 0.8
VOCABULARY_ROWS = 2000
# A study's words, weighted in its rank: a match in the title counts most.
STUDY_FIELDS = (("title", 3.0), ("authors", 2.0), ("journal", 1.0))
# The share of a field's weight when the word is only part of a longer one ("fat" in
# "fatigue"): below 1 / 6, so all three fields together stay under one whole-word match.
PART_OF_A_WORD = 0.1
FIRST_AUTHOR = 1.0  # on top of the authors' weight: the first author is whom a citation names
YEAR = 1.0
YEAR_WORD = re.compile(r"\d{4}")
STUDIES_BEST_FIRST = ("-search_rank", "-year", "-pk")
# The claim list's Studies section ranks the first STUDY_CANDIDATES studies found, not every
# match: it shows ten, and a more specific search narrows the rest (see search_studies).
STUDY_CANDIDATES = 200


def _words(text: str) -> list[str]:
    return SEARCH_WORD.findall(text.lower())[:MAX_WORDS]


class ContainsAnyCase(Func):
    """`text ILIKE pattern`: a GIN trigram index on `text` serves it, where Django's
    `icontains` (UPPER(text) LIKE UPPER(pattern)) reads every row (issue 20: 0.4 s a word at
    100,000 studies)."""

    template = "%(expressions)s"
    arg_joiner = " ILIKE "
    output_field = BooleanField()


def _contains(field: str, word: str, vendor: str) -> Q:
    """`field` holds `word` (letters and digits only: SEARCH_WORD), in any case."""
    if vendor == "postgresql":
        return Q(ContainsAnyCase(F(field), Value(f"%{word}%")))
    return Q(**{f"{field}__icontains": word})


def _index_scans(using: str):
    """PostgreSQL reads the search's indexes, not the table, for the queries inside: with a
    LIMIT (an existence check, the first SEARCH_RANKED matches) its planner reads the table row
    by row hoping to stop early, which for a word no row holds reads all of it (issue 20: 0.19 s
    at 100,000 claims, 0.42 s at 100,000 studies, against 1-20 ms through the index)."""
    return planner_without(using, "enable_seqscan")


def search_claims(claims: QuerySet, text: str) -> QuerySet:
    """`claims` whose wording or topic matches every word of `text` (as a prefix), best first,
    each with `search_rank` (higher is better)."""
    words = _words(text)
    if not words:
        return claims.none()
    vendor = connections[claims.db].vendor
    backend = {"postgresql": _postgresql, "sqlite": _sqlite}.get(vendor, _any_database)
    return backend(claims, words)


def _prefix(words: list[str], operator: str) -> SearchQuery:
    text = f" {operator} ".join(f"{w}:*" for w in words)
    return SearchQuery(text, config="english", search_type="raw")


def _postgresql(claims: QuerySet, words: list[str]) -> QuerySet:
    def as_typed(word: str) -> Q:
        return Q(search_vector=_prefix([word], "&"))

    def matching(near: dict[str, str]) -> list[int]:
        matched = claims
        for word in words:
            matches = as_typed(word)
            if word in near:
                matches |= as_typed(near[word])
            matched = matched.filter(matches)
        # Only the first SEARCH_RANKED matches the index finds are ranked (and counted).
        return list(matched.order_by().values_list("pk", flat=True)[:SEARCH_RANKED])

    table = claims.model._default_manager
    near = {}
    with _index_scans(claims.db):
        found = matching(near)
        if not found:  # typos are forgiven when the words as typed find nothing (the module)
            long_words = [word for word in words if len(word) >= FUZZY_MIN_LENGTH]
            misspelt = [word for word in long_words if not table.filter(as_typed(word)).exists()]
            near = nearest_words(claims.db, misspelt, "claims")
            if near:
                found = matching(near)
    claims = claims.filter(pk__in=found)
    # The full-text rank of the words, a near spelling counting as the word it is near.
    rank = SearchRank(F("search_vector"), _prefix([*words, *near.values()], "|"))
    spelt = [near.get(word, word) for word in words]
    whole = SearchQuery(" & ".join(spelt), config="english", search_type="raw")
    whole_words = Case(When(search_vector=whole, then=Value(1)), default=Value(0))
    return claims.annotate(search_rank=rank, whole_words=whole_words).order_by(*BEST_FIRST)


def _sqlite(claims: QuerySet, words: list[str]) -> QuerySet:
    # Hand-written: FTS5's MATCH and bm25() have no ORM expression.
    near = _near_words(words, claims, SEARCHED_COLUMNS)

    def match(star: str) -> str:
        return " AND ".join(
            f'("{w}"{star} OR "{near[w]}"{star})' if w in near else f'"{w}"{star}' for w in words
        )

    weights = ", ".join(map(str, SQLITE_WEIGHTS))
    with connections[claims.db].cursor() as cursor:
        cursor.execute(
            f"SELECT rowid, -bm25({FTS_TABLE}, {weights}),"
            f" rowid IN (SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s)"
            f" FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s ORDER BY 3 DESC, 2 DESC LIMIT %s",
            [match(""), match("*"), SQLITE_RANKED],
        )
        ranked = cursor.fetchall()
    scores = [When(pk=pk, then=Value(score)) for pk, score, _ in ranked]
    rank = Case(*scores, default=Value(0.0), output_field=FloatField())
    wholes = [When(pk=pk, then=Value(1)) for pk, _, whole in ranked if whole]
    whole_words = Case(*wholes, default=Value(0)) if wholes else Value(0)
    matches = RawSQL(f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s", [match("*")])
    return (
        claims.filter(pk__in=matches)
        .annotate(search_rank=rank if scores else Value(0.0), whole_words=whole_words)
        .order_by(*BEST_FIRST)
    )


def _any_database(claims: QuerySet, words: list[str]) -> QuerySet:
    for word in words:
        claims = claims.filter(
            Q(plain_statement__icontains=word)
            | Q(statement__icontains=word)
            | Q(topic__icontains=word)
        )
    return claims.annotate(search_rank=Value(1.0)).order_by("-created_at", "-pk")


def _near_words(words: list[str], rows: QuerySet, columns) -> dict[str, str]:
    """SQLite's typo fallback: each long word no word of `rows` starts with, mapped to the
    closest word they hold (difflib), if one is close enough."""
    long_words = [w for w in words if len(w) >= FUZZY_MIN_LENGTH]
    if not long_words:
        return {}
    vocabulary = set()
    # Every row of the table, not only those listed: a correction only adds a spelling.
    for values in rows.model._default_manager.order_by().values_list(*columns)[:VOCABULARY_ROWS]:
        vocabulary.update(SEARCH_WORD.findall(" ".join(filter(None, values)).lower()))
    near = {}
    for word in long_words:
        if any(known.startswith(word) for known in vocabulary):
            continue
        close = difflib.get_close_matches(word, vocabulary, n=1, cutoff=SQLITE_CUTOFF)
        if close:
            near[word] = close[0]
    return near


def _doi_in(text: str) -> str:
    """The DOI `text` is, alone or as a doi.org link, or ""."""
    try:
        return normalize_doi(text)
    except ValidationError:
        return ""


def _whole_word(word: str, vendor: str, *, first_author: bool = False) -> str:
    """A regular expression (for `__iregex`) matching `word` as a whole word, or only in the
    first author (the text before the first ";"). `word` is letters and digits only
    (SEARCH_WORD), so it needs no escaping. PostgreSQL writes word edges \\m and \\M; SQLite's
    REGEXP is Python's re, which writes \\b."""
    start, end = (r"\m", r"\M") if vendor == "postgresql" else (r"\b", r"\b")
    return ("^[^;]*" if first_author else "") + f"{start}{word}{end}"


def search_studies(studies: QuerySet, text: str, *, candidates: int | None = None) -> QuerySet:
    """`studies` whose DOI is `text` (a DOI or a doi.org link), or whose title, authors,
    journal or year hold every word of `text` (typos forgiven, see above), best first, each
    with `search_rank` (higher is better: see "How studies are ranked" above).

    With `candidates`, only the first that many matches the database finds are ranked: the
    ranking's regular expressions cost each matching row, and a common word matches thousands
    (issue 20: "strength training", 8,000 of 100,000 studies, 0.46-4 s)."""
    if doi := _doi_in(text):
        return studies.filter(doi=doi).annotate(search_rank=Value(1.0)).order_by("-pk")
    words = _words(text)
    if not words:
        return studies.none()
    vendor = connections[studies.db].vendor
    postgresql = vendor == "postgresql"
    fields = [field for field, _ in STUDY_FIELDS]
    near = {} if postgresql else _near_words(words, studies, fields)
    with _index_scans(studies.db):
        matched, rank = _studies_matching(studies, words, near, vendor)
        found = list(matched.order_by().values_list("pk", flat=True)[: candidates or 1])
        # Typos are forgiven when the words as typed find nothing (see the module).
        if not found and postgresql:
            near = nearest_words(studies.db, _not_held(studies, words, vendor), "studies")
        if near and postgresql:
            matched, rank = _studies_matching(studies, words, near, vendor)
            if candidates is not None:
                found = list(matched.order_by().values_list("pk", flat=True)[:candidates])
    studies = matched
    if candidates is not None:
        studies = studies.model._default_manager.filter(pk__in=found)
    return studies.annotate(search_rank=rank).order_by(*STUDIES_BEST_FIRST)


def _not_held(studies: QuerySet, words: list[str], vendor: str) -> list[str]:
    """The long words no study's title, authors or journal holds as typed."""
    table = studies.model._default_manager
    return [
        word
        for word in words
        if len(word) >= FUZZY_MIN_LENGTH and not table.filter(_any_field(word, vendor)).exists()
    ]


def _any_field(word: str, vendor: str) -> Q:
    held = Q()
    for field, _ in STUDY_FIELDS:
        held |= _contains(field, word, vendor)
    return held


def _studies_matching(studies, words, near, vendor):
    """`studies` holding every word (or its near spelling, `near`: difflib's on SQLite, the
    vocabulary's on PostgreSQL), and the rank expression (see "How studies are ranked")."""
    rank = Value(0.0)
    for word in words:
        spellings = [word, near[word]] if word in near else [word]
        matches = Q()
        for spelling in spellings:
            for field, weight in STUDY_FIELDS:
                found = _contains(field, spelling, vendor)
                whole = Q(**{f"{field}__iregex": _whole_word(spelling, vendor)})
                matches |= found
                rank = rank + Case(
                    When(whole, then=Value(weight)),
                    When(found, then=Value(weight * PART_OF_A_WORD)),
                    default=Value(0.0),
                )
            first = Q(authors__iregex=_whole_word(spelling, vendor, first_author=True))
            rank = rank + Case(When(first, then=Value(FIRST_AUTHOR)), default=Value(0.0))
        if YEAR_WORD.fullmatch(word):  # "Refalo 2024": the year is a word of the citation
            matches |= Q(year=int(word))
            rank = rank + Case(When(year=int(word), then=Value(YEAR)), default=Value(0.0))
        studies = studies.filter(matches)
    return studies, rank


def studies_for_list(text: str, limit: int) -> list:
    """The claim list's "Studies" section: the best `limit` studies matching `text` that inform
    a published claim (an approved link), each with `informs`, those claims; of more than
    STUDY_CANDIDATES matches, the best of the first STUDY_CANDIDATES found."""
    # Imported here: claims.models imports this module (ClaimQuerySet.search).
    from .models import Claim, Evidence

    shown = Evidence.objects.filter(
        status=Evidence.Status.APPROVED, claim__in=Claim.objects.published()
    )
    studies = Study.objects.filter(pk__in=shown.values("study"))
    links = shown.select_related("claim").order_by("claim__plain_statement")
    found = list(
        search_studies(studies, text, candidates=STUDY_CANDIDATES).prefetch_related(
            Prefetch("evidence", queryset=links, to_attr="links")
        )[:limit]
    )
    for study in found:  # one link per claim and study (a unique constraint)
        study.informs = [link.claim for link in study.links]
    return found


def search_capped(count: int, using: str = "default") -> bool:
    """Whether a search's count of `count` claims stands for SEARCH_RANKED or more (PostgreSQL
    ranks and counts only that many: see SEARCH_RANKED)."""
    return connections[using].vendor == "postgresql" and count >= SEARCH_RANKED
