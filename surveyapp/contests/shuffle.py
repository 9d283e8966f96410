"""Reproducible shuffling of a quiz attempt: the order of the questions and of their options.

``draw(items, seed)`` gives the same order for the same items and seed, every time and on
every machine (``random.Random`` with an integer seed is stable across Python versions); the
order is also stored on the attempt, so ``arrange(items, order)`` shows exactly what the
pupil saw even if the drawing code changes one day.

Rules: questions are shuffled inside their page and section (a section heading keeps its
questions), notes stay where the author put them, and only the options of single and
multiple choice questions move: Likert scales, yes/no and the like keep their order.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence

SHUFFLED_OPTION_TYPES = frozenset({"single_choice", "multiple_choice"})
FIXED_POSITION_TYPES = frozenset({"note"})


def new_seed() -> int:
    """A fresh random seed (fits a signed 32-bit column on every engine)."""
    import secrets

    return secrets.randbelow(2**31 - 1) + 1


def _block_key(item) -> tuple:
    section = getattr(item, "section", None) or {}
    return (getattr(item, "page", None) or 1, tuple(sorted(section.items())))


def _blocks(items: Sequence) -> list[list]:
    """Consecutive items of the same page and section."""
    blocks: list[list] = []
    for item in items:
        if blocks and _block_key(blocks[-1][-1]) == _block_key(item):
            blocks[-1].append(item)
        else:
            blocks.append([item])
    return blocks


def _shuffle_block(block: list, rng: random.Random) -> list:
    """The block with its questions shuffled among their own slots; notes stay put."""
    movable = [item for item in block if item.qtype not in FIXED_POSITION_TYPES]
    rng.shuffle(movable)
    moved = iter(movable)
    return [item if item.qtype in FIXED_POSITION_TYPES else next(moved) for item in block]


def draw(items: Iterable, seed: int) -> dict:
    """``{"items": [keys in the order shown], "options": {key: [choice values]}}``."""
    rng = random.Random(seed)
    ordered = [item for block in _blocks(list(items)) for item in _shuffle_block(block, rng)]
    options = {}
    for item in ordered:
        if item.qtype in SHUFFLED_OPTION_TYPES and item.choices:
            values = [str(choice.get("value")) for choice in item.choices]
            rng.shuffle(values)
            options[item.key] = values
    return {"items": [item.key for item in ordered], "options": options}


class ShuffledItem:
    """An item seen through an attempt's order: its ``choices`` in the drawn order, every
    other attribute read from the item (so the shared item macros render it unchanged)."""

    def __init__(self, item, choices: list | None = None):
        self._item = item
        self.choices = item.choices if choices is None else choices

    def __getattr__(self, name):
        return getattr(self._item, name)


def arrange(items: Iterable, order: dict | None) -> list[ShuffledItem]:
    """``items`` in the stored ``order``; items the order does not know come last, as given."""
    by_key = {item.key: item for item in items}
    keys = [key for key in (order or {}).get("items", []) if key in by_key]
    keys += [key for key in by_key if key not in set(keys)]
    options = (order or {}).get("options", {})
    arranged = []
    for key in keys:
        item = by_key[key]
        wanted = options.get(key)
        choices = None
        if wanted and item.choices:
            by_value = {str(choice.get("value")): choice for choice in item.choices}
            choices = [by_value[v] for v in wanted if v in by_value]
            choices += [c for v, c in by_value.items() if v not in set(wanted)]
        arranged.append(ShuffledItem(item, choices))
    return arranged
