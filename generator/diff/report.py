"""Reports of ``clientgen diff``: plain text, Markdown for a pull-request comment, JSON.

Also the ignore list (rule id and location, glob patterns) and the exit status
that ``--fail-on`` asks for. Pure: findings in, text out.
"""

from __future__ import annotations

import difflib
import fnmatch
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from generator.diff.finding import Finding
from generator.diff.rules import Level
from generator.errors import ClientgenError, Location
from generator.load import Document

_HEADINGS = {Level.BREAKING: "Breaking changes", Level.WARNING: "Warnings", Level.INFO: "Info"}


@dataclass(frozen=True)
class SpecReport:
    """The comparison of one spec: where each side came from, the findings, the api.txt diff."""

    name: str
    old: str
    new: str
    findings: tuple[Finding, ...]
    api_diff: str  # unified diff of the two api.txt texts; empty when equal
    warnings: tuple[str, ...] = ()  # validation problems let through by --lenient, each located


@dataclass(frozen=True)
class IgnoreRule:
    rule: str  # glob over rule ids
    location: str  # glob over the readable location or the route

    def matches(self, finding: Finding) -> bool:
        if not fnmatch.fnmatchcase(finding.rule, self.rule):
            return False
        return fnmatch.fnmatchcase(finding.location, self.location) or (
            bool(finding.route) and fnmatch.fnmatchcase(finding.route, self.location)
        )


def parse_ignore(document: Document, structured: bool) -> tuple[IgnoreRule, ...]:
    """YAML (``- {rule: ..., location: ...}`` or ``- "rule location"``) or text, one rule a line."""
    if not structured:
        rules = []
        for line in document.text.splitlines():
            text = line.split("#", 1)[0].strip()
            if text:
                rule, _, location = text.partition(" ")
                rules.append(IgnoreRule(rule, location.strip() or "*"))
        return tuple(rules)
    raw = document.data.get("ignore") if isinstance(document.data, dict) else None
    if not isinstance(raw, list):
        raise ClientgenError(
            "an ignore file in YAML holds 'ignore:' with a list of {rule, location}", Location(document.path, 1)
        )
    rules = []
    for index, entry in enumerate(raw):
        if isinstance(entry, str):
            rule, _, location = entry.strip().partition(" ")
            rules.append(IgnoreRule(rule, location.strip() or "*"))
        elif (
            isinstance(entry, dict)
            and isinstance(entry.get("rule", "*"), str)
            and isinstance(entry.get("location", "*"), str)
        ):
            rules.append(IgnoreRule(str(entry.get("rule", "*")), str(entry.get("location", "*"))))
        else:
            raise ClientgenError(
                "each ignore entry is 'rule location' or {rule, location}", document.locate(f"/ignore/{index}")
            )
    return tuple(rules)


def apply_ignore(findings: Iterable[Finding], rules: Sequence[IgnoreRule]) -> tuple[Finding, ...]:
    return tuple(finding for finding in findings if not any(rule.matches(finding) for rule in rules))


def api_diff(old: str, new: str, old_name: str, new_name: str) -> str:
    return "".join(
        difflib.unified_diff(old.splitlines(keepends=True), new.splitlines(keepends=True), old_name, new_name)
    )


def exit_status(reports: Iterable[SpecReport], fail_on: str | None) -> int:
    if fail_on is None:
        return 0
    threshold = Level.BREAKING if fail_on == "breaking" else Level.WARNING
    return 1 if any(finding.level >= threshold for report in reports for finding in report.findings) else 0


def counts(findings: Iterable[Finding]) -> dict[Level, int]:
    result = dict.fromkeys((Level.BREAKING, Level.WARNING, Level.INFO), 0)
    for finding in findings:
        result[finding.level] += 1
    return result


def _count_text(findings: Iterable[Finding]) -> str:
    number = counts(findings)
    warnings = number[Level.WARNING]
    return f"{number[Level.BREAKING]} breaking, {warnings} warning{'s' if warnings != 1 else ''}, {number[Level.INFO]} info"


# --- text ---------------------------------------------------------------------


def render_text(reports: Sequence[SpecReport], show_api: bool = False) -> str:
    lines: list[str] = []
    for report in reports:
        lines.append(f"{report.name}: {report.old} → {report.new}: {_count_text(report.findings)}")
        for finding in report.findings:
            route = f" [{finding.route}]" if finding.route else ""
            lines.append(f"  {finding.level.label:<8} {finding.rule}: {finding.location}: {finding.message}{route}")
            if finding.use:
                lines.append(f"           {reach_text(finding)}")
            if finding.suggestion:
                lines.append(f"           {finding.suggestion}")
        if show_api and report.api_diff:
            lines.append("")
            lines.extend(report.api_diff.rstrip("\n").splitlines())
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


# --- Markdown -----------------------------------------------------------------

#: A GitHub comment holds 65,536 characters; the report stays under this with room to spare.
MARKDOWN_LIMIT = 60_000
#: Values of an enum change shown before the rest are counted ("+19 values: a, b, c, …").
SHOWN_VALUES = 3
_FULL_REPORT = "the full report: `clientgen diff` with `--format json` or `--format text`"


