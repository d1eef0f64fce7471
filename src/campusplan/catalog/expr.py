"""The check language: a small, whitelisted expression grammar compiled — never `eval`ed.

Text is parsed with Python's own parser (`ast.parse(mode="eval")`) only to get a syntax tree;
the tree is then walked against a whitelist and rebuilt as our own tiny node types. Nothing from
the text is ever executed: the nodes are interpreted by two backends, Polars expressions for the
engine (`catalog/expr_polars.py`) and a plain-Python evaluator for the reference loop
(`catalog/expr_python.py`).

Grammar (what a district officer writes in the YAML):

    names      fact.x  param.x  school.x  stage.x  room.x  service.x
    literals   12  0.5  'pilot'  true  false
    arithmetic +  -  *  /          (x / 0 is unknown, not infinity)
    compare    ==  !=  <  <=  >  >=  in [..]  not in [..]
    logic      and  or  not        (three-valued: false and unknown = false)
    choice     a if cond else b
    functions  ceil(x) floor(x) min(a, b, ...) max(a, b, ...) abs(x)

Any unknown input makes the result unknown, except where Kleene logic decides it anyway.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from functools import lru_cache

NAMESPACES = ("fact", "param", "school", "stage", "room", "service")
FUNCTIONS = {"ceil": 1, "floor": 1, "abs": 1, "min": -2, "max": -2}  # -n: at least n args

_BINOPS = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/"}
_CMPOPS = {
    ast.Eq: "==",
    ast.NotEq: "!=",
    ast.Lt: "<",
    ast.LtE: "<=",
    ast.Gt: ">",
    ast.GtE: ">=",
    ast.In: "in",
    ast.NotIn: "not in",
}


class ExprError(ValueError):
    """A check expression that is not in the language; the message says where and why."""


@dataclass(frozen=True)
class Node:
    pass


@dataclass(frozen=True)
class Const(Node):
    value: object


@dataclass(frozen=True)
class Ref(Node):
    ns: str
    name: str


@dataclass(frozen=True)
class Unary(Node):
    op: str  # "not" | "-"
    arg: Node


@dataclass(frozen=True)
class Binary(Node):
    op: str
    left: Node
    right: Node


@dataclass(frozen=True)
class Compare(Node):
    op: str
    left: Node
    right: Node  # for in / not in: a Const tuple


@dataclass(frozen=True)
class Logic(Node):
    op: str  # "and" | "or"
    args: tuple[Node, ...]


@dataclass(frozen=True)
class IfElse(Node):
    cond: Node
    then: Node
    other: Node


@dataclass(frozen=True)
class Call(Node):
    fn: str
    args: tuple[Node, ...]


def _fail(node: ast.AST, text: str, why: str) -> ExprError:
    col = getattr(node, "col_offset", 0)
    return ExprError(f"{why} at column {col + 1} of «{text}»")


def _literal_seq(node: ast.AST, text: str) -> Const:
    if not isinstance(node, ast.List | ast.Tuple):
        raise _fail(node, text, "`in` needs a list of literals such as [211, 312]")
    values = []
    for elt in node.elts:
        if not isinstance(elt, ast.Constant) or not isinstance(elt.value, int | float | str):
            raise _fail(elt, text, "`in` lists may only hold numbers and 'text'")
        values.append(elt.value)
    return Const(tuple(values))


def _build(node: ast.AST, text: str) -> Node:  # noqa: C901 - a flat dispatch is clearest here
    if isinstance(node, ast.Constant):
        if isinstance(node.value, bool | int | float | str):
            return Const(node.value)
        raise _fail(node, text, f"literal {node.value!r} is not allowed")
    if isinstance(node, ast.Name):
        if node.id in ("true", "false"):
            return Const(node.id == "true")
        raise _fail(node, text, f"bare name `{node.id}`: write fact.{node.id}, param.{node.id}, …")
    if isinstance(node, ast.Attribute):
        if not isinstance(node.value, ast.Name) or node.value.id not in NAMESPACES:
            raise _fail(node, text, f"names start with one of {', '.join(NAMESPACES)}")
        return Ref(node.value.id, node.attr)
    if isinstance(node, ast.UnaryOp):
        if isinstance(node.op, ast.Not):
            return Unary("not", _build(node.operand, text))
        if isinstance(node.op, ast.USub):
            return Unary("-", _build(node.operand, text))
        raise _fail(node, text, "only `not` and unary minus are allowed")
    if isinstance(node, ast.BinOp):
        op = _BINOPS.get(type(node.op))
        if op is None:
            raise _fail(node, text, "only + - * / are allowed")
        return Binary(op, _build(node.left, text), _build(node.right, text))
    if isinstance(node, ast.BoolOp):
        op = "and" if isinstance(node.op, ast.And) else "or"
        return Logic(op, tuple(_build(v, text) for v in node.values))
    if isinstance(node, ast.Compare):
        return _build_compare(node, text)
    if isinstance(node, ast.IfExp):
        return IfElse(_build(node.test, text), _build(node.body, text), _build(node.orelse, text))
    if isinstance(node, ast.Call):
        return _build_call(node, text)
    raise _fail(node, text, f"`{type(node).__name__}` is not part of the check language")


def _build_compare(node: ast.Compare, text: str) -> Node:
    parts: list[Node] = []
    left = _build(node.left, text)
    for op, comp in zip(node.ops, node.comparators, strict=True):
        sym = _CMPOPS.get(type(op))
        if sym is None:
            raise _fail(node, text, "comparison operator not allowed")
        right = _literal_seq(comp, text) if sym in ("in", "not in") else _build(comp, text)
        parts.append(Compare(sym, left, right))
        left = right
    return parts[0] if len(parts) == 1 else Logic("and", tuple(parts))


def _build_call(node: ast.Call, text: str) -> Node:
    if not isinstance(node.func, ast.Name) or node.func.id not in FUNCTIONS:
        raise _fail(node, text, f"functions are {', '.join(FUNCTIONS)}")
    if node.keywords:
        raise _fail(node, text, "functions take no keyword arguments")
    want, n = FUNCTIONS[node.func.id], len(node.args)
    if (want > 0 and n != want) or (want < 0 and n < -want):
        raise _fail(node, text, f"{node.func.id}() takes {abs(want)} argument(s)")
    return Call(node.func.id, tuple(_build(a, text) for a in node.args))


@lru_cache(maxsize=4096)
def parse(text: str) -> Node:
    """Parse and whitelist one expression. Raises ExprError with a located message."""
    src = text.strip()
    if not src:
        raise ExprError("empty expression")
    try:
        tree = ast.parse(src, mode="eval")
    except SyntaxError as exc:
        raise ExprError(f"syntax error at column {exc.offset} of «{src}»") from None
    return _build(tree.body, src)


def refs(node: Node) -> set[tuple[str, str]]:
    """Every (namespace, name) an expression reads."""
    if isinstance(node, Ref):
        return {(node.ns, node.name)}
    out: set[tuple[str, str]] = set()
    for child in _children(node):
        out |= refs(child)
    return out


def children(node: Node) -> tuple[Node, ...]:
    """The direct sub-expressions of a node (for walks such as catalog/boundaries.py)."""
    return _children(node)


def _children(node: Node) -> tuple[Node, ...]:
    if isinstance(node, Unary):
        return (node.arg,)
    if isinstance(node, Binary | Compare):
        return (node.left, node.right)
    if isinstance(node, Logic | Call):
        return node.args
    if isinstance(node, IfElse):
        return (node.cond, node.then, node.other)
    return ()


@lru_cache(maxsize=1024)
def comparison(text: str) -> tuple[str, str, str] | None:
    """The source texts (left, operator, right) of an expression that is one comparison at its
    top, e.g. `room.student_computers >= stage.max_class_size`; None for anything else. A check
    kind uses it to read how far a row falls short in the unit of the measured left side."""
    node = parse(text)
    if not isinstance(node, Compare) or node.op in ("in", "not in"):
        return None
    tree = ast.parse(text.strip(), mode="eval").body
    src = text.strip()
    left = ast.get_source_segment(src, tree.left)
    right = ast.get_source_segment(src, tree.comparators[0])
    return (left, node.op, right) if left is not None and right is not None else None
