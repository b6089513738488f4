"""Redirects: same-origin ones are followed (303 becomes a GET, 307 repeats the body); credentials never leave the origin.

Every test that takes ``api`` runs eight times: {httpx2, httpx} x {sync, async, typed,
async typed}, on the package clientgen generates from ``loopback.yaml`` (see conftest.py).
"""

from __future__ import annotations

from typing import Any

import pytest
from support.loopback import THING, Api
from support.server import ScriptedServer, refused_port


def test_a_cross_origin_redirect_is_refused_and_nothing_reaches_the_other_server(
    api: Api, server: ScriptedServer, second_server: ScriptedServer
) -> None:
    for status in (301, 302, 303, 307, 308):
        server.reply(status, headers={"Location": f"{second_server.url}/v1/collect?x=1"})
        client = api.client(default_headers={"X-Team": "secret-team"})
        with pytest.raises(api.error("RedirectError")) as info:
            api.run(client.things.create(name="a", idempotency_key="idem-1"))
        assert info.value.location == f"{second_server.url}/v1/collect?x=1"  # type: ignore[attr-defined]
        assert second_server.url in str(info.value)
    assert second_server.requests == []
    assert len(server.requests) == 5


def test_a_redirect_to_another_scheme_or_port_is_refused(api: Api, server: ScriptedServer) -> None:
    for location in (
        server.url.replace("http://", "https://"),
        f"http://127.0.0.1:{refused_port()}/v1/things",
        f"http://localhost:{server.port}/v1/things",
    ):
        server.reply(302, headers={"Location": location})
        with pytest.raises(api.error("RedirectError")):
            api.run(api.client().things.list())


def test_even_a_following_http_client_does_not_follow_cross_origin(
    api: Api, server: ScriptedServer, second_server: ScriptedServer
) -> None:
    own = api.http_client(follow_redirects=True)
    server.reply(307, headers={"Location": f"{second_server.url}/steal"})
    client = api.client(http_client=own)
    with pytest.raises(api.error("RedirectError")):
        api.run(client.things.list())
    assert second_server.requests == []
    api.run(own.aclose() if api.is_async else own.close())


def test_same_origin_redirects_are_followed_with_credentials(api: Api, server: ScriptedServer) -> None:
    server.reply(302, headers={"Location": "/v1/moved"})
    server.reply(200, json_body=[THING])
    api.run(api.client().things.list())
    moved = server.requests[1]
    assert moved.path == "/v1/moved" and moved.method == "GET"
    assert moved.headers["authorization"] == "Bearer sk-test-123"


def test_303_becomes_a_get_without_the_body(api: Api, server: ScriptedServer) -> None:
    server.reply(303, headers={"Location": "/v1/result"})
    server.reply(200, json_body=THING)
    api.run(api.client().things.create(name="a"))
    follow = server.requests[1]
    assert (follow.method, follow.path, follow.body) == ("GET", "/v1/result", b"")
    assert "content-type" not in follow.headers


def test_307_repeats_the_method_and_body_on_the_same_origin(api: Api, server: ScriptedServer) -> None:
    server.reply(307, headers={"Location": "/v1/elsewhere"})
    server.reply(200, json_body=THING)
    api.run(api.client().things.create(name="a", idempotency_key="k-1"))
    follow = server.requests[1]
    assert (follow.method, follow.path) == ("POST", "/v1/elsewhere")
    assert follow.json() == {"name": "a"}
    assert follow.headers["idempotency-key"] == "k-1"


def test_a_redirect_loop_is_a_typed_error(api: Api, server: ScriptedServer) -> None:
    for _ in range(api.rt.redirects.MAX_REDIRECTS + 1):
        server.reply(302, headers={"Location": "/v1/things"})
    with pytest.raises(api.error("TooManyRedirectsError")) as info:
        api.run(api.client().things.list())
    assert isinstance(info.value, api.error("RedirectError"))
    assert len(server.requests) == api.rt.redirects.MAX_REDIRECTS + 1


# Pure functions of _runtime/redirects.py


def test_the_method_after_a_redirect_is_rfc_9110s(rt: Any) -> None:
    method = rt.redirects.redirect_method
    assert [method(303, "POST"), method(303, "PUT"), method(303, "HEAD")] == ["GET", "GET", "HEAD"]
    assert [method(301, "POST"), method(302, "POST"), method(302, "PUT")] == ["GET", "GET", "PUT"]
    assert [method(307, "POST"), method(308, "DELETE")] == ["POST", "DELETE"]


def test_origins_compare_scheme_host_and_port(rt: Any) -> None:
    url = rt.redirects.httpx.URL
    origin_of = rt.redirects.origin_of
    assert origin_of(url("https://api.test/a")) == origin_of(url("https://api.test:443/b?c=1"))
    assert origin_of(url("http://api.test/")) == origin_of(url("http://api.test:80/"))
    assert origin_of(url("http://api.test/")) != origin_of(url("https://api.test/"))
    assert origin_of(url("https://api.test/")) != origin_of(url("https://api.test:8443/"))


def test_a_base_url_is_checked_without_showing_its_credentials(rt: Any) -> None:
    for bad in (
        "ftp://api.test",
        "api.test",
        "https://api.test/?k=1",
        "https://api.test/#x",
        "https://u:sk-pw@api.test",
    ):
        with pytest.raises(rt.ConfigurationError) as info:
            rt.redirects.check_base_url(bad, "Loopback")
        assert "sk-pw" not in str(info.value), bad
    assert str(rt.redirects.check_base_url("https://api.test/v1/", "Loopback")) == "https://api.test/v1/"


def test_credentials_in_a_redirect_location_are_never_sent(api: Api, server: ScriptedServer) -> None:
    # Followed as an ordinary same-origin redirect: without the user:password the Location carries.
    server.reply(302, headers={"Location": f"http://mallory:pw-from-location@127.0.0.1:{server.port}/v1/public"})
    server.reply(200, json_body={"ok": True})
    api.run(api.client().public.ping())
    followed = server.requests[1]
    assert followed.path == "/v1/public"
    assert "authorization" not in followed.headers  # security: [] and no basic auth from the Location
    server.reply(307, headers={"Location": f"http://mallory:pw@127.0.0.1:{server.port}/v1/things"})
    server.reply(200, json_body=[THING])
    api.run(api.client().things.list())
    assert server.requests[3].headers["authorization"] == "Bearer sk-test-123"


@pytest.mark.parametrize("port", ["99999", "65536", "0"])
def test_a_base_url_with_a_port_out_of_range_is_refused(api: Api, port: str) -> None:
    with pytest.raises(api.error("ConfigurationError"), match="port"):
        api.client(base_url=f"http://127.0.0.1:{port}")
