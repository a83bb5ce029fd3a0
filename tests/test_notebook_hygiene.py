"""Committed notebooks are clean and alike: what the pre-commit hooks enforce, checked in CI.

- No outputs and no execution counts (`nbstripout --keep-id` would change nothing), except in
  cells or notebooks marked ``"keep_output": true`` (a lecture whose figures are the point).
- Every notebook declares the same kernel, the one `make lab` and nbgrader run.
- The pre-commit hooks pin the same tool versions as the ``dev`` extra, so a commit that
  passes the hooks passes `make lint` too.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# Everything students, instructors or the autograder open; generated folders are not committed.
NOTEBOOK_FOLDERS = ("lectures", "solutions", "exercises", "autograder/submitted")
KERNELSPEC = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}


def committed_notebooks() -> list[Path]:
    found = []
    for folder in NOTEBOOK_FOLDERS:
        found += [
            p for p in (ROOT / folder).rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts
        ]
    return sorted(found)


NOTEBOOKS = committed_notebooks()


def _rel(path: Path) -> str:
    return str(path.relative_to(ROOT))


def leftovers(notebook: dict) -> list[str]:
    """What a stripped notebook must not hold: outputs and execution counts, cell by cell."""
    if notebook.get("metadata", {}).get("keep_output"):
        return []
    found = []
    for index, cell in enumerate(notebook.get("cells", [])):
        if cell.get("metadata", {}).get("keep_output"):
            continue
        if cell.get("outputs"):
            found.append(f"cell {index} has {len(cell['outputs'])} outputs")
        if cell.get("execution_count") is not None:
            found.append(f"cell {index} has execution count {cell['execution_count']}")
    return found


def test_every_folder_has_notebooks():
    for folder in NOTEBOOK_FOLDERS:
        assert any(p.is_relative_to(ROOT / folder) for p in NOTEBOOKS), f"no notebooks in {folder}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_rel)
def test_notebook_is_stripped(path):
    found = leftovers(json.loads(path.read_text()))
    assert not found, (
        f"{_rel(path)} was committed with outputs: {'; '.join(found[:5])}. Strip it with "
        f"`.venv/bin/nbstripout --keep-id {_rel(path)}` (or `pre-commit install` once)."
    )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_rel)
def test_notebook_declares_the_course_kernel(path):
    kernelspec = json.loads(path.read_text()).get("metadata", {}).get("kernelspec")
    assert kernelspec == KERNELSPEC, f"{_rel(path)} declares kernel {kernelspec}"


def test_nbstripout_would_change_nothing():
    """The pre-commit hook's own tool agrees (it also strips metadata such as widget state)."""
    result = subprocess.run(
        [sys.executable, "-m", "nbstripout", "--verify", "--keep-id", *map(str, NOTEBOOKS)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, f"nbstripout would strip:\n{result.stdout}{result.stderr}"


def test_leftovers_finds_outputs_and_counts_but_respects_keep_output():
    cell = {"cell_type": "code", "source": "1", "metadata": {}, "execution_count": 3}
    cell["outputs"] = [{"output_type": "execute_result", "data": {}, "metadata": {}}]
    assert leftovers({"cells": [cell]}) == ["cell 0 has 1 outputs", "cell 0 has execution count 3"]
    kept = {**cell, "metadata": {"keep_output": True}}
    assert leftovers({"cells": [kept]}) == []
    assert leftovers({"metadata": {"keep_output": True}, "cells": [cell]}) == []


def test_pre_commit_hooks_pin_the_dev_tools():
    hooks = (ROOT / ".pre-commit-config.yaml").read_text()
    pinned = dict(re.findall(r'"([a-z-]+)==([0-9.]+)"', hooks))
    dev = re.search(r"^dev = \[(.*?)\]", (ROOT / "pyproject.toml").read_text(), re.M | re.S)
    dev_pins = dict(re.findall(r'"([a-z-]+)==([0-9.]+)"', dev.group(1)))
    assert pinned, "the pre-commit hooks should pin their tools"
    for tool, version in pinned.items():
        assert dev_pins.get(tool) == version, f"{tool}: hooks pin {version}, dev extra {dev_pins}"
