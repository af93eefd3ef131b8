# The casebook's commands. Each target creates the environment it needs.
PYTHON_BOOT ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
CASES ?=
# Jupyter refuses to run as root without being told; containers often run as root.
ALLOW_ROOT := $(if $(filter 0,$(shell id -u)),--allow-root,)
# The system parts some tests need: bubblewrap (the grading sandbox), a PostgreSQL server
# (the gradebook test), Chromium (the browser test). Without them those tests skip.
SYSTEM_PACKAGES := bubblewrap postgresql chromium
SUDO := $(if $(filter 0,$(shell id -u)),,sudo)

.PHONY: help env system release hashes notes demo lint test bench bench-grading bench-cluster lab instructor clean

help:  ## list the commands
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-8s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	$(PYTHON_BOOT) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

env: $(STAMP)  ## create .venv with the casebook and its dependencies

system:  ## install bubblewrap, PostgreSQL and Chromium (apt-get) for the sandbox, gradebook and browser tests
	@command -v apt-get >/dev/null || { echo "make system: no apt-get here; install $(SYSTEM_PACKAGES) with your package manager" >&2; exit 1; }
	$(SUDO) apt-get update -qq
	$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(SYSTEM_PACKAGES)

release: env  ## rebuild release/ from source/ (CASES="case1_market_selection" for one case)
	$(PY) -m course build $(CASES)

hashes: env  ## re-record the answer hashes the visible checks use
	$(PY) -m course hashes $(CASES)

notes: env  ## write the instructor teaching notes, docs/teaching-notes/ (CASES=... for some cases)
	$(PY) -m course notes $(CASES)

demo: env  ## build the release and autograde a demo class, printing points per question
	$(PY) -m course build $(CASES)
	$(PY) -m course demo $(CASES)

lint: env  ## ruff and mypy
	$(PY) -m ruff check .
	$(PY) -m mypy

test: env lint  ## run lint, then the test suite
	$(PY) -m pytest

bench: env  ## time each answer key top to bottom (target: under 20 s a case)
	$(PY) -m course bench $(CASES)

bench-grading: env  ## grade a simulated class with nbgrader and with `python -m course grade` (STUDENTS=100)
	$(PY) -m course bench grading --students $(or $(STUDENTS),100) $(CASES)

bench-cluster: env  ## grade a simulated class over a local Dask cluster of 1 and 2 workers; the coordinator's cost
	$(PY) -m course bench cluster --students $(or $(STUDENTS),20) $(CASES)

lab: env  ## open your own copies of the student notebooks (work/) in JupyterLab, without instructor tools
	$(PY) -m course.instructor.student_lab $(ALLOW_ROOT)

# With the casebook's server extension: the formgrader's Autograde button grades in the sandbox.
instructor: env  ## open JupyterLab at the course root, with nbgrader's formgrader (Nbgrader > Formgrader)
	PATH="$(abspath $(VENV))/bin:$$PATH" $(PY) -m course.grading.formgrader $(ALLOW_ROOT) --notebook-dir=.

clean:  ## remove the environment and scratch folders
	rm -rf $(VENV) demo-class build test-artifacts
