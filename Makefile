# Cloud Outlet Workstation: make run | make test | make bench | make e2e
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
FLASK := $(BIN)/flask --app wsgi
WEASYPRINT_DEBS := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core fonts-noto-cjk

.PHONY: run test e2e bench lint syslibs setup db clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test,production]'
	touch $(STAMP)

setup: $(STAMP)

syslibs: $(STAMP)
	@$(BIN)/python -m workstation.syscheck || { echo; echo "Install the missing system libraries with:"; echo "  sudo apt-get install -y $(WEASYPRINT_DEBS)"; echo; exit 1; }

db: $(STAMP)
	$(FLASK) db upgrade
	$(FLASK) seed-demo --if-empty

run: syslibs db
	$(BIN)/python wsgi.py

test: $(STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

e2e: $(STAMP)
	$(BIN)/python -m pytest tests/e2e $(PYTEST_ARGS)

bench: $(STAMP)
	$(BIN)/python -m bench $(if $(NAME),--name $(NAME),)

lint: $(STAMP)
	$(BIN)/ruff check workstation appointments tests

clean:
	rm -rf $(VENV) .pytest_cache
