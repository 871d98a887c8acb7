"""The authoring workbook: its sheets and columns as one table, read and written as xlsx or CSV.

A workbook is what ``collabkg template`` writes and ``collabkg import``
reads: one sheet per kind of thing (:data:`SHEETS`), row 1 the column
headers, row 2 a one-line help per column, the rows from row 3 on. The same
workbook may be a folder of CSV files, one per sheet (``evidence.csv``...),
laid out the same way.

Every problem found in a workbook is a :class:`Problem` addressed by file,
sheet and cell, written on one line as ``cases.xlsx:evidence!D7: message``,
and all of them are reported at once.

>>> [sheet.name for sheet in SHEETS][:3]
['sources', 'cases', 'collaborations']
>>> SHEET["evidence"].column("passage").required
True
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from collabkg import CollabkgError

HEADER_ROW = 1
HELP_ROW = 2
FIRST_ROW = 3
LISTS_SHEET = "lists"
"""The hidden sheet that holds the drop-down lists of an xlsx template."""
LIST_SEPARATOR = re.compile(r"\s*[;\n]\s*")
"""Several values in one cell: separated by ``;`` or new lines."""
ID_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*")


@dataclass(frozen=True)
class Column:
    """One column of a sheet: its header, its one-line help, and what its cells may hold."""

    name: str
    help: str
    required: bool = False
    vocab: str | None = None
    """The framework list its values come from (:data:`VOCABULARIES`), shown as a drop-down."""
    ref: str | None = None
    """The sheet whose ids its values name."""
    multi: bool = False
    """Several values, separated by ``;`` or new lines."""


@dataclass(frozen=True)
class Sheet:
    """One sheet: its name, what a row is, and its columns in order."""

    name: str
    help: str
    columns: tuple[Column, ...]

    def column(self, name: str) -> Column:
        for column in self.columns:
            if column.name == name:
                return column
        raise KeyError(name)

    @property
    def keyed(self) -> bool:
        """Whether each row has an id of its own (the first column, ``id``)."""
        return self.columns[0].name == "id"


_ID = Column("id", "A short name for this row, unique in the sheet: letters, digits, '-' (becomes part of its IRI).", True)
_STATUS = Column("status", "stated (the source says so), derived (worked out) or interpretive (your reading); "
                 "empty: no assertion record.", vocab="status")
_BASIS = Column("basis", "Why: the words of the source or the reasoning the status rests on.")
_FROM = Column("derived from", "Evidence ids (and fact:ID for figures) this rests on, separated by ';'.", multi=True)

SHEETS: tuple[Sheet, ...] = (
    Sheet("sources", "One row per source: a report or other document whose text the passages are quoted from.", (
        _ID,
        Column("title", "The source's title.", True),
        Column("commissioned by", "Id of the organisation (sheet organisations) that commissioned it.", ref="organisations"),
        Column("researched by", "Id of the organisation (sheet organisations) that wrote it.", ref="organisations"),
        Column("date", "When it was issued, e.g. 2021 or 2021-06."),
        Column("text", "Path of its text, plain text or Markdown, relative to this workbook.", True),
        Column("scope", "Prefix of the IRIs of its rows: empty for the source id (two sources never clash), "
               "'-' for none."),
    )),
    Sheet("cases", "One row per case study.", (
        _ID,
        Column("source", "Id of the source (sheet sources) that reports it.", True, ref="sources"),
        Column("label", "The case study's name.", True),
        Column("order", "Where the case comes in its source, 1 first (sorts the cases)."),
        Column("participants", "How many people were interviewed for it (a whole number)."),
        _STATUS, _BASIS, _FROM,
    )),
    Sheet("collaborations", "One row per collaboration: what a case study describes.", (
        _ID,
        Column("case", "Id of the case study (sheet cases) that describes it.", True, ref="cases"),
        Column("label", "The collaboration's name.", True),
        Column("purposes", "What it was for; several separated by new lines.", multi=True),
        _FROM,
    )),
    Sheet("organisations", "One row per organisation, unit of one, or group of organisations.", (
        _ID,
        Column("source", "Id of the source (sheet sources) that names it.", True, ref="sources"),
        Column("label", "Its name.", True),
        Column("kind", "organisation, unit (of another, see 'unit of'), group (of several) or informal.", True,
               vocab="kind"),
        Column("other names", "Other names it goes by; several separated by new lines.", multi=True),
        Column("abbreviation", "Its abbreviation, e.g. NLC."),
        Column("note", "A note on it."),
        Column("unit of", "For a unit: id of the organisation it is part of.", ref="organisations"),
        Column("sector", "Its sector.", vocab="sector"),
        _STATUS, _BASIS, _FROM,
    )),
    Sheet("memberships", "One row per organisation taking part in a collaboration.", (
        _ID,
        Column("collaboration", "Id of the collaboration (sheet collaborations).", True, ref="collaborations"),
        Column("organisation", "Id of the organisation (sheet organisations).", True, ref="organisations"),
        Column("role", "Its role: lead or partner.", True, vocab="role"),
        Column("label", "A label; empty for 'ORGANISATION in COLLABORATION (ROLE)'."),
        _STATUS, _BASIS, _FROM,
    )),
    Sheet("evidence", "One row per coded passage: the passage as copied, and what it shows.", (
        _ID,
        Column("case", "Id of the case study (sheet cases) the passage is about.", ref="cases"),
        Column("source", "Id of the source quoted; empty for the case's source.", ref="sources"),
        Column("label", "A short label for the passage."),
        Column("passage", "The passage, copied from the source (found there and anchored).", True),
        Column("section", "The section of the source it is in (its heading); also says which of two equal passages."),
        Column("occurrence", "If the passage occurs more than once in the section or source: which, 1 first."),
        Column("prefix", "The text just before the passage; empty to take it from the source."),
        Column("suffix", "The text just after the passage; empty to take it from the source."),
        Column("example", "Id of the illustrative example the passage belongs to; rows with the same id make "
               "one example. Empty: the row id, if it has a theme."),
        Column("example label", "The example's label (on one of its rows)."),
        Column("theme", "The theme the example is given under.", vocab="theme"),
        Column("polarity", "challenge or enabler.", vocab="polarity"),
        Column("factors", "The factor or factors the passage shows; several separated by ';'.", vocab="factor",
               multi=True),
        _STATUS, _BASIS,
        Column("derived from", "More evidence ids the example rests on (e.g. a heading), separated by ';'.",
               multi=True),
    )),
    Sheet("figures", "One row per quantitative fact.", (
        _ID,
        Column("case", "Id of the case study (sheet cases) it is about.", True, ref="cases"),
        Column("label", "A short label.", True),
        Column("measure", "What is measured.", True),
        Column("value", "The value, or a range LOW-HIGH, e.g. 6.0 or 18-24.", True),
        Column("unit", "The unit.", vocab="unit"),
        Column("compared with", "Ids of figures it is compared with.", ref="figures", multi=True),
        Column("status", "stated, derived or interpretive.", True, vocab="status"),
        _BASIS,
        Column("derived from", "Evidence ids (or fact:ID) the figure is taken from, separated by ';'.", True,
               multi=True),
    )),
    Sheet("poles", "One row per pole of a dimension of collaboration that a collaboration shows.", (
        Column("collaboration", "Id of the collaboration (sheet collaborations).", True, ref="collaborations"),
        Column("pole", "The pole it shows.", True, vocab="pole"),
        _STATUS, _BASIS, _FROM,
    )),
    Sheet("assertions", "Optional: assertion records in full (the other sheets' status and basis make them "
          "otherwise); a row here replaces the record made for the same statement.", (
        _ID,
        Column("label", "A label."),
        Column("subject", "What it is about: KIND:ID, e.g. example:alpha, agent:one, mem:alpha-one.", True),
        Column("property", "The property, e.g. ckg:exemplifies, org:role, ckg:ofCase.", True),
        Column("object", "The value: KIND:ID, a term such as ckg:leadRole, or a number.", True),
        Column("status", "stated, derived or interpretive.", True, vocab="status"),
        _BASIS, _FROM,
    )),
)
SHEET = {sheet.name: sheet for sheet in SHEETS}

VOCABULARIES = ("theme", "polarity", "factor", "sector", "role", "pole", "status", "unit", "kind")
"""The fixed lists, filled from the graph's framework (except ``kind``, from the ontology's classes)."""
VOCABULARY_NAMES = {
    "theme": "themes", "polarity": "polarities", "factor": "factors", "sector": "sectors", "role": "roles",
    "pole": "poles of the dimensions", "status": "statuses", "unit": "units", "kind": "kinds",
}


def column_letter(index: int) -> str:
    """The letter of the column ``index`` (0 is A).

    >>> column_letter(0), column_letter(25), column_letter(27)
    ('A', 'Z', 'AB')
    """
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


@dataclass(frozen=True, order=True)
class Problem:
    """One problem with a workbook, at a sheet and cell (or at the file)."""

    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


class WorkbookError(CollabkgError):
    """Problems that stop an import: each one a line."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


