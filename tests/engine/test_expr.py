"""The check language: what it refuses, and its three-valued logic on both backends."""

from __future__ import annotations

import polars as pl
import pytest

from campusplan.catalog import expr
from campusplan.catalog.expr_polars import to_polars
from campusplan.catalog.expr_python import evaluate

REFUSED = [
    "__import__('os').system('true')",
    "fact.x.__class__",
    "fact.x[0]",
    "open('/etc/passwd')",
    "lambda: 1",
    "[x for x in fact.y]",
    "x",
    "os.path",
    "fact.x ** 2",
    "fact.x // 2",
    "ceil(fact.x, 2)",
    "min(fact.x)",
    "fact.x in fact.y",
    "f'{fact.x}'",
    "fact.x if fact.y",
    "",
]


@pytest.mark.parametrize("text", REFUSED)
def test_refuses_everything_outside_the_grammar(text):
    with pytest.raises(expr.ExprError):
        expr.parse(text)


def test_error_is_located():
    with pytest.raises(expr.ExprError, match="column"):
        expr.parse("fact.a and oops")


def _polars(text: str, a, b):
    df = pl.DataFrame({"fact.a": [a], "fact.b": [b]}, schema={"fact.a": pl.Boolean,
                                                              "fact.b": pl.Boolean})
    out = df.select(to_polars(expr.parse(text), lambda ns, n: pl.col(f"{ns}.{n}")))
    return out.item()


def _python(text: str, a, b):
    return evaluate(expr.parse(text), lambda ns, n: {"a": a, "b": b}[n])


T, F, U = True, False, None
KLEENE = [  # a, b, a and b, a or b
    (T, T, T, T), (T, F, F, T), (T, U, U, T),
    (F, T, F, T), (F, F, F, F), (F, U, F, U),
    (U, T, U, T), (U, F, F, U), (U, U, U, U),
]


@pytest.mark.parametrize("backend", [_polars, _python])
@pytest.mark.parametrize("a,b,and_,or_", KLEENE)
def test_three_valued_logic(backend, a, b, and_, or_):
    assert backend("fact.a and fact.b", a, b) == and_
    assert backend("fact.a or fact.b", a, b) == or_
    assert backend("not fact.a", a, b) == (None if a is None else not a)


NUMERIC = [
    ("fact.a / fact.b", 4, 0, None),  # x / 0 is unknown, not infinity
    ("fact.a / fact.b", 3, 2, 1.5),
    ("min(fact.a, fact.b)", 3, None, None),  # min never skips an unknown
    ("max(fact.a, fact.b)", 3, 5, 5),
    ("ceil(fact.a / fact.b)", 701, 10, 71),
    ("floor(fact.a / fact.b)", 30, 12, 2),
    ("fact.a + fact.b", 1, None, None),
    ("fact.a >= fact.b", None, 1, None),
    ("fact.a if fact.a > fact.b else fact.b", None, 2, None),
    ("fact.a in [1, 2]", None, 0, None),
    ("fact.a in [1, 2]", 2, 0, True),
    ("fact.a not in [1, 2]", 3, 0, True),
]


@pytest.mark.parametrize("text,a,b,want", NUMERIC)
def test_arithmetic_on_both_backends(text, a, b, want):
    df = pl.DataFrame({"fact.a": [a], "fact.b": [b]}, schema={"fact.a": pl.Float64,
                                                              "fact.b": pl.Float64})
    got_pl = df.select(to_polars(expr.parse(text), lambda ns, n: pl.col(f"{ns}.{n}"))).item()
    got_py = evaluate(expr.parse(text), lambda ns, n: {"a": a, "b": b}[n])
    assert got_pl == want
    assert got_py == want


def test_refs_lists_every_name():
    node = expr.parse("fact.a >= ceil(school.students / param.r) and room.b")
    assert expr.refs(node) == {("fact", "a"), ("school", "students"), ("param", "r"),
                               ("room", "b")}
