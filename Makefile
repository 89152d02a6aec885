# archgen: the two commands of the README.
#   make demo   run archgen on the embedded regulated-vwan sample and build the MkDocs site
#   make test   lint, type-check and run the whole test suite (what CI runs)
# Both create .venv and install what they need, Debian packages included (run as root on a fresh machine).

VENV    ?= .venv
PY      := $(VENV)/bin/python
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.archgen-installed
APT_DEMO := graphviz fonts-dejavu-core libpango-1.0-0 libpangoft2-1.0-0
APT_TEST := $(APT_DEMO) chromium poppler-utils
# mkdocs-material 9.7+ prints a banner about MkDocs 2 on every build; it is not about this project.
export NO_MKDOCS_2_WARNING := 1

.PHONY: demo test lint bench system-demo system-test system-python clean

demo: system-demo $(STAMP)
	$(BIN)/archgen discover --sample regulated-vwan --out . --force
	$(BIN)/mkdocs build --strict --quiet
	@echo "Site built in ./site; browse it with: $(BIN)/mkdocs serve"

test: system-test $(STAMP) lint
	$(BIN)/pytest -n 2 -q

lint: $(STAMP)
	$(BIN)/ruff check archgen tests benchmarks
	$(BIN)/ruff format --check archgen tests benchmarks
	$(BIN)/mypy

bench: system-demo $(STAMP)
	$(PY) -m benchmarks.bench_core
	$(PY) -m benchmarks.bench_render
	$(PY) -m benchmarks.bench_site
	$(PY) -m benchmarks.bench_discovery

system-demo: system-python
	@sh .ci/apt-ensure $(APT_DEMO)

system-test: system-python
	@sh .ci/apt-ensure $(APT_TEST)

# Debian's python3 lacks venv and ensurepip until python3-venv is installed.
system-python:
	@command -v python3 >/dev/null || sh .ci/apt-ensure python3
	@python3 -c "import venv, ensurepip" 2>/dev/null || sh .ci/apt-ensure python3-venv

$(STAMP): pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	touch $(STAMP)

clean:
	rm -rf $(VENV) site build *.egg-info
