import numpy as np
import pytest

from course import data
from course.cases.case2_platform_operations import operations
from course.cases.case2_platform_operations.widgets import model_explorer


@pytest.fixture(scope="module")
def table2():
    return data.load("table2_hosting_models")


def test_codebook_covers_every_phrase_of_table2_but_traffic_allocation(table2):
    phrases = set(operations.split_phrases(table2)["phrase"])
    assert phrases - set(operations.CODEBOOK) == {"traffic allocation"}
    assert set(operations.codebook()["responsibility"]) == set(operations.RESPONSIBILITIES)


def test_split_phrases_splits_on_plus_and_normalises(table2):
    split = operations.split_phrases(table2)
    full = split[(split["model"] == "Full Hosting") & (split["party"] == "platform")]
    assert full["phrase"].tolist() == ["operations", "logistics", "after-sales"]
    assert set(split["party"]) == {"merchant", "platform"}


def test_responsibility_matrix(table2):
    matrix = operations.responsibility_matrix(table2)
    assert matrix.index.tolist() == list(operations.MODELS)
    assert matrix.columns.tolist() == list(operations.RESPONSIBILITIES)
    assert (matrix.loc["POP Self-operation"] == "merchant").all()
    assert matrix.loc["Full Hosting"].value_counts().to_dict() == {"platform": 5, "merchant": 1}
    assert matrix.loc["Semi-Hosting", "logistics"] == "platform"
    assert matrix.loc["Overseas Hosting", "after_sales"] == operations.NOT_STATED
    assert len(operations.responsibilities_long(table2)) == 20


def test_matrix_refuses_a_responsibility_carried_by_both_parties(table2):
    clash = table2.copy()
    clash.loc[clash["model"] == "Semi-Hosting", "merchant_responsibilities"] = "Store operations + logistics"
    with pytest.raises(ValueError, match="logistics under Semi-Hosting"):
        operations.responsibility_matrix(clash)


def test_counts_and_questions(table2):
    matrix = operations.responsibility_matrix(table2)
    counts = operations.party_counts(matrix)
    assert counts["merchant"].to_dict() == {"POP Self-operation": 6, "Full Hosting": 1, "Semi-Hosting": 3,
                                            "Overseas Hosting": 2}
    assert (counts.sum(axis=1) == len(operations.RESPONSIBILITIES)).all()
    assert operations.models_where(matrix, "logistics", "platform") == ["Full Hosting", "Semi-Hosting"]
    with pytest.raises(KeyError):
        operations.models_where(matrix, "customs", "platform")


def test_seller_types_are_table2s(table2):
    printed = dict(zip(table2["model"], table2["suitable_seller_type"]))
    assert {rule.model: rule.seller_type for rule in operations.RULES} == printed


def profile(*true_fields):
    return {name: name in true_fields for name in operations.SELLER_FIELDS}


@pytest.mark.parametrize("fields, expected", [
    ({"is_factory"}, "Full Hosting"),
    ({"has_cross_border_experience"}, "Semi-Hosting"),
    ({"has_operations_team"}, "POP Self-operation"),
    ({"has_brand", "has_overseas_stock"}, "Overseas Hosting"),
    ({"is_factory", "has_cross_border_experience"}, "Semi-Hosting"),
    ({"is_factory", "has_operations_team"}, "POP Self-operation"),
    ({"has_overseas_stock"}, None),
    (set(), None),
])
def test_recommend_model(fields, expected):
    assert operations.recommend_model(profile(*fields)) == expected


def test_recommend_model_accepts_series_with_numpy_booleans_and_extra_fields():
    row = operations.graded_profiles().loc["appliance brand with a European warehouse"]
    assert isinstance(row["has_brand"], np.bool_)
    assert operations.recommend_model(row) == "Overseas Hosting"
    assert operations.recommend_model({**profile("is_factory"), "city": "Yiwu"}) == "Full Hosting"


@pytest.mark.parametrize("bad", [
    {name: False for name in operations.SELLER_FIELDS if name != "is_factory"},
    {},
    {**profile(), "has_brand": None},
    {**profile(), "is_factory": "yes"},
])
def test_recommend_model_rejects_incomplete_profiles(bad):
    with pytest.raises(ValueError):
        operations.recommend_model(bad)


def test_recommend_model_names_the_missing_field_and_refuses_non_profiles():
    with pytest.raises(ValueError, match="is_factory"):
        operations.recommend_model({k: v for k, v in profile().items() if k != "is_factory"})
    with pytest.raises(TypeError):
        operations.recommend_model(["has_brand"])


def test_graded_profiles_cover_every_model_ties_and_no_match():
    profiles = operations.graded_profiles()
    recommended = profiles.apply(operations.recommend_model, axis=1)
    assert set(recommended.dropna()) == set(operations.MODELS)
    assert recommended.isna().sum() == 2
    ties = profiles.apply(lambda row: len(operations.fitting_models(row)) > 1, axis=1)
    assert ties.sum() >= 3
    assert profiles.dtypes.eq(bool).all()


def test_explain_gives_the_winner_and_every_verdict():
    text = operations.explain(profile("is_factory", "has_cross_border_experience"))
    lines = text.splitlines()
    assert lines[0] == "Recommended: Semi-Hosting."
    assert sum(line.startswith("Fits") for line in lines) == 2
    assert "2 models fit" in lines[-1]
    assert operations.explain(profile()).startswith("Recommended: none")


def test_explorer_follows_the_tested_functions(table2):
    explorer = model_explorer(table2)
    boxes = {box.description: box for box in explorer.children[:-1]}
    result = explorer.children[-1]
    assert "Recommended: none" in result.value
    boxes["is a manufacturing-trade factory"].value = True
    assert "Recommended: Full Hosting" in result.value
    assert "the merchant keeps: stocking" in result.value
    boxes["has cross-border experience"].value = True
    assert "Recommended: Semi-Hosting" in result.value and "Table 2 does not say who does" in result.value
