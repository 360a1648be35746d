"""What ``spasmwatch import csv`` says, in the command line's language: a file's problems,
one a line ("row 3, count: ..."), or what was imported ("Imported 2 episodes from 2
rows.").

Each count is its own catalog plural (``ngettext``). A problem is said as
:func:`spasmwatch.case.say_problem` says it, the field's name, the codes and the values as
written: the case format's own problems in a row, the diary's start in the future
(:data:`spasmwatch.diary.episodes.START_IN_FUTURE`), and the import's own (a number cell, a
day-first date, an unknown column, a ZIP or JSON file, a file that is no UTF-8:
:data:`spasmwatch.report.import_problems.IMPORT_PROBLEMS`, a refused cell's reason of
:data:`~spasmwatch.report.import_problems.CELL_REASONS`); any other problem as the catalog
has it, in English where it has no words for it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from spasmwatch.i18n import N_

if TYPE_CHECKING:
    from spasmwatch.report.tabular import ImportResult, RowProblem

__all__ = ["said_done", "said_problem", "said_problems_head"]

Gettext = Callable[[str], str]
NGettext = Callable[[str, str, int], str]

#: Where a problem is: a row of the file (1 is the header), or the whole file; ``field``
#: is the column's name as written, ``-`` for none.
ROW_PROBLEM = N_("row %(row)s, %(field)s: %(problem)s")
FILE_PROBLEM = N_("file, %(field)s: %(problem)s")
#: What an import of a single row says when that row is in the diary already.
THE_ROW_IS_THERE = N_("It equals an episode the diary has already and is skipped.")


def said_problems_head(file: str, n: int, ngettext: NGettext) -> str:
    """The line before a file's ``n`` problems: that nothing was imported."""
    return ngettext(
        "%(file)s has %(count)s problem; nothing was imported.",
        "%(file)s has %(count)s problems; nothing was imported.",
        n,
    ) % {"file": file, "count": n}


def said_problem(problem: RowProblem, gettext: Gettext, locale: str) -> str:
    """One problem of a file, where it is and what it is, in ``gettext``'s language."""
    from spasmwatch.case import say_problem
    from spasmwatch.diary.episodes import START_IN_FUTURE
    from spasmwatch.report.import_problems import IMPORT_PROBLEMS

    also = (*IMPORT_PROBLEMS, START_IN_FUTURE)
    values = {
        "row": problem.row,
        "field": problem.field or "-",
        "problem": say_problem(problem.message, gettext, locale, also=also),
    }
    return gettext(ROW_PROBLEM if problem.row else FILE_PROBLEM) % values


def said_done(result: ImportResult, gettext: Gettext, ngettext: NGettext) -> str:
    """What an import did (or, for a dry run, would do), with the rows it skipped as the
    diary has them already."""
    rows, same = result.rows, result.already_in_diary
    if result.dry_run:
        said = ngettext(
            "Dry run: the %(count)s row is valid; nothing was imported.",
            "Dry run: all %(count)s rows are valid; nothing was imported.",
            rows,
        ) % {"count": rows}
    else:
        # The sentence is the episodes' plural (a language's verb may agree with them), the
        # rows a counted word of their own.
        counted = ngettext("%(count)s row", "%(count)s rows", rows) % {"count": rows}
        said = ngettext(
            "Imported %(episodes)s episode from %(rows)s.",
            "Imported %(episodes)s episodes from %(rows)s.",
            result.imported,
        ) % {"episodes": result.imported, "rows": counted}
    if not same:
        return said
    if rows == 1:
        return f"{said} {gettext(THE_ROW_IS_THERE)}"
    skipped = ngettext(
        "%(count)s of them equals an episode the diary has already and is skipped.",
        "%(count)s of them equal an episode the diary has already and are skipped.",
        same,
    )
    return f"{said} {skipped % {'count': same}}"
