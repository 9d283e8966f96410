"""Drawing one learner's answers to the default instruments, as the engine would store them.

Values have the types ``engine.validate_submission`` returns (a choice value, a list of
values in choice order, a Likert point as ``int``, a stripped text), so the stored rows
are what a real submission of the same answers gives. Skill-test answers follow a simple
item-response model: a learner's level on a logit scale, and per item an ease and a
discrimination (``ITEM_PROFILE``), so item analysis of the demo finds easy, hard and
weakly discriminating items. Items of unknown keys (an edited instrument) get plausible
answers by their question type.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

from surveyapp.campaigns.models import Segment
from surveyapp.demo import answer_texts as texts
from surveyapp.instruments.qtypes import yes_no_key

SAFETY = "privacy_safety"
# (ease, discrimination) of the default skill-test items: t06, t08, t19 are easy, t21
# (consent under the 2025 law) hard, t04 barely tells strong from weak learners.
ITEM_PROFILE = {
    "t01": (0.2, 1.0), "t02": (-0.5, 1.2), "t03": (0.4, 1.0), "t04": (-0.8, 0.3),
    "t05": (0.3, 1.1), "t06": (1.0, 0.9), "t07": (0.0, 1.0), "t08": (1.3, 0.8),
    "t09": (-0.3, 1.3), "t10": (0.6, 1.0), "t11": (-0.4, 1.1), "t12": (-0.1, 1.0),
    "t13": (0.1, 1.0), "t14": (0.5, 1.0), "t15": (0.0, 1.2), "t16": (-0.6, 1.0),
    "t17": (0.2, 1.1), "t18": (0.5, 1.0), "t19": (1.4, 0.9), "t20": (0.1, 1.0),
    "t21": (-1.3, 0.6), "t22": (0.4, 1.0), "t23": (0.6, 1.1), "t24": (-0.2, 1.0),
    "t25": (0.7, 1.0), "t26": (0.0, 1.2), "t27": (-0.7, 1.0), "t28": (0.5, 1.0),
}  # fmt: skip
# Before the class few know the safety rules; the class teaches them above all.
SAFETY_EASE = {False: -0.4, True: 0.6}
FREQUENCIES = ("never", "monthly_1_3", "weekly_1_2", "weekly_3_6", "daily")
WEEKLY = frozenset(FREQUENCIES[2:])
PRE_FREQUENCY = {
    Segment.OFFICIAL: (35, 30, 20, 10, 5), Segment.TEACHER: (30, 30, 22, 12, 6),
    Segment.BUSINESS: (40, 30, 17, 9, 4), Segment.RESIDENT: (62, 24, 8, 4, 2),
    Segment.STUDENT: (20, 30, 25, 15, 10), Segment.OTHER: (45, 30, 15, 7, 3),
}  # fmt: skip
DEVICES = {
    Segment.OFFICIAL: {"phone": 40, "both": 50, "computer": 10},
    Segment.TEACHER: {"phone": 35, "both": 55, "computer": 10},
    Segment.BUSINESS: {"phone": 60, "both": 37, "computer": 3},
    Segment.RESIDENT: {"phone": 84, "both": 9, "none": 7},
    Segment.STUDENT: {"phone": 68, "both": 27, "none": 5},
    Segment.OTHER: {"phone": 70, "both": 25, "none": 5},
}
TOOLS = {"chatbot": 0.75, "voice": 0.35, "translate": 0.35, "images": 0.15, "in_apps": 0.25,
         "other": 0.03}  # fmt: skip
# How likely each purpose is ticked at the follow-up, per segment.
PURPOSES = {
    Segment.OFFICIAL: {"writing": 0.85, "summarising": 0.6, "questions": 0.5, "planning": 0.4,
                       "translation": 0.1, "images_video": 0.15, "other": 0.04},
    Segment.TEACHER: {"writing": 0.6, "planning": 0.6, "questions": 0.5, "images_video": 0.4,
                      "summarising": 0.4, "translation": 0.2, "children_study": 0.2},
    Segment.BUSINESS: {"selling": 0.8, "writing": 0.4, "images_video": 0.45, "questions": 0.4,
                       "translation": 0.2, "planning": 0.3},
    Segment.RESIDENT: {"questions": 0.7, "farming": 0.5, "children_study": 0.4, "writing": 0.2,
                       "selling": 0.2, "images_video": 0.15, "other": 0.08},
    Segment.STUDENT: {"questions": 0.7, "summarising": 0.4, "translation": 0.4, "planning": 0.3,
                      "images_video": 0.3, "writing": 0.3},
    Segment.OTHER: {"questions": 0.6, "writing": 0.3, "other": 0.2},
}  # fmt: skip
# Weekly time saved (none, <30 min, 30-60 min, 1-3 h, >3 h) by how often AI is used.
TIME_SAVED = ("none", "lt30", "m30_60", "h1_3", "gt3")
TIME_BY_FREQUENCY = {
    "monthly_1_3": (25, 55, 17, 3, 0), "weekly_1_2": (3, 30, 45, 20, 2),
    "weekly_3_6": (0, 10, 43, 40, 7), "daily": (0, 4, 24, 50, 22),
}  # fmt: skip
# How much more each segment puts AI to use at work after the class (logit shift).
USE_SHIFT = {Segment.OFFICIAL: 0.6, Segment.TEACHER: 0.5, Segment.BUSINESS: 0.4,
             Segment.STUDENT: 0.5, Segment.RESIDENT: -0.3, Segment.OTHER: 0.0}  # fmt: skip


def sigmoid(x: float) -> float:
    return 1 / (1 + math.exp(-x))


def likert(rng: random.Random, mean: float, spread: float = 0.75) -> int:
    return min(5, max(1, round(rng.gauss(mean, spread))))


def pick(rng: random.Random, weights: dict[str, float]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def ticks(rng: random.Random, chances: dict[str, float], allowed: list[str]) -> list[str]:
    """Options ticked independently by ``chances``, at least one, in choice order."""
    chosen = {v for v, p in chances.items() if rng.random() < p}
    if not chosen:
        chosen = {pick(rng, chances)}
    return [v for v in allowed if v in chosen]


def choice_values(item) -> list[str]:
    return [str(c.get("value")) for c in item.choices or []]


# ---------------------------------------------------------------- the skill test


def test_answers(rng: random.Random, items, level: float, *, post: bool, perfect: bool) -> dict:
    """Answers of a learner of ``level`` (logits) to a skill test, before or after class.

    ``perfect`` answers every scored item right (the learners at the ceiling).
    """
    answers = {}
    for item in items:
        if item.qtype not in ("single_choice", "multiple_choice", "yes_no"):
            continue
        if not perfect and rng.random() < (0.005 if post else 0.012):
            continue  # skipped
        ease, discrimination = ITEM_PROFILE.get(item.key, (0.0, 1.0))
        if item.competency == SAFETY:
            ease += SAFETY_EASE[post]
        knows = perfect or rng.random() < sigmoid(discrimination * (level + ease))
        answers[item.key] = scored_answer(rng, item, knows)
    return answers


def scored_answer(rng: random.Random, item, knows: bool):
    values = choice_values(item) or ["yes", "no"]
    key = item.answer_key
    if item.qtype == "multiple_choice":
        right = [str(v) for v in (key if isinstance(key, list) else [key])]
        if knows:
            return [v for v in values if v in right]
        chosen = [v for v in values if rng.random() < (0.5 if v in right else 0.45)]
        return chosen or [rng.choice(values)]
    if item.qtype == "yes_no":
        key = yes_no_key(key)
    if knows and key is not None:
        return str(key)
    wrong = [v for v in values if v != str(key)] or values
    # The first distractor attracts most of the wrong answers, as in real tests.
    return rng.choices(wrong, weights=[3, 1.5, 1, 1, 1, 1][: len(wrong)] or None)[0]


# ---------------------------------------------------------------- surveys


@dataclass
class Mood:
    """What shapes a learner's survey answers: confidence (Likert mean) and straight-lining."""

    confidence: float
    straight: int | None = None  # the one point given to every Likert item


