"""Flags for responses and people that look unreliable; pure functions over plain data.

No database, no Flask: callers load the data (one form or one Likert block at a time)
and get back the ids to flag. The flag codes the UI will label are the constants below.
A flag is a prompt for a human to look, never a verdict: nothing here deletes data.

Thresholds and why:

- ``too_fast``: under 30% of the form's median duration (speeders in web surveys are
  usually defined relative to the median, e.g. Greszki, Meyer & Schoen 2015, POQ 79:471,
  because forms differ in length and reading speed differs by population), or under
  2 seconds per answered item (Huang et al. 2012, J Bus Psychol 27:99, found about
  2 s/item is the fastest pace at which items can be read at all). The median needs
  enough responses to mean anything: with fewer than 5 timed responses only the per-item
  floor applies.
- ``straight_lining``: the same point on every answered item of a Likert block, with at
  least 5 items answered; with fewer, identical answers happen by honest agreement.
- ``probable_duplicates``: same normalised name, birth year and commune. Phones do not
  clear a match (people change or borrow phones), so the group is for review only.

Comparisons are strict: a value exactly at a threshold is not flagged.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass

TOO_FAST = "too_fast"
STRAIGHT_LINING = "straight_lining"
PROBABLE_DUPLICATE = "probable_duplicate"
# Set by surveyapp.approvals.locks: sent into a period whose figures were approved.
LATE_FOR_APPROVED_PERIOD = "late_for_approved_period"

SHARE_OF_MEDIAN = 0.3
MIN_SECONDS_PER_ITEM = 2.0
MIN_RESPONSES_FOR_MEDIAN = 5
MIN_LIKERT_ITEMS = 5


def too_fast(
    durations: Mapping[Hashable, float | None],
    n_items: Mapping[Hashable, int] | None = None,
    *,
    share_of_median: float = SHARE_OF_MEDIAN,
    min_seconds_per_item: float = MIN_SECONDS_PER_ITEM,
) -> set[Hashable]:
    """Ids of responses finished implausibly fast; pass the responses of ONE form.

    ``durations`` maps a response id to seconds from start to submit; None (not timed,
    e.g. entered on paper) is ignored and never flagged. ``n_items`` maps a response id
    to the number of items it answered; a response missing from it gets no per-item floor.

    A response is flagged when its duration is below ``share_of_median`` times the median
    of the timed responses (only with at least 5 of them: the median of 2-4 responses is
    one person's pace, not the form's), or below ``min_seconds_per_item`` times its
    answered items.
    """
    if share_of_median < 0 or min_seconds_per_item < 0:
        raise ValueError("thresholds must not be negative")
    timed = {rid: float(seconds) for rid, seconds in durations.items() if seconds is not None}
    n_items = n_items or {}
    median_floor = 0.0
    if len(timed) >= MIN_RESPONSES_FOR_MEDIAN:
        median_floor = share_of_median * statistics.median(timed.values())
    flagged = set()
    for rid, seconds in timed.items():
        item_floor = min_seconds_per_item * n_items.get(rid, 0)
        if seconds < median_floor or seconds < item_floor:
            flagged.add(rid)
    return flagged


def straight_lining(
    likert_answers: Mapping[Hashable, Sequence[int | None]],
    *,
    min_items: int = MIN_LIKERT_ITEMS,
) -> set[Hashable]:
    """Ids of responses giving the same point to every answered item of a Likert block.

    Pass one block (items sharing a scale) at a time, with the RAW points as ticked,
    before reverse-coded items are recoded: a block usually mixes positive and
    reverse-coded statements ("AI saves me time" / "AI wastes my time"), so identical raw
    answers across it contradict themselves, whereas after recoding they would no longer
    look identical. None (skipped item) is ignored; a response needs at least
    ``min_items`` answered items to be judged at all.
    """
    if min_items < 2:
        raise ValueError("min_items must be at least 2")
    flagged = set()
    for rid, answers in likert_answers.items():
        answered = [point for point in answers if point is not None]
        if len(answered) >= min_items and len(set(answered)) == 1:
            flagged.add(rid)
    return flagged


@dataclass(frozen=True)
class PersonKey:
    """What identifies a person for duplicate detection.

    ``name_key`` is the full name already folded (lower case, accents and extra spaces
    removed: "Nguyễn Thị Lan" -> "nguyen thi lan"); ``phone_key`` is the normalised phone
    or its key, None when no phone was given.
    """

    person_id: Hashable
    name_key: str
    birth_year: int | None
    locality_id: int | None
    phone_key: str | None = None


def probable_duplicates(people: Iterable[PersonKey]) -> list[set[Hashable]]:
    """Groups of distinct people who are probably one person entered twice.

    People match on the same ``name_key``, ``birth_year`` and ``locality_id``, whatever
    their phone keys: different or missing phones do not clear a match (a new SIM, a
    relative's phone, a phone left blank the second time), and an identical phone only
    makes it likelier. A person with an empty name key, no birth year or no locality is
    never matched: name alone is far too common ("nguyen thi lan") to mean anything.

    Groups have at least two distinct ids and are ordered by their smallest id; ids must
    therefore be comparable (all ints or all strings).
    """
    groups: dict[tuple, set[Hashable]] = defaultdict(set)
    for person in people:
        if not person.name_key or person.birth_year is None or person.locality_id is None:
            continue
        key = (person.name_key, person.birth_year, person.locality_id)
        groups[key].add(person.person_id)
    found = [ids for ids in groups.values() if len(ids) > 1]
    return sorted(found, key=sorted)