def _cell(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def _code(text: str) -> str:
    return f"`{text}`" if "`" not in text else f"``{text}``"


def group_of(finding: Finding) -> str:
    """The resource (``pets`` of ``pets.list(limit)``) or model (``Pet`` of ``Pet.tag``) a finding is about."""
    head = finding.location
    for separator in ("(", " ", "[", "<"):
        head = head.split(separator, 1)[0]
    return head.split(".", 1)[0] or finding.location


def _values(label: str, values: Sequence[str]) -> str:
    if len(values) <= SHOWN_VALUES + 1:
        return f"{label} {', '.join(values)}"
    return f"{label} +{len(values)} values: {', '.join(values[:SHOWN_VALUES])}, …"


def _message(finding: Finding) -> str:
    """The finding's message, with long value lists collapsed."""
    if not finding.added and not finding.removed:
        return finding.message
    if len(finding.added) <= SHOWN_VALUES + 1 and len(finding.removed) <= SHOWN_VALUES + 1:
        return finding.message
    parts = []
    if finding.added:
        parts.append(_values("added", finding.added))
    if finding.removed:
        parts.append(_values("removed", finding.removed))
    return "; ".join(parts)


#: Methods and classes a model row names before the rest are counted.
SHOWN_PLACES = 4


def reach_text(finding: Finding, code: bool = False) -> str:
    """Where a model's change reaches: ``used by pets.get, pets.list (request)``, or that no method uses it."""
    if not finding.use:
        return ""
    if finding.use == "unused":
        children = [place for place in finding.reaches if "." not in place]
        return "used by no method" + (f"; inherited by {', '.join(children)}" if children else "")
    shown = [_code(place) if code else place for place in finding.reaches[:SHOWN_PLACES]]
    more = len(finding.reaches) - SHOWN_PLACES
    return f"reaches {', '.join(shown)}{f' (+{more})' if more > 0 else ''} ({finding.use})"


def _rows(findings: Sequence[Finding]) -> list[str]:
    lines = ["| Rule | Where | Change |", "| --- | --- | --- |"]
    for finding in findings:
        where = _code(finding.location) + (f" ({_code(finding.route)})" if finding.route else "")
        reach = reach_text(finding, code=True)
        where += f"<br>{reach}" if reach else ""
        change = _message(finding) + (f"<br>{finding.suggestion}" if finding.suggestion else "")
        lines.append(f"| {_code(finding.rule)} | {_cell(where)} | {_cell(change)} |")
    return lines


def _counted(findings: Sequence[Finding], with_places: bool) -> list[str]:
    """A folded group: one line per rule, with the count (and the first places)."""
    by_rule: dict[str, list[Finding]] = {}
    for finding in findings:
        by_rule.setdefault(finding.rule, []).append(finding)
    lines = []
    for rule_id, chosen in by_rule.items():
        places = ""
        if with_places:
            shown = ", ".join(_code(finding.location) for finding in chosen[:SHOWN_VALUES])
            places = ": " + shown + (", …" if len(chosen) > SHOWN_VALUES else "")
        lines.append(f"- {_code(rule_id)} ×{len(chosen)}{places}")
    return lines


def _groups(findings: Sequence[Finding]) -> list[tuple[str, list[Finding]]]:
    groups: dict[str, list[Finding]] = {}
    for finding in findings:
        groups.setdefault(group_of(finding), []).append(finding)
    return sorted(groups.items(), key=lambda item: (item[0].lower(), item[0]))


# How much of each level is folded: 0 full tables, 1 counts per group, 2 counts per rule with the first places, 3 left out.
_FOLDS = (
    "in full",
    "as counts per rule in each resource and model",
    "as counts per rule with the first places",
    "left out",
)


def _level_lines(level: Level, findings: Sequence[Finding], fold: int) -> list[str]:
    if not findings or fold >= 3:
        return []
    heading = f"{len(findings)} {_HEADINGS[level].lower()}" if level == Level.INFO else _HEADINGS[level]
    body: list[str] = []
    if fold == 2:
        body.extend([*_counted(findings, with_places=True), ""])  # one line per rule, across resources and models
    for group, chosen in _groups(findings) if fold < 2 else []:
        body.append(f"**{_code(group)}**")
        body.append("")
        body.extend(_rows(chosen) if fold == 0 else _counted(chosen, with_places=False))
        body.append("")
    if level == Level.INFO:
        return ["<details>", f"<summary>{heading}</summary>", "", *body, "</details>", ""]
    return [f"#### {heading}", "", *body]


def _report_lines(report: SpecReport, folds: dict[Level, int]) -> list[str]:
    number = counts(report.findings)
    lines = [f"### clientgen diff: {report.name}", "", f"{_code(report.old)} → {_code(report.new)}", ""]
    if not report.findings:
        lines.extend(["No changes for the client's users.", ""])
    else:
        lines.extend(
            [
                f"**{number[Level.BREAKING]} breaking**, {number[Level.WARNING]} warning(s), {number[Level.INFO]} info",
                "",
            ]
        )
    folded = [f"{_HEADINGS[level].lower()} {_FOLDS[fold]}" for level, fold in folds.items() if fold and number[level]]
    if folded:
        lines.extend([f"> Folded to fit a pull-request comment: {'; '.join(folded)}. See {_FULL_REPORT}.", ""])
    for level in (Level.BREAKING, Level.WARNING, Level.INFO):
        lines.extend(
            _level_lines(level, [finding for finding in report.findings if finding.level == level], folds[level])
        )
    return lines


def _fold_steps() -> list[dict[Level, int]]:
    """Ever more folding: info first, then warnings, then breaking changes."""
    steps = []
    folds = {Level.BREAKING: 0, Level.WARNING: 0, Level.INFO: 0}
    steps.append(dict(folds))
    for fold in (1, 2, 3):
        for level in (Level.INFO, Level.WARNING, Level.BREAKING):
            if level == Level.BREAKING and fold == 3:
                continue  # breaking changes are always counted
            folds[level] = fold
            steps.append(dict(folds))
    return steps


def _cut(lines: list[str], budget: int) -> list[str]:
    """The last resort: whole lines up to ``budget`` characters, then a note of what is left out."""
    kept: list[str] = []
    used = 0
    for line in lines:
        if used + len(line) + 1 > budget - 200:
            break
        kept.append(line)
        used += len(line) + 1
    return [*kept, "", f"{len(lines) - len(kept)} more lines left out; see {_FULL_REPORT}.", ""]


def _api_lines(api_diff: str, budget: int) -> list[str]:
    """The api.txt diff in a collapsed section, cut to ``budget`` characters."""
    lines = api_diff.rstrip("\n").splitlines()
    kept: list[str] = []
    used = 0
    for line in lines:
        if used + len(line) + 1 > budget:
            break
        kept.append(line)
        used += len(line) + 1
    note = (
        []
        if len(kept) == len(lines)
        else [
            "",
            f"{len(lines) - len(kept)} more lines of the api.txt diff folded; see {_FULL_REPORT} and `--show-api`.",
        ]
    )
    return ["<details>", "<summary>api.txt</summary>", "", "```diff", *kept, "```", *note, "", "</details>", ""]


def render_markdown(reports: Sequence[SpecReport], show_api: bool = False, limit: int = MARKDOWN_LIMIT) -> str:
    """Grouped by resource and model, folded until the whole comment fits in ``limit`` characters."""
    share = limit // max(1, len(reports))
    lines: list[str] = []
    for report in reports:
        chosen: list[str] = []
        for folds in _fold_steps():
            chosen = _report_lines(report, folds)
            if sum(len(line) + 1 for line in chosen) <= share * (0.5 if show_api and report.api_diff else 1):
                break
        budget = int(share * (0.5 if show_api and report.api_diff else 1))
        if sum(len(line) + 1 for line in chosen) > budget:
            chosen = _cut(chosen, budget)
        if show_api and report.api_diff:
            used = sum(len(line) + 1 for line in chosen)
            chosen.extend(_api_lines(report.api_diff, max(0, share - used - 400)))
        lines.extend(chosen)
    return "\n".join(lines).rstrip("\n") + "\n"


# --- JSON -----------------------------------------------------------------------


def render_json(reports: Sequence[SpecReport], show_api: bool = False) -> str:
    document = {
        "specs": [
            {
                "name": report.name,
                "old": report.old,
                "new": report.new,
                "counts": {level.label: count for level, count in counts(report.findings).items()},
                "findings": [finding.to_json() for finding in report.findings],
                **({"api_diff": report.api_diff} if show_api else {}),
            }
            for report in reports
        ]
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


RENDERERS = {"text": render_text, "markdown": render_markdown, "json": render_json}


@dataclass(frozen=True)
class Output:
    """One report a run writes: its format, and its file (None: standard output)."""

    format: str
    path: str | None = None


def parse_outputs(values: Sequence[str]) -> tuple[Output, ...]:
    """``--format`` values (``FORMAT`` or ``FORMAT=FILE``): several reports from one comparison, one to stdout at most."""
    outputs: list[Output] = []
    for value in values:
        name, equals, path = value.partition("=")
        if name not in RENDERERS:
            raise ClientgenError(f"--format {value}: the formats are {', '.join(RENDERERS)} (FORMAT or FORMAT=FILE)")
        if equals and not path:
            raise ClientgenError(f"--format {value}: name the file after '=' (or leave '=' out for standard output)")
        outputs.append(Output(name, path or None))
    if sum(output.path is None for output in outputs) > 1:
        raise ClientgenError(
            "--format: only one report can go to standard output; give the others a file (FORMAT=FILE)"
        )
    paths = [output.path for output in outputs if output.path is not None]
    if len(set(paths)) != len(paths):
        raise ClientgenError("--format: two reports name the same file")
    return tuple(outputs)