def pre_survey_answers(rng: random.Random, items, segment: str, theta: float, mood: Mood):
    weights = PRE_FREQUENCY.get(segment, PRE_FREQUENCY[Segment.OTHER])
    tilted = [w * math.exp(0.45 * theta * k) for k, w in enumerate(weights)]
    frequency = rng.choices(FREQUENCIES, weights=tilted)[0]
    known = {
        "device": lambda _item: pick(rng, DEVICES.get(segment, DEVICES[Segment.OTHER])),
        "ai_frequency": lambda _item: frequency,
        "tools_used": lambda item: ticks(rng, TOOLS, choice_values(item)),
        "expectation": lambda _item: _maybe(rng, 0.4, texts.EXPECTATIONS.get(segment, ())),
    }
    answers = {}
    for item in items:
        if item.key == "tools_used" and frequency == "never":
            continue
        answers[item.key] = _answer(rng, item, known, mood)
    return _without_none(answers)


def post_survey_answers(rng: random.Random, items, segment: str, mood: Mood):
    older = segment == Segment.RESIDENT
    pace = {"just_right": 72, "too_fast": 24 if older else 16, "too_slow": 4}
    known = {
        "satisfaction": lambda _item: likert(rng, 4.3, 0.7),
        "relevance": lambda _item: likert(rng, 4.1, 0.8),
        "clarity": lambda _item: likert(rng, 4.3, 0.7),
        "intend_use": lambda _item: likert(rng, mood.confidence + 0.3, 0.8),
        "pace": lambda _item: pick(rng, pace),
        "most_useful": lambda _item: _maybe(rng, 0.35, texts.MOST_USEFUL),
        "improve": lambda _item: _maybe(rng, 0.2, texts.IMPROVEMENTS),
    }
    return _without_none({item.key: _answer(rng, item, known, mood) for item in items})


