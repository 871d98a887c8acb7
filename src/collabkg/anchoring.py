"""Finding a passage in its source's text: the exact words, and the words around them.

A researcher pastes a passage; :meth:`SourceText.anchor` finds it in the
source (plain text or Markdown) and gives an :class:`Anchor`: the text as it
stands in the source (``oa:exact``) and up to :data:`CONTEXT` characters
before and after it (``oa:prefix``, ``oa:suffix``), cut at a word boundary
as the report's own selectors are. The passage is looked for as given
first; then with whitespace, quotation marks, dashes and Markdown emphasis
normalised, the exact text still taken from the source. A passage found
more than once needs to say which: by its section (a Markdown heading), by
its prefix or suffix, or by its occurrence. A passage not found is an
:class:`AnchorError` that shows the nearest passage of the source and how
alike the two are (:mod:`difflib`).

>>> text = SourceText("Intro.\\nThe team \u2018worked\u2019 together \u2014 well.\\nEnd.")
>>> anchor = text.anchor("The team 'worked' together - well.")
>>> anchor.exact, anchor.prefix, anchor.suffix
('The team \u2018worked\u2019 together \u2014 well.', 'Intro.\\n', '\\nEnd.')
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

from collabkg import CollabkgError

CONTEXT = 40
"""The most characters of prefix; the report's selectors have 25 to 40."""
SUFFIX_CONTEXT = 36
"""The most characters of suffix."""
_MIN_CONTEXT = 24
_QUOTES = dict.fromkeys("\u2018\u2019\u201a\u201b\u2032`", "'") | dict.fromkeys("\u201c\u201d\u201e\u201f\u2033", '"')
_DASHES = dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212", "-")
_DROPPED = frozenset("*\u00ad\u200b")  # Markdown emphasis, soft hyphen, zero-width space
_PLAIN = str.maketrans(_QUOTES | _DASHES)
_RUNS = re.compile(r"(?P<space>\s+)|(?P<dropped>[*\u00ad\u200b]+)|(?P<word>[^\s*\u00ad\u200b]+)")
_HEADING = re.compile(r"^(#{1,6})[ \t]+(.+?)[ \t#]*$", re.MULTILINE)


class AnchorError(CollabkgError):
    """A passage that cannot be anchored: not found, or found more than once."""


@dataclass(frozen=True)
class Anchor:
    """Where a passage is in its source: the exact text and its context."""

    start: int
    end: int
    exact: str
    prefix: str
    suffix: str


def normalise(text: str) -> tuple[str, list[int]]:
    """``text`` with whitespace runs as one space, plain quotes and dashes, no emphasis; and where each char came from.

    >>> normalise("a \u201cb\u201d\\n\\n**c**")
    ('a "b" c', [0, 1, 2, 3, 4, 5, 9])
    """
    out: list[str] = []
    where: list[int] = []
    for run in _RUNS.finditer(text):
        start, end = run.span()
        kind = run.lastgroup
        if kind == "space":
            if out:
                out.append(" ")
                where.append(start)
        elif kind == "word":
            out.append(run.group().translate(_PLAIN))
            where.extend(range(start, end))
    if out and out[-1] == " ":
        out.pop()
        where.pop()
    return "".join(out), where


def _context_before(text: str, start: int) -> str:
    begin = max(0, start - CONTEXT)
    prefix = text[begin:start]
    if begin > 0 and not text[begin - 1].isspace():
        cut = next((i for i, ch in enumerate(prefix) if ch.isspace()), None)
        if cut is not None and len(prefix) - cut - 1 >= _MIN_CONTEXT:
            prefix = prefix[cut + 1:]
    return prefix


def _context_after(text: str, end: int) -> str:
    suffix = text[end:end + SUFFIX_CONTEXT]
    if end + SUFFIX_CONTEXT < len(text) and not text[end + SUFFIX_CONTEXT].isspace():
        cut = next((i for i in range(len(suffix) - 1, -1, -1) if suffix[i].isspace()), None)
        if cut is not None and cut >= _MIN_CONTEXT:
            suffix = suffix[:cut]
    return suffix


def _line(text: str, index: int) -> int:
    return text.count("\n", 0, index) + 1


