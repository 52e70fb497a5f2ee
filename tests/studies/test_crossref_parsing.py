"""The Crossref import on real /works bodies (issue 15, item 4): one test per mis-import.

The bodies and abstract strings are in tests/data/crossref/ (README.md there says where each
was found); the bodies are fetched from the local Crossref server, the client is not mocked.
A few markups were not found in any real deposit the search tools reach; their tests say so
and use short constructed strings.
"""

import copy
import json
from pathlib import Path

import pytest

from studies.crossref import fetch_work, parse_work
from studies.crossref_text import jats_to_text, markup_to_text, subscript, superscript
from studies.models import Study
from studies.services import study_import_doi
from tests.crossref_server import recorded_works
from tests.factories import make_study

ABSTRACTS = Path(__file__).resolve().parents[1] / "data" / "crossref" / "abstracts"
SMITH = "10.1021/acs.orglett.7b03845"  # suffix; volume, issue, page, ISSN
PILEIO = "10.1039/9781788019972"  # subtitle, a book
SCHRYEN = "10.17705/1cais.04607"  # institutions deposited as authors
VANNES = "10.1111/raq.12953"  # affiliations in place; resource.primary.URL
NAPP = "10.1590/s0031-10492006000400001"  # CDATA-wrapped title
SUN = "10.3767/persoonia.2020.44.08"  # double-escaped abstract
FABRICIUS = "10.1063/1.3458497"  # issued [[null]], nothing else
SHEHERAZADE = "10.1038/d41586-020-02761-z"  # authors with one name
GATTI = "10.1007/978-3-319-53923-2"  # a book in a series


def abstract(name: str) -> str:
    return (ABSTRACTS / name).read_text(encoding="utf-8")


def recorded_message(doi: str) -> dict:
    return json.loads(recorded_works()[doi])


def parse_changed(doi: str, change) -> object:
    """parse_work on a real body after `change(message)`: for the fallbacks a body lacks."""
    data = copy.deepcopy(recorded_message(doi))
    change(data["message"])
    return parse_work(doi, json.dumps(data).encode())


# Markup: a literal "<", escaped markup, CDATA.


def test_a_less_than_sign_that_starts_no_tag_is_text():
    # Constructed (no real deposit with a raw "<" was found): the issue's own example.
    assert markup_to_text("Adults <5 years and >65 years") == "Adults <5 years and >65 years"
    assert markup_to_text("a<b and c>d, <i>in vivo</i>") == "a<b and c>d, in vivo"


def test_an_escaped_less_than_sign_survives_the_decoding():
    text = jats_to_text(abstract("petvae-2026.02.02.703218.txt"))
    assert "(p < 0.02)" in text
    assert "(p < 0.026)" in text


def test_a_double_escaped_abstract_is_decoded_once_then_stripped(crossref):
    text = fetch_work(SUN).abstract
    assert text.startswith("Amauroderma s.lat. has been defined mainly by the morphological")
    assert "jats" not in text and "<" not in text and "&" not in text
    assert "and Sanguinoderma are provided" in text


def test_a_cdata_wrapped_title_loses_the_wrapper_not_the_words(crossref):
    title = fetch_work(NAPP).title
    assert title.startswith("Notas e descri")
    assert title.endswith("Cerambycinae Neotropicais (Coleoptera, Cerambycidae)")
    assert "CDATA" not in title and "]]>" not in title and "<" not in title


# Superscripts, subscripts, MathML, line breaks.


def test_superscripts_and_subscripts_stay_readable():
    text = jats_to_text(abstract("zif-s41563-023-01669-z.txt"))
    assert "(for example, Zn²⁺ and Co²⁺)" in text
    assert "high-permselective H₂ separation" in text


def test_a_superscript_on_its_own_line_still_attaches_to_its_number():
    text = jats_to_text(abstract("petvae-2026.02.02.703218.txt"))
    assert "(p < 1.64×10⁻⁸)" in text
    assert "(p < 3×10⁻⁶)" in text
    assert "Apolipoprotein E (APOE) ε4 prevalence" in text
    assert len(text.split("\n\n")) == 4  # the "Abstract" heading dropped, four paragraphs


