"""The rule expression language: what it computes, and what it refuses."""

from __future__ import annotations

import pytest

from compliance.rules.constants import constant_value
from compliance.rules.expressions import EvaluationError, ExpressionError, compile_expression
from tests.expressions import value

FIELDS = {"households": "number", "premises_area": "number", "district": "text", "flag": "bool"}
PARAMS = {"per_worker": 400, "minimum": 5, "mode": "ceil"}


def ev(source: str, **values: object) -> object:
    """What the engine computes for ``values``; for an expression of parameters only,
    also what the rule loader folds it to (the two must agree)."""
    expr = compile_expression(source, FIELDS, PARAMS)  # type: ignore[arg-type]
    got = value(expr, dict(values), FIELDS)
    if expr.is_constant:
        assert constant_value(expr.tree) == got
    return got


@pytest.mark.parametrize(
    ("source", "values", "expected"),
    [
        ("max(minimum, ceil(households / per_worker))", {"households": 2150}, 6),
        ("max(minimum, rounded(households / per_worker, mode))", {"households": 2001}, 6),
        ("max(minimum, floor(households / per_worker))", {"households": 2399}, 5),
        ("households / 100 * 20", {"households": 1234}, pytest.approx(246.8)),
        ("500 if households > 5000 else 400", {"households": 5001}, 500),
        ("500 if households > 5000 else 400", {"households": 5000}, 400),
        ("5 if households < 2000 else (7 if households <= 3000 else 9)", {"households": 3000}, 7),
        ("min(households, 10) + abs(-2)", {"households": 3}, 5),
        ("round(2.5)", {}, 3),  # half away from zero, not banker's rounding
        ("round(households, 1)", {"households": 0.25}, 0.3),
        ("households >= 2000 and not flag", {"households": 2000, "flag": False}, True),
        ("district == '婺城区' or households > 1", {"district": "婺城区", "households": 0}, True),
    ],
)
def test_computes(source: str, values: dict[str, object], expected: object) -> None:
    assert ev(source, **values) == expected


def test_ceil_ignores_floating_point_noise() -> None:
    # 2400 * 0.1 / 40 is 6.000000000000001 in binary floating point: still 6 workers.
    assert ev("ceil(households * 0.1 / 40)", households=2400) == 6


def test_parameters_are_folded_and_fields_listed() -> None:
    expr = compile_expression("max(minimum, ceil(households / per_worker))", FIELDS, PARAMS)
    assert expr.fields == ("households",)
    shown = expr.format_args((2150,), value(expr, {"households": 2150}))
    assert shown == "max(5, ceil(2150 / 400)) = 6"


def test_explain_names_a_plain_field() -> None:
    expr = compile_expression("premises_area", FIELDS, PARAMS)
    assert expr.format_args((350,), value(expr, {"premises_area": 350})) == "premises_area = 350"


def test_division_by_zero_is_an_evaluation_error() -> None:
    expr = compile_expression("premises_area / households", FIELDS, PARAMS)
    with pytest.raises(EvaluationError, match="division by zero"):
        value(expr, {"premises_area": 1, "households": 0})
    with pytest.raises(EvaluationError, match="division by zero"):
        constant_value(compile_expression("minimum / (per_worker - 400)", FIELDS, PARAMS).tree)


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("__import__('os')", "names starting with '_' are not allowed"),
        ("__import__('os').system('echo hacked')", "only named functions"),
        ("households.__class__", "attribute"),
        ("(1).__class__.__bases__", "attribute"),
        ("open('/etc/passwd')", "function 'open' is not allowed"),
        ("eval('1')", "function 'eval' is not allowed"),
        ("exec('x=1')", "function 'exec' is not allowed"),
        ("globals()", "function 'globals' is not allowed"),
        ("[households][0]", "not allowed"),
        ("households[0]", "not allowed"),
        ("(lambda: 1)()", "only named functions"),
        ("[x for x in (1, 2)]", "not allowed"),
        ("_secret", "names starting with '_'"),
        ("max(households, key=abs)", "keyword"),
        ("2 ** 100000", "not allowed"),
        ("households +", "syntax error"),
        ("'a' + 1", "number"),
        ("households if flag else district", "one kind"),
        ("rounded(households, 'sideways')", "ceil"),
        ("nosuchfield > 1", "unknown name 'nosuchfield'"),
        ("(households := 1)", "not allowed"),
        ("f'{households}'", "not allowed"),
        ("lambda: 1", "not allowed"),
        ("[1, 2]", "not allowed"),
    ],
)
def test_refuses(source: str, message: str) -> None:
    with pytest.raises(ExpressionError, match=message):
        compile_expression(source, FIELDS, PARAMS)


