"""What an operationId says once the machinery that wrote it is taken out: the words a method name is made from.

Frameworks spell operationIds from code, not for readers:

* FastAPI's default ids end with the route's path and HTTP method
  (``retrieve_model_v1_models__model_id__get`` for ``GET /v1/models/{model_id}``);
  a router mounted under a prefix leaves some path words out
  (``audio_api_v1_transcriptions_post`` for ``POST /v1/audio/transcriptions``), and
  a hand-made id may add words after the method (``..._post_stream``);
* ids made from a module path start with it, up to an ``api`` followed by a
  version or ``routes`` (``files_api_routes_upload_file``, ``agents_api_v1_agents_create``);
* versioned handlers end with their version (``libraries_list_v1``).

``id_words`` takes those parts out and keeps the rest, always at least one word.
"""

from __future__ import annotations

import re

from generator.naming.autoname import words

_VERSION = re.compile(r"^v\d+[a-z0-9]*$")
#: Words that say how the code is laid out, when they follow ``api``: ``api_routes``, ``api_v1``.
_LAYOUT = frozenset({"routes", "route", "router", "routers", "endpoints"})


def _tokens(text: str) -> list[str]:
    """Lowercase words, a version kept whole: ``agents_api_v1_agents_create`` → agents, api, v1, agents, create."""
    result: list[str] = []
    for word in words(text):
        word = word.lower()
        if word.isdigit() and result and result[-1] == "v":
            result[-1] = "v" + word  # ``words`` splits ``v1`` into ``v`` and ``1``
        else:
            result.append(word)
    return result


def _is_version(token: str) -> bool:
    return bool(_VERSION.match(token))


def path_tokens(path: str) -> list[str]:
    """The words of a path in order, parameters' names included; a ``#fragment`` (Speakeasy's duplicates) is not part of it."""
    return _tokens(path.split("#", 1)[0].replace("{", "_").replace("}", "_"))


def _without_path_suffix(tokens: list[str], method: str, path: list[str]) -> list[str]:
    """FastAPI's ``{name}_{path}_{method}``: the path words (some may be missing) and the method, taken out."""
    if not path:
        return tokens
    # The method ends the id, or comes one word before its end (``..._post_stream``).
    for at in range(len(tokens) - 1, max(len(tokens) - 3, 1), -1):
        if tokens[at] != method or tokens[at - 1] != path[-1]:
            continue
        index, word = at - 1, len(path) - 1
        first_matched = False
        while word >= 0 and index >= 1:  # the name keeps one word at least
            if tokens[index] == path[word]:
                first_matched = word == 0
                index -= 1
            word -= 1
        if not first_matched:
            # The whole path, from its first word, follows a name: else this is GitHub's ``rate-limit/get``.
            continue
        start = index + 1
        if start >= 1 and tokens[start - 1] == "api" and start >= 2 and _is_version(tokens[start]):
            start -= 1  # ``audio_api_v1_transcriptions``: the ``api`` before the version goes too
        return tokens[:start] + tokens[at + 1 :]
    return tokens


def _without_module_prefix(tokens: list[str]) -> list[str]:
    """``files_api_routes_upload_file`` → upload, file: what comes before ``api_routes`` or ``api_v1`` is a module."""
    for at in range(len(tokens) - 2, 0, -1):
        if tokens[at] != "api" or not (_is_version(tokens[at + 1]) or tokens[at + 1] in _LAYOUT):
            continue
        end = at + 1
        while end < len(tokens) and (_is_version(tokens[end]) or tokens[end] in _LAYOUT):
            end += 1
        if end < len(tokens):
            return tokens[end:]
    return tokens


def _without_version_suffix(tokens: list[str]) -> list[str]:
    """``libraries_list_v1`` → libraries, list; ``get_api_v2`` → get."""
    end = len(tokens)
    while end > 1 and _is_version(tokens[end - 1]):
        end -= 1
    if end < len(tokens) and end > 1 and tokens[end - 1] == "api":
        end -= 1
    return tokens[:end]


def id_words(operation_id: str, method: str, path: str, keep_version: bool = False) -> list[str]:
    """The words of ``operation_id`` that name what the operation does (lowercase, at least one).

    ``keep_version`` keeps a version at the end: the name an endpoint falls back to when another
    endpoint of its resource has the same name without it (``post_image`` and ``post_image_v4``)."""
    tokens = _tokens(operation_id)
    if not tokens:
        return []
    tokens = _without_path_suffix(tokens, method.lower(), path_tokens(path))
    tokens = _without_module_prefix(tokens)
    return tokens if keep_version else _without_version_suffix(tokens)
