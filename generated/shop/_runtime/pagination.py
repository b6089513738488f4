"""Pagination: ``Paging`` (how an operation pages), the sync and async pages that
fetch the following pages lazily, and stop with ``PaginationError`` when the server
makes no progress (a cursor, URL or offset seen before, an empty page that says there
is more, the same page twice) or ``max_pages`` is reached, and ``AsyncPaginator``,
what an async paged call returns (awaitable for the first page, or iterated
directly with ``async for``).
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Awaitable, Callable, Generator, Iterator
from dataclasses import dataclass
from typing import Any, Generic, Literal, TypeAlias, TypeVar, cast

import httpx2 as httpx

from .constants import T, is_given
from .errors import APIResponseValidationError, BaseError, PaginationError
from .options import Options, replace_options
from .redaction import is_query_secret, redact_url
from .redirects import origin_of, without_userinfo

PagingStyle: TypeAlias = Literal["cursor_id", "cursor", "offset", "page", "link"]


@dataclass(frozen=True)
class Paging:
    """How an operation pages, by JSON and query parameter names (see generator/pagination.py).

    ``items``: where the list is in the body (empty: the body is the list);
    ``param``: the query parameter that takes the next cursor, offset or page;
    ``cursor``: where the next cursor is (``cursor_id``: the item's id field);
    ``has_more``: a flag saying more pages exist; ``size_param``: the page size.
    """

    style: PagingStyle
    items: tuple[str, ...] = ()
    param: str = ""
    cursor: tuple[str, ...] = ()
    has_more: tuple[str, ...] = ()
    size_param: str = ""


def _dig(data: object, path: tuple[str, ...]) -> object:
    for name in path:
        if not isinstance(data, dict):
            return None
        data = cast("dict[str, object]", data).get(name)
    return data


def _int_param(opts: Options, name: str) -> int | None:
    value = (opts.query or {}).get(name)
    if not is_given(value) or isinstance(value, bool):
        return None
    try:
        return int(cast("int | str", value))
    except (TypeError, ValueError):
        return None


_LINK_NEXT = re.compile(r"<([^>]*)>\s*((?:;[^,;]*)*)")


def _link_next(response: httpx.Response) -> str | None:
    """The target of RFC 8288 ``Link: <...>; rel="next"``, if any."""
    for header in response.headers.get_list("link"):
        for target, params in _LINK_NEXT.findall(header):
            for param in params.split(";"):
                key, _, value = param.strip().partition("=")
                rels = value.strip().strip('"').lower().split()
                if key.strip().lower() == "rel" and "next" in rels:
                    return str(target)
    return None


_LAST_PAGE = "This is the last page; check has_next_page() first."

#: Where a page was asked for: ("url", its URL) or ("param", the cursor, offset or page).
_Key: TypeAlias = "tuple[str, str]"


def _comparable(url: httpx.URL) -> str:
    """A URL as pages compare it: query parameters sorted, credentials left out."""
    params = sorted(
        (key, value)
        for key, value in url.params.multi_items()
        if not is_query_secret(key)
    )
    query = "&".join(f"{key}={value}" for key, value in params)
    return f"{url.scheme}://{url.netloc.decode('ascii', 'replace')}{url.path}?{query}"


_PageT = TypeVar("_PageT", bound="_PageBase[Any]")


class _Walk:
    """What the pages of one walk through a list share: the depth at which each
    cursor, URL, offset or page number was first asked for."""

    __slots__ = ("max_pages", "seen")

    def __init__(self, max_pages: int | None) -> None:
        self.max_pages = max_pages
        self.seen: dict[_Key, int] = {}


class _PageBase(Generic[T]):
    """What sync and async pages share: the items, and where the next page is."""

    def __init__(
        self,
        opts: Options,
        paging: Paging,
        parse: Callable[[object], T],
        response: httpx.Response,
        body: object,
        page_size: int | None,
        origin: tuple[str, str, int | None],
        max_pages: int | None = None,
    ) -> None:
        self.paging = paging
        self.item_parser = parse
        self.http_response = response
        self.body = body
        raw = _dig(body, paging.items)
        raw_items = cast("list[object]", raw) if isinstance(raw, list) else []
        try:
            self.data: list[T] = [parse(item) for item in raw_items]
        except (ValueError, TypeError, RecursionError) as exc:
            raise APIResponseValidationError(response, body, error=exc) from exc
        self.page_size = page_size if page_size is not None else len(raw_items)
        self._raw_items = raw_items
        self._origin = origin
        #: Why the next page will not be fetched although the server says there is one.
        self._refusal: tuple[str, str] | None = None
        self._next_key: _Key | None = None
        self._next = self._next_options(opts, raw_items)
        self._depth = 1  # this page's place in the walk: the first page is 1
        self._walk = _Walk(max_pages)
        self._keys = self._own_keys(opts)
        self._record()

    def has_next_page(self) -> bool:
        """Whether the server says another page exists (no request is made to find out).

        ``get_next_page()`` can still refuse it: see ``PaginationError``.
        """
        return self._next is not None or self._refusal is not None

    def _own_keys(self, opts: Options) -> tuple[_Key, ...]:
        url: _Key = ("url", _comparable(self.http_response.request.url))
        value = (opts.query or {}).get(self.paging.param) if self.paging.param else None
        if opts.url is None and is_given(value):
            return (url, ("param", str(value)))
        return (url,)

    def _record(self) -> None:
        for key in self._keys:
            self._walk.seen.setdefault(key, self._depth)

    def _stop(self, reason: str, message: str) -> PaginationError:
        return PaginationError(
            message, self.http_response.request, reason=reason, pages=self._depth
        )

    def _next_request(self) -> Options:
        """The options of the next page's request, or the reason it is not sent."""
        if self._refusal is not None:
            raise self._stop(*self._refusal)
        if self._next is None:
            raise BaseError(_LAST_PAGE)
        walk = self._walk
        key = self._next_key
        first = walk.seen.get(key) if key is not None else None
        if first is not None and first <= self._depth:
            what = "URL" if key is not None and key[0] == "url" else self.paging.param
            raise self._stop(
                "repeated",
                f"Stopped paging: page {self._depth + 1} would ask for the same "
                f"{what} as page {first}, so the list would repeat.",
            )
        if walk.max_pages is not None and self._depth >= walk.max_pages:
            raise self._stop(
                "max_pages",
                f"Stopped paging after max_pages={walk.max_pages} pages; the server "
                "says there are more. Pass max_pages= to the client to change the limit.",
            )
        return self._next

    def _accept(self, page: _PageT) -> _PageT:
        """``page``, fetched as the one after this: it joins the walk, or stops it."""
        page._walk = self._walk
        page._depth = self._depth + 1
        page._record()
        if page._raw_items and page._raw_items == self._raw_items:
            raise page._stop(
                "identical",
                f"Stopped paging: page {page._depth} has the same items as page "
                f"{self._depth}, so the server ignored where the list was.",
            )
        return page

    def _more(self) -> bool:
        if not self.paging.has_more:
            return True
        return _dig(self.body, self.paging.has_more) is True

    def _refuse(self, reason: str, message: str) -> None:
        self._refusal = (reason, message)

    def _follow(self, opts: Options, target: str) -> Options | None:
        try:
            url = without_userinfo(self.http_response.request.url.join(target))
        except (httpx.InvalidURL, ValueError, TypeError):
            self._refuse("invalid", "Stopped paging: the next-page URL is not a URL.")
            return None
        if origin_of(url) != self._origin:
            self._refuse(
                "origin",
                f"Refused a next-page URL on another origin: {redact_url(url)}; "
                "credentials are only sent to the configured base_url.",
            )
            return None
        self._next_key = ("url", _comparable(url))
        return replace_options(opts, url=url)

    def _with_param(self, opts: Options, value: object) -> Options:
        self._next_key = ("param", str(value))
        return replace_options(
            opts, query={**(opts.query or {}), self.paging.param: value}, url=None
        )

    def _empty_but_more(self) -> None:
        self._refuse(
            "empty",
            f"Stopped paging: the server says there is more after an empty page "
            f"({'.'.join(self.paging.has_more)} is true), but an empty page gives "
            "nothing to continue from.",
        )

    def _next_options(self, opts: Options, raw_items: list[object]) -> Options | None:
        paging = self.paging
        if paging.style == "link":
            target = _link_next(self.http_response)
            return self._follow(opts, target) if target and raw_items else None
        if not self._more():
            return None
        if paging.style == "cursor_id":
            if not raw_items:
                if paging.has_more:
                    self._empty_but_more()
                return None
            last = _dig(raw_items[-1], paging.cursor)
            return None if last is None else self._with_param(opts, last)
        if paging.style == "cursor":
            cursor = _dig(self.body, paging.cursor)
            if cursor is None or cursor == "" or isinstance(cursor, bool):
                return None
            text = str(cursor)
            if not paging.param or text.startswith(("http://", "https://", "/")):
                return self._follow(opts, text)
            return self._with_param(opts, cursor)
        # offset and page: a short or empty page is the last one, unless a flag says otherwise.
        if not raw_items:
            if paging.has_more:
                self._empty_but_more()
            return None
        size = _int_param(opts, paging.size_param) if paging.size_param else None
        size = size or self.page_size
        if len(raw_items) < size:
            return None
        if paging.style == "offset":
            start = _int_param(opts, paging.param) or 0
            return self._with_param(opts, start + len(raw_items))
        number = _int_param(opts, paging.param)
        return self._with_param(opts, (1 if number is None else number) + 1)

    def __getattr__(self, name: str) -> Any:
        """The list under its own name (``page.customers``), or another body field."""
        if name.startswith("_"):
            raise AttributeError(name)
        if self.paging.items and name == self.paging.items[-1]:
            return self.data
        value = _dig(self.body, (name,))
        if value is not None:
            return value
        raise AttributeError(f"{type(self).__name__!s} has no attribute {name!r}")

    def __len__(self) -> int:
        return len(self.data)

    def __repr__(self) -> str:
        more = "more" if self.has_next_page() else "last"
        return f"<{type(self).__name__} {len(self.data)} items, {more}>"


class SyncPage(_PageBase[T]):
    """One page of a list. ``for item in page`` walks every page, fetching lazily."""

    def __init__(
        self,
        fetch: Callable[[Options, int | None], SyncPage[T]],
        opts: Options,
        paging: Paging,
        parse: Callable[[object], T],
        response: httpx.Response,
        body: object,
        page_size: int | None,
        origin: tuple[str, str, int | None],
        max_pages: int | None = None,
    ) -> None:
        self._fetch = fetch
        super().__init__(
            opts, paging, parse, response, body, page_size, origin, max_pages
        )

    def get_next_page(self) -> SyncPage[T]:
        """Fetch the next page; check ``has_next_page()`` first.

        Raises ``PaginationError`` instead when the server makes no progress.
        """
        at = self._next_request()
        return self._accept(self._fetch(at, self.page_size))

    def iter_pages(self) -> Iterator[SyncPage[T]]:
        """This page, then each following page as it is fetched."""
        page = self
        yield page
        while page.has_next_page():
            page = page.get_next_page()
            yield page

    def __iter__(self) -> Iterator[T]:
        for page in self.iter_pages():
            yield from page.data


class AsyncPage(_PageBase[T]):
    """One page of a list. ``async for item in page`` walks every page, fetching lazily."""

    def __init__(
        self,
        fetch: Callable[[Options, int | None], Awaitable[AsyncPage[T]]],
        opts: Options,
        paging: Paging,
        parse: Callable[[object], T],
        response: httpx.Response,
        body: object,
        page_size: int | None,
        origin: tuple[str, str, int | None],
        max_pages: int | None = None,
    ) -> None:
        self._fetch = fetch
        super().__init__(
            opts, paging, parse, response, body, page_size, origin, max_pages
        )

    async def get_next_page(self) -> AsyncPage[T]:
        """Fetch the next page; check ``has_next_page()`` first.

        Raises ``PaginationError`` instead when the server makes no progress.
        """
        at = self._next_request()
        return self._accept(await self._fetch(at, self.page_size))

    async def iter_pages(self) -> AsyncIterator[AsyncPage[T]]:
        """This page, then each following page as it is fetched."""
        page = self
        yield page
        while page.has_next_page():
            page = await page.get_next_page()
            yield page

    async def __aiter__(self) -> AsyncIterator[T]:
        async for page in self.iter_pages():
            for item in page.data:
                yield item


class AsyncPaginator(Generic[T]):
    """What a paged call of an async client returns, before any request is sent.

    ``async for item in client.items.list()`` walks every item of every page;
    ``page = await client.items.list()`` gets the first page (``AsyncPage``).
    Each ``await`` or ``async for`` sends the first request anew.
    """

    def __init__(self, first_page: Callable[[], Awaitable[AsyncPage[T]]]) -> None:
        self._first_page = first_page

    def __await__(self) -> Generator[Any, None, AsyncPage[T]]:
        return self._first_page().__await__()

    async def __aiter__(self) -> AsyncIterator[T]:
        page = await self._first_page()
        async for item in page:
            yield item
