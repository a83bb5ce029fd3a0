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


def test_binder_badge_opens_the_first_lecture_of_this_repository():
    readme = (ROOT / "README.md").read_text()
    badge = re.search(
        r"\(https://mybinder\.org/v2/gh/([^/]+/[^/]+)/HEAD\?urlpath=lab/tree/(\S+)\)", readme
    )
    assert badge, "the README needs a Binder badge that opens JupyterLab"
    repository = re.search(
        r'^Repository = "https://github\.com/([^"]+)"', (ROOT / "pyproject.toml").read_text(), re.M
    )
    assert badge.group(1) == repository.group(1)
    assert (ROOT / badge.group(2)).is_file(), (
        f"the badge opens {badge.group(2)}, which does not exist"
    )
    # Binder (repo2docker) builds from the root environment.yml, whose `-e .` makes it copy the
    # repository first; a Dockerfile or a binder/ folder would take over from it.
    for other in ("Dockerfile", "binder", ".binder"):
        assert not (ROOT / other).exists(), f"{other} would change how Binder builds the course"