@dataclass
class Row:
    """One data row of a sheet: its values by column name (stripped; empty cells are ''), and where it is."""

    sheet: str
    number: int
    values: dict[str, str]
    letters: dict[str, str]
    file: str

    def __getitem__(self, name: str) -> str:
        return self.values.get(name, "").strip()

    def raw(self, name: str) -> str:
        """The cell's text as it is, spaces and all (a passage, a prefix)."""
        return self.values.get(name, "")

    def at(self, column: str | None = None) -> str:
        """The address of the row's cell in ``column`` (default: its first column)."""
        letter = self.letters.get(column, "A") if column else "A"
        return f"{self.file}:{self.sheet}!{letter}{self.number}"

    def list(self, name: str) -> list[str]:
        """The values of a column of several values."""
        return [part for part in LIST_SEPARATOR.split(self[name]) if part]


@dataclass
class Workbook:
    """The rows of each sheet, as read; ``problems`` found while reading (bad cells)."""

    path: Path
    rows: dict[str, list[Row]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "isoformat"):
        return str(value.isoformat()).removesuffix("T00:00:00")
    return str(value)


def read(path: Path) -> Workbook:
    """Read a workbook: an ``.xlsx`` file or a folder of CSV files.

    Raises :class:`WorkbookError` for a file that cannot be read at all
    (not a workbook); problems of sheets, columns and cells are collected in
    :attr:`Workbook.problems`.
    """
    if path.is_dir():
        return _read_csv(path)
    return _read_xlsx(path)


