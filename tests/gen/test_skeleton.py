"""Skeletons: blocks that differ only in names and plain text go to black once, and come back byte for byte black's.

The goldens and corpus documents check the same on real output (test_format.py compares the pipeline's formatter,
which uses skeletons, with black on each whole module); these cases are the corners.
"""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest
from support.paths import corpus_file

import generator.format as format_module
from generator.config import client_config
from generator.format import black_block, format_sources, sort_imports, split_blocks
from generator.models import generate_models
from generator.pipeline import analyse
from generator.render import PREFORMATTED, render_package
from generator.skeleton import dress, skeleton
from generator.view.package import build_view

CORNERS = {
    "docstrings": (
        'class Thing:\n    """A thing called \'name\'   \n\n      with a ragged second line   """\n\n'
        '    def f(self) -> None:\n        """Ends with a quote: "x\\""""\n\n'
        "    def g(self) -> None:\n        '''Single-quoted docstring.'''\n"
    ),
    "quotes": "a = 'plain'\nb = 'has \"double\" inside'\nc = \"it's\"\nd = ''\ne = \"\"\n",
    "prefixes": 'x = f"{name} is {value!r}"\ny = rb"\\x00"\nz = B"bytes"\nw = R"raw"\n',
    "long lines": (
        "result = some_function_name(first_argument_value, second_argument_value, third_argument)\n"
        "short = call(a, b)\n"
        "other = call(alpha_beta_gamma_delta, epsilon_zeta_eta_theta, iota_kappa_lambda_mu_nu_xi)\n"
    ),
    "trailing commas": "values = [\n    1,\n]\ncall(a,)\ndef f(a, b,): pass\n",
    "keywords and soft keywords": (
        "match = 1\ncase = 2\ntype = 3\n_ = 4\n"
        "match command:\n    case [x, y]:\n        pass\n    case _:\n        pass\n"
        "async def f():\n    await g()\n    async with h() as i:\n        yield i\n"
    ),
    "dunders and wide text": '__all__ = ["Café", "名前"]\nnombre_é = "naïve"\n',
    "comments": "x = 1  # a comment with 'quotes' and names\n# type: ignore\ny = [  # why\n    1,\n]\n",
    "numbers": "a = 1e-08 + 0x1F + 1_000 + .5 + 2j\nb = a.real\n",
    "powers and attributes": "x = a**2 + b.c**-d + f(x)[0] ** 2\n",
}


@pytest.mark.parametrize("name", sorted(CORNERS))
def test_a_dressed_skeleton_is_what_black_makes_of_the_block(name: str) -> None:
    source = CORNERS[name]
    shape = skeleton(source)
    assert shape is not None
    assert dress(black_block(shape.text), shape) == black_block(source)


def test_a_u_prefix_or_a_line_continuation_is_no_skeleton() -> None:
    assert skeleton("a = u'text'\n") is None
    assert skeleton("a = 1 + \\\n    2\n") is None


def test_names_and_plain_text_of_the_same_widths_share_one_skeleton() -> None:
    def shape(name: str, text: str, field: str, number: int) -> str:
        made = skeleton(f'class {name}:\n    """{text}"""\n\n    {field}: int = {number}\n')
        assert made is not None
        return made.text

    assert shape("Apple", "A red apple.", "size", 1) == shape("Melon", "A big melon.", "mass", 1)
    assert shape("Apple", "A red apple.", "size", 1) != shape("Melon", "A green melon.", "mass", 1)  # text width
    assert shape("Apple", "A red apple.", "size", 1) != shape("Melons", "A red apple.", "size", 1)  # name width
    assert shape("Apple", "A red apple.", "size", 1) != shape("Apple", "A red apple.", "size", 2)  # numbers stay


def test_dress_refuses_output_whose_tokens_do_not_line_up() -> None:
    shape = skeleton("value = call(argument)\n")
    assert shape is not None
    assert dress("xxxxx = xxxx(xxxxxxxx)\n", shape) == "value = call(argument)\n"
    assert dress("xxxxx = xxxx(xxxxxxx)\n", shape) is None  # a name of another width
    assert dress("xxxxx = xxxx\n", shape) is None  # a name missing


def test_black_sees_one_block_per_skeleton(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[str] = []
    black_batch = format_module._black_batch

    def counting(batch: list[tuple[str, str]]) -> list[str]:
        seen.extend(source for source, _ in batch)
        return black_batch(batch)

    monkeypatch.setattr(format_module, "_black_batch", counting)
    blocks = [
        f"class Item{index}:\n    '''Item number {index}.'''\n\n    def get(self, item{index}_id: str) -> Item{index}:\n"
        f"        return self._client.get('/items/{index}', cast_to=Item{index}, options={{'a':1}})\n"
        for index in range(1, 10)
    ]
    sources = {"items.py": "\n\n".join(blocks)}
    formatted = format_sources(sources)["items.py"]
    assert formatted == black_block(sources["items.py"])
    # Nine blocks, two skeletons: the last block has no blank lines after it. The first eight share theirs;
    # the last one's is its own, so black formats that block as it is (nothing to put back).
    assert len(seen) == 2 and "Item" not in seen[0] and seen[1] == blocks[-1]


# Large corpus documents, block by block (test_format.py compares whole modules on smaller ones).
CORPUS_DOCUMENTS = ("openrouter.json.gz", "github.json.gz")


@pytest.mark.corpus
@pytest.mark.parametrize("name", CORPUS_DOCUMENTS)
def test_every_block_of_a_large_corpus_package_dresses_to_black_s_output(name: str, tmp_path: Path) -> None:
    spec = tmp_path / name.removesuffix(".gz")
    spec.write_bytes(gzip.decompress(corpus_file(name).read_bytes()))
    config = client_config(name="x", spec=spec, package="x", output=tmp_path / "out")
    analysis = analyse(config)
    view = build_view(analysis.api, analysis.schemas, analysis.operation_names, config)
    sources = render_package(view, generate_models(analysis.models))
    shapes = 0
    for path, source in sorted(sources.items()):
        if path in PREFORMATTED:
            continue
        for block in split_blocks(sort_imports(source, path)):
            shape = skeleton(block)
            if shape is not None:
                shapes += 1
                assert dress(black_block(shape.text), shape) in (None, black_block(block)), path
    assert shapes > 100
