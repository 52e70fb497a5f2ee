"""The word-level diff the review page draws: plain segments, no HTML."""

from suggestions.diff import DELETED, INSERTED, SAME, Segment, word_diff


def test_it_marks_whole_words_deleted_and_inserted():
    diff = word_diff("X makes Y go up.", "X makes Y rise a little.")
    assert diff.before == [
        Segment(SAME, "X makes Y "),
        Segment(DELETED, "go up"),
        Segment(SAME, "."),
    ]
    assert diff.after == [
        Segment(SAME, "X makes Y "),
        Segment(INSERTED, "rise a little"),
        Segment(SAME, "."),
    ]


def test_it_keeps_spaces_outside_the_marks():
    diff = word_diff("helps older adults", "helps adults")
    assert [s.text for s in diff.before if s.kind == DELETED] == ["older"]
    assert "".join(s.text for s in diff.before) == "helps older adults"
    assert "".join(s.text for s in diff.after) == "helps adults"
    assert {s.kind for s in diff.after} == {SAME}


def test_it_diffs_numbers_and_empty_values():
    diff = word_diff(2020, None)
    assert (diff.before, diff.after) == ([Segment(DELETED, "2020")], [])
    assert word_diff("same", "same").changed is False


def test_it_keeps_markup_as_text():
    diff = word_diff("a", "<b>a</b>")
    assert "".join(s.text for s in diff.after) == "<b>a</b>"
