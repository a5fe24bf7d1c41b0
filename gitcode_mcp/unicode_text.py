"""What counts as text a person can see: a value made only of spaces, controls and invisible characters is blank.

A title of zero-width spaces, a list item of U+3164 (Hangul filler) or a label of tag characters looks empty to a
person and is not empty to `str.strip()`; such a value must not pass for a name, nor stand for "nothing given".
"""

from __future__ import annotations

import unicodedata

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
