# Front door: `make run` (set up if needed, launch the app) and `make test` (set up if needed, run the suite).
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.augplay-setup
HOST   ?= 127.0.0.1
PORT   ?= 7860

.PHONY: setup run test bench clean

setup: $(STAMP)

# Re-runs only when the dependency list or the setup script changed.
$(STAMP): pyproject.toml scripts/setup.sh
	bash scripts/setup.sh
	@touch $(STAMP)

run: setup
	$(VENV)/bin/augplay launch --host $(HOST) --port $(PORT)

test: setup
	$(PY) -m pytest $(PYTEST_ARGS)

bench: setup
	$(PY) bench/image_ops.py

clean:
	rm -rf $(VENV) .pytest_cache
