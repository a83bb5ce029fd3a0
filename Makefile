# The course's two entry points (see README):
#   make lab    set up .venv and open the course in JupyterLab (the student's face of it)
#   make test   set up .venv and run every test (what CI runs); the first run also installs
#               torch (CPU build, the `torch-check` extra) to check week 4 against torch.optim
#               and, where it is missing, Debian's Chromium for the browser test
#               (tests/test_browser.py), when it can (root or passwordless sudo, with apt-get)
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# The tests also need the optional extras torch-check (week 4 vs torch.optim) and cluster
# (Dask); `make lab` stays lean.
TEST_STAMP := $(VENV)/.installed-test
# The browser test drives this Chromium with Playwright (Playwright's own browser download is
# not used).
CHROMIUM := /usr/bin/chromium
# Extra arguments for `jupyter lab` (the browser test passes the port, token, --no-browser).
LAB_ARGS ?=
# JupyterLab's two faces (jupyter_config/<face>/, put first on JUPYTER_CONFIG_PATH): `make lab`
# shows students only what they use (nbgrader's Validate button); `make instructor` adds
# nbgrader's instructor tools (Create Assignment, formgrader, course list) and the reports.
FACE = JUPYTER_CONFIG_PATH=$(CURDIR)/jupyter_config/$(1)$${JUPYTER_CONFIG_PATH:+:$$JUPYTER_CONFIG_PATH}
# Jupyter refuses to start as root without --allow-root; containers often run as root.
ALLOW_ROOT := $(if $(filter 0,$(shell id -u)),--allow-root)
REPORT := autograder/report.html

.PHONY: setup lab instructor test lint browser release grade report samples clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# One pip run installs everything the tests need (and so also what `make lab` needs).
# pip would byte-compile every installed module, one after another; a third of them are torch
# and what only torch needs (NO_COMPILE), which one test file imports once. So pip compiles
# nothing, and compileall compiles everything else on all cores, before any test or grading
# kernel imports it (like pip, it skips a file that does not compile, hence `|| true`).
NO_COMPILE := /site-packages/(torch|torchgen|functorch|sympy|mpmath|networkx)/
$(TEST_STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --no-compile -e '.[dev,torch-check,cluster,browser-check,parallel-tests]'
	$(BIN)/python -m compileall -q -j 0 -x '$(NO_COMPILE)' $(VENV)/lib >/dev/null || true
	touch $(STAMP) $(TEST_STAMP)

setup: $(STAMP)

lab: $(STAMP)
	$(call FACE,student) $(BIN)/jupyter lab --notebook-dir=. $(ALLOW_ROOT) $(LAB_ARGS) \
	    lectures/01_linear_regression.ipynb

# Opens the course report when there is one (`make grade` or `make report` writes it).
instructor: $(STAMP)
	@echo "class reports: $(REPORT) and autograder/report_<assignment>.html" \
	      "($(if $(wildcard $(REPORT)),opened below,none yet: make grade ASSIGNMENT=... writes them));" \
	      "formgrader: the Nbgrader menu"
	$(call FACE,instructor) $(BIN)/jupyter lab --notebook-dir=. $(ALLOW_ROOT) $(LAB_ARGS) \
	    $(wildcard $(REPORT))

# Install Debian's Chromium for the browser test if it is missing and we may (root, or
# passwordless sudo). Otherwise say so and go on: the test then skips (and fails under CI=true).
browser:
	@if [ -x $(CHROMIUM) ]; then exit 0; fi; \
	if ! command -v apt-get >/dev/null 2>&1; then \
	    echo "no $(CHROMIUM) and no apt-get: tests/test_browser.py cannot run here"; exit 0; fi; \
	if [ "$$(id -u)" = 0 ]; then SUDO=; \
	elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then SUDO="sudo -n"; \
	else echo "no $(CHROMIUM), and installing it needs root or passwordless sudo:" \
	          "tests/test_browser.py cannot run here"; exit 0; fi; \
	echo "installing Debian's chromium for tests/test_browser.py"; \
	$$SUDO apt-get update -qq && \
	DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends chromium \
	    || echo "could not install chromium: tests/test_browser.py cannot run here"

# Two pytest processes side by side (pytest-xdist): one core's work (a lecture's kernel in
# the browser, nbval, unit tests) overlaps the other's, and each class the proofs grade still
# uses every core. tests/conftest.py keeps what must run together in one process and hands
# out the longest groups first.
TEST_PROCESSES ?= 2
# One BLAS thread per process: the tests' matrices are small, and with two pytest processes,
# two grading workers and their kernels on two cores, BLAS threads waiting for each other
# burnt many times the CPU of the work itself (a week-6 training run: 4.8 CPU s, not 0.3).
test: export OMP_NUM_THREADS ?= 1
test: export OPENBLAS_NUM_THREADS ?= 1
test: export MKL_NUM_THREADS ?= 1
test: $(TEST_STAMP) lint browser
	$(BIN)/pytest -n $(TEST_PROCESSES) --dist loadscope --no-loadscope-reorder --nbval-lax tests lectures solutions

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

release: $(STAMP)
	$(BIN)/python -m autograder release

grade: $(STAMP)
	@test -n "$(ASSIGNMENT)" || (echo "usage: make grade ASSIGNMENT=week01_linear_regression" && exit 2)
	$(BIN)/python -m autograder grade $(ASSIGNMENT) $(GRADE_OPTIONS)

# The class reports of every graded assignment (`make grade` writes its own): see README.
report: $(STAMP)
	$(BIN)/python -m autograder report $(ASSIGNMENT)

# Rebuild every assignment's sample submissions (autograder/submitted/sample-*/); CI fails when
# the committed ones differ from a fresh build.
samples: $(STAMP)
	$(BIN)/python -m autograder samples

clean:
	rm -rf $(VENV) autograder/autograded autograder/feedback autograder/gradebook.db \
	       autograder/grades*.csv autograder/flags_*.json autograder/report*.html \
	       autograder/report*.json
