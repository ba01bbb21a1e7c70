"""Tabs of Google Sheets: one request to read a tab, one to write it, plain values (RAW) so nothing is run as a formula.

    sheets = GoogleSheets(api, {"koordinaatorid": "1AbC..."}, known=Known(workspace / "google-known.json"))
    rows = sheets.read_tab("koordinaatorid", "Paarid")
    sheets.write_tab("koordinaatorid", "Paarid", rows)

A tab written without being read is written by its id, and a chart is compared with what was drawn last: both
kept in `Known` between runs, so the board's daily summary costs no request to look them up. When Google
answers that an id kept there is wrong (the tab or the chart was removed by hand), they are read afresh and
the write is made once more.
"""

from __future__ import annotations

import logging
import re
from typing import Callable, Mapping, Sequence

from automation.backends.google.api import GoogleApi, GoogleError
from automation.backends.google.known import Known
from automation.domain.cells import neutralise, restore
from automation.backends.scrub import scrub_rows
from automation.errors import BackendError, ConfigError
from automation.ports import Erased

logger = logging.getLogger(__name__)
WHOLE_NUMBER = re.compile(r"^(0|-?[1-9][0-9]{0,14})$")


def a1(tab: str) -> str:
    return "'" + tab.replace("'", "''") + "'"


