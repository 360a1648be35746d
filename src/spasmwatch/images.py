"""The pictures an analysis leaves (contact sheet, motion plot, EEG trends), by name, and
their files per language: the one spelling of an image's file name, for the analysers that
draw them, the store's jobs that keep them and the pages and reports that show them.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from spasmwatch.errors import InvalidInput
from spasmwatch.i18n import DEFAULT_LOCALE, LOCALES, format_number

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["IMAGE_FILES", "IMAGE_LOCALES", "decimal_ticks", "image_file", "image_in"]

#: The images each kind of analysis leaves, by name: their English files, the names that
#: analyses stored before the images were drawn per language have too.
IMAGE_FILES: dict[str, dict[str, str]] = {
    "video": {"contact_sheet": "contact_sheet.png", "motion": "motion.png"},
    "eeg": {
        "amplitude": "amplitude.png",
        "spike_density": "spike_density.png",
        "spectrogram": "spectrogram.png",
    },
}
#: The languages each image is drawn in, English first: every language of the pages and
#: reports, so that a reader never sees an image in another language than the text around
#: it.
IMAGE_LOCALES: tuple[str, ...] = LOCALES


def image_file(file: str, locale: str) -> str:
    """The name of the image ``file`` (an English file of :data:`IMAGE_FILES`) drawn in
    ``locale``: the English file keeps its name (older analyses, and the JSON contract,
    name it); another language's has the language before the extension
    (``motion.es.png``).

    Raises
    ------
    InvalidInput
        For a language not in :data:`IMAGE_LOCALES` (a language named by a request never
        reaches a file name unchecked).
    """
    if locale not in IMAGE_LOCALES:
        raise InvalidInput(
            f"Invalid value for 'locale': allowed are {', '.join(IMAGE_LOCALES)}; got {locale!r}"
        )
    if locale == DEFAULT_LOCALE:
        return file
    stem, dot, extension = file.rpartition(".")
    return f"{stem}.{locale}.{extension}" if dot else f"{file}.{locale}"


def image_in(path: Path, locale: str) -> Path:
    """The image at ``path`` (its English file) as the reader of ``locale`` sees it: the
    file drawn in ``locale`` when there is one, else ``path`` (an analysis stored before the
    images were drawn per language, or a language the app does not speak)."""
    if locale not in IMAGE_LOCALES or locale == DEFAULT_LOCALE:
        return path
    drawn = path.with_name(image_file(path.name, locale))
    return drawn if drawn.is_file() else path


def decimal_ticks(axes: Iterable[Axes], locale: str) -> None:
    """The numbers of the linear axes of ``axes`` with ``locale``'s decimal sign
    (matplotlib writes ``0.5`` in every language); English keeps matplotlib's own, and a
    logarithmic axis its powers of ten."""
    if locale == DEFAULT_LOCALE:
        return
    from matplotlib.ticker import FuncFormatter  # only where a picture is drawn

    # a minus sign, as matplotlib writes it (rcParams["axes.unicode_minus"]), not a hyphen
    formatter = FuncFormatter(lambda x, _pos: format_number(x, locale).replace("-", "\u2212"))
    for ax in axes:
        for axis in (ax.xaxis, ax.yaxis):
            if axis.get_scale() == "linear":
                axis.set_major_formatter(formatter)
