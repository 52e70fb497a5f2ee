PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test e2e lint format migrations-check editor bench install clean node-deps

# The Nu Html Checker (vnu-jar, tests/test_html_validity.py) comes from npm. Without npm this
# does nothing and the test skips (CI sets REQUIRE_HTML_CHECKER=1 to fail instead).
NODE_STAMP := node_modules/.package-lock.json
HAVE_NPM := $(shell command -v npm 2>/dev/null)

$(NODE_STAMP): package.json package-lock.json
ifneq ($(HAVE_NPM),)
	npm install --no-audit --no-fund --ignore-scripts
	touch $(NODE_STAMP)
endif

node-deps: $(if $(HAVE_NPM),$(NODE_STAMP))

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	DEBUG=$${DEBUG:-1} $(BIN)/python manage.py migrate --noinput
	DEBUG=$${DEBUG:-1} $(BIN)/python manage.py load_demo
	DEBUG=$${DEBUG:-1} $(BIN)/python manage.py runserver 127.0.0.1:8000

# The worker tests (tests/jobs/test_worker.py: a real broker and worker) run when Redis answers
# on 127.0.0.1:6379, with database 15; CELERY_TEST_BROKER_URL= (empty) skips them.
LOCAL_REDIS = $(shell $(PYTHON) -c "import socket; socket.create_connection(('127.0.0.1', 6379), 0.5)" 2>/dev/null && echo redis://127.0.0.1:6379/15)

# pytest exits 5 when it collected nothing: for the whole suite that is a broken suite.
test: $(STAMP) node-deps
	@CELERY_TEST_BROKER_URL=$${CELERY_TEST_BROKER_URL-$(LOCAL_REDIS)} \
	$(BIN)/pytest $(PYTEST_ARGS); status=$$?; \
	if [ $$status -eq 5 ]; then echo "make test: pytest collected no tests" >&2; exit 1; fi; \
	exit $$status

e2e: $(STAMP)
	@$(BIN)/pytest -m e2e $(PYTEST_ARGS); status=$$?; \
	if [ $$status -eq 5 ]; then echo "make e2e: no browser tests collected" >&2; exit 1; fi; \
	exit $$status

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

migrations-check: $(STAMP)
	DEBUG=1 $(BIN)/python manage.py makemigrations --check --dry-run

editor: $(STAMP)
	DEBUG=$${DEBUG:-1} $(BIN)/python manage.py create_editor

# Seeds bench.sqlite3 (and database `bench` when PostgreSQL answers on 127.0.0.1:5432) once,
# then prints one table. Quick run: make bench BENCH_ARGS="--claims 2000 --studies 10000 --links 40000"
bench: $(STAMP)
	DEBUG=0 SECRET_KEY=bench ALLOWED_HOSTS=127.0.0.1,localhost,testserver SITE_URL=http://127.0.0.1 $(BIN)/python -m bench $(BENCH_ARGS)

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles
