"""What the Google backend learnt of ids and keeps between runs, in one small JSON file in the workspace.

    known = Known(workspace / "google-known.json")
    known.put("tabs", spreadsheet_id, {"Kokkuvõte": {"sheetId": 7, "charts": [...]}})
    known.get("tabs", spreadsheet_id)            # None until put

Parts: "structures" (a form's questions by id), "surveys" (each survey's form id), "tabs" (a spreadsheet's tab
ids and charts). Whatever reads it checks it against Google's answer and asks again when Google disagrees.
"""

from __future__ import annotations

import copy
import json
import logging
from pathlib import Path
from typing import Any

from automation.backends.local.files import write_atomically

logger = logging.getLogger(__name__)
PARTS = ("structures", "surveys", "tabs")


class Known:
    """What the runs learnt of Google's ids and keep for the next: a cache, so losing it costs requests, nothing else."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path
        self._data: dict[str, dict[str, Any]] | None = None

    def _load(self) -> dict[str, dict[str, Any]]:
        if self._data is None:
            self._data = {part: {} for part in PARTS}
            if self.path is not None and self.path.exists():
                try:
                    loaded = json.loads(self.path.read_text(encoding="utf-8"))
                    self._data.update({part: dict(loaded.get(part, {})) for part in self._data})
                except (ValueError, AttributeError):
                    logger.warning("%s is not readable; what it kept is asked of Google afresh", self.path)
        return self._data

    def get(self, part: str, key: str) -> Any:
        """A copy: what the caller changes is kept only by `put`."""
        return copy.deepcopy(self._load()[part].get(key))

    def put(self, part: str, key: str, value: Any) -> None:
        data = self._load()
        if data[part].get(key) == value:
            return
        if value is None:
            data[part].pop(key, None)
        else:
            data[part][key] = copy.deepcopy(value)
        if self.path is not None:
            write_atomically(self.path, json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8"))