def _table(book: Workbook, name: str, cells: list[list[tuple[str, Any]]], where: str) -> None:
    """Check a sheet's headers and keep its rows; ``cells`` are (address, value) per row from row 1."""
    sheet = SHEET[name]
    header = cells[0] if cells else []
    positions: dict[str, int] = {}
    for index, (_, value) in enumerate(header):
        title = _text(value).strip().lower()
        if title and title not in positions:
            positions[title] = index
    missing = [c.name for c in sheet.columns if c.name not in positions]
    for absent in missing:
        book.problems.append(Problem(f"{where}:{name}!{HEADER_ROW}", f"missing column '{absent}'"))
    letters = {c.name: column_letter(positions[c.name]) for c in sheet.columns if c.name in positions}
    rows: list[Row] = []
    for number, line in enumerate(cells[FIRST_ROW - 1:], FIRST_ROW):
        values: dict[str, str] = {}
        for column in sheet.columns:
            if column.name not in positions:
                continue
            index = positions[column.name]
            if index < len(line):
                values[column.name] = _text(line[index][1])
        if any(v.strip() for v in values.values()):
            rows.append(Row(name, number, values, letters, where))
    book.rows[name] = rows


def _read_csv(folder: Path) -> Workbook:
    book = Workbook(folder)
    where = str(folder)
    for sheet in SHEETS:
        file = folder / f"{sheet.name}.csv"
        if not file.is_file():
            book.problems.append(Problem(f"{where}:{sheet.name}", f"missing sheet '{sheet.name}' ({file.name})"))
            continue
        try:
            with file.open(newline="", encoding="utf-8-sig") as stream:
                lines = list(csv.reader(stream))
        except (OSError, UnicodeDecodeError, csv.Error) as error:
            book.problems.append(Problem(f"{where}:{sheet.name}", f"cannot read {file.name}: {error}"))
            continue
        cells = [[("", value) for value in line] for line in lines]
        _table(book, sheet.name, cells, where)
    return book


def _read_xlsx(path: Path) -> Workbook:
    import zipfile

    import openpyxl  # type: ignore[import-untyped]
    from openpyxl.utils.exceptions import InvalidFileException  # type: ignore[import-untyped]

    where = str(path)
    try:
        workbook = openpyxl.load_workbook(path, data_only=False)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        reason = getattr(error, "strerror", None) or "not an Excel workbook (.xlsx)"
        raise WorkbookError([Problem(where, reason)]) from error
    book = Workbook(path)
    for sheet in SHEETS:
        if sheet.name not in workbook.sheetnames:
            book.problems.append(Problem(f"{where}:{sheet.name}", f"missing sheet '{sheet.name}'"))
            continue
        ws = workbook[sheet.name]
        spans = [str(span) for span in ws.merged_cells.ranges if span.max_row >= FIRST_ROW]
        cells: list[list[tuple[str, Any]]] = []
        for row in ws.iter_rows():
            line: list[tuple[str, Any]] = []
            for cell in row:
                value = cell.value
                address = cell.coordinate
                if cell.row >= FIRST_ROW and value is not None and cell.data_type == "f":
                    book.problems.append(
                        Problem(f"{where}:{sheet.name}!{address}", f"formula {value!s} where a value is expected; "
                                "paste the value instead")
                    )
                    value = None
                line.append((address, value))
            cells.append(line)
        for span in spans:
            book.problems.append(
                Problem(f"{where}:{sheet.name}!{span.split(':')[0]}", f"merged cells {span} where a value is "
                        "expected; unmerge them and give each row its value")
            )
        _table(book, sheet.name, cells, where)
    return book


