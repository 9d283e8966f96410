"""The condition grammar of ``relevant`` (skip logic) and ``constraint``: parse and evaluate safely.

An XLSForm-compatible subset, read by a hand-written tokenizer and recursive-descent parser
into a small tree that is evaluated against a dict of answers. Nothing is ever passed to
``eval``; names that are not listed in ``FUNCTIONS`` are parse errors. The meaning of values,
comparisons and functions (missing answers, numbers against strings...) is in
``expression_values``.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from flask_babel import lazy_gettext as _l

from surveyapp.instruments.expression_values import (
    COMPARE,
    FUNCTIONS,
    arithmetic,
    as_value,
    compare,
    truthy,
)

MAX_LENGTH = 1000
MAX_DEPTH = 25

_TOKEN = re.compile(
    r"""(?P<ws>\s+)
    |(?P<num>[0-9]+(?:\.[0-9]+)?|\.[0-9]+)
    |(?P<str>'[^']*'|"[^"]*")
    |(?P<ref>\$\{[A-Za-z_][A-Za-z0-9_.\-]{0,79}\})
    |(?P<op><=|>=|!=|[=<>+\-*(),.])
    |(?P<name>[A-Za-z_][A-Za-z0-9_\-]*)""",
    re.VERBOSE,
)


class ExpressionError(ValueError):
    """The text is not a valid expression; ``message`` (translated) says why and where."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message

    def __str__(self) -> str:
        return str(self.message)


# ---- the tree -----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Context:
    answers: dict
    current: object
    today: date


@dataclass(frozen=True)
class Literal:
    value: object

    def eval(self, ctx: _Context):
        return self.value


@dataclass(frozen=True)
class Ref:
    name: str

    def eval(self, ctx: _Context):
        return as_value(ctx.answers.get(self.name))


@dataclass(frozen=True)
class Current:
    def eval(self, ctx: _Context):
        return as_value(ctx.current)


@dataclass(frozen=True)
class Negate:
    operand: object

    def eval(self, ctx: _Context):
        return arithmetic("-", Decimal(0), self.operand.eval(ctx))


@dataclass(frozen=True)
class Chain:
    """Left-associative operators of one precedence level, evaluated in a loop (no deep trees)."""

    first: object
    rest: tuple  # ((op, node), ...)

    def eval(self, ctx: _Context):
        value = self.first.eval(ctx)
        for op, node in self.rest:
            right = node.eval(ctx)
            value = compare(op, value, right) if op in COMPARE else arithmetic(op, value, right)
        return value


@dataclass(frozen=True)
class Logic:
    op: str  # "and" | "or"
    operands: tuple

    def eval(self, ctx: _Context):
        want = self.op == "or"
        for node in self.operands:
            if truthy(node.eval(ctx)) == want:
                return want
        return not want


@dataclass(frozen=True)
class Call:
    name: str
    args: tuple

    def eval(self, ctx: _Context):
        if self.name == "if":  # evaluate only the branch taken
            cond, yes, no = self.args
            return yes.eval(ctx) if truthy(cond.eval(ctx)) else no.eval(ctx)
        return FUNCTIONS[self.name][2](ctx, *(a.eval(ctx) for a in self.args))


@dataclass(frozen=True)
class Expr:
    """A parsed expression. Immutable, so one parse can be shared (see ``parse``'s cache)."""

    text: str
    root: object = field(repr=False)
    refs: frozenset = field(default=frozenset())
    uses_current: bool = False

    def references(self) -> set[str]:
        return set(self.refs)

    def evaluate(self, answers: dict, current=None, *, today: date | None = None):
        return self.root.eval(_Context(answers or {}, current, today or date.today()))

    def test(self, answers: dict, current=None, *, today: date | None = None) -> bool:
        return truthy(self.evaluate(answers, current, today=today))


# ---- tokenizer and parser -----------------------------------------------------------------


def _tokenize(text: str) -> list[tuple[str, str, int]]:
    tokens, pos = [], 0
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if match is None:
            if text.startswith("${", pos):
                raise ExpressionError(_l("Invalid reference at character %(pos)s.", pos=pos + 1))
            if text[pos] in "'\"":
                raise ExpressionError(_l("Unclosed quote at character %(pos)s.", pos=pos + 1))
            raise ExpressionError(
                _l(
                    "Unexpected character “%(char)s” at character %(pos)s.",
                    char=text[pos],
                    pos=pos + 1,
                )
            )
        kind = match.lastgroup
        if kind != "ws":
            tokens.append((kind, match.group(), pos + 1))
        pos = match.end()
    tokens.append(("end", "", len(text) + 1))
    return tokens


