"""The words of a method name: which say what it does (verbs), and which only repeat its resource's noun.

``drop_resource_words`` takes a resource's words out of an operationId's
(``create_pet`` on ``pets`` is ``create``), in singular or plural (``forms``),
where a reader expects the noun: first, after the verbs, or last.
"""

from __future__ import annotations

#: Words a method name starts with when it says what it does (``update`` in ``update_commit_comment``).
_VERBS = frozenset(
    [
        "accept",
        "add",
        "approve",
        "archive",
        "cancel",
        "capture",
        "check",
        "close",
        "confirm",
        "copy",
        "create",
        "decline",
        "delete",
        "disable",
        "download",
        "enable",
        "export",
        "finalize",
        "fork",
        "get",
        "import",
        "list",
        "lock",
        "mark",
        "merge",
        "move",
        "open",
        "pay",
        "post",
        "put",
        "redeliver",
        "refund",
        "reject",
        "remove",
        "rename",
        "replace",
        "rerun",
        "reset",
        "restore",
        "retrieve",
        "revoke",
        "search",
        "send",
        "set",
        "start",
        "stop",
        "sync",
        "transfer",
        "unarchive",
        "unlock",
        "update",
        "upload",
        "verify",
        "void",
    ]
)
_PREPOSITIONS = frozenset({"at", "by", "for", "from", "in", "into", "of", "on", "to", "with"})


def _singular(word: str) -> str:
    if word.endswith("ies") and len(word) > 3:
        return word[:-3] + "y"
    if word.endswith(("sses", "xes", "ches", "shes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith("ss") and len(word) > 1:
        return word[:-1]
    return word


def forms(resource: str) -> list[list[str]]:
    """The word sequences a method name may repeat its resource with: plural and singular."""
    words = resource.split("_")
    singular = [*words[:-1], _singular(words[-1])]
    return [words] if singular == words else [words, singular]


def _verb_words(tokens: list[str]) -> int:
    """How many leading words say what the method does: ``create_or_update_secret`` has three."""
    count = 0
    while count < len(tokens):
        joins = tokens[count] in ("or", "and") and 0 < count < len(tokens) - 1 and tokens[count + 1] in _VERBS
        if tokens[count] not in _VERBS and not joins:
            break
        count += 1
    return count


def _without_noun(tokens: list[str], form: list[str], qualifiers: bool) -> list[str] | None:
    """``tokens`` without the resource noun ``form`` where a reader expects it (first, after the verb, or last);
    with ``qualifiers`` a last noun also takes the words between it and the verb. None when it is not there."""
    size = len(form)
    for start in range(len(tokens) - size + 1):
        last = start + size == len(tokens)
        if tokens[start : start + size] == form and len(tokens) > size and (start in (0, 1) or last):
            verbs = _verb_words(tokens)
            # ``list_jobs_for_workflow_run`` on ``runs``: a preposition means those words are not the noun's qualifiers.
            if qualifiers and last and 0 < verbs < start and not _PREPOSITIONS.intersection(tokens[verbs:start]):
                return tokens[:verbs]
            return tokens[:start] + tokens[start + size :]
    return None


def drop_resource_words(method: str, resources: list[str]) -> tuple[str, str]:
    """The method name without its resource's words, shortest first, then with the noun's qualifiers kept.

    ``create_pet`` on ``pets`` → ``create``; ``issues_list_comments`` on ``issues.comments`` → ``list``;
    ``update_commit_comment`` on ``comments`` → ``update`` (the words between the verb and the noun
    qualify the noun the resource already names), or ``update_commit`` when ``update`` is taken.
    """
    variants = []
    for qualifiers in (True, False):
        tokens = method.split("_")
        for resource in resources:
            for form in forms(resource):
                shorter = _without_noun(tokens, form, qualifiers)
                if shorter is not None:
                    # ``fine_tuning_get_fine_tuning_jobs`` on ``fine_tuning``: a module prefix repeated the noun.
                    again = _without_noun(shorter, form, qualifiers) if shorter[:1] != tokens[:1] else None
                    tokens = again if again is not None else shorter
                    break
        variants.append("_".join(tokens))
    return variants[0], variants[1]
