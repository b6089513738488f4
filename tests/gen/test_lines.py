"""Lines of JSON pointers: ``json_lines_of`` (only the wanted paths scanned) gives ``line_index``'s answers, and
the YAML index read from the parser's events is the one read from composed nodes."""

from __future__ import annotations

import json
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.lines import _yaml_line_index, _yaml_node_line_index, json_lines_of, line_at, line_index
from generator.load import Document, parse_document

_KEYS = st.sampled_from(["a", "b", "a/b", "~0", "é", "", "0", 'q"uote', "x y"])
_JSON = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(-5, 5), st.floats(allow_nan=False), st.text(max_size=3)),
    lambda children: st.one_of(st.lists(children, max_size=4), st.dictionaries(_KEYS, children, max_size=4)),
    max_leaves=25,
)


def _pointers(lines: dict[str, int]) -> list[str]:
    """Every pointer of the index, places under them that are not there, and ones that are nowhere."""
    return [*lines, *(f"{pointer}/0" for pointer in lines), *(f"{pointer}/zz/1" for pointer in lines), "/nowhere"]


@settings(max_examples=200, deadline=None, derandomize=True, database=None)
@given(value=_JSON, indent=st.sampled_from([None, 0, 1, 2]), ascii=st.booleans())
def test_the_lines_of_wanted_pointers_are_the_whole_indexs(value: Any, indent: int | None, ascii: bool) -> None:
    text = json.dumps({"root": value}, indent=indent, ensure_ascii=ascii)
    full = line_index(text, "spec.json")
    for pointer in _pointers(full):
        assert line_at(json_lines_of(text, [pointer]), pointer) == line_at(full, pointer), pointer
    everything = json_lines_of(text, _pointers(full))
    assert all(line_at(everything, pointer) == line_at(full, pointer) for pointer in _pointers(full))


def test_a_repeated_key_is_found_where_the_whole_index_finds_it() -> None:
    text = '{"a": {"x": 1,\n "y": [\n2, "s",\n {"z": 1}]},\n"a": {\n"y": [0,\n 1]}}'
    full = line_index(text, "spec.json")
    for pointer in ["/a", "/a/x", "/a/y", "/a/y/1", "/a/y/2", "/a/y/2/z", "/a/y/0"]:
        assert line_at(json_lines_of(text, [pointer]), pointer) == line_at(full, pointer), pointer


@pytest.mark.parametrize("text", ["{a: 1}", '{"a": 1} x', '{"a" 1}', '{"a": 1,}', "[1 2]"])
def test_text_that_is_not_json_is_refused(text: str) -> None:
    with pytest.raises(ValueError):
        json_lines_of(text, ["/a/0"])


def test_a_document_locates_many_pointers_as_it_locates_one() -> None:
    text = '{"openapi": "3.1.0",\n "info": {"title": "t",\n  "version": "1"},\n "paths": {"/a": {}}}'
    pointers = ["", "/info/version", "/paths/~1a/get", "/nowhere"]
    many = parse_document(text, "spec.json").locate_all(pointers)
    one = parse_document(text, "spec.json")
    assert many == {pointer: one.locate(pointer) for pointer in pointers}
    flow_yaml = "{openapi: 3.1.0, info: {title: t,\n version: '1'}, paths: {}}"  # read as JSON, but is not
    located = Document("spec.yaml", flow_yaml, {}).locate_all(["/info/version"])
    assert located == {"/info/version": Document("spec.yaml", flow_yaml, {}).locate("/info/version")}


_YAML_SAMPLES = [
    "a: 1\nb:\n  - x\n  - {c: 2, d: [3, 4]}\n  -\n    e: f\n'g/h': ~\n",
    "- 1\n- a: &anchor {b: 1}\n- *anchor\n",  # an alias: the composed nodes decide
    "a: 1\na: 2\n",  # a repeated key: likewise
    "? [1, 2]\n: complex key\n",
    "1: one\n'1': again\n",  # two keys, one pointer
    "--- a\n--- b\n",  # two documents: no index
    "",
    "just text",
    "a: [1, 2\n",  # not YAML: no index
]


@pytest.mark.parametrize("text", _YAML_SAMPLES)
def test_the_yaml_index_from_events_is_the_one_from_nodes(text: str) -> None:
    assert _yaml_line_index(text) == _yaml_node_line_index(text)


@settings(max_examples=150, deadline=None, derandomize=True, database=None)
@given(value=_JSON, flow=st.sampled_from([None, True, False]), width=st.sampled_from([20, 80]))
def test_the_yaml_index_from_events_is_the_one_from_nodes_on_generated_yaml(
    value: Any, flow: bool | None, width: int
) -> None:
    text = yaml.safe_dump({"root": value, "other": [value]}, default_flow_style=flow, width=width, allow_unicode=True)
    assert _yaml_line_index(text) == _yaml_node_line_index(text)
