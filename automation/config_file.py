"""Writing values into the coordinators' config file, keeping their comments and layout (tomlkit).

    write_values(Path("config/program.toml"), {("google", "folder"): "1AbC", ("forms", "mentor", "id"): "1FAIp"})
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Mapping

import tomlkit


def write_values(path: Path, values: Mapping[tuple[str, ...], str]) -> list[str]:
    """Set each dotted key (tables made where missing); the keys whose value changed."""
    document = tomlkit.parse(path.read_text(encoding="utf-8"))
    changed = []
    for keys, value in values.items():
        table = document
        for key in keys[:-1]:
            if key not in table:
                table[key] = tomlkit.table()
            table = table[key]
        if table.get(keys[-1]) != value:
            table[keys[-1]] = value
            changed.append(".".join(keys))
    if changed:
        temporary = path.with_suffix(path.suffix + ".tmp")
        temporary.write_text(tomlkit.dumps(document), encoding="utf-8")
        os.replace(temporary, path)
    return changed