class GoogleSheets:
    def __init__(self, api: GoogleApi, spreadsheets: Mapping[str, str], known: Known | None = None) -> None:
        self.api, self.spreadsheets, self.known = api, dict(spreadsheets), known or Known()
        self._tabs: dict[str, dict[str, dict]] = {}  # spreadsheet -> tab title -> its properties, charts: as Google said this run
        self._extent: dict[tuple[str, str], tuple[int, int]] = {}  # what a tab held when last read or written
        # What this run read or wrote: jobs read the same tab many times, the sheet answers once per run.
        self._rows: dict[tuple[str, str], list[list[str]]] = {}

    def new_run(self) -> None:
        self._tabs.clear()
        self._extent.clear()
        self._rows.clear()

    @property
    def _api(self):
        return self.api.resource("sheets", "v4", "spreadsheets")

    def id_of(self, sheet: str) -> str:
        if not self.spreadsheets.get(sheet):
            raise ConfigError(f"google.spreadsheets has no id for the sheet '{sheet}'",
                              hint=f"run `mentorlus setup`, or add {sheet} = \"<the id from the sheet's link>\" under [google.spreadsheets]",
                              message_et=f"jaotises google.spreadsheets pole tabeli '{sheet}' id-d",
                              hint_et=f"käivita `mentorlus setup` või lisa jaotisesse [google.spreadsheets] rida {sheet} = \"<id tabeli lingist>\"")
        return self.spreadsheets[sheet]

    def tabs(self, sheet: str) -> dict[str, dict]:
        """The sheet's tabs as Google has them now (asked once per run)."""
        if sheet not in self._tabs:
            found = self.api.idempotent(
                self._api.get(spreadsheetId=self.id_of(sheet), fields="sheets(properties(sheetId,title),charts(chartId,spec(title,basicChart(chartType,domains,series))))"),
                what=f"the sheet '{sheet}'",
            )
            self._tabs[sheet] = {s["properties"]["title"]: s for s in found.get("sheets", [])}
            self._keep(sheet)
        return self._tabs[sheet]

    def _keep(self, sheet: str) -> None:
        self.known.put("tabs", self.id_of(sheet), self._tabs[sheet])

    def _tab(self, sheet: str, tab: str) -> dict | None:
        """The tab's id and charts: as Google said this run, else as kept from an earlier run, else asked."""
        if sheet not in self._tabs:
            kept = self.known.get("tabs", self.id_of(sheet))
            if kept and tab in kept:
                return kept[tab]
        return self.tabs(sheet).get(tab)

    def _by_kept_ids(self, sheet: str, write: Callable[[], None]) -> None:
        """The write, by ids that may be kept from an earlier run; if Google refuses them, once more with its own."""
        fresh = sheet in self._tabs
        try:
            write()
        except GoogleError as error:
            if fresh or error.status != 400:
                raise
            logger.info("the sheet '%s' has changed since its tabs were kept (%s); reading them afresh", sheet, error.message)
            self.tabs(sheet)
            write()

    def read_tab(self, sheet: str, tab: str) -> list[list[str]]:
        if (sheet, tab) in self._rows:
            return [list(row) for row in self._rows[(sheet, tab)]]
        if sheet in self._tabs and tab not in self._tabs[sheet]:
            return []
        try:
            found = self.api.idempotent(
                self.api.resource("sheets", "v4", "spreadsheets", "values").batchGet(
                    spreadsheetId=self.id_of(sheet), ranges=[a1(tab)], valueRenderOption="FORMATTED_VALUE"),
                what=f"the tab '{tab}' of the sheet '{sheet}'",
            )
        except GoogleError as error:
            # A tab that does not exist is a range Google cannot parse: asking the sheet's tabs first would cost a request each run.
            if error.status == 400 and "Unable to parse range" in error.message:
                return []
            raise
        rows = found.get("valueRanges", [{}])[0].get("values", [])
        return self._remember(sheet, tab, [[restore(cell) for cell in row] for row in _padded(rows)])

    def _remember(self, sheet: str, tab: str, rows: list[list[str]]) -> list[list[str]]:
        self._extent[(sheet, tab)] = (len(rows), max((len(row) for row in rows), default=0))
        self._rows[(sheet, tab)] = [list(row) for row in rows]
        return [list(row) for row in rows]

    def _ensure_tab(self, sheet: str, tab: str) -> None:
        if (sheet, tab) in self._rows or self._tab(sheet, tab) is not None:
            return
        reply = self.api.idempotent(
            self._api.batchUpdate(spreadsheetId=self.id_of(sheet), body={"requests": [{"addSheet": {"properties": {"title": tab}}}]}),
            what=f"adding the tab '{tab}' to the sheet '{sheet}'",
        )
        properties = reply["replies"][0]["addSheet"]["properties"]
        self._tabs[sheet][tab] = {"properties": properties, "charts": []}
        self._keep(sheet)
        self._extent[(sheet, tab)] = (0, 0)

    def write_tab(self, sheet: str, tab: str, rows: Sequence[Sequence[str]]) -> None:
        if self._rows.get((sheet, tab)) == _padded([list(row) for row in rows]):
            return  # the tab holds exactly this already
        spreadsheet = self.id_of(sheet)
        previous = self._extent.get((sheet, tab))
        if previous is None:
            # Not read this run, so what it holds is unknown: one request writes the rows over the whole tab
            # and clears every cell they do not cover (values only; the coordinators' formatting stays).
            cells = [{"values": [_cell_data(_value(cell)) for cell in row]} for row in rows]

            def write() -> None:
                self._ensure_tab(sheet, tab)
                sheet_id = self._tab(sheet, tab)["properties"]["sheetId"]  # type: ignore[index]
                self.api.idempotent(
                    self._api.batchUpdate(spreadsheetId=spreadsheet, body={"requests": [
                        {"updateCells": {"range": {"sheetId": sheet_id}, "rows": cells, "fields": "userEnteredValue"}}]}),
                    what=f"writing the tab '{tab}' of the sheet '{sheet}'",
                )

            self._by_kept_ids(sheet, write)
            self._remember(sheet, tab, _padded([list(row) for row in rows]))
            return
        self._ensure_tab(sheet, tab)
        # Blanks over what the tab held before: one request replaces the whole tab.
        width = max([previous[1], *(len(row) for row in rows)], default=0)
        height = max(previous[0], len(rows))
        grid = [[_value(cell) for cell in row] + [""] * (width - len(row)) for row in rows]
        grid += [[""] * width for _ in range(height - len(rows))]
        if grid and width:
            self.api.idempotent(
                self.api.resource("sheets", "v4", "spreadsheets", "values").batchUpdate(
                    spreadsheetId=spreadsheet,
                    body={"valueInputOption": "RAW", "data": [{"range": a1(tab), "majorDimension": "ROWS", "values": grid}]},
                ),
                what=f"writing the tab '{tab}' of the sheet '{sheet}'",
            )
        self._remember(sheet, tab, _padded([list(row) for row in rows]))

    def chart(self, sheet: str, tab: str, title: str, first_row: int, last_row: int) -> None:
        """A column chart of the tab's rows first_row..last_row (0-based, end excluded): labels in B, values in C."""
        self._by_kept_ids(sheet, lambda: self._draw(sheet, tab, title, first_row, last_row))

    def _draw(self, sheet: str, tab: str, title: str, first_row: int, last_row: int) -> None:
        tab_info = self._tab(sheet, tab)
        if tab_info is None:
            raise BackendError(f"the tab '{tab}' is not in the sheet '{sheet}', so its chart cannot be drawn",
                               hint="run the job again: it writes the tab before the chart",
                               message_et=f"tabelis '{sheet}' ei ole lehte '{tab}', nii et selle diagrammi ei saa joonistada",
                               hint_et="käivita töö uuesti: see kirjutab lehe enne diagrammi")
        sheet_id = tab_info["properties"]["sheetId"]

        def source(column: int) -> dict:
            return {"sourceRange": {"sources": [{"sheetId": sheet_id, "startRowIndex": first_row, "endRowIndex": last_row,
                                                 "startColumnIndex": column, "endColumnIndex": column + 1}]}}

        spec = {
            "title": title,
            "basicChart": {
                "chartType": "COLUMN",
                "legendPosition": "NO_LEGEND",
                "domains": [{"domain": source(1)}],
                "series": [{"series": source(2), "targetAxis": "LEFT_AXIS"}],
                "headerCount": 0,
            },
        }
        existing = next((c for c in tab_info.get("charts", []) if c.get("spec", {}).get("title") == title), None)
        if existing and _charted(existing["spec"]) == _charted(spec):
            return  # the same months as last run: nothing to change
        if existing:
            request = {"updateChartSpec": {"chartId": existing["chartId"], "spec": spec}}
        else:
            anchor = {"overlayPosition": {"anchorCell": {"sheetId": sheet_id, "rowIndex": 1, "columnIndex": 4}}}
            request = {"addChart": {"chart": {"spec": spec, "position": anchor}}}
        reply = self.api.idempotent(self._api.batchUpdate(spreadsheetId=self.id_of(sheet), body={"requests": [request]}),
                                    what=f"the chart on the tab '{tab}' of the sheet '{sheet}'")
        if existing:
            existing["spec"] = spec
        else:
            chart_id = reply["replies"][0]["addChart"]["chart"]["chartId"]
            tab_info.setdefault("charts", []).append({"chartId": chart_id, "spec": spec})
        tabs = self._tabs.get(sheet) or dict(self.known.get("tabs", self.id_of(sheet)) or {})
        tabs[tab] = tab_info
        self.known.put("tabs", self.id_of(sheet), tabs)

    def location(self, sheet: str, tab: str) -> str:
        return f"https://docs.google.com/spreadsheets/d/{self.id_of(sheet)}/edit (tab „{tab}“)"

    def forget(self, email: str, names: Sequence[str]) -> list[Erased]:
        erased = []
        for sheet in sorted(name for name, identifier in self.spreadsheets.items() if identifier):
            for tab in list(self.tabs(sheet)):
                rows, removed, changed = scrub_rows(self.read_tab(sheet, tab), email, names)
                if removed or changed:
                    self.write_tab(sheet, tab, rows)
                    erased.append(Erased(f"Google Sheets {sheet}/{tab}", "rows", removed, changed))
        return erased

    def delete_tabs(self, sheet: str, keep: Sequence[str] = ()) -> list[Erased]:
        if not self.spreadsheets.get(sheet):
            return []
        tabs = self.tabs(sheet)
        doomed = [title for title in tabs if title not in keep]
        if not doomed:
            return []
        emptied = []
        if len(doomed) == len(tabs):
            # A spreadsheet keeps at least one tab: the first is emptied instead of removed.
            emptied, doomed = doomed[:1], doomed[1:]
            self.api.idempotent(self.api.resource("sheets", "v4", "spreadsheets", "values").batchClear(spreadsheetId=self.id_of(sheet), body={"ranges": [a1(emptied[0])]}),
                                what=f"clearing the tab '{emptied[0]}' of the sheet '{sheet}'")
            self._remember(sheet, emptied[0], [])
        if doomed:
            requests = [{"deleteSheet": {"sheetId": tabs[title]["properties"]["sheetId"]}} for title in doomed]
            self.api.idempotent(self._api.batchUpdate(spreadsheetId=self.id_of(sheet), body={"requests": requests}),
                                what=f"removing tabs from the sheet '{sheet}'")
            for title in doomed:
                tabs.pop(title, None)
                self._extent.pop((sheet, title), None)
                self._rows.pop((sheet, title), None)
            self._keep(sheet)
        return [Erased(f"Google Sheets {sheet}", "tabs", len(doomed), detail=emptied[0] if emptied else "")]


