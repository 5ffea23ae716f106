"""One vocabulary (sitrep/vocabulary.py): the CLI's filter options and the API's filter parameters are
the same filters, with the same help, values and sorts, read from one declaration."""

from __future__ import annotations

from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute

from sitrep import vocabulary
from sitrep.cli import events, export, incidents, main
from sitrep.knowledge.ontology import get_ontology
from sitrep.store import paging
from sitrep.vocabulary import API_FILTER_PARAMS, FILTER_BY_NAME, FILTERS
from sitrep.web.api import router

# What the commands and endpoints take besides filters.
CLI_OTHER = {"db", "fmt", "limit", "offset", "output", "unit", "updated_since"}
API_OTHER = {"sort", "limit", "offset", "cursor", "format", "updated_since", "by", "figures", "unit"}


def _cli_filters(command: click.Command) -> dict[str, click.Option]:
    return {p.name: p for p in command.params if isinstance(p, click.Option) and p.name not in CLI_OTHER}


def _api_query_params(path: str) -> set[str]:
    """The query parameters FastAPI reads for the route, its dependencies' (the filters) included."""
    route = next(r for r in router.routes if isinstance(r, APIRoute) and r.path == path)

    def walk(dependant: Dependant) -> set[str]:
        return {p.alias for p in dependant.query_params}.union(*(walk(d) for d in dependant.dependencies))

    return walk(route.dependant) - API_OTHER


@pytest.mark.parametrize("command", [events, export, incidents], ids=lambda c: c.name)
def test_the_cli_offers_every_filter_of_the_vocabulary_with_its_help(command: click.Command) -> None:
    options = _cli_filters(command)
    assert set(options) == {f.name for f in FILTERS}
    for spec in FILTERS:
        assert spec.cli in options[spec.name].opts
        assert options[spec.name].help == spec.help


@pytest.mark.parametrize("path", ["/api/events", "/api/incidents", "/api/aggregates/events"])
def test_the_api_takes_every_filter_of_the_vocabulary(path: str) -> None:
    params = _api_query_params(path)
    assert params == set(API_FILTER_PARAMS)
    assert {API_FILTER_PARAMS[p] for p in params} == {f.name for f in FILTERS}


def test_cli_options_and_api_parameters_are_the_same_filters() -> None:
    """Introspected from both sides: each CLI filter option's filter is given by some API query
    parameter of /api/events, and each such parameter's filter by a CLI option."""
    cli = set(_cli_filters(events))
    api = {API_FILTER_PARAMS[p] for p in _api_query_params("/api/events")}
    assert cli == api


def test_openapi_describes_the_filters_and_sorts_from_the_vocabulary(tmp_path: Path) -> None:
    from sitrep.web.app import create_app

    spec = create_app(tmp_path / "none.duckdb").openapi()
    params = {p["name"]: p for p in spec["paths"]["/api/events"]["get"]["parameters"]}
    for name, filter_name in API_FILTER_PARAMS.items():
        assert params[name]["description"] == FILTER_BY_NAME[filter_name].description
    assert params["sort"]["schema"]["enum"] == list(vocabulary.SORTS)
    for sort, meaning in vocabulary.SORTS.items():
        assert f"`{sort}` ({meaning})" in params["sort"]["description"]
    incident_params = {p["name"]: p for p in spec["paths"]["/api/incidents"]["get"]["parameters"]}
    assert incident_params["sort"]["schema"]["enum"] == list(vocabulary.INCIDENT_SORTS)
    assert params["format"]["schema"]["enum"] == list(vocabulary.API_FORMATS)


def test_the_vocabulary_agrees_with_the_ontology_and_the_store() -> None:
    ontology = get_ontology()
    assert tuple(ontology.event_types) == vocabulary.EVENT_TYPES
    assert "aerial" in vocabulary.modes()
    assert tuple(paging.SORTS) == tuple(vocabulary.SORTS)
    assert set(paging.TABLES["incidents"]) == set(vocabulary.INCIDENT_SORTS)


def test_cli_refuses_a_value_outside_the_vocabulary_naming_the_option() -> None:
    result = CliRunner().invoke(main, ["events", "--type", "ASSAULT,BOMBING", "--db", "/nonexistent.duckdb"])
    assert result.exit_code == 2
    assert "--type" in result.output and "'BOMBING' is not one of AGREE" in result.output
    result = CliRunner().invoke(main, ["events", "--mode", "air", "--db", "/nonexistent.duckdb"])
    assert result.exit_code == 2 and "--mode" in result.output and "unknown mode 'air'" in result.output
