# The LSTM course: the front door.  Every target is a thin call into autograder/ or pytest.
# A fresh machine needs only Python 3.11 (any 3.11.x): the venv is created (and refreshed when
# the pins change) by the first target that needs it.

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

.PHONY: help venv stock-python test-heavy release validate test test-fast lab clean distclean leaks check autograde mutants alternatives busy timings bench imdb-study seq2seq-study assets determinism gradescope classroom feedback formgrader

help:
	@echo "make release     build notebooks/ (student versions), one bundle per assignment and the self-study bundle in dist/, then the leak checks"
	@echo "make test        the test suite (real nbgrader, real kernels): what CI runs"
	@echo "make test-fast   the unit tests of every step, on in-memory notebooks (under 2 minutes)"
	@echo "make test-heavy  the heavy proofs: Validate in a browser from an unzipped bundle, formgrader in a browser, the pins for 3.12 and 3.13, every master validated, the quick mutants and alternatives banks (about 27 minutes)"
	@echo "make stock-python the pins on Debian's /usr/bin/python3.11: a venv in build/, one notebook graded, make test-fast"
	@echo "make validate    solutions must score 100 %, blank student versions 0 (ASSIGNMENTS=... to pick)"
	@echo "make lab         JupyterLab on notebooks/, as students get it (Validate button; config in lab-config/)"
	@echo "make autograde   SUBMISSIONS=<dir|zip> OUT=<dir> [JOBS=n] [COURSE_ROOT=.] [ASSIGNMENT=<id>] [ROSTER=roster.csv] [SYNTHETIC_DATA=1]"
	@echo "                 (COURSE_ROOT: merge into that nbgrader course's gradebook; ASSIGNMENT and ROSTER: a folder per"
	@echo "                 student or an LMS bulk download; SYNTHETIC_DATA: grade lab 06 on the flagged stand-in)"
	@echo "make formgrader  [COURSE_ROOT=.]: JupyterLab with formgrader on that nbgrader course (instructors; config in lab-config-instructor/)"
	@echo "make feedback    [COURSE_ROOT=.] [ASSIGNMENT=<id>]: rebuild the course's feedback from its gradebook (hand grades), then nbgrader release_feedback"
	@echo "make mutants     grade the mutation bank: every wrong answer must lose points"
	@echo "make alternatives grade the alternatives bank: every correct answer written differently keeps full marks"
	@echo "make bench       timings and the IMDB benchmark, written to bench/results.json"
	@echo "make imdb-study  only the IMDB study (lab 06's tables in rnnkit/imdb_study.json, about 40 min)"
	@echo "make seq2seq-study lab 08's study over 5 seeds: the length curves and the dates translator (rnnkit/seq2seq_study.json, about 6 min)"
	@echo "make gradescope  ASSIGNMENT=<id>: dist/gradescope/<id>.zip, the assignment's Gradescope autograder (settings in its README)"
	@echo "make classroom   dist/classroom/<id>/: GitHub Classroom template repositories (visible tests on every push)"
	@echo "make assets      redraw the figures in assets/"
	@echo "make determinism grade every master 3 times: the grades must be identical"
	@echo "make busy        every solution at 100 % with both cores hogged and with one TF thread, through"
	@echo "                 make autograde's path and plain nbgrader (about 30 minutes); merged into bench/busy.json,"
	@echo "                 which tests/test_course.py checks course.toml's limits against"
	@echo "make timings     the slowest cell of every master on this machine, against its limit"
	@echo "make clean       remove build products (keeps the venv; 'make distclean' removes it too)"

venv: $(STAMP)

$(STAMP): requirements.txt requirements-instructor.txt pyproject.toml
	@echo "== building $(VENV) from the pins with $(PYTHON_SYSTEM) (the first time: a few minutes, TensorFlow is large)"
	@test -x $(PY) || $(PYTHON_SYSTEM) -m venv $(VENV)
	$(PY) -m pip install --disable-pip-version-check --progress-bar on -r requirements-instructor.txt
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	@touch $@
	@echo "== $(VENV) is ready"

release: $(STAMP)
	$(PY) -m autograder release

check: $(STAMP)
	$(PY) -m autograder lint

leaks: $(STAMP)
	$(PY) -m autograder leaks

validate: $(STAMP)
	$(PY) -m autograder validate --jobs $(JOBS) $(ASSIGNMENTS)

