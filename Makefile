# The course's two entry points (see README):
#   make lab    set up .venv and open the course in JupyterLab
#   make test   set up .venv and run every test (what CI runs); the first run also installs
#               torch (CPU build, the `torch-check` extra) to check week 4 against torch.optim
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
TORCH_STAMP := $(VENV)/.torch-installed

.PHONY: setup lab test lint release grade samples clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# torch is not a course dependency: only the tests need it (tests/test_week04_vs_torch.py).
$(TORCH_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[dev,torch-check]'
	touch $(TORCH_STAMP)

setup: $(STAMP)

lab: $(STAMP)
	$(BIN)/jupyter lab --notebook-dir=. lectures/01_linear_regression.ipynb

test: lint $(TORCH_STAMP)
	$(BIN)/pytest --nbval-lax tests lectures solutions

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check dlcourse autograder tests bench

release: $(STAMP)
	$(BIN)/python -m autograder release

grade: $(STAMP)
	@test -n "$(ASSIGNMENT)" || (echo "usage: make grade ASSIGNMENT=week01_linear_regression" && exit 2)
	$(BIN)/python -m autograder grade $(ASSIGNMENT)

clean:
	rm -rf $(VENV) autograder/autograded autograder/feedback autograder/gradebook.db \
	       autograder/grades*.csv