def _padded(rows: list[list]) -> list[list[str]]:
    """The API leaves out trailing empty cells; the jobs expect every row as wide as the widest."""
    width = max((len(row) for row in rows), default=0)
    return [[str(cell) for cell in row] + [""] * (width - len(row)) for row in rows]


def _charted(spec: dict) -> tuple:
    """What of a chart's spec this tool sets (Google answers with its defaults filled in besides)."""
    chart = spec.get("basicChart", {})
    ranges = lambda parts, key: [part.get(key, {}).get("sourceRange") for part in parts]  # noqa: E731
    return spec.get("title"), chart.get("chartType"), ranges(chart.get("domains", []), "domain"), ranges(chart.get("series", []), "series")


def _cell_data(value: str | int) -> dict:
    """A cell for updateCells: an empty one carries no value, which clears it."""
    if value == "":
        return {}
    return {"userEnteredValue": {"numberValue": value} if isinstance(value, int) else {"stringValue": value}}


def _value(cell: str) -> str | int:
    """Whole numbers go in as numbers (the board's chart needs them); everything else as text, a formula's start neutralised
    (RAW values never run, but a coordinator may download the tab and open it elsewhere)."""
    return int(cell) if isinstance(cell, str) and WHOLE_NUMBER.match(cell) else neutralise(str(cell))