def test_scripts_without_a_unicode_form_use_caret_notation():
    assert superscript("−3") == "⁻³"
    assert superscript("-1/2") == "^(-1/2)"
    assert superscript("T") == "^T"
    assert subscript("2") == "₂"
    assert subscript("max") == "ₘₐₓ"  # every letter has a subscript form
    assert subscript("eff") == "_(eff)"  # "f" has none


def test_mathml_is_flattened_with_its_scripts():
    text = jats_to_text(abstract("pnas-2525320123.txt"))
    assert "in minimizing a loss f(θ), the QUB principle" in text
    assert "such that B − d²f(θ) is positive semidefinite" in text
    assert "a continuous matrix-valued function Bₙ(θ) that dominates the Hessian d²f(θ)" in text
    assert "only through its i th entry θᵢ." in text
    assert "mml" not in text


def test_a_formula_deposited_in_two_notations_appears_once():
    # Constructed in the shape Springer deposits (TeX document beside MathML); not found real.
    jats = (
        "<jats:p>values for the anti-<jats:inline-formula><jats:alternatives>"
        "<jats:tex-math>\\documentclass[12pt]{minimal}\\begin{document}$$k_{\\bot }$$"
        "\\end{document}</jats:tex-math>"
        '<mml:math xmlns:mml="http://www.w3.org/1998/Math/MathML"><mml:msub><mml:mi>k</mml:mi>'
        "<mml:mi>⊥</mml:mi></mml:msub></mml:math></jats:alternatives></jats:inline-formula>"
        " algorithm</jats:p>"
    )
    assert jats_to_text(jats) == "values for the anti-k_⊥ algorithm"
    tex_only = jats.replace("<mml:math", "<x").split("<x")[0] + "</jats:alternatives> x"
    assert jats_to_text(tex_only) == "values for the anti-k_{\\bot} x"


def test_a_mathml_alttext_is_used_once():
    # Constructed (no real deposit with alttext was found).
    jats = (
        '<jats:p>with <mml:math alttext="x^2 + 1"><mml:msup><mml:mi>x</mml:mi><mml:mn>2</mml:mn>'
        "</mml:msup><mml:mo>+</mml:mo><mml:mn>1</mml:mn></mml:math> cases</jats:p>"
    )
    assert jats_to_text(jats) == "with x^2 + 1 cases"


def test_a_line_break_is_a_space():
    # Constructed (no real deposit with <br/> was found).
    assert markup_to_text("Training to failure<br/>a randomised trial") == (
        "Training to failure a randomised trial"
    )
    assert jats_to_text("<jats:p>first line<jats:break/>second line</jats:p>") == (
        "first line second line"
    )


# Bibliographic fields.


def test_the_subtitle_and_the_kind_of_work_are_kept(crossref):
    work = fetch_work(PILEIO)
    assert work.title == "Long-lived Nuclear Spin Order"
    fields = work.study_fields()
    assert fields["subtitle"] == "Theory and Applications"
    assert fields["work_type"] == "book"
    assert "design" not in fields


def test_an_author_suffix_is_kept(crossref):
    assert fetch_work(SMITH).authors == "Smith, Amos B. III"


def test_people_with_one_name_are_authors(crossref):
    work = fetch_work(SHEHERAZADE)
    assert work.authors == "Sheherazade; Ardiantiono"
    assert work.year == 2020


def test_a_book_in_a_series_keeps_its_kind_and_the_series(crossref):
    fields = fetch_work(GATTI).study_fields()
    assert fields["work_type"] == "book"
    assert fields["journal"] == "Lecture Notes in Chemistry"
    assert fields["issn"] == "0342-4901, 2192-6603"
    assert fields["authors"] == "Gatti, Fabien; Lasorne, Benjamin; Meyer, Hans-Dieter; Nauts, André"


def test_institutions_deposited_as_authors_are_not_authors(crossref):
    assert fetch_work(SCHRYEN).authors == (
        "Schryen, Guido; Wagner, Gerit; Benlian, Alexander; Paré, Guy"
    )