test: $(STAMP)
	$(PY) -m pytest -ra -m "not heavy" $(PYTEST_ARGS)

# The heavy proofs, run and reported apart from make test (each would add minutes to it): formgrader in
# a browser, the pins resolved for Python 3.12 and 3.13, and the slowest notebook validated in a
# real browser from its unzipped bundle (set up as its README says), correct and with a sleeping cell,
# every master validated in one batch (make validate), and the quick modes of the mutants and
# alternatives banks (make mutants and make alternatives grade the whole banks).
test-heavy: $(STAMP)
	$(PY) -m pytest -ra -m heavy $(PYTEST_ARGS)

# The pins on a stock Python: a venv from Debian's /usr/bin/python3.11 (3.11.2), one notebook
# (course.toml's "load" assignment) graded there (its solution 100 %, its blank 0) and make test-fast.
STOCK_PYTHON ?= /usr/bin/python3.11
STOCK_VENV   ?= build/venv-stock
stock-python:
	@$(STOCK_PYTHON) -c "import ensurepip" 2>/dev/null || { apt-get install -y python3.11-venv || { echo "$(STOCK_PYTHON) has no venv: apt-get install python3.11-venv"; exit 2; }; }
	$(MAKE) venv VENV=$(STOCK_VENV) PYTHON_SYSTEM=$(STOCK_PYTHON)
	$(STOCK_VENV)/bin/python -c "import sys; print('stock Python', sys.version.split()[0])"
	$(STOCK_VENV)/bin/python -m autograder validate --role load
	$(MAKE) test-fast VENV=$(STOCK_VENV) PYTHON_SYSTEM=$(STOCK_PYTHON)

test-fast: $(STAMP)
	$(PY) -m pytest -ra -m "not slow and not heavy" $(PYTEST_ARGS)

lab: $(STAMP)
	JUPYTER_CONFIG_PATH="$(CURDIR)/lab-config$${JUPYTER_CONFIG_PATH:+:$$JUPYTER_CONFIG_PATH}" \
		$(VENV)/bin/jupyter lab --notebook-dir=notebooks $(LAB_ARGS)

autograde: $(STAMP)
	$(PY) -m autograder grade $(SUBMISSIONS) --out $(OUT) --jobs $(JOBS) $(if $(COURSE_ROOT),--course-root $(COURSE_ROOT)) \
		$(if $(ASSIGNMENT),--assignment $(ASSIGNMENT)) $(if $(ROSTER),--roster $(ROSTER)) $(if $(SYNTHETIC_DATA),--synthetic-data)

feedback: $(STAMP)
	$(PY) -m autograder feedback --course-root $(or $(COURSE_ROOT),.) $(if $(ASSIGNMENT),--assignment $(ASSIGNMENT))

# formgrader reads the course's nbgrader_config.py from the folder it starts in, and needs the
# course root inside its notebook root: both are the course root here.  The venv's bin/ on
# PATH: nbgrader runs `alembic` when it creates a gradebook.
formgrader: $(STAMP)
	cd "$(or $(COURSE_ROOT),.)" && PATH="$(abspath $(VENV))/bin:$$PATH" PYTHONPATH="$(CURDIR)$${PYTHONPATH:+:$$PYTHONPATH}" \
		JUPYTER_CONFIG_PATH="$(CURDIR)/lab-config-instructor$${JUPYTER_CONFIG_PATH:+:$$JUPYTER_CONFIG_PATH}" \
		"$(abspath $(VENV))/bin/jupyter" lab --notebook-dir=. $(LAB_ARGS)

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

seq2seq-study: $(STAMP)
	$(PY) -m autograder seq2seq-study

assets: $(STAMP)
	$(PY) -m autograder assets

clean:
	rm -rf build dist grades .pytest_cache
	find . -name __pycache__ -not -path "./$(VENV)/*" -prune -exec rm -rf {} +

distclean: clean
	rm -rf $(VENV)

determinism: $(STAMP)
	$(PY) -m autograder determinism --runs 3 $(ASSIGNMENTS)

busy: $(STAMP)
	$(PY) -m autograder busy --record bench/busy.json $(ASSIGNMENTS)

timings: $(STAMP)
	$(PY) -m autograder busy --mode idle --path autograde $(ASSIGNMENTS)
