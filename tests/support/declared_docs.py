"""What the repository writes from declarations: the README's tables and the shipped JSON Schema.

``python tests/update_goldens.py`` rewrites them; tests/gen/test_settings.py fails when they are stale.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from generator import config_forms, extensions
from support.paths import ROOT

SCHEMA_FILE = ROOT / "generator" / "clientgen.schema.json"
_FRAGMENTS: dict[str, Callable[[], str]] = {
    "settings-table": config_forms.markdown_table,
    "extensions-table": extensions.markdown_table,
}


def fragments() -> dict[str, str]:
    return {name: make() for name, make in _FRAGMENTS.items()}


def schema_text() -> str:
    return json.dumps(config_forms.json_schema(), indent=2, ensure_ascii=False) + "\n"


def update() -> list[str]:
    """Rewrite what is stale; the paths rewritten."""
    changed = []
    if not SCHEMA_FILE.exists() or SCHEMA_FILE.read_text() != schema_text():
        SCHEMA_FILE.write_text(schema_text())
        changed.append(str(SCHEMA_FILE.relative_to(ROOT)))
    readme = ROOT / "README.md"
    text = before = readme.read_text()
    for name, content in fragments().items():
        begin = text.index("-->\n", text.index(f"<!-- {name}:")) + 4
        end = text.index(f"<!-- end of {name} -->")
        text = text[:begin] + content + text[end:]
    if text != before:
        readme.write_text(text)
        changed.append("README.md")
    return changed
