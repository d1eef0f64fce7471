"""Boundary words (以上、以下、超过、不满 …) and the comparisons of the checks that must follow them.

The standard never says whether "30个班级规模以下" includes a 30-class school. The catalog
declares one convention (`boundaries:` in the standard's YAML, with its legal source) and this
module finds every comparison against a parameter whose quote carries a boundary word, so the
validator and the tests can hold each of them to it. `x <= n` and its negation `x > n` both
follow 以下 (the check may describe the set or its complement); `x >= n` does not.
"""

from __future__ import annotations

from dataclasses import dataclass

from campusplan.catalog import expr
from campusplan.catalog.schema import Boundaries, BoundaryWord, Parameter, Standard

NEGATION = {">=": "<", "<=": ">", ">": "<=", "<": ">="}
MIRROR = {">=": "<=", "<=": ">=", ">": "<", "<": ">"}  # `n op x` is `x MIRROR[op] n`


@dataclass(frozen=True)
class Bound:
    """One comparison of a check against a boundary parameter, as `x op n`."""

    where: str  # requirement id and field
    param: Parameter
    word: BoundaryWord
    op: str  # the parameter on the right
    text: str  # the text the comparison is written in

    def follows(self) -> bool:
        return self.op in (self.word.means, NEGATION[self.word.means])


def word_in(quote: str, boundaries: Boundaries) -> BoundaryWord | None:
    """The boundary word of a quote: the longest hit (不超过 hides 超过, 及以上 hides 以上).

    Raises ValueError when a quote carries two words that read differently."""
    hits = [w for w in boundaries.words if w.word in quote]
    hits = [w for w in hits if not any(w.word in o.word and w is not o for o in hits)]
    if len({w.means for w in hits}) > 1:
        raise ValueError(f"«{quote}» holds boundary words that read differently")
    return max(hits, key=lambda w: len(w.word)) if hits else None


def boundary_params(standard: Standard) -> dict[str, tuple[Parameter, BoundaryWord]]:
    """The numeric parameters whose quote carries a boundary word."""
    if standard.boundaries is None:
        return {}
    out = {}
    for p in standard.parameters:
        word = word_in(p.source.quote, standard.boundaries)
        if word is not None and isinstance(p.value, int | float):
            out[p.key] = (p, word)
    return out


def bounds(standard: Standard) -> list[Bound]:
    """Every comparison of every check (and `applies`) against a boundary parameter."""
    params, out = boundary_params(standard), []
    for _area, _item, req in standard.requirements():
        texts = req.check.comparisons() | ({"applies": req.applies} if req.applies else {})
        for field, text in texts.items():
            for node in _compares(expr.parse(text)):
                for side, op in ((node.right, node.op), (node.left, MIRROR.get(node.op))):
                    out += [Bound(f"{req.id}.{field}", *params[key], op, text)
                            for key in _bound_params(side) if key in params and op]
    return out


def problems(standard: Standard) -> list[tuple[str, str]]:
    """(where, message) for each comparison that misplaces its boundary."""
    return [(b.where, f"`{b.text}` compares with param.{b.param.key} by {b.op}, but "
                      f"«{b.param.source.quote}» ({b.word.word}) reads as {b.word.means} "
                      f"or its negation {NEGATION[b.word.means]}")
            for b in bounds(standard) if not b.follows()]


def _compares(node: expr.Node) -> list[expr.Compare]:
    out = [node] if isinstance(node, expr.Compare) and node.op in MIRROR else []
    for child in expr.children(node):
        out += _compares(child)
    return out


def _bound_params(node: expr.Node) -> list[str]:
    """The parameter a side compares with: the side itself, or a branch of `a if c else b`."""
    if isinstance(node, expr.Ref) and node.ns == "param":
        return [node.name]
    if isinstance(node, expr.IfElse):
        return _bound_params(node.then) + _bound_params(node.other)
    return []
