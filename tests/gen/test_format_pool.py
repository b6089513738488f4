"""The formatting pool: what one worker learns about black spares the others their runs, and the bytes are those
of formatting in one process."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from concurrent.futures import Future
from typing import Any

import pytest
from goldens import _at_root, case_config

import generator.format as format_module
from generator import learned
from generator.format import _Dispatch, _family, format_sources, lean_black_block
from generator.models import generate_models
from generator.pipeline import _LazyPool, analyse
from generator.render import PREFORMATTED, render_package
from generator.view.package import build_view

_BLOCKS = [
    "class Widget:\n"
    "    def widgets(self, name: str, count: int = 3, labels: list[str] | None = None, colour: str = 'blue', size: int = 9) -> list[str]:\n"
    "        return self._client.request('GET', '/widgets', params={'name': name, 'count': count, 'labels': labels})\n",
    "class Gadget:\n"
    "    def gadgets(self, name: str, count: int = 3, labels: list[str] | None = None, colour: str = 'blue', size: int = 9) -> list[str]:\n"
    "        return self._client.request('GET', '/gadgets', params={'name': name, 'count': count, 'labels': labels})\n",
]


@pytest.fixture
def fresh_tables() -> Iterator[None]:
    """Nothing learned in this process while the test runs; what was learned before is back after it."""
    saved = [dict(table) for table in learned._TABLES]
    for table in learned._TABLES:
        table.clear()
    yield
    for table, contents in zip(learned._TABLES, saved, strict=True):
        table.clear()
        table.update(contents)


def _counting(runs: list[str]) -> Callable[[str], str]:
    def black(text: str) -> str:
        runs.append(text)
        return format_module.black_block(text)

    return black


def test_what_one_process_learned_spares_another_its_black_runs(fresh_tables: None) -> None:
    from generator.keptlines import format_keeping_lines

    first: list[str] = []
    at = learned.mark()
    outputs = [format_keeping_lines(block, _counting(first)) for block in _BLOCKS]
    taught = learned.since(at)
    assert first and learned.size(taught) > 0
    for table in learned._TABLES:  # another process: it knows nothing
        table.clear()
    learned.absorb(taught)
    again: list[str] = []
    assert [format_keeping_lines(block, _counting(again)) for block in _BLOCKS] == outputs
    assert outputs == [format_module.black_block(block) for block in _BLOCKS]
    assert len(again) < len(first)


class _InlinePool:
    """Runs each job at once in this process, recording what it was sent."""

    workers = 2

    def __init__(self) -> None:
        self.sent: list[tuple[list[tuple[str, str]], learned.Learned]] = []

    def submit(self, fn: Callable[..., Any], /, *args: Any) -> Future[Any]:
        self.sent.append((args[0], args[1]))
        done: Future[Any] = Future()
        done.set_result(fn(*args))
        return done


def test_dispatch_keeps_families_together_and_forwards_what_was_learned(fresh_tables: None) -> None:
    pool = _InlinePool()
    dispatch = _Dispatch(pool, pool.workers)
    units = [(block, path) for block in _BLOCKS for path in ("resources/a.py", "typed_resources/a.py", "b.py")]
    units += [(f"x{index} = {index}\n" * 3000, f"resources/m{index}.py") for index in range(6)]
    where = dispatch.submit(units)
    for (text, _), (job, position) in zip(units, where, strict=True):
        assert job.result()[position] == lean_black_block(text)
    batches = [{_family(path) for _, path in work} for work, _ in pool.sent]
    placed = {family: {index for index, batch in enumerate(batches) if family in batch} for family in ("a.py", "b.py")}
    assert len(placed["a.py"]) == 1  # a module and its typed sibling: one batch (they fit in one)
    assert any(learned.size(known) for _, known in pool.sent[1:])  # later batches are told what earlier ones learned
    assert not learned.size(pool.sent[0][1])


def _unformatted(config: Any) -> dict[str, str]:
    analysis = analyse(config)
    view = build_view(analysis.api, analysis.schemas, analysis.operation_names, config)
    return render_package(view, generate_models(analysis.models))


def test_the_pool_formats_a_package_as_one_process_does(monkeypatch: pytest.MonkeyPatch) -> None:
    with _at_root():
        sources = _unformatted(case_config("bodies_and_streams"))
    serial = format_sources(sources, PREFORMATTED)
    monkeypatch.setattr(format_module, "_PARALLEL_THRESHOLD", 0)
    monkeypatch.setattr(format_module, "_BATCH", 2_000)  # many batches: learning goes from worker to worker
    pool = _LazyPool(2)
    try:
        assert format_sources(sources, PREFORMATTED, pool=pool) == serial
    finally:
        pool.shutdown()
