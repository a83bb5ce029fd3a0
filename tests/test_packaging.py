"""The two ways to install the course name the same dependencies."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~ ;\[]", requirement.strip(), maxsplit=1)[0].lower().replace("_", "-")


def _conda_dependencies() -> dict[str, str]:
    deps = {}
    text = (ROOT / "environment.yml").read_text()
    for line in text.split("\ndependencies:\n", 1)[1].splitlines():
        match = re.fullmatch(r"  - ([A-Za-z0-9_.-]+)(.*)", line)
        if match and match.group(1) not in {"python", "pip"}:
            deps[match.group(1).lower()] = match.group(2).strip()
    return deps


def test_environment_yml_and_pyproject_name_the_same_dependencies():
    # tomllib is Python 3.11+; the course supports 3.10, so read the one list by hand.
    block = re.search(
        r"^dependencies = \[(.*?)^\]",
        (ROOT / "pyproject.toml").read_text(),
        re.MULTILINE | re.DOTALL,
    ).group(1)
    requirements = re.findall(r'"([^"]+)"', block)
    pip_deps = {_name(r): r[len(_name(r)) :].strip() for r in requirements}
    conda_deps = _conda_dependencies()
    assert pip_deps, "pyproject.toml lists no dependencies"
    assert conda_deps == pip_deps


def test_environment_yml_installs_the_course_itself():
    assert "- -e ." in (ROOT / "environment.yml").read_text()


def test_ci_runs_the_readme_test_command():
    readme = (ROOT / "README.md").read_text()
    ci = (ROOT / ".ci" / "run").read_text()
    assert "make test" in readme.split("\n## ", 1)[0], "the README must open with `make test`"
    assert ci.strip().splitlines()[-1] == "make test"


def test_environment_yml_installs_the_browser_test_tools_of_the_dev_extra():
    # Playwright (tests/test_browser.py) comes with pip in both installs, the same requirement.
    dev = re.search(r"^dev = \[(.*?)\]", (ROOT / "pyproject.toml").read_text(), re.MULTILINE)
    playwright = [r for r in re.findall(r'"([^"]+)"', dev.group(1)) if _name(r) == "playwright"]
    pip_section = (ROOT / "environment.yml").read_text().split("  - pip:\n", 1)[1]
    pip_requirements = re.findall(r"^      - (\S+)$", pip_section, re.MULTILINE)
    assert playwright, "pyproject.toml's dev extra must name playwright"
    assert playwright[0] in pip_requirements
