"""Platform operations (reading 000, §3): the four hosting models of Table 2.

These functions are the answer key's logic: the hidden tests of the
platform-operations case compare students' results with them, and the case's
explorer shows them at work.

Table 2 describes each model in a few words ("Supply only", "Operations +
logistics + after-sales"). The codebook below says which of six
responsibilities each phrase covers; a responsibility that neither the
merchant's nor the platform's cell covers is "not stated", never guessed.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

MODELS = ("POP Self-operation", "Full Hosting", "Semi-Hosting", "Overseas Hosting")  # Table 2's order
RESPONSIBILITIES = ("store_operations", "pricing", "marketing", "stocking", "logistics", "after_sales")
PARTY_COLUMNS = {"merchant_responsibilities": "merchant", "platform_support": "platform"}
NOT_STATED = "not stated"

# Phrases as Table 2 prints them once split on "+" (lower case). "Operations"
# means running the store, prices and promotion included: full hosting is
# "Supply only" for the merchant, so the platform must set prices and promote.
# "Traffic allocation" (POP) is support, not one of the six responsibilities.
CODEBOOK = {
    "full-cycle operations": RESPONSIBILITIES,
    "supply only": ("stocking",),
    "store operations": ("store_operations", "pricing", "marketing"),
    "local warehouse fulfillment": ("stocking", "logistics"),
    "operations": ("store_operations", "pricing", "marketing"),
    "logistics": ("logistics",),
    "after-sales": ("after_sales",),
    "logistics system": ("logistics",),
    "pricing": ("pricing",),
    "marketing": ("marketing",),
}


def codebook() -> pd.DataFrame:
    """The codebook as a table: one row per (phrase, responsibility it covers)."""
    rows = [(phrase, item) for phrase, covered in CODEBOOK.items() for item in covered]
    return pd.DataFrame(rows, columns=["phrase", "responsibility"])


def split_phrases(table2: pd.DataFrame) -> pd.DataFrame:
    """Table 2's merchant and platform cells, one row per (model, party, phrase)."""
    long = table2.melt(id_vars="model", value_vars=list(PARTY_COLUMNS), var_name="party", value_name="phrase")
    long = long.assign(party=long["party"].map(PARTY_COLUMNS), phrase=long["phrase"].str.split("+", regex=False))
    long = long.explode("phrase")
    return long.assign(phrase=long["phrase"].str.strip().str.lower()).reset_index(drop=True)


def responsibilities_long(table2: pd.DataFrame) -> pd.DataFrame:
    """Who carries what, one row per (model, party, responsibility) that Table 2 states."""
    long = split_phrases(table2).merge(codebook(), on="phrase")[["model", "party", "responsibility"]]
    return long.sort_values(["model", "party", "responsibility"]).reset_index(drop=True)


def responsibility_matrix(table2: pd.DataFrame) -> pd.DataFrame:
    """Models (rows, Table 2's order) by responsibilities: "merchant", "platform" or "not stated"."""
    long = responsibilities_long(table2)
    duplicated = long.duplicated(["model", "responsibility"])
    if duplicated.any():
        clash = long.loc[duplicated, ["model", "responsibility"]].iloc[0].tolist()
        raise ValueError(f"Both parties are said to carry {clash[1]} under {clash[0]}.")
    matrix = long.pivot(index="model", columns="responsibility", values="party")
    order = [model for model in table2["model"] if model in matrix.index]
    matrix = matrix.reindex(index=order, columns=list(RESPONSIBILITIES)).fillna(NOT_STATED)
    matrix.index.name, matrix.columns.name = "model", None
    return matrix


def party_counts(matrix: pd.DataFrame) -> pd.DataFrame:
    """How many responsibilities the merchant keeps, the platform takes and Table 2 leaves open, per model."""
    columns = ["merchant", "platform", NOT_STATED]
    return pd.DataFrame({party: (matrix == party).sum(axis=1) for party in columns})[columns]


def models_where(matrix: pd.DataFrame, responsibility: str, party: str) -> list[str]:
    """The models (sorted) in which ``party`` carries ``responsibility``."""
    if responsibility not in matrix.columns:
        raise KeyError(f"Unknown responsibility {responsibility!r}; known: {', '.join(matrix.columns)}")
    return sorted(matrix.index[matrix[responsibility] == party])


