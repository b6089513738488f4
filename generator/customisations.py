"""Hand edits as the commands show them: the merge of a client's edits, and the lines ``generate``,
``check`` and ``diff`` print about them.

The merge itself is ``customise``; the ``customisations list | show | drop``
commands are ``generator.commands.customisations``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from generator import console
from generator.apilist import API_LIST
from generator.config import ClientConfig
from generator.customise import CUSTOMISED_HEADING, Outcome, customise, is_ignored
from generator.manifest import MANIFEST, recorded_customisations, recorded_hashes, sha256

if TYPE_CHECKING:
    from generator.pipeline import Generated


def merge_edits(
    config: ClientConfig, generated: Generated, on_disk: Mapping[str, bytes], drop: frozenset[str] = frozenset()
) -> Outcome:
    """The package to write for ``config``: the fresh generation with the hand edits on disk merged in."""
    from generator.history import git_history

    return customise(
        generated.files,
        generated.inputs,
        on_disk,
        ignore_files=config.ignore_files,
        drop=drop,
        history=git_history(config.output),
    )


def unmatched_ignores(config: ClientConfig, generated: Mapping[str, bytes]) -> list[str]:
    """``ignore_files`` entries that match no generated file (a typo, or a file the spec no longer makes)."""
    return [pattern for pattern in config.ignore_files if not any(is_ignored(path, [pattern]) for path in generated)]


def blocked_lines(outcome: Outcome, where: str) -> list[str]:
    return [f"{where}/{item.path}: {item.reason}" for item in outcome.blocked]


def report_written(outcome: Outcome, where: str) -> bool:
    """Say what happened to the hand edits in a package just written; True when the user must act (exit 1)."""
    for item in outcome.customised:
        if item.conflicts:
            continue
        recorded = f", recorded in {where}/{item.patch}" if item.new else ""
        console.info(f"  kept your edit of {where}/{item.path} (+{item.added} -{item.removed} lines){recorded}")
    for path in outcome.dropped:
        console.info(f"  dropped your edit of {where}/{path}: it is the generated file again")
    for item in outcome.conflicts:
        print(
            f"  conflict: {where}/{item.path}: your edit and the new output change the same lines; both are in the "
            f"file between <<<<<<< yours and >>>>>>> generated ({item.conflicts} place(s)): resolve them, then run "
            "`clientgen generate` again"
        )
    for path in outcome.orphaned:
        print(
            f"  kept {where}/{path}: it is no longer generated but holds your edits, so it is your own file now "
            "(delete it if you no longer need it)"
        )
    return outcome.needs_attention


@dataclass(frozen=True)
class Finding:
    label: str  # edited by hand, stale, missing, no longer generated, cannot be merged
    path: str  # relative to the output
    note: str = ""  # what ``generate`` will do about it

    def line(self, where: str) -> str:
        return f"{self.label}: {where}/{self.path}" + (f" ({self.note})" if self.note else "")


def check_findings(on_disk: Mapping[str, bytes], outcome: Outcome) -> list[Finding]:
    """Each way the package on disk differs from what ``generate`` would leave."""
    if outcome.blocked:
        return [Finding("cannot be merged", item.path, item.reason) for item in outcome.blocked]
    recorded = recorded_hashes(on_disk.get(MANIFEST, b""))
    owned = set(outcome.ignored) | (set(outcome.keep) - set(outcome.orphaned))
    merging = {item.path: item for item in outcome.customised}
    findings: list[Finding] = []
    edited = sorted(
        path
        for path, data in on_disk.items()
        if path != MANIFEST and path not in owned and path in recorded and recorded[path] != sha256(data)
    )
    for path in edited:
        note = "not recorded: `clientgen generate` keeps it as a customisation" if path in merging else ""
        if path in merging and merging[path].conflicts:
            note = "not recorded, and it conflicts with the new output: `clientgen generate` marks the conflict"
        findings.append(Finding("edited by hand", path, note))
    explained = {merging[path].patch for path in edited if path in merging}
    for path in sorted(outcome.files):
        if path in edited or path in explained or path not in on_disk or on_disk[path] == outcome.files[path]:
            continue
        if path.rpartition("/")[2] == API_LIST and _listing(on_disk[path]) == _listing(outcome.files[path]):
            continue  # only its list of customisations changes: the edits above say why
        note = ""
        if path in merging:
            note = (
                "customised, and your edit conflicts with the new output: `clientgen generate` marks the conflict"
                if merging[path].conflicts
                else "customised: `clientgen generate` merges your edit into the new output"
            )
        findings.append(Finding("stale", path, note))
    findings.extend(Finding("missing", path) for path in sorted(set(outcome.files) - set(on_disk) - explained))
    # A patch changes with its file (its context lines are the generated ones): the file's line says why.
    named = {item.path for item in findings}
    findings = [item for item in findings if not any(item.path == merging[path].patch for path in named & set(merging))]
    if len(findings) > 1 or any(item.label == "edited by hand" for item in findings):
        # The manifest changes with anything else: listing it too says nothing more.
        findings = [item for item in findings if item.path != MANIFEST]
    gone = set(recorded) - set(outcome.files) - owned - {MANIFEST}
    orphaned = set(outcome.orphaned)
    findings.extend(
        Finding(
            "no longer generated",
            path,
            "holds your edits: `clientgen generate` leaves it to you" if path in orphaned else "",
        )
        for path in sorted(gone & set(on_disk))
    )
    return findings


def _listing(api_txt: bytes) -> bytes:
    """``api.txt`` without its list of customisations."""
    return api_txt.split(b"\n" + CUSTOMISED_HEADING, 1)[0]


# --- what `diff` says about customised names --------------------------------------------------------


def _reached(path: str, names: Sequence[str], location: str) -> list[str]:
    """The customised names of ``path`` that a diff finding at ``location`` (``products.list``, ``Product.id``) reaches."""
    parts = location.split("(", 1)[0].split(".")
    folder, _, file = path.rpartition("/")
    module = file.removesuffix(".py")
    if not parts or not parts[0] or file == module:
        return []
    if parts[0][:1].isupper():  # a model, or one of its fields
        # models.py, types.py, their parts (_models_2.py) or the lazy layout's modules (_models/pet.py)
        if not module.lstrip("_").startswith(("models", "types")) and folder.rpartition("/")[2] not in (
            "_models",
            "_types",
        ):
            return []
        return [name for name in names if name == parts[0] or name.startswith(parts[0] + ".")]
    if folder.rpartition("/")[2] not in ("resources", "typed_resources"):
        return []
    if module == "_".join(parts):  # the whole resource
        return list(names)
    if module == "_".join(parts[:-1]):  # one of its methods
        return [name for name in names if name.rpartition(".")[2] == parts[-1]]
    return []


def diff_notes(client: str, manifest: bytes, locations: Sequence[str]) -> list[str]:
    """One warning per customised file that a spec change reaches, naming the customised names it touches."""
    notes = []
    for path, record in sorted(recorded_customisations(manifest).items()):
        recorded = record.get("names")
        names = (
            [str(name) for kind in ("added", "changed", "removed") for name in recorded.get(kind) or ()]
            if isinstance(recorded, dict)
            else []
        )
        reached = sorted({name for location in locations for name in _reached(path, names, location)})
        where = sorted({location for location in locations if _reached(path, names, location)})
        if reached:
            notes.append(
                f"{client}: {path} is customised by hand ({', '.join(reached)}), and the changes to "
                f"{', '.join(where)} reach it: check that your edit still fits after `clientgen generate`"
            )
    return notes
