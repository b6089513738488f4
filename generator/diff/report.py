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

from generator.diff.compare import Finding
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


@dataclass(frozen=True)
class IgnoreRule:
    rule: str  # glob over rule ids
    location: str  # glob over the readable location or the route

    def matches(self, finding: Finding) -> bool:
        if not fnmatch.fnmatchcase(finding.rule, self.rule):
            return False
        return fnmatch.fnmatchcase(finding.location, self.location) or (bool(finding.route) and fnmatch.fnmatchcase(finding.route, self.location))


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
        raise ClientgenError("an ignore file in YAML holds 'ignore:' with a list of {rule, location}", Location(document.path, 1))
    rules = []
    for index, entry in enumerate(raw):
        if isinstance(entry, str):
            rule, _, location = entry.strip().partition(" ")
            rules.append(IgnoreRule(rule, location.strip() or "*"))
        elif isinstance(entry, dict) and isinstance(entry.get("rule", "*"), str) and isinstance(entry.get("location", "*"), str):
            rules.append(IgnoreRule(str(entry.get("rule", "*")), str(entry.get("location", "*"))))
        else:
            raise ClientgenError("each ignore entry is 'rule location' or {rule, location}", document.locate(f"/ignore/{index}"))
    return tuple(rules)


def apply_ignore(findings: Iterable[Finding], rules: Sequence[IgnoreRule]) -> tuple[Finding, ...]:
    return tuple(finding for finding in findings if not any(rule.matches(finding) for rule in rules))


def api_diff(old: str, new: str, old_name: str, new_name: str) -> str:
    return "".join(difflib.unified_diff(old.splitlines(keepends=True), new.splitlines(keepends=True), old_name, new_name))


def exit_status(reports: Iterable[SpecReport], fail_on: str | None) -> int:
    if fail_on is None:
        return 0
    threshold = Level.BREAKING if fail_on == "breaking" else Level.WARNING
    return 1 if any(finding.level >= threshold for report in reports for finding in report.findings) else 0


def counts(findings: Iterable[Finding]) -> dict[Level, int]:
    result = {level: 0 for level in (Level.BREAKING, Level.WARNING, Level.INFO)}
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
            if finding.suggestion:
                lines.append(f"           {finding.suggestion}")
        if show_api and report.api_diff:
            lines.append("")
            lines.extend(report.api_diff.rstrip("\n").splitlines())
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


# --- Markdown -----------------------------------------------------------------


def _cell(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def _code(text: str) -> str:
    return f"`{text}`" if "`" not in text else f"``{text}``"


def _table(findings: Sequence[Finding]) -> list[str]:
    lines = ["| Rule | Where | Change |", "| --- | --- | --- |"]
    for finding in findings:
        where = _code(finding.location) + (f" ({_code(finding.route)})" if finding.route else "")
        change = finding.message + (f"<br>{finding.suggestion}" if finding.suggestion else "")
        lines.append(f"| {_code(finding.rule)} | {_cell(where)} | {_cell(change)} |")
    return lines


def render_markdown(reports: Sequence[SpecReport], show_api: bool = False) -> str:
    lines: list[str] = []
    for report in reports:
        number = counts(report.findings)
        lines.append(f"### clientgen diff: {report.name}")
        lines.append("")
        lines.append(f"{_code(report.old)} → {_code(report.new)}")
        lines.append("")
        if not report.findings:
            lines.append("No changes for the client's users.")
            lines.append("")
        else:
            lines.append(f"**{number[Level.BREAKING]} breaking**, {number[Level.WARNING]} warning(s), {number[Level.INFO]} info")
            lines.append("")
        for level in (Level.BREAKING, Level.WARNING):
            chosen = [finding for finding in report.findings if finding.level == level]
            if chosen:
                lines.extend([f"#### {_HEADINGS[level]}", "", *_table(chosen), ""])
        info = [finding for finding in report.findings if finding.level == Level.INFO]
        if info:
            lines.extend(["<details>", f"<summary>{len(info)} info</summary>", "", *_table(info), "", "</details>", ""])
        if show_api and report.api_diff:
            lines.extend(["<details>", "<summary>api.txt</summary>", "", "```diff", report.api_diff.rstrip("\n"), "```", "", "</details>", ""])
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