def sorted_problems(problems: Sequence[Problem]) -> list[Problem]:
    """Problems in the order of the sheets, then rows, then columns."""
    order = {sheet.name: i for i, sheet in enumerate(SHEETS)}

    def key(problem: Problem) -> tuple[int, int, int, str, str]:
        match = re.search(r":([a-z]+)(?:!([A-Z]*)(\d+))?$", problem.where)
        if not match:
            return (-1, 0, 0, "", problem.message)
        sheet, letters, number = match.groups()
        width = sum((ord(ch) - 64) * 26**i for i, ch in enumerate(reversed(letters or "")))
        return (order.get(sheet, 99), int(number or 0), width, problem.where, problem.message)

    return sorted(dict.fromkeys(problems), key=key)


# Writing


Lists = dict[str, list[str]]


def write_xlsx(rows: dict[str, list[dict[str, str]]], lists: Lists) -> bytes:
    """An xlsx workbook of ``rows`` (by sheet, each a dict by column name), with drop-downs from ``lists``."""
    import openpyxl
    from openpyxl.styles import Font, PatternFill  # type: ignore[import-untyped]
    from openpyxl.worksheet.datavalidation import DataValidation  # type: ignore[import-untyped]

    book = openpyxl.Workbook()
    book.remove(book.active)
    holder = book.create_sheet(LISTS_SHEET)
    ranges: dict[str, str] = {}
    for index, name in enumerate(VOCABULARIES):
        letter = column_letter(index)
        holder.cell(row=1, column=index + 1, value=name)
        for number, value in enumerate(lists.get(name, []), 2):
            holder.cell(row=number, column=index + 1, value=value)
        last = max(2, len(lists.get(name, [])) + 1)
        ranges[name] = f"{LISTS_SHEET}!${letter}$2:${letter}${last}"
    holder.sheet_state = "hidden"
    bold, grey = Font(bold=True), Font(italic=True, color="666666")
    fill = PatternFill("solid", fgColor="DDEBF7")
    for sheet in SHEETS:
        ws = book.create_sheet(sheet.name)
        for index, column in enumerate(sheet.columns, 1):
            head = ws.cell(row=HEADER_ROW, column=index, value=column.name)
            head.font, head.fill = bold, fill
            ws.cell(row=HELP_ROW, column=index, value=("(required) " if column.required else "") + column.help).font = grey
            letter = column_letter(index - 1)
            ws.column_dimensions[letter].width = 40 if column.name in ("passage", "basis", "label") else 18
            if column.vocab:
                check = DataValidation(type="list", formula1=f"={ranges[column.vocab]}", allow_blank=True)
                if column.multi:
                    check.errorStyle = "warning"  # several values, separated by ';'
                check.add(f"{letter}{FIRST_ROW}:{letter}1048576")
                ws.add_data_validation(check)
        ws.freeze_panes = f"A{FIRST_ROW}"
        for number, values in enumerate(rows.get(sheet.name, []), FIRST_ROW):
            for index, column in enumerate(sheet.columns, 1):
                value = values.get(column.name, "")
                if value:
                    cell = ws.cell(row=number, column=index, value=value)
                    cell.data_type = "s"  # kept as written: 6.0 stays 6.0
    book.move_sheet(LISTS_SHEET, offset=len(SHEETS))
    book.active = 0
    stream = io.BytesIO()
    book.save(stream)
    return stream.getvalue()


def csv_files(rows: dict[str, list[dict[str, str]]], lists: Lists) -> Iterator[tuple[str, bytes]]:
    """The CSV files of a workbook: (file name, bytes), one per sheet, and ``lists.csv`` of the drop-downs."""
    for sheet in SHEETS:
        stream = io.StringIO()
        writer = csv.writer(stream, lineterminator="\n")
        writer.writerow([c.name for c in sheet.columns])
        writer.writerow([("(required) " if c.required else "") + c.help for c in sheet.columns])
        for values in rows.get(sheet.name, []):
            writer.writerow([values.get(c.name, "") for c in sheet.columns])
        yield f"{sheet.name}.csv", stream.getvalue().encode("utf-8")
    stream = io.StringIO()
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(VOCABULARIES)
    longest = max((len(v) for v in lists.values()), default=0)
    for index in range(longest):
        writer.writerow([lists.get(name, [])[index] if index < len(lists.get(name, [])) else "" for name in VOCABULARIES])
    yield f"{LISTS_SHEET}.csv", stream.getvalue().encode("utf-8")


__all__ = [
    "FIRST_ROW",
    "SHEET",
    "SHEETS",
    "VOCABULARIES",
    "Column",
    "Problem",
    "Row",
    "Sheet",
    "Workbook",
    "WorkbookError",
    "column_letter",
    "csv_files",
    "read",
    "sorted_problems",
    "write_xlsx",
]