class _Parser:
    def __init__(self, text: str):
        self.tokens = _tokenize(text)
        self.index = 0
        self.depth = 0
        self.refs: set[str] = set()
        self.uses_current = False

    @property
    def token(self):
        return self.tokens[self.index]

    def accept(self, *values: str) -> str | None:
        kind, value, _ = self.token
        if kind in ("op", "name") and value in values:
            self.index += 1
            return value
        return None

    def expect(self, value: str) -> None:
        if self.accept(value) is None:
            raise ExpressionError(
                _l("Expected “%(want)s” at character %(pos)s.", want=value, pos=self.token[2])
            )

    def nested(self):
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise ExpressionError(
                _l("The expression is nested too deeply (at most %(n)s levels).", n=MAX_DEPTH)
            )

    def logic(self, op: str, operand):
        nodes = [operand()]
        while self.accept(op):
            nodes.append(operand())
        return nodes[0] if len(nodes) == 1 else Logic(op, tuple(nodes))

    def chain(self, ops: tuple, operand):
        first, rest = operand(), []
        while (op := self.accept(*ops)) is not None:
            rest.append((op, operand()))
        return Chain(first, tuple(rest)) if rest else first

    def expression(self):
        return self.logic("or", lambda: self.logic("and", self.equality))

    def equality(self):
        return self.chain(("=", "!="), lambda: self.chain(("<", "<=", ">", ">="), self.additive))

    def additive(self):
        return self.chain(("+", "-"), lambda: self.chain(("*", "div", "mod"), self.unary))

    def unary(self):
        minus = 0
        while self.accept("-"):
            minus += 1
        node = self.primary()
        return Negate(node) if minus % 2 else node

    def primary(self):
        kind, value, pos = self.token
        self.index += 1
        if kind == "num":
            return Literal(Decimal(value))
        if kind == "str":
            return Literal(value[1:-1])
        if kind == "ref":
            self.refs.add(value[2:-1])
            return Ref(value[2:-1])
        if kind == "op" and value == ".":
            self.uses_current = True
            return Current()
        if kind == "op" and value == "(":
            self.nested()
            node = self.expression()
            self.expect(")")
            self.depth -= 1
            return node
        if kind == "name" and self.token[1] == "(":
            return self.call(value, pos)
        if kind == "end":
            raise ExpressionError(_l("The expression ends too early."))
        raise ExpressionError(_l("Unexpected “%(tok)s” at character %(pos)s.", tok=value, pos=pos))

    def call(self, name: str, pos: int):
        if name not in FUNCTIONS:
            raise ExpressionError(
                _l("Unknown function “%(name)s” at character %(pos)s.", name=name, pos=pos)
            )
        self.expect("(")
        self.nested()
        args = []
        if self.accept(")") is None:
            args.append(self.expression())
            while self.accept(","):
                args.append(self.expression())
            self.expect(")")
        self.depth -= 1
        low, high, _ = FUNCTIONS[name]
        if not low <= len(args) <= high:
            raise ExpressionError(
                _l("%(name)s() takes %(n)s argument(s).", name=name, n=low)
                if low == high
                else _l(
                    "%(name)s() takes %(low)s to %(high)s arguments.", name=name, low=low, high=high
                )
            )
        return Call(name, tuple(args))


@functools.lru_cache(maxsize=1024)
def parse(text: str) -> Expr:
    """Parse ``text`` into an ``Expr``; raise ``ExpressionError`` with a translated message."""
    if not isinstance(text, str) or not text.strip():
        raise ExpressionError(_l("The expression is empty."))
    if len(text) > MAX_LENGTH:
        raise ExpressionError(
            _l("The expression is too long (at most %(n)s characters).", n=MAX_LENGTH)
        )
    parser = _Parser(text)
    root = parser.expression()
    kind, value, pos = parser.token
    if kind != "end":
        raise ExpressionError(_l("Unexpected “%(tok)s” at character %(pos)s.", tok=value, pos=pos))
    return Expr(text, root, frozenset(parser.refs), parser.uses_current)


def problems(text: str, known_keys, *, allow_current: bool) -> list[str]:
    """Messages about ``text`` for a definition check: syntax, unknown references, misplaced ``.``.

    ``known_keys`` are the keys the expression may refer to (for skip logic: earlier items).
    """
    try:
        expr = parse(text)
    except ExpressionError as error:
        return [str(error.message)]
    found = []
    unknown = sorted(expr.refs - set(known_keys))
    if unknown:
        found.append(str(_l("Unknown question referenced: %(keys)s.", keys=", ".join(unknown))))
    if expr.uses_current and not allow_current:
        found.append(str(_l("“.” (the current answer) can only be used in a constraint.")))
    return found