class SourceText:
    """The text of one source, searched for passages. ``name`` is how errors name it."""

    def __init__(self, text: str, name: str = "the source") -> None:
        self.text = text
        self.name = name
        self._normal: tuple[str, list[int]] | None = None
        self._words: tuple[list[str], list[int]] | None = None

    @property
    def normal(self) -> tuple[str, list[int]]:
        if self._normal is None:
            self._normal = normalise(self.text)
        return self._normal

    def sections(self) -> dict[str, tuple[int, int]]:
        """The Markdown headings of the text, lower-cased, and the span of the text under each."""
        found: dict[str, tuple[int, int]] = {}
        headings = list(_HEADING.finditer(self.text))
        for number, match in enumerate(headings):
            level = len(match.group(1))
            end = len(self.text)
            for later in headings[number + 1:]:
                if len(later.group(1)) <= level:
                    end = later.start()
                    break
            found.setdefault(match.group(2).strip().lower(), (match.end(), end))
        return found

    def _spans(self, passage: str) -> list[tuple[int, int]]:
        """Where ``passage`` occurs: as given, else normalised."""
        spans: list[tuple[int, int]] = []
        start = self.text.find(passage)
        while start >= 0:
            spans.append((start, start + len(passage)))
            start = self.text.find(passage, start + 1)
        if spans:
            return spans
        wanted, _ = normalise(passage)
        if not wanted:
            return []
        normal, where = self.normal
        start = normal.find(wanted)
        while start >= 0:
            last = start + len(wanted) - 1
            spans.append((where[start], where[last] + 1))
            start = normal.find(wanted, start + 1)
        return spans

    def anchor(
        self,
        passage: str,
        *,
        section: str | None = None,
        occurrence: int | None = None,
        prefix: str | None = None,
        suffix: str | None = None,
    ) -> Anchor:
        """The anchor of ``passage``; an :class:`AnchorError` if it is not found, or found more than once."""
        spans = self._spans(passage) or self._spans(passage.strip())
        if not spans:
            raise AnchorError(self.nearest(passage))
        where = ""
        if section:
            bounds = self.sections().get(section.strip().lower())
            if bounds is not None:
                inside = [s for s in spans if bounds[0] <= s[0] and s[1] <= bounds[1]]
                if not inside:
                    raise AnchorError(f"passage not found in section '{section}' of {self.name}")
                spans, where = inside, f" in section '{section}'"
        if prefix:
            spans = [s for s in spans if self.text[: s[0]].endswith(prefix)] or _refuse(
                f"the prefix does not match the text before the passage in {self.name}"
            )
        if suffix:
            spans = [s for s in spans if self.text.startswith(suffix, s[1])] or _refuse(
                f"the suffix does not match the text after the passage in {self.name}"
            )
        if occurrence is not None:
            if not 1 <= occurrence <= len(spans):
                raise AnchorError(f"occurrence {occurrence}: the passage occurs {len(spans)} time(s){where}")
            spans = [spans[occurrence - 1]]
        if len(spans) > 1:
            lines = ", ".join(str(_line(self.text, s[0])) for s in spans)
            raise AnchorError(
                f"passage occurs {len(spans)} times in {self.name}{where} (lines {lines}); "
                "say which with its section, prefix or occurrence"
            )
        start, end = spans[0]
        return Anchor(
            start,
            end,
            self.text[start:end],
            prefix if prefix else _context_before(self.text, start),
            suffix if suffix else _context_after(self.text, end),
        )

    def nearest(self, passage: str) -> str:
        """Why ``passage`` is not in the text: the nearest passage of the text, and how much of it matches."""
        normal, where = self.normal
        if self._words is None:
            matches = list(re.finditer(r"\S+", normal))
            self._words = ([m.group().lower() for m in matches], [m.start() for m in matches])
        words, starts = self._words
        wanted = normalise(passage)[0].lower().split()
        if not words or not wanted:
            return f"passage not found in {self.name}"
        matcher = SequenceMatcher(None, words, wanted, autojunk=False)
        best = matcher.find_longest_match(0, len(words), 0, len(wanted))
        first = max(0, best.a - best.b)
        last = min(len(words), first + len(wanted)) - 1
        begin = starts[first]
        finish = starts[last] + len(words[last])
        found = normal[begin:finish]
        ratio = SequenceMatcher(None, found.lower(), normalise(passage)[0].lower(), autojunk=False).ratio()
        shown = found if len(found) <= 80 else found[:77] + "..."
        line = _line(self.text, where[begin])
        return (
            f"passage not found in {self.name}; nearest is line {line}, {ratio:.0%} alike: '{shown}'"
        )


def _refuse(message: str) -> list[tuple[int, int]]:
    raise AnchorError(message)


__all__ = ["CONTEXT", "Anchor", "AnchorError", "SourceText", "normalise"]
