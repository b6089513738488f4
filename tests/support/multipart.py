"""A multipart body read back by the standard library's MIME parser (``email``), not by clientgen."""

from __future__ import annotations

import email
import email.policy
from dataclasses import dataclass
from email.message import EmailMessage


@dataclass(frozen=True)
class Part:
    name: str | None
    filename: str | None
    content_type: str | None  # the part's own Content-Type header; None when it has none
    content: bytes
    headers: dict[str, str]


def multipart_parts(content_type: str, body: bytes) -> list[Part]:
    """Each part of a ``multipart/*`` body, in order."""
    message = email.message_from_bytes(
        f"Content-Type: {content_type}\r\n\r\n".encode() + body, policy=email.policy.HTTP
    )
    assert isinstance(message, EmailMessage) and message.is_multipart(), content_type
    parts = []
    for part in message.iter_parts():
        assert isinstance(part, EmailMessage)
        payload = part.get_payload(decode=True)
        assert isinstance(payload, bytes)
        parts.append(
            Part(
                name=part.get_param("name", header="content-disposition"),  # type: ignore[arg-type]
                filename=part.get_filename(),
                content_type=part["content-type"],
                content=payload,
                headers={key.lower(): str(value) for key, value in part.items()},
            )
        )
    return parts
