# Center Desk — developer commands. `make run` and `make test` work on a fresh Linux machine.
PYTHON ?= python3
VENV   ?= .venv
PY      = $(VENV)/bin/python
PIP     = $(PY) -m pip
PYBABEL = $(VENV)/bin/pybabel
LANGS   = ja

.PHONY: run test test-pg bench venv venv-test translations extract update-catalogs screenshots bundle bundle-check clean node-deps

# A venv that exists is updated, never created again (a changed pyproject.toml only reinstalls).
$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed pyproject.toml
	$(PIP) install --quiet -e '.[test]'
	touch $@

$(VENV)/.installed-bundle: $(VENV)/.installed pyproject.toml
	$(PIP) install --quiet -e '.[bundle,postgres]'
	touch $@

venv: $(VENV)/.installed
venv-test: $(VENV)/.installed-test

## Compile the Babel catalogs (.po -> .mo).
translations: $(VENV)/.installed
	$(PYBABEL) compile --domain center_app --directory translations --statistics 2>&1 | grep -v '^$$' || true

## Extract message ids from the code into translations/center_app.pot.
extract: $(VENV)/.installed
	$(PYBABEL) extract --mapping translations/babel.cfg --keywords "_ N_ translate:1 ngettext:1,2" \
		--no-location --sort-output --width 100 --project "Center Desk" --copyright-holder "Center Desk" \
		--output translations/center_app.pot center_app

## Merge new ids into every language's catalog (keeps existing translations).
update-catalogs: extract
	for lang in $(LANGS); do \
		if [ -f translations/$$lang/LC_MESSAGES/center_app.po ]; then \
			$(PYBABEL) update --domain center_app --input-file translations/center_app.pot \
				--output-dir translations --locale $$lang --no-fuzzy-matching --ignore-obsolete --width 100; \
		else \
			$(PYBABEL) init --domain center_app --input-file translations/center_app.pot \
				--output-dir translations --locale $$lang; \
		fi; \
	done

## axe-core (package.json, package-lock.json) for the public site's browser tests, into node_modules.
node-deps:
	npm ci --ignore-scripts --no-audit --no-fund

## Set up and start the app on its default (embedded SQLite) database.
run: $(VENV)/.installed translations
	$(VENV)/bin/center-app

## Set up and run the whole suite headless.
test: $(VENV)/.installed-test translations
	@test -f node_modules/axe-core/axe.min.js || ! command -v npm >/dev/null || $(MAKE) --no-print-directory node-deps
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q -p no:cacheprovider

## The storage, booking, consultation and statistics tests on a throwaway PostgreSQL cluster.
test-pg: $(VENV)/.installed-test translations
	@dir=$$(mktemp -d /tmp/center-desk-pg.XXXXXX); \
	url=$$(scripts/pg-test-cluster.sh start $$dir/cluster) || exit 1; \
	CENTER_APP_TEST_PG_URL=$$url QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q -p no:cacheprovider -m postgres; status=$$?; \
	scripts/pg-test-cluster.sh stop $$dir/cluster; rm -rf $$dir; exit $$status

## Benchmarks on the small and the large data set (not part of `make test`). A venv that has the
## test tools (VENV=… of another clone too) is used as it is: a fresh clone, whose pyproject.toml is
## newer than any venv, does not reinstall it; the code measured is this clone's (PYTHONPATH).
bench:
	@$(PY) -c "import pytest, pytestqt, center_app" 2>/dev/null || $(MAKE) --no-print-directory venv-test
	$(PYBABEL) compile --domain center_app --directory translations 2>&1 | grep -v '^$$' || true
	QT_QPA_PLATFORM=offscreen PYTHONPATH=$(CURDIR) $(PY) -m pytest -q -s -p no:cacheprovider tests/bench

## Regenerate the README screenshots (docs/screenshots/*.png).
screenshots: $(VENV)/.installed translations
	for view in home bookings groups consultations printing equipment statistics settings; do \
		QT_QPA_PLATFORM=offscreen $(VENV)/bin/center-app --screenshot docs/screenshots/$$view.png --view $$view || exit 1; \
	done
	QT_QPA_PLATFORM=offscreen $(VENV)/bin/center-app --screenshot docs/screenshots/login.png --view login

## One-folder build with PyInstaller into dist/center-desk/ (installer/README.md; Windows: the same on Windows).
bundle: $(VENV)/.installed-bundle translations
	$(VENV)/bin/pyinstaller --noconfirm --clean --log-level WARN --distpath dist --workpath build/pyinstaller installer/center-desk.spec

## Build, then run the frozen program: --version, --screenshot offscreen, damaged-file messages.
bundle-check: bundle
	installer/smoke_check.sh dist/center-desk

clean:
	rm -rf $(VENV) build dist *.egg-info
