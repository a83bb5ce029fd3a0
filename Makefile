# The course's two entry points (see README):
#   make lab    set up .venv and open the course in JupyterLab
#   make test   set up .venv and run every test (what CI runs); the first run also installs
#               torch (CPU build, the `torch-check` extra) to check week 4 against torch.optim
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# The tests also need the optional extras torch-check (week 4 vs torch.optim) and cluster
# (Dask); `make lab` stays lean.
TEST_STAMP := $(VENV)/.installed-test

.PHONY: setup lab test lint release grade samples clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# One pip run installs everything the tests need (and so also what `make lab` needs).
$(TEST_STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,torch-check,cluster]'
	touch $(STAMP) $(TEST_STAMP)

setup: $(STAMP)

lab: $(STAMP)
	$(BIN)/jupyter lab --notebook-dir=. lectures/01_linear_regression.ipynb

test: $(TEST_STAMP) lint
	$(BIN)/pytest --nbval-lax tests lectures solutions

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check dlcourse autograder tests bench

release: $(STAMP)
	$(BIN)/python -m autograder release

grade: $(STAMP)
	@test -n "$(ASSIGNMENT)" || (echo "usage: make grade ASSIGNMENT=week01_linear_regression" && exit 2)
	$(BIN)/python -m autograder grade $(ASSIGNMENT) $(GRADE_OPTIONS)

clean:
	rm -rf $(VENV) autograder/autograded autograder/feedback autograder/gradebook.db \
	       autograder/grades*.csv autograder/flags_*.json