def _answer(rng: random.Random, item, known: dict, mood: Mood):
    if item.qtype == "likert":
        if mood.straight is not None:
            return mood.straight
        if item.key in known:
            return known[item.key](item)
        point = likert(rng, mood.confidence)
        return 6 - point if item.reverse else point
    if item.key in known:
        return known[item.key](item)
    return generic_answer(rng, item)


def generic_answer(rng: random.Random, item):
    """A plausible answer to an item the demo does not know, by its type."""
    values = choice_values(item)
    if item.qtype == "single_choice" and values:
        return rng.choice(values)
    if item.qtype == "multiple_choice" and values:
        return [v for v in values if v == rng.choice(values)] or values[:1]
    if item.qtype == "yes_no":
        return rng.choice(["yes", "no"])
    if item.qtype in ("short_text", "long_text") and item.required:
        return "Không có ý kiến."
    return None


def _maybe(rng: random.Random, chance: float, options) -> str | None:
    return rng.choice(options) if options and rng.random() < chance else None


def _without_none(answers: dict) -> dict:
    return {k: v for k, v in answers.items() if v is not None}


# ---------------------------------------------------------------- the follow-up

USE_STEPS = (-1.5, -0.5, 0.6, 1.7)  # cut points of the use scale between frequencies


@dataclass
class Outcome:
    """How a learner uses AI some weeks after the class; the follow-up answers tell it."""

    frequency: str
    time_saved: str | None
    verifies: int
    personal_data: int  # the raw point of the reverse-coded item: 1 = never
    calls: int
    quality: bool
    concrete: bool


