"""Values of the condition grammar: coercion, comparison, arithmetic and the functions.

Semantics, kept simple and predictable:

- ``${key}`` is the answer to an earlier item (``None`` when missing), ``.`` the value being
  checked by a constraint. Numbers become ``Decimal``; a multiple choice answer a tuple.
- Any comparison with a missing answer is false, except against ``''`` (``${x} = ''`` tests
  for "no answer"). A number compared with a string that reads as a number compares as
  numbers; otherwise ``=`` is false, ``!=`` true, and ordering comparisons false. Two
  strings compare as numbers when both read as numbers, else as text (ISO dates sort right).
- Arithmetic with a missing or non-numeric operand, or a division by zero, gives "missing".
"""

from __future__ import annotations

import decimal
import re
from datetime import date
from decimal import Decimal

_NUMBER_TEXT = re.compile(r"\s*[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)\s*\Z")
COMPARE = ("=", "!=", "<", "<=", ">", ">=")

# ---- coercion -------------------------------------------------------------------------------


def as_value(raw):
    """An answer as stored (JSON types) -> the evaluator's value types."""
    if raw is None or raw == "" or raw == []:
        return None
    if isinstance(raw, bool | str | Decimal | date):
        return raw.isoformat() if isinstance(raw, date) else raw
    if isinstance(raw, int | float):
        number = Decimal(repr(raw)) if isinstance(raw, float) else Decimal(raw)
        return number if number.is_finite() else None
    if isinstance(raw, list | tuple):
        return tuple(str(v) for v in raw)
    return str(raw)


def to_number(value) -> Decimal | None:
    if isinstance(value, bool):
        return Decimal(int(value))
    if isinstance(value, Decimal):
        return value if value.is_finite() else None
    if isinstance(value, str) and len(value) <= 50 and _NUMBER_TEXT.match(value):
        return Decimal(value.strip())
    return None


def to_string(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, tuple):
        return " ".join(value)
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value.is_finite() else ""
    return str(value)


def truthy(value) -> bool:
    if isinstance(value, Decimal):
        return value.is_finite() and value != 0
    return bool(value)


def compare(op: str, left, right) -> bool:
    if left is None or right is None:
        # Missing answers compare false, but "${x} = ''" asks whether x is unanswered.
        return op == "=" and (right if left is None else left) == ""
    if isinstance(left, bool) or isinstance(right, bool):
        left, right = truthy(left), truthy(right)
    elif isinstance(left, tuple) or isinstance(right, tuple):
        left, right = to_string(left), to_string(right)
    if isinstance(left, str) and isinstance(right, str):
        ln, rn = to_number(left), to_number(right)
        if ln is not None and rn is not None:
            left, right = ln, rn
    elif isinstance(left, Decimal) or isinstance(right, Decimal):
        ln, rn = to_number(left), to_number(right)
        if ln is None or rn is None:
            return op == "!="
        left, right = ln, rn
    return _ORDER[op](left, right)


_ORDER = {
    "=": lambda a, b: a == b,
    "!=": lambda a, b: a != b,
    "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b,
    ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b,
}

_ARITHMETIC = {
    "+": lambda a, b: a + b,
    "-": lambda a, b: a - b,
    "*": lambda a, b: a * b,
    "div": lambda a, b: a / b,
    "mod": lambda a, b: a % b,
}

_DECIMAL_CONTEXT = decimal.Context(prec=28, Emax=9999, Emin=-9999)


def arithmetic(op: str, left, right):
    a, b = to_number(left), to_number(right)
    if a is None or b is None:
        return None
    try:
        with decimal.localcontext(_DECIMAL_CONTEXT):
            result = _ARITHMETIC[op](a, b)
    except (decimal.DecimalException, ArithmeticError):
        return None
    return result if result.is_finite() else None


# ---- functions ----------------------------------------------------------------------------


def _selected(value, choice) -> bool:
    if value is None:
        return False
    wanted = to_string(choice)
    if isinstance(value, tuple):
        return wanted in value
    return wanted in to_string(value).split()


def _count_selected(value) -> Decimal:
    if value is None:
        return Decimal(0)
    return Decimal(len(value) if isinstance(value, tuple) else len(to_string(value).split()))


def _int(value):
    number = to_number(value)
    return None if number is None else number.to_integral_value(rounding=decimal.ROUND_DOWN)


def _round(value, places):
    number, digits = to_number(value), to_number(places)
    if number is None or digits is None or not 0 <= digits <= 10:
        return None
    return number.quantize(Decimal(1).scaleb(-int(digits)), rounding=decimal.ROUND_HALF_UP)


# name -> (minimum arity, maximum arity, function over evaluated arguments and the context)
FUNCTIONS = {
    "selected": (2, 2, lambda ctx, v, c: _selected(v, c)),
    "count-selected": (1, 1, lambda ctx, v: _count_selected(v)),
    "string-length": (1, 1, lambda ctx, v: Decimal(len(to_string(v)))),
    "number": (1, 1, lambda ctx, v: to_number(v)),
    "string": (1, 1, lambda ctx, v: to_string(v)),
    "int": (1, 1, lambda ctx, v: _int(v)),
    "round": (2, 2, lambda ctx, v, n: _round(v, n)),
    "contains": (2, 2, lambda ctx, s, t: to_string(t) in to_string(s)),
    "starts-with": (2, 2, lambda ctx, s, t: to_string(s).startswith(to_string(t))),
    "not": (1, 1, lambda ctx, v: not truthy(v)),
    "true": (0, 0, lambda ctx: True),
    "false": (0, 0, lambda ctx: False),
    "today": (0, 0, lambda ctx: ctx.today.isoformat()),
    "coalesce": (2, 2, lambda ctx, a, b: a if a not in (None, "") else b),
    "if": (3, 3, lambda ctx, c, a, b: a if truthy(c) else b),
}
