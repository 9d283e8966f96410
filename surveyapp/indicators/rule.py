"""The "applies AI effectively" rule (DOMAIN §3) as versioned, JSON-able data, and its evaluation.

A rule is stored as a plain dict (``Rule.to_dict()``); ``Rule.from_dict()`` validates it
strictly and raises ``RuleError`` naming the bad field. ``evaluate()`` is a pure function of
a rule and one person's evidence (``PersonEvidence``), so it is tested with plain cases.

The five conditions, all needed for "achieved":

1. regular real use: ``ai_frequency`` is one of ``frequency_values``;
2. a concrete purpose and an example accepted by a trainer or reviewer;
3. safe practice: ``verifies_outputs >= min_verifies_outputs`` and
   ``enters_personal_data <= max_enters_personal_data`` (1 = never);
4. post-test: ``post_percent >= min_post_percent`` and ``safety_share >= min_safety_share``;
5. benefit: ``time_saved`` is one of ``time_saved_values``, or the accepted example
   describes a quality gain (``example_quality_gain``, set by the reviewer).

"Partly" means conditions 1 and 4 hold but not all five. A person whose follow-up is
missing or came earlier than ``min_days_after_class`` is "not_assessable" and is left out
of the denominator.

``min_safety_share`` is stored exactly as a fraction ``{"numerator": 2, "denominator": 3}``
so that "2 of 3 safety questions right" is never lost to rounding; measured shares and
percentages are compared with a tolerance of ``TOLERANCE`` for the same reason.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..errors import DomainError

FREQUENCY_VALUES = ("never", "monthly_1_3", "weekly_1_2", "weekly_3_6", "daily")
TIME_SAVED_VALUES = ("none", "lt30", "m30_60", "h1_3", "gt3")
TOLERANCE = 1e-9

ACHIEVED, PARTLY, NOT_YET, NOT_ASSESSABLE = "achieved", "partly", "not_yet", "not_assessable"
OUTCOMES = (ACHIEVED, PARTLY, NOT_YET, NOT_ASSESSABLE)

# Each check that can fail, and the numbered condition (DOMAIN §3) it belongs to.
CHECKS = {
    "frequency": 1,
    "purpose": 2,
    "example": 2,
    "verifies_outputs": 3,
    "personal_data": 3,
    "post_percent": 4,
    "safety_share": 4,
    "benefit": 5,
}
# Why a person is not assessable (reported in ``Outcome.failed``).
NO_FOLLOW_UP, TOO_EARLY = "no_follow_up", "follow_up_too_early"


# Names of the rule's fields in error messages.
FIELD_LABELS = {
    "version": _l("Version"),
    "min_days_after_class": _l("Minimum days after the class"),
    "frequency_values": _l("Frequencies of use that count"),
    "require_purpose": _l("A purpose is required"),
    "require_accepted_example": _l("An accepted example is required"),
    "min_verifies_outputs": _l("Minimum answer on checking AI outputs"),
    "max_enters_personal_data": _l("Maximum answer on entering personal data"),
    "min_post_percent": _l("Minimum post-test score (%)"),
    "min_safety_share": _l("Minimum share of safety questions right"),
    "time_saved_values": _l("Weekly time savings that count"),
}


def _label(name: str) -> str:
    return str(FIELD_LABELS.get(name, name))


class RuleError(DomainError):
    """A stored or submitted rule is invalid; ``field`` names the bad field."""


@dataclass(frozen=True)
class Rule:
    version: int = 1
    min_days_after_class: int = 30
    frequency_values: tuple[str, ...] = ("weekly_1_2", "weekly_3_6", "daily")
    require_purpose: bool = True
    require_accepted_example: bool = True
    min_verifies_outputs: int = 4
    max_enters_personal_data: int = 1
    min_post_percent: float = 70
    min_safety_share: Fraction = Fraction(2, 3)
    time_saved_values: tuple[str, ...] = ("m30_60", "h1_3", "gt3")

    def __post_init__(self):
        _validate(self)

    def to_dict(self) -> dict:
        return {
            "version": self.version,
            "min_days_after_class": self.min_days_after_class,
            "frequency_values": list(self.frequency_values),
            "require_purpose": self.require_purpose,
            "require_accepted_example": self.require_accepted_example,
            "min_verifies_outputs": self.min_verifies_outputs,
            "max_enters_personal_data": self.max_enters_personal_data,
            "min_post_percent": self.min_post_percent,
            "min_safety_share": {
                "numerator": self.min_safety_share.numerator,
                "denominator": self.min_safety_share.denominator,
            },
            "time_saved_values": list(self.time_saved_values),
        }

    @classmethod
    def from_dict(cls, data) -> Rule:
        if not isinstance(data, dict):
            raise RuleError(_("The rule must be a set of named fields."))
        expected = set(cls.__dataclass_fields__)
        for key in data:
            if key not in expected:
                raise RuleError(
                    _("Unknown field “%(name)s” in the rule.", name=_label(key)), field=key
                )
        for key in cls.__dataclass_fields__:
            if key not in data:
                raise RuleError(
                    _("The rule lacks the field “%(name)s”.", name=_label(key)), field=key
                )
        values = dict(data)
        for key in ("frequency_values", "time_saved_values"):
            if not isinstance(values[key], list):
                raise RuleError(_("“%(name)s” must be a list.", name=_label(key)), field=key)
            values[key] = tuple(values[key])
        values["min_safety_share"] = _fraction(values["min_safety_share"])
        return cls(**values)


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _int_between(name: str, value, low: int, high: int | None) -> None:
    if not _is_int(value):
        raise RuleError(_("“%(name)s” must be a whole number.", name=_label(name)), field=name)
    if value < low or (high is not None and value > high):
        if high is None:
            message = _("“%(name)s” must be at least %(low)s.", name=_label(name), low=low)
        else:
            message = _(
                "“%(name)s” must be between %(low)s and %(high)s.",
                name=_label(name),
                low=low,
                high=high,
            )
        raise RuleError(message, field=name)


def _choices(name: str, values, allowed: tuple[str, ...], *, allow_empty: bool) -> None:
    if not isinstance(values, tuple) or not all(isinstance(v, str) for v in values):
        raise RuleError(
            _("“%(name)s” must be a list of answer values.", name=_label(name)), field=name
        )
    for value in values:
        if value not in allowed:
            raise RuleError(
                _(
                    "“%(value)s” is not a known answer for “%(name)s”.",
                    value=value,
                    name=_label(name),
                ),
                field=name,
            )
    if len(set(values)) != len(values):
        raise RuleError(_("“%(name)s” lists a value twice.", name=_label(name)), field=name)
    if not values and not allow_empty:
        raise RuleError(_("“%(name)s” needs at least one value.", name=_label(name)), field=name)


def _fraction(value) -> Fraction:
    name = "min_safety_share"
    if not isinstance(value, dict) or set(value) != {"numerator", "denominator"}:
        raise RuleError(
            _("“%(name)s” must have a numerator and a denominator.", name=_label(name)), field=name
        )
    numerator, denominator = value["numerator"], value["denominator"]
    if not (_is_int(numerator) and _is_int(denominator)):
        raise RuleError(
            _("“%(name)s” must be a fraction of whole numbers.", name=_label(name)), field=name
        )
    if denominator <= 0 or not 0 <= numerator <= denominator:
        raise RuleError(
            _("“%(name)s” must be a fraction between 0 and 1.", name=_label(name)), field=name
        )
    return Fraction(numerator, denominator)


def _validate(rule: Rule) -> None:
    _int_between("version", rule.version, 1, None)
    _int_between("min_days_after_class", rule.min_days_after_class, 0, None)
    _choices("frequency_values", rule.frequency_values, FREQUENCY_VALUES, allow_empty=False)
    for name in ("require_purpose", "require_accepted_example"):
        if not isinstance(getattr(rule, name), bool):
            raise RuleError(_("“%(name)s” must be true or false.", name=_label(name)), field=name)
    _int_between("min_verifies_outputs", rule.min_verifies_outputs, 1, 5)
    _int_between("max_enters_personal_data", rule.max_enters_personal_data, 1, 5)
    percent = rule.min_post_percent
    if isinstance(percent, bool) or not isinstance(percent, int | float):
        raise RuleError(
            _("“%(name)s” must be a number.", name=_label("min_post_percent")),
            field="min_post_percent",
        )
    if not 0 <= percent <= 100:
        raise RuleError(
            _(
                "“%(name)s” must be between %(low)s and %(high)s.",
                name=_label("min_post_percent"),
                low=0,
                high=100,
            ),
            field="min_post_percent",
        )
    share = rule.min_safety_share
    if not isinstance(share, Fraction) or not 0 <= share <= 1:
        raise RuleError(
            _("“%(name)s” must be a fraction between 0 and 1.", name=_label("min_safety_share")),
            field="min_safety_share",
        )
    _choices("time_saved_values", rule.time_saved_values, TIME_SAVED_VALUES, allow_empty=True)


DEFAULT_RULE = Rule()


@dataclass(frozen=True)
class PersonEvidence:
    """What is known about one trainee; ``days_after_class`` is None without a follow-up."""

    days_after_class: int | None = None
    ai_frequency: str | None = None
    purposes: list[str] = field(default_factory=list)
    example_accepted: bool | None = None
    example_quality_gain: bool = False
    verifies_outputs: int | None = None
    enters_personal_data: int | None = None
    post_percent: float | None = None
    safety_share: float | None = None
    time_saved: str | None = None


@dataclass(frozen=True)
class Outcome:
    """``status`` is one of ``OUTCOMES``; ``failed`` lists the failed ``CHECKS`` (or the reason
    the person is not assessable) in the rule's order."""

    status: str
    failed: tuple[str, ...] = ()

    @property
    def failed_conditions(self) -> tuple[int, ...]:
        return tuple(sorted({CHECKS[key] for key in self.failed if key in CHECKS}))

    @property
    def counted(self) -> bool:
        """Whether the person belongs in the indicator's denominator."""
        return self.status != NOT_ASSESSABLE