def follow_up_outcome(
    rng: random.Random, segment: str, post: float | None, safety: float | None, drive: float
) -> Outcome:
    """Use after the class from the post-test share of points (overall and on the safety
    items; ``None`` when the learner missed it), the segment and the learner's drive."""
    post = 0.4 if post is None else post
    safety = 0.5 if safety is None else safety
    use = USE_SHIFT.get(segment, 0.0) + 0.8 * drive + 4.0 * (post - 0.6) + rng.gauss(0, 0.7)
    frequency = FREQUENCIES[sum(use > step for step in USE_STEPS)]
    time_saved = None
    if frequency != "never":
        time_saved = rng.choices(TIME_SAVED, weights=TIME_BY_FREQUENCY[frequency])[0]
    careful = rng.random() < sigmoid(2.5 + 3.0 * (safety - 0.6) + 0.5 * drive)
    return Outcome(
        frequency=frequency,
        time_saved=time_saved,
        verifies=likert(rng, 3.1 + 1.5 * safety + 0.25 * drive, 0.6),
        personal_data=1 if careful else rng.choices((2, 3, 4), weights=(65, 28, 7))[0],
        calls=likert(rng, 3.0 + 1.5 * safety, 0.8),
        quality=rng.random() < (0.55 if time_saved in ("none", "lt30") else 0.2),
        concrete=rng.random() < sigmoid(2.9 + 0.8 * drive),
    )


def follow_up_answers(rng: random.Random, items, segment: str, outcome: Outcome, mood: Mood):
    chances = PURPOSES.get(segment, PURPOSES[Segment.OTHER])
    chosen: list[str] = []

    def purposes(item) -> list[str]:
        chosen[:] = ticks(rng, chances, choice_values(item))
        return chosen

    known = {
        "ai_frequency": lambda _item: outcome.frequency,
        "ai_purposes": purposes,
        "ai_purposes_other": lambda _item: rng.choice(texts.PURPOSES_OTHER),
        "time_saved": lambda _item: outcome.time_saved,
        "example": lambda _item: example_text(rng, segment, chosen, outcome),
        "verifies_outputs": lambda _item: outcome.verifies,
        "enters_personal_data": lambda _item: outcome.personal_data,
        "verify_calls": lambda _item: outcome.calls,
        "barriers": lambda item: barriers(rng, segment, outcome, choice_values(item)),
        "satisfaction": lambda _item: likert(rng, 4.2, 0.7),
        "support_needed": lambda _item: _maybe(rng, 0.3, texts.SUPPORT_NEEDED),
    }
    return _without_none({item.key: _answer(rng, item, known, mood) for item in items})


def example_text(rng: random.Random, segment: str, purposes: list[str], outcome: Outcome) -> str:
    """One real task of the segment (of a ticked purpose when there is one) and its gain."""
    if not outcome.concrete or outcome.time_saved is None:
        return rng.choice(texts.VAGUE_EXAMPLES)
    tasks = texts.TASKS.get(segment) or texts.TASKS[Segment.OTHER]
    fitting = [task for purpose, task in tasks if purpose in purposes]
    text = rng.choice(fitting or [task for _purpose, task in tasks])
    text += rng.choice(texts.TIME_GAINS[outcome.time_saved])
    if outcome.quality:
        text += rng.choice(texts.QUALITY_GAINS.get(segment) or texts.QUALITY_GAINS[Segment.OTHER])
    if outcome.verifies >= 4 and rng.random() < 0.4:
        text += rng.choice(texts.CHECKS)
    if segment == Segment.STUDENT:
        text = text.replace("Tôi ", "Em ").replace(" tôi ", " em ")
    return text


def barriers(rng: random.Random, segment: str, outcome: Outcome, values: list[str]):
    if rng.random() < 0.3:
        return None
    if outcome.frequency in WEEKLY and rng.random() < 0.45:
        return ["none"] if "none" in values else None
    no_device = 0.25 if segment == Segment.RESIDENT else 0.05
    chances = {"no_time": 0.4, "hard_to_use": 0.3, "not_useful": 0.2, "worried": 0.3,
               "no_device": no_device, "other": 0.03}  # fmt: skip
    return ticks(rng, {k: p for k, p in chances.items() if k in values}, values)
