import pytest

from course import facts, provenance
from course.paths import course_root, datasets_dir, seeds_dir

PAPER = "000_2ac75adefbd94969.txt"


def test_quotes_match_across_line_breaks_but_not_altered_text():
    assert provenance.quote_in_reading("TikTok Shop, are reshaping", PAPER)
    assert not provenance.quote_in_reading("seven times faster than the industry average", PAPER)


def test_unknown_reading_lists_the_known_ones():
    with pytest.raises(KeyError, match=r"003_56eb73be327c13af\.txt"):
        provenance.reading_text("005_missing.txt")


def test_seeds_are_the_readings_unchanged(checkout):
    shared = checkout.parent / "shared" / "seeds"
    if not shared.is_dir():
        pytest.skip("no shared copy of the readings beside this checkout")
    for name in provenance.READINGS:
        assert (seeds_dir() / name).read_bytes() == (shared / name).read_bytes(), name


def test_cite_names_reading_and_section():
    assert provenance.cite(PAPER, "2.1.2") == "reading 000, §2.1.2"
    assert provenance.cite(PAPER, "Table 1") == "reading 000, Table 1"


def test_fact_lookup_and_citation():
    assert facts.value("000_gmv_share_middle_east") == 15.0
    assert facts.cite("000_clearance_speedup_claimed").startswith('reading 000, §2.1.2: "')
    with pytest.raises(KeyError, match="No fact with id"):
        facts.fact("000_no_such_fact")


def test_course_root_walks_up_to_the_nbgrader_config(tmp_path, monkeypatch, checkout):
    (tmp_path / "nbgrader_config.py").write_text("")
    deep = tmp_path / "autograded" / "student" / "case"
    deep.mkdir(parents=True)
    assert course_root(deep) == tmp_path
    monkeypatch.chdir(checkout)
    assert datasets_dir() == checkout / "datasets"
