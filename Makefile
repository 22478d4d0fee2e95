# The LSTM course: the front door.  Every target is a thin call into autograder/ or pytest.
# A fresh machine needs only Python 3.11: the venv is created (and refreshed when the pins
# change) by the first target that needs it.

PYTHON_SYSTEM ?= python3.11
VENV          ?= .venv
PY            := $(VENV)/bin/python
STAMP         := $(VENV)/.installed
JOBS          ?= 2
SUBMISSIONS   ?= submissions
OUT           ?= grades
ASSIGNMENTS   ?=
# The full IMDB data, where this machine has it (never committed); see README.
IMDB_DATA_DIR ?= $(if $(wildcard ../shared/data/imdb/imdb.npz),$(abspath ../shared/data/imdb),)
export IMDB_DATA_DIR
export TF_CPP_MIN_LOG_LEVEL = 3
export TF_ENABLE_ONEDNN_OPTS = 0

.PHONY: help venv release validate test test-fast lab clean distclean leaks check autograde mutants alternatives busy timings bench imdb-study assets determinism gradescope classroom

help:
	@echo "make release     build notebooks/ (student versions), one bundle per assignment and the self-study bundle in dist/, then the leak checks"
	@echo "make test        the test suite (real nbgrader, real kernels): what CI runs"
	@echo "make test-fast   the unit tests of every step, on in-memory notebooks (under 2 minutes)"
	@echo "make validate    solutions must score 100 %, blank student versions 0 (ASSIGNMENTS=... to pick)"
	@echo "make lab         JupyterLab on notebooks/, as students get it (Validate button; config in lab-config/)"
	@echo "make autograde   SUBMISSIONS=<dir|zip> OUT=<dir> [JOBS=n] [COURSE_ROOT=.]  (COURSE_ROOT: merge into that nbgrader course's gradebook)"
	@echo "make mutants     grade the mutation bank: every wrong answer must lose points"
	@echo "make alternatives grade the alternatives bank: every correct answer written differently keeps full marks"
	@echo "make bench       timings and the IMDB benchmark, written to bench/results.json"
	@echo "make imdb-study  only the IMDB study (lab 06's tables in rnnkit/imdb_study.json, about 40 min)"
	@echo "make gradescope  ASSIGNMENT=<id>: dist/gradescope/<id>.zip, the assignment's Gradescope autograder (settings in its README)"
	@echo "make classroom   dist/classroom/<id>/: GitHub Classroom template repositories (visible tests on every push)"
	@echo "make assets      redraw the figures in assets/"
	@echo "make determinism grade every master 3 times: the grades must be identical"
	@echo "make busy        every solution at 100 % with both cores hogged and with one TF thread, through"
	@echo "                 make autograde's path and plain nbgrader (about 30 minutes); build/busy.json"
	@echo "make timings     the slowest cell of every master on this machine, against its limit"
	@echo "make clean       remove build products (keeps the venv; 'make distclean' removes it too)"

venv: $(STAMP)

$(STAMP): requirements.txt pyproject.toml
	@test -x $(PY) || $(PYTHON_SYSTEM) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	@touch $@

release: $(STAMP)
	$(PY) -m autograder release

check: $(STAMP)
	$(PY) -m autograder lint

leaks: $(STAMP)
	$(PY) -m autograder leaks

validate: $(STAMP)
	$(PY) -m autograder validate --jobs $(JOBS) $(ASSIGNMENTS)

test: $(STAMP)
	$(PY) -m pytest -ra $(PYTEST_ARGS)

test-fast: $(STAMP)
	$(PY) -m pytest -ra -m "not slow" $(PYTEST_ARGS)

lab: $(STAMP)
	JUPYTER_CONFIG_PATH="$(CURDIR)/lab-config$${JUPYTER_CONFIG_PATH:+:$$JUPYTER_CONFIG_PATH}" \
		$(VENV)/bin/jupyter lab --notebook-dir=notebooks $(LAB_ARGS)

autograde: $(STAMP)
	$(PY) -m autograder grade $(SUBMISSIONS) --out $(OUT) --jobs $(JOBS) $(if $(COURSE_ROOT),--course-root $(COURSE_ROOT))

mutants: $(STAMP)
	$(PY) -m autograder mutants --jobs $(JOBS) $(ASSIGNMENTS)

alternatives: $(STAMP)
	$(PY) -m autograder alternatives --jobs $(JOBS) $(ASSIGNMENTS)

gradescope: $(STAMP)
	@test -n "$(ASSIGNMENT)" || { echo "usage: make gradescope ASSIGNMENT=<id> [HIDDEN_VISIBILITY=after_due_date]"; exit 2; }
	$(PY) -m autograder gradescope build $(ASSIGNMENT) --hidden-visibility $(or $(HIDDEN_VISIBILITY),visible)

classroom: $(STAMP)
	$(PY) -m autograder classroom build $(ASSIGNMENTS)

bench: $(STAMP)
	$(PY) -m autograder bench

imdb-study: $(STAMP)
	$(PY) -m autograder imdb-study

assets: $(STAMP)
	$(PY) -m autograder.authoring.figures

clean:
	rm -rf build dist grades .pytest_cache
	find . -name __pycache__ -not -path "./$(VENV)/*" -prune -exec rm -rf {} +

distclean: clean
	rm -rf $(VENV)

determinism: $(STAMP)
	$(PY) -m autograder determinism --runs 3 $(ASSIGNMENTS)

busy: $(STAMP)
	$(PY) -m autograder busy --json build/busy.json $(ASSIGNMENTS)

timings: $(STAMP)
	$(PY) -m autograder busy --mode idle --path autograde $(ASSIGNMENTS)