def _at_least(value, threshold) -> bool:
    return value is not None and value + TOLERANCE >= threshold


def _failed_checks(rule: Rule, p: PersonEvidence) -> list[str]:
    accepted = p.example_accepted is True
    passes = {
        "frequency": p.ai_frequency in rule.frequency_values,
        "purpose": not rule.require_purpose or bool(p.purposes),
        "example": not rule.require_accepted_example or accepted,
        "verifies_outputs": _at_least(p.verifies_outputs, rule.min_verifies_outputs),
        "personal_data": p.enters_personal_data is not None
        and p.enters_personal_data <= rule.max_enters_personal_data,
        "post_percent": _at_least(p.post_percent, rule.min_post_percent),
        "safety_share": _at_least(p.safety_share, float(rule.min_safety_share)),
        "benefit": p.time_saved in rule.time_saved_values or (accepted and p.example_quality_gain),
    }
    return [key for key in CHECKS if not passes[key]]


def evaluate(rule: Rule, person: PersonEvidence) -> Outcome:
    """Classify one person under ``rule`` (see the module docstring)."""
    if person.days_after_class is None:
        return Outcome(NOT_ASSESSABLE, (NO_FOLLOW_UP,))
    if person.days_after_class < rule.min_days_after_class:
        return Outcome(NOT_ASSESSABLE, (TOO_EARLY,))
    failed = _failed_checks(rule, person)
    if not failed:
        return Outcome(ACHIEVED)
    core = {CHECKS[key] for key in failed} & {1, 4}
    return Outcome(NOT_YET if core else PARTLY, tuple(failed))
