"""Which parameters a requirement reads: collected from its check's expressions and `applies`."""

from django.http import QueryDict

from campusplan.web.presenters import Filters, expressions, param_keys


def _req(catalog, rid):
    return next(r for _a, _i, r in catalog.standard.requirements() if r.id == rid)


def test_presence_reads_no_parameter_and_its_fact_is_not_an_expression(fixture_catalog):
    req = _req(fixture_catalog, "44-1")
    assert expressions(req) == []
    assert param_keys(req) == []


def test_params_from_each_kind_of_field(fixture_catalog):
    assert param_keys(_req(fixture_catalog, "1-1")) == ["min_bandwidth_mbps"]
    assert param_keys(_req(fixture_catalog, "5-1")) == ["min_network_ports"]
    assert param_keys(_req(fixture_catalog, "6-r1")) == ["student_computer_ratio_primary"]
    assert param_keys(_req(fixture_catalog, "s5.3-1")) == ["data_center_min_classes"]


def test_each_check_skips_its_type_field(fixture_catalog):
    exprs = expressions(_req(fixture_catalog, "5-1"))
    assert "ordinary_classroom" not in exprs and "rooms" not in exprs and "gap" not in exprs
    assert "school.classes" in exprs


def test_applies_is_read_too(fixture_catalog):
    assert "school.smart_classroom_phase == 'pilot'" in expressions(_req(fixture_catalog, "16-r2"))


def test_filters_ignore_unknown_values():
    filters = Filters.from_query(QueryDict("level=x&stage=primary&q=%20a%20"))
    assert (filters.level, filters.stage, filters.q) == ("", "primary", "a")