# Matching a seller to a model, from Table 2's "Suitable Seller Type" column.
SELLER_FIELDS = ("has_brand", "has_operations_team", "is_factory", "has_cross_border_experience",
                 "has_overseas_stock")


@dataclass(frozen=True)
class SellerRule:
    model: str
    seller_type: str  # Table 2's "Suitable Seller Type", as printed
    needs: str
    fits: Callable[[dict], bool]


# In order of precedence: the most specific match first (overseas hosting needs
# two fields), then the model that leaves the merchant the most control.
RULES = (
    SellerRule("Overseas Hosting", "Brands with strong overseas stocking capabilities",
               "a brand and stock in overseas warehouses",
               lambda p: p["has_brand"] and p["has_overseas_stock"]),
    SellerRule("POP Self-operation", "Brands / experienced operations teams",
               "a brand or an experienced operations team",
               lambda p: p["has_brand"] or p["has_operations_team"]),
    SellerRule("Semi-Hosting", "SMEs with cross-border experience",
               "cross-border experience",
               lambda p: p["has_cross_border_experience"]),
    SellerRule("Full Hosting", "Integrated manufacturing-trade factories",
               "to be a factory",
               lambda p: p["is_factory"]),
)
PRECEDENCE = tuple(rule.model for rule in RULES)


def validate_profile(profile) -> dict[str, bool]:
    """The five fields of a seller profile (a dict or a pandas Series), each True or False.

    Raises ValueError naming what is missing or not a boolean; other fields are ignored.
    """
    if not isinstance(profile, Mapping | pd.Series):
        raise TypeError(f"A seller profile is a dict or a pandas Series, not a {type(profile).__name__}.")
    missing = [name for name in SELLER_FIELDS if name not in profile]
    if missing:
        raise ValueError(f"The profile lacks {', '.join(missing)}: give each of {', '.join(SELLER_FIELDS)} "
                         "as True or False.")
    for name in SELLER_FIELDS:
        if not isinstance(profile[name], bool | np.bool_):
            raise ValueError(f"{name} must be True or False, not {profile[name]!r}.")
    return {name: bool(profile[name]) for name in SELLER_FIELDS}


def fitting_models(profile) -> list[str]:
    """Every model whose suitable seller type the profile matches, in order of precedence."""
    fields = validate_profile(profile)
    return [rule.model for rule in RULES if rule.fits(fields)]


def recommend_model(profile) -> str | None:
    """The hosting model for a seller profile: the first that fits, or None when none does."""
    fits = fitting_models(profile)
    return fits[0] if fits else None


def explain(profile) -> str:
    """The reasoning behind :func:`recommend_model`, one line per model."""
    fields = validate_profile(profile)
    fits = fitting_models(fields)
    lines = [f"Recommended: {fits[0]}." if fits else "Recommended: none. No seller type of Table 2 matches."]
    for rule in RULES:
        verdict = "Fits" if rule.model in fits else "Does not fit"
        lines.append(f'{verdict} {rule.model}, which needs {rule.needs} (Table 2: "{rule.seller_type}").')
    if len(fits) > 1:
        lines.append(f"{len(fits)} models fit; the first in the order {', '.join(PRECEDENCE)} wins.")
    return "\n".join(lines)


# Invented profiles (not sellers from the reading) covering every rule, every
# tie between rules and sellers that no model of Table 2 fits.
_GRADED_PROFILES = {
    # name: has_brand, has_operations_team, is_factory, has_cross_border_experience, has_overseas_stock
    "toy brand with its own store team": (True, True, False, False, False),
    "licensed brand without a team": (True, False, False, False, False),
    "agency-trained operations team, no brand": (False, True, False, False, False),
    "garment factory without an e-commerce team": (False, False, True, False, False),
    "small exporter selling abroad for years": (False, False, False, True, False),
    "appliance brand with a European warehouse": (True, False, False, False, True),
    "factory that has exported before": (False, False, True, True, False),
    "factory with its own operations team": (False, True, True, False, False),
    "brand that has everything": (True, True, True, True, True),
    "unbranded trader with overseas stock": (False, False, False, False, True),
    "newcomer with none of these": (False, False, False, False, False),
}


def graded_profiles() -> pd.DataFrame:
    """The invented seller profiles the recommendation exercise is graded on."""
    frame = pd.DataFrame.from_dict(_GRADED_PROFILES, orient="index", columns=list(SELLER_FIELDS))
    frame.index.name = "profile"
    return frame.astype(bool)
