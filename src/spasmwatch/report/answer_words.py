"""The diary's answers (the case format's vocabulary codes) in the words the report says.

The episode table names an episode's state, movements, side and after by short clinical
terms ("head nod") and its warning signs by the form's words; the child's conditions and
development are the form's words too. Kept apart from the report's data
(:mod:`spasmwatch.report.report_data`) because the clinician view and the catalogs
(:mod:`spasmwatch.i18n.catalog`) say the same terms.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from spasmwatch.case import VOCABULARIES
from spasmwatch.i18n import N_, english

__all__ = [
    "DEVELOPMENT_NOT_KNOWN",
    "SHORT_TERM_FIELDS",
    "development_words",
    "episode_terms",
    "form_words",
    "short_term",
    "short_terms",
]


def short_term(code: str) -> str:
    """A vocabulary code as a short clinical term ("head_nod" -> "head nod")."""
    return code.replace("_", " ")


def short_terms(values: list[str] | str) -> str:
    """Vocabulary words as short clinical terms ("head_nod" -> "head nod")."""
    if isinstance(values, str):
        return short_term(values)
    return ", ".join(short_term(v) for v in values)


#: The answers the episode table names by their short clinical term; the warning signs
#: keep the form's words.
SHORT_TERM_FIELDS = ("state", "movements", "side", "after")


def episode_terms(
    field_name: str, values: Sequence[str] | str, gettext: Callable[[str], str] = english
) -> str:
    """An episode's answers of ``field_name`` (codes) as the episode table names them:
    short clinical terms, or the warning signs' words; each translated by ``gettext``
    (English by default)."""
    codes = [values] if isinstance(values, str) else list(values)
    vocab = VOCABULARIES.get(field_name, {})
    if field_name in SHORT_TERM_FIELDS:
        return ", ".join(gettext(short_term(c)) for c in codes)
    return ", ".join(gettext(vocab.get(c, c)) for c in codes)


#: A development not known, as every page says it of the child (the form's answer "not
#: sure" is the parent's own; the child page, the clinician view and the report say the
#: child's development is not known).
DEVELOPMENT_NOT_KNOWN = N_("not known")


def development_words(code: str) -> str:
    """The child's development in words (English, the message id): the form's words, but
    :data:`DEVELOPMENT_NOT_KNOWN` for ``unknown``."""
    if code == "unknown":
        return DEVELOPMENT_NOT_KNOWN
    return form_words("development", code)


def form_words(field_name: str, values: list[str] | str | None) -> str:
    """The answers ``values`` (codes) of ``field_name`` in the form's words (English, the
    message ids), joined by commas; a code the vocabulary does not know as it is."""
    vocab = VOCABULARIES.get(field_name, {})
    if values is None:
        return ""
    if isinstance(values, str):
        return vocab.get(values, values)
    return ", ".join(vocab.get(v, v) for v in values)
