"""Wire records of a route: how its parameters and body go on the wire where that is not the default.

The runtime writes every parameter by OpenAPI's rules from the value it is given
(an array, an object or a primitive) and its location's default style. This
module lists only what differs, as the ``Route(...)`` keyword arguments the
route constant carries: ``params=(Param(...), ...)`` for a parameter with another
``style``, ``explode``, ``allowReserved`` or ``content``; ``media_type=`` for a body
whose media type the call does not imply; ``parts=(Part(...), ...)`` for a form's
or multipart body's Encoding Objects.
"""

from __future__ import annotations

from generator.contract import form_media, is_json_media, media_essence, visible_parameters
from generator.ir import Body, Operation, Parameter, SecurityScheme
from generator.typemodel import literal_source

#: Each location's default style and explode (OpenAPI 3.x, Parameter Object).
_DEFAULTS = {"query": ("form", True), "cookie": ("form", True), "path": ("simple", False), "header": ("simple", False)}


def route_arguments(operation: Operation, scheme: SecurityScheme | None) -> tuple[tuple[str, ...], frozenset[str]]:
    """The ``Route(...)`` keyword arguments of ``operation`` beyond method, path and security, and the
    runtime names they use (``Param``, ``Part``)."""
    arguments: list[str] = []
    names: set[str] = set()
    params = [_param(parameter) for parameter in visible_parameters(operation, scheme)]
    params = [param for param in params if param]
    if params:
        names.add("Param")
        arguments.append(f"params=({', '.join(params)},)")
    if operation.body is not None:
        media = _body_media_type(operation.body)
        if media is not None:
            arguments.append(f"media_type={literal_source(media)}")
        parts = _parts(operation.body)
        if parts:
            names.add("Part")
            arguments.append(f"parts=({', '.join(parts)},)")
    return tuple(arguments), frozenset(names)


def _param(parameter: Parameter) -> str:
    """``Param(...)`` for a parameter not written its location's default way; "" otherwise."""
    default_style, default_explode = _DEFAULTS[parameter.location]
    style = parameter.style if parameter.style not in (None, default_style) else None
    explode = parameter.explode
    if explode is not None and style is None and explode == default_explode:
        explode = None
    if style is None and explode is None and not parameter.allow_reserved and parameter.media_type is None:
        return ""
    fields = [literal_source(parameter.location), literal_source(parameter.name)]
    if style is not None:
        fields.append(f"style={literal_source(style)}")
    if explode is not None:
        fields.append(f"explode={explode}")
    if parameter.allow_reserved and parameter.location == "query":
        fields.append("allow_reserved=True")
    if parameter.media_type is not None:
        fields.append(f"media_type={literal_source(parameter.media_type)}")
    return f"Param({', '.join(fields)})"


def _body_media_type(body: Body) -> str | None:
    """The body's media type, where the runtime call (``json=``, ``form=``, ``files=``, ``content=``)
    does not imply it: a ``+json`` type, ``multipart/mixed``, ``text/plain``, ``image/png``..."""
    essence = media_essence(body.media_type)
    if is_json_media(body.media_type):
        return None if essence == "application/json" else body.media_type
    if form_media(body.media_type) in ("application/x-www-form-urlencoded", "multipart/form-data"):
        return None
    if essence == "application/octet-stream":
        return None
    return body.media_type


def _parts(body: Body) -> list[str]:
    """``Part(...)`` for each property the media type's ``encoding`` describes (forms and multipart only)."""
    if form_media(body.media_type) is None:
        return []
    parts = []
    for name, encoding in body.encoding.items():
        fields = [literal_source(name)]
        if encoding.content_type is not None:
            fields.append(f"content_type={literal_source(encoding.content_type)}")
        if encoding.style is not None:
            fields.append(f"style={literal_source(encoding.style)}")
        if encoding.explode is not None:
            fields.append(f"explode={encoding.explode}")
        if encoding.allow_reserved:
            fields.append("allow_reserved=True")
        if len(fields) > 1:
            parts.append(f"Part({', '.join(fields)})")
    return parts
