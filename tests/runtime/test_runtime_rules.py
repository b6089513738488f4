"""The runtime's rules (``_runtime/rules.py``) are the ones clientgen generates from: which
methods are idempotent, and where each kind of auth scheme sends its credential.

(Named apart from the runtime module: tests/gen/diff/test_rules.py has the plain name.)
"""

from __future__ import annotations

from typing import Any, cast, get_args

from support.loopback import Api
from support.server import ScriptedServer

from generator import contract
from generator.ir import AuthKind, Parameter, ParameterLocation, SecurityScheme

#: RFC 9110 §9.2.2, the oracle: the methods whose intended effect is the same however often they are sent.
RFC_9110_IDEMPOTENT = {"GET", "HEAD", "OPTIONS", "TRACE", "PUT", "DELETE"}


def test_the_generator_reads_the_runtimes_own_tables(rt: Any) -> None:
    assert contract.IDEMPOTENT_METHODS == rt.rules.IDEMPOTENT_METHODS
    assert dict(contract.AUTH_PLACEMENT) == rt.rules.AUTH_PLACEMENT


def test_idempotent_methods_are_rfc_9110s(rt: Any) -> None:
    assert set(rt.rules.IDEMPOTENT_METHODS) == RFC_9110_IDEMPOTENT
    for method in ("get", "head", "options", "trace", "put", "delete", "post", "patch", "connect"):
        assert rt.Route(method, "/x").idempotent == (method.upper() in RFC_9110_IDEMPOTENT), method


def test_every_scheme_kind_the_generator_makes_has_a_placement(rt: Any) -> None:
    generated = set(get_args(AuthKind)) - {"unsupported"}
    assert generated == set(get_args(rt.rules.AuthKind)) == set(rt.rules.AUTH_PLACEMENT)


def _parameter(name: str, location: str) -> Parameter:
    return Parameter(
        name=name,
        location=cast(ParameterLocation, location),
        required=True,
        schema={},
        description="",
        deprecated=False,
        style=None,
        explode=None,
        pointer="",
    )


def test_a_parameter_that_duplicates_a_scheme_is_not_an_argument() -> None:
    for kind, (location, name) in contract.AUTH_PLACEMENT.items():
        scheme = SecurityScheme("key", cast(AuthKind, kind), name or "X-Key", "")
        assert contract.covered_by_auth(_parameter(name or "x-key", location), scheme), kind
        assert not contract.covered_by_auth(_parameter(name or "x-key", "path"), scheme), kind
        assert not contract.covered_by_auth(_parameter("other", location), scheme), kind


def test_a_trace_is_retried_on_5xx_without_an_idempotency_key(api: Api, server: ScriptedServer) -> None:
    server.reply(503)
    server.reply(200, body=b"TRACE /v1/things/t1 HTTP/1.1\r\n", headers={"Content-Type": "message/http"})
    assert api.run(api.client().things.trace("t1")) == b"TRACE /v1/things/t1 HTTP/1.1\r\n"
    assert [request.method for request in server.requests] == ["TRACE", "TRACE"]
