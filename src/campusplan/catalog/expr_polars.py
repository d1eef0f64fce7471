"""Check-language nodes → Polars expressions, with the unknown (null) semantics pinned.

Arithmetic and comparisons propagate null; `and`/`or`/`not` are Kleene (Polars' own boolean
semantics: false ∧ null = false, true ∨ null = true); `x / 0` is null; `min`/`max` of anything
unknown is unknown (Polars' horizontal min/max would skip nulls, which would turn a missing fact
into a pass).
"""

from __future__ import annotations

from collections.abc import Callable

import polars as pl

from campusplan.catalog import expr as ex

Resolver = Callable[[str, str], pl.Expr]


def to_polars(node: ex.Node, resolve: Resolver) -> pl.Expr:
    return _Compiler(resolve).build(node)


class _Compiler:
    def __init__(self, resolve: Resolver):
        self.resolve = resolve

    def build(self, node: ex.Node) -> pl.Expr:
        method = getattr(self, f"_{type(node).__name__.lower()}")
        return method(node)

    def _const(self, node: ex.Const) -> pl.Expr:
        return pl.lit(node.value)

    def _ref(self, node: ex.Ref) -> pl.Expr:
        return self.resolve(node.ns, node.name)

    def _unary(self, node: ex.Unary) -> pl.Expr:
        arg = self.build(node.arg)
        return ~arg if node.op == "not" else -arg

    def _binary(self, node: ex.Binary) -> pl.Expr:
        left, right = self.build(node.left), self.build(node.right)
        if node.op == "+":
            return left + right
        if node.op == "-":
            return left - right
        if node.op == "*":
            return left * right
        return pl.when(right == 0).then(None).otherwise(left / right)

    def _compare(self, node: ex.Compare) -> pl.Expr:
        left = self.build(node.left)
        if node.op in ("in", "not in"):
            assert isinstance(node.right, ex.Const)
            values = list(node.right.value)
            if all(isinstance(v, int | float) for v in values):  # compare numbers as numbers
                left, values = left.cast(pl.Float64), [float(v) for v in values]
            else:
                left, values = left.cast(pl.Utf8), [str(v) for v in values]
            hit = pl.when(left.is_null()).then(None).otherwise(left.is_in(values))
            return hit if node.op == "in" else ~hit
        right = self.build(node.right)
        ops = {
            "==": left.__eq__,
            "!=": left.__ne__,
            "<": left.__lt__,
            "<=": left.__le__,
            ">": left.__gt__,
            ">=": left.__ge__,
        }
        return ops[node.op](right)

    def _logic(self, node: ex.Logic) -> pl.Expr:
        args = [self.build(a) for a in node.args]
        out = args[0]
        for arg in args[1:]:
            out = (out & arg) if node.op == "and" else (out | arg)
        return out

    def _ifelse(self, node: ex.IfElse) -> pl.Expr:
        cond = self.build(node.cond)
        return (
            pl.when(cond.is_null())
            .then(None)
            .when(cond)
            .then(self.build(node.then))
            .otherwise(self.build(node.other))
        )

    def _call(self, node: ex.Call) -> pl.Expr:
        args = [self.build(a).cast(pl.Float64) for a in node.args]
        if node.fn == "ceil":
            return args[0].ceil()
        if node.fn == "floor":
            return args[0].floor()
        if node.fn == "abs":
            return args[0].abs()
        agg = pl.min_horizontal(args) if node.fn == "min" else pl.max_horizontal(args)
        any_null = pl.any_horizontal([a.is_null() for a in args])
        return pl.when(any_null).then(None).otherwise(agg)