def test_unknown_name_suggests_the_closest() -> None:
    with pytest.raises(ExpressionError, match="did you mean 'households'"):
        compile_expression("househlds / 400", FIELDS, PARAMS)


def test_deep_nesting_is_refused_not_crashing() -> None:
    with pytest.raises(ExpressionError):
        compile_expression("(" * 500 + "1" + ")" * 500, FIELDS, PARAMS)
    with pytest.raises(ExpressionError):
        compile_expression("1" + " + 1" * 5000, FIELDS, PARAMS)


def test_expected_kind_is_checked() -> None:
    with pytest.raises(ExpressionError, match="must give a number"):
        compile_expression("households > 1", FIELDS, PARAMS, expect="number")


def test_rule_files_load_without_compiling_or_running_code(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A checked tree is never turned into Python code: parsing is the only compile,
    and nothing is eval'd or exec'd, whether a rule set loads or a constant folds."""
    import ast
    import builtins

    from compliance.rules.chain import read_rule_file
    from compliance.rules.compile import compile_ruleset
    from compliance.rules.loader import load_ruleset
    from compliance.rules.validate import validate_file

    def load_afresh(name: str) -> object:
        path = load_ruleset(name).path
        assert path is not None
        raw, digest = read_rule_file(path)
        return compile_ruleset(validate_file(raw, name), where=name, sha256=digest)

    for name in ("zhejiang-2007", "zhejiang-2008"):
        load_afresh(name)  # every module the loader needs is imported before the watch
    real = builtins.compile

    def parse_only(
        source: object, filename: object, mode: str, flags: int = 0, *a: object, **k: object
    ) -> object:
        assert flags & ast.PyCF_ONLY_AST, "compile() to code"
        return real(source, filename, mode, flags, *a, **k)  # type: ignore[call-overload]

    def refuse(*args: object, **kwargs: object) -> object:
        raise AssertionError("eval or exec called")

    monkeypatch.setattr(builtins, "compile", parse_only)
    monkeypatch.setattr(builtins, "eval", refuse)
    monkeypatch.setattr(builtins, "exec", refuse)
    expr = compile_expression("households + 1 if flag else minimum", FIELDS, PARAMS)  # type: ignore[arg-type]
    assert expr.fields == ("flag", "households") or set(expr.fields) == {"flag", "households"}
    assert constant_value(compile_expression("minimum * 2", FIELDS, PARAMS).tree) == 10  # type: ignore[arg-type]
    for name in ("zhejiang-2007", "zhejiang-2008"):
        assert load_afresh(name).rules  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("source", "message"),
    [
        # Python would say "expected 'else' after 'if' expression": the value is missing.
        ("600 if population > else 450", "syntax error: '>' (column 19) has nothing after it"),
        ("households * ", "syntax error: '*' (column 12) has nothing after it"),
        ("min(households, population -)", "syntax error: '-' (column 28) has nothing after it"),
        ("households >= 1 or", "syntax error: 'or' (column 17) has nothing after it"),
        ("== 3", "syntax error: '==' (column 1) has nothing before it"),
        ("2 if households > 1 else", "syntax error: 'else' (column 21) has nothing after it"),
        ("not", "syntax error: 'not' (column 1) has nothing after it"),
        ("households if households > 1", "syntax error: expected 'else' after 'if' expression"),
    ],
)
def test_a_missing_value_is_named_where_it_is_missing(source: str, message: str) -> None:
    with pytest.raises(ExpressionError) as info:
        compile_expression(source, FIELDS, PARAMS)
    assert str(info.value) == message


def test_signs_and_not_before_a_value_are_no_missing_value() -> None:
    assert compile_expression("-households < 0 and not (households > 5)", FIELDS, PARAMS)
