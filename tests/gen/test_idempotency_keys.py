"""Where the client makes an idempotency key per call: operations declaring the header, or (configured) every unsafe one."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from generator.config import client_config
from generator.models import generate_models
from generator.pipeline import analyse
from generator.render import render_package
from generator.view.package import build_view

SPEC = """
openapi: 3.1.0
info: {title: Orders, version: "1"}
servers: [{url: https://api.orders.test}]
paths:
  /orders:
    get:
      operationId: listOrders
      tags: [orders]
      responses: {"200": {description: ok}}
    post:
      operationId: createOrder
      tags: [orders]
      parameters:
        - {name: IDEMPOTENCY-KEY, in: header, schema: {type: string}}
      responses: {"200": {description: ok}}
  /orders/{id}/cancel:
    post:
      operationId: cancelOrder
      tags: [orders]
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      responses: {"200": {description: ok}}
"""


def _routes(tmp_path: Path, **settings: str) -> dict[str, str]:
    spec = tmp_path / "orders.yaml"
    spec.write_text(SPEC)
    config = client_config(name="orders", spec=spec, package="orders", output=tmp_path / "out", **settings)
    analysis = analyse(config)
    view = build_view(analysis.api, analysis.schemas, analysis.operation_names, config)
    source = render_package(view, generate_models(analysis.models))["resources/orders.py"]
    return dict(re.findall(r"^(_\w+_ROUTE) = (Route\(.*\))$", source, re.MULTILINE)) | {"source": source}


def test_an_operation_declaring_the_header_makes_a_key_and_takes_no_second_argument(tmp_path: Path) -> None:
    routes = _routes(tmp_path)
    assert routes["_CREATE_ROUTE"] == 'Route("POST", "/orders", makes_idempotency_key=True)'
    assert routes["_CANCEL_ROUTE"] == 'Route("POST", "/orders/{id}/cancel")'
    assert routes["_LIST_ROUTE"] == 'Route("GET", "/orders")'
    assert "idempotency_key_" not in routes["source"] and "IDEMPOTENCY-KEY" not in routes["source"]
    assert "made for each call when not given" in routes["source"]


@pytest.mark.parametrize("policy", ["unsafe"])
def test_the_configuration_asks_for_keys_on_every_unsafe_operation(tmp_path: Path, policy: str) -> None:
    routes = _routes(tmp_path, idempotency_keys=policy)
    assert routes["_CANCEL_ROUTE"] == 'Route("POST", "/orders/{id}/cancel", makes_idempotency_key=True)'
    assert routes["_CREATE_ROUTE"] == 'Route("POST", "/orders", makes_idempotency_key=True)'
    assert routes["_LIST_ROUTE"] == 'Route("GET", "/orders")'  # a GET is retried without one