def test_affiliations_stay_affiliations_and_group_authors_still_count(crossref):
    assert fetch_work(VANNES).authors == (
        "van Nes, Solveig; Imsland, Albert Kjartan Dagbjartarson; Jones, Simon R. M."
    )

    def add_group(message):
        message["author"].append({"name": "The Salmon Lice Study Group", "affiliation": []})

    assert parse_changed(VANNES, add_group).authors.endswith("; The Salmon Lice Study Group")

    def only_institutions(message):
        message["author"] = [a for a in message["author"] if "name" in a]

    # With no people beside them, name-only entries are the authors (a report by an agency).
    assert parse_changed(SCHRYEN, only_institutions).authors.startswith("Paderborn University;")


def test_the_url_is_the_publishers_landing_page_not_the_doi_link(crossref):
    assert fetch_work(VANNES).url == "https://onlinelibrary.wiley.com/doi/10.1111/raq.12953"
    assert fetch_work(SCHRYEN).url == "https://aisel.aisnet.org/cais/vol46/iss1/7/"
    smith = fetch_work(SMITH)  # Crossref gives no landing page: nothing rather than the DOI
    assert smith.url == ""
    assert "url" not in smith.study_fields()


def test_volume_issue_pages_issn_and_type_are_mapped(crossref):
    fields = fetch_work(SMITH).study_fields()
    assert fields["volume"] == "20"
    assert fields["issue"] == "1"
    assert fields["pages"] == "1–3"
    assert fields["issn"] == "1523-7060, 1523-7052"
    assert fields["work_type"] == "journal-article"
    assert fetch_work(SCHRYEN).study_fields()["pages"] == "134–186"


# Years.


def test_a_null_issued_date_gives_no_year_and_no_error(crossref):
    work = fetch_work(FABRICIUS)  # only deposited/indexed (2014) are known: not a year of it
    assert work.title == "Velocity Dispersions Across Bulge Types"
    assert work.year is None
    assert "year" not in work.study_fields()


def test_the_year_falls_back_through_the_other_dates():
    def null_publication_dates(message):
        for name in ("published", "published-online", "issued"):
            message[name] = {"date-parts": [[None]]}

    assert parse_changed(VANNES, null_publication_dates).year == 2024  # from `created`

    def drop_publication_dates(message):
        for name in ("published", "published-online", "issued"):
            del message[name]

    work = parse_changed(SCHRYEN, drop_publication_dates)
    assert work.year == 2021  # the journal issue's date, before `created` (2020)


def test_an_odd_date_shape_is_skipped_not_fatal():
    def odd_dates(message):
        message["published"] = [[2030]]  # not an object
        message["published-online"] = {"date-parts": "2024"}
        message["issued"] = {"date-parts": [["2024", 7]]}  # the year as text

    work = parse_changed(VANNES, odd_dates)
    assert work.title.startswith("Salmon lice biology")
    assert work.year == 2024


# Writing the study.


@pytest.mark.django_db
def test_an_import_writes_the_new_fields(crossref):
    study, created = study_import_doi(doi=SMITH)
    assert created
    study.refresh_from_db()
    assert (study.volume, study.issue, study.pages) == ("20", "1", "1–3")
    assert study.issn == "1523-7060, 1523-7052"
    assert study.work_type == "journal-article"
    assert study.authors == "Smith, Amos B. III"
    assert study.url == ""


@pytest.mark.django_db
def test_a_refetch_never_erases_what_crossref_does_not_know(crossref):
    make_study(doi=PILEIO, title="Old title", volume="7", issue="2", pages="9–10", url="")
    study, created = study_import_doi(doi=PILEIO)
    assert not created
    study = Study.objects.get(pk=study.pk)
    assert study.title == "Long-lived Nuclear Spin Order"
    assert study.subtitle == "Theory and Applications"
    assert (study.volume, study.issue, study.pages) == ("7", "2", "9–10")  # Crossref has none
    assert study.issn == "2044-2548"


def test_hostile_markup_never_breaks_the_import():
    def hostile(message):
        message["abstract"] = "<jats:p>" + "<mml:mrow>" * 5000 + "x" + "</jats:p></mml:msup>&"
        message["title"] = ["<![CDATA[<b>Salmon</b>", "second"]

    work = parse_changed(VANNES, hostile)
    assert work.abstract == "x\n\n&"  # the paragraph, then the stray text after it
    assert work.title == "<![CDATA[Salmon"
