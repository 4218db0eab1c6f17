# Xubao — every target creates .venv and installs what it needs, so a fresh clone works.
PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SYSSTAMP := var/.system-packages
# Debian packages the simulated network and the tests use (real speech, audio tools; Chromium
# and a CJK font for the browser tests, which never download a browser of their own).
SYSTEM_PACKAGES := espeak-ng sox asterisk-core-sounds-en-wav asterisk-core-sounds-en chromium fonts-wqy-zenhei

.PHONY: demo test lint bench system-deps clean

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $(STAMP)

# Installs the Debian packages only when one is missing (needs root, as on CI). Waits up to
# 10 minutes for dpkg's lock: another apt-get (unattended upgrades, a second checkout) may hold it.
$(SYSSTAMP):
	@mkdir -p var
	@missing=""; for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:$$missing"; \
	  apt-get -o DPkg::Lock::Timeout=600 update -q >/dev/null && \
	  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -q $$missing >/dev/null; \
	fi
	touch $(SYSSTAMP)

system-deps: $(SYSSTAMP)

demo: $(STAMP) $(SYSSTAMP)
	$(BIN)/python -m config.demo
	$(BIN)/python -m config.demo_console

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy renewals dialer ivr recordings agent_console reports config migrations

# Four workers on two cores: most tests wait on subprocesses, sockets and browsers, not CPU.
# Every test makes its own database, schema, port and folder, so workers never share state.
TEST_WORKERS ?= 4

test: $(STAMP) $(SYSSTAMP) lint
	$(BIN)/python -m pytest -q -n $(TEST_WORKERS)

bench: $(STAMP) $(SYSSTAMP)
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) var build *.egg-info
