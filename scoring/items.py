"""One study's link to a claim as the scoring model sees it (Item), and the checks every input
passes before it is scored: a wrong value fails with a message that names the field."""

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields, replace
from typing import Any

from . import weights as w


@dataclass(frozen=True)
class Item:
    """One study's link to a claim, as the scoring model sees it.

    When `certainty` is given it is used as is and `downgrades`/`upgrades` are ignored;
    when it is None it is derived from the design (see `certainty_for`). `key` defaults to
    the item's 0-based index in the call; `included_in` names the keys of reviews that pool
    this study; `risk_of_bias`, `indirectness` and `imprecise` feed the certainty of the body
    of evidence, not the item's points.
    """

    stance: str
    design: str
    certainty: str | None = None
    sample_size: int | None = None
    strength: str = "clear"
    downgrades: int = 0
    upgrades: int = 0
    key: Any = None
    trial: Any = None
    included_in: tuple[Any, ...] = ()
    retracted: bool = False
    risk_of_bias: str | None = None
    indirectness: int = 0
    imprecise: bool = False


ITEM_FIELDS = tuple(f.name for f in fields(Item))
_ITEM_FIELD_SET = frozenset(ITEM_FIELDS)


def check(field: str, value: Any, allowed: Iterable[Any]) -> None:
    try:
        if value in allowed:  # the common case, before the message is built (rescoring at scale)
            return
    except TypeError:  # an unhashable value against a dict's keys
        pass
    allowed = tuple(allowed)
    if value not in allowed:
        raise ValueError(f"{field} must be one of {', '.join(map(str, allowed))}; got {value!r}")


def check_count(field: str, value: Any, most: int | None = None) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"{field} must be a whole number of 0 or more; got {value!r}")
    if most is not None and value > most:
        raise ValueError(f"{field} must be a whole number from 0 to {most}; got {value!r}")


def check_flag(field: str, value: Any) -> None:
    if not isinstance(value, bool):
        raise ValueError(f"{field} must be True or False; got {value!r}")


def _check_hashable(field: str, value: Any) -> None:
    try:
        hash(value)
    except TypeError:
        raise ValueError(
            f"{field} must be hashable (a number, a string, …); got {value!r}"
        ) from None


def _check_keys(field: str, value: Any) -> tuple[Any, ...]:
    if isinstance(value, str | bytes) or not isinstance(value, list | tuple | set | frozenset):
        raise ValueError(f"{field} must be a list of keys; got {value!r}")
    for key in value:
        try:
            hash(key)
        except TypeError:
            raise ValueError(
                f"{field} must be a list of hashable keys; got {value!r} ({key!r} is not)"
            ) from None
    return tuple(value)


def as_item(item: Item | Mapping[str, Any]) -> Item:
    """An Item from an Item or a dict with Item's keys, checked field by field.

    An empty certainty or risk of bias ("") counts as None; `included_in` becomes a tuple.
    """
    if isinstance(item, Mapping):
        unknown = not _ITEM_FIELD_SET.issuperset(item) and set(item) - _ITEM_FIELD_SET
        if unknown:
            raise ValueError(f"unknown item field(s): {', '.join(sorted(map(str, unknown)))}")
        if "stance" not in item or "design" not in item:
            raise ValueError(f"an item needs a stance and a design; got {dict(item)!r}")
        item = Item(**item)
    elif not isinstance(item, Item):
        raise ValueError(f"an item must be a scoring.Item or a dict; got {item!r}")
    check("stance", item.stance, w.STANCES)
    check("design", item.design, w.DESIGN_VALUES)
    if item.certainty == "":
        item = replace(item, certainty=None)
    if item.certainty is not None:
        check("certainty", item.certainty, w.CERTAINTY_VALUES)
    check("strength", item.strength, w.STRENGTH_FACTOR)
    check_count("downgrades", item.downgrades)
    check_count("upgrades", item.upgrades)
    n = item.sample_size
    if n is not None and (
        isinstance(n, bool) or not isinstance(n, int | float) or not math.isfinite(n) or n < 1
    ):
        raise ValueError(f"sample_size must be at least 1, or None when unknown; got {n!r}")
    _check_hashable("key", item.key)
    _check_hashable("trial", item.trial)
    included_in = _check_keys("included_in", item.included_in)
    check_flag("retracted", item.retracted)
    if item.risk_of_bias == "":
        item = replace(item, risk_of_bias=None)
    if item.risk_of_bias is not None:
        check("risk_of_bias", item.risk_of_bias, w.RISKS_OF_BIAS)
    check_count("indirectness", item.indirectness, most=w.INDIRECTNESS_MOST)
    check_flag("imprecise", item.imprecise)
    if included_in != item.included_in:
        item = replace(item, included_in=included_in)
    return item


def as_items(items: Iterable[Item | Mapping[str, Any]]) -> list[Item]:
    """The items checked, each with its key (its 0-based index when it has none); keys must be
    unique in one call."""
    checked = [as_item(item) for item in items]
    keyed = [
        item if item.key is not None else replace(item, key=i) for i, item in enumerate(checked)
    ]
    seen: dict[Any, int] = {}
    for i, item in enumerate(keyed):
        if item.key in seen:
            raise ValueError(
                f"keys must be unique in one call; items {seen[item.key]} and {i} both have "
                f"key {item.key!r} (an item without a key takes its index)"
            )
        seen[item.key] = i
    return keyed


def check_claim_type(claim_type: str | None) -> None:
    if claim_type is not None:
        check("claim_type", claim_type, w.CLAIM_TYPES)
