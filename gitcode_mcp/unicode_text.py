"""What counts as text a person can see.

A value made only of spaces, controls and invisible characters is blank: a title of zero-width spaces, a list item of
U+3164 (Hangul filler) or a label of tag characters looks empty to a person and is not empty to `str.strip()`; such a
value must not pass for a name, nor stand for "nothing given".

A hidden character (`hidden_spans`) is one that shows nothing yet changes what a reader gets: zero-width spaces and
joiners, bidirectional controls and isolates (Trojan Source), tag characters (an instruction spelled in U+E0020-E007F
reaches a model and no person), variation selectors past the one a character may take (the shape used to smuggle
bytes), fillers, controls. Where one of them is the ordinary way to write something, it is not hidden: a joiner inside
an emoji sequence or between the letters of a script that needs it (Persian, Indic), a variation selector after a
character it applies to, the tag characters of a subdivision flag (🏴 + gbsct + cancel tag).
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from functools import cache

# Controls, format characters (zero-width, bidi controls, tag characters, BOM), combining marks with no base,
# and every kind of space or line separator.
_UNSEEN_CATEGORIES = frozenset({"Cc", "Cf", "Mn", "Me", "Zs", "Zl", "Zp"})
# Letters and symbols that render as nothing: Hangul fillers, the braille blank, the Khmer inherent vowels.
_UNSEEN_CHARACTERS = frozenset("\u115f\u1160\u17b4\u17b5\u2800\u3164\uffa0")


def is_unseen(char: str) -> bool:
    return char in _UNSEEN_CHARACTERS or unicodedata.category(char) in _UNSEEN_CATEGORIES


def is_blank(text: str) -> bool:
    """True when `text` shows nothing to a person: empty, spaces, controls or invisible characters only."""
    return all(is_unseen(char) for char in text)


ZWNJ, ZWJ = "\u200c", "\u200d"
_LAYOUT_CONTROLS = frozenset("\t\n\r\f")  # controls every editor shows as layout
# Format characters a person does see: the prepended concatenation marks (Arabic number signs and the like).
_SEEN_FORMAT = frozenset("\u0600\u0601\u0602\u0603\u0604\u0605\u06dd\u070f\u0890\u0891\u08e2\U000110bd\U000110cd")
_COMBINING_GRAPHEME_JOINER = "\u034f"
_TAG_FLAG = re.compile("\U0001f3f4[\U000e0030-\U000e0039\U000e0061-\U000e007a]{1,6}\U000e007f")


def is_variation_selector(char: str) -> bool:
    return "\ufe00" <= char <= "\ufe0f" or "\U000e0100" <= char <= "\U000e01ef"


def is_tag(char: str) -> bool:
    return "\U000e0000" <= char <= "\U000e007f"


def is_hidden(char: str) -> bool:
    """Whether `char` shows nothing while it changes the text (out of context: see `hidden_spans`)."""
    if char in _LAYOUT_CONTROLS:
        return False
    category = unicodedata.category(char)
    if category == "Cf":
        return char not in _SEEN_FORMAT
    return (
        category in ("Cc", "Cs")  # controls, and lone surrogates (not text at all)
        or char in _UNSEEN_CHARACTERS
        or char == _COMBINING_GRAPHEME_JOINER
        or is_variation_selector(char)
        or is_tag(char)
    )


@cache
def _hidden_runs() -> re.Pattern[str]:
    """A pattern matching runs of hidden characters, built once from the Unicode database: the basic plane, and the
    blocks beyond it that hold format characters (Egyptian hieroglyph and shorthand format controls, musical
    formatting, tags, the variation selectors supplement)."""
    ranges: list[list[int]] = []
    beyond = (range(0x13430, 0x13440), range(0x1BCA0, 0x1BCA4), range(0x1D173, 0x1D17B), range(0xE0000, 0xE0200))
    for code in itertools.chain(range(0x10000), *beyond):
        if is_hidden(chr(code)):
            if ranges and ranges[-1][1] == code - 1:
                ranges[-1][1] = code
            else:
                ranges.append([code, code])
    return re.compile("[" + "".join(f"\\U{low:08x}-\\U{high:08x}" for low, high in ranges) + "]+")


def _emoji(char: str | None) -> bool:
    return char is not None and unicodedata.category(char) in ("So", "Sk")


def _script_letter(char: str | None) -> bool:
    return char is not None and not char.isascii() and unicodedata.category(char)[0] in "LM"


def _joins(before: str | None, after: str | None) -> bool:
    """A joiner is how emoji sequences (👨‍👩‍👧) and some scripts (Persian, Devanagari) are written."""
    emoji = (_emoji(before) or before == "\ufe0f") and _emoji(after)
    return emoji or (_script_letter(before) and _script_letter(after))


def _takes_selector(base: str | None, selector: str) -> bool:
    """Whether `selector` can apply to the character it follows: one selector per character; the supplement's only to
    CJK ideographs; an ASCII character only a keycap's text or emoji style."""
    if base is None or is_hidden(base) or base.isspace() or not base.isprintable():
        return False
    if selector >= "\U000e0100":
        return unicodedata.name(base, "").startswith("CJK ")
    if base.isascii():
        return base in "#*0123456789" and selector in "\ufe0e\ufe0f"
    return True


def hidden_spans(text: str) -> list[tuple[int, int]]:
    """The [start, end) spans of `text` holding hidden characters, each run of them one span."""
    spans: list[tuple[int, int]] = []
    flags: set[int] | None = None
    for run in _hidden_runs().finditer(text):
        start, end = run.span()
        before, kept = (text[start - 1] if start else None), True
        for i in range(start, end):
            char = text[i]
            after = text[i + 1] if i + 1 < len(text) else None
            if is_variation_selector(char):
                ordinary = kept and _takes_selector(before, char)
            elif char in (ZWJ, ZWNJ):
                ordinary = kept and _joins(before, after)
            elif is_tag(char):
                if flags is None:
                    flags = {i for m in _TAG_FLAG.finditer(text) for i in range(m.start() + 1, m.end())}
                ordinary = i in flags
            else:
                ordinary = False
            if not ordinary:
                if spans and spans[-1][1] == i:
                    spans[-1] = (spans[-1][0], i + 1)
                else:
                    spans.append((i, i + 1))
            before, kept = char, ordinary
    return spans
