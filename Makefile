# Day-to-day tasks. The README's two commands (scripts/demo.sh, scripts/test.sh) need none of these.
PY ?= python3

.PHONY: setup test test-fast lint format typecheck golden schema snapshot-update bench demo clean

setup:            ## install system packages and the project (idempotent)
	bash scripts/setup.sh

test:             ## the whole suite, as CI runs it
	bash scripts/test.sh

test-fast:        ## skip the slow tests (LibreOffice rendering, large batches)
	$(PY) -m pytest -q -m "not slow"

lint:             ## ruff (checks and format) over code, tests and benches; the import contracts (pyproject.toml)
	$(PY) -m ruff check cxzy_docs tests bench tui fuzz scripts samples
	$(PY) -m ruff format --check cxzy_docs tests bench tui fuzz scripts samples
	lint-imports

format:           ## apply ruff's format
	$(PY) -m ruff format cxzy_docs tests bench tui fuzz scripts samples

typecheck:
	$(PY) -m mypy cxzy_docs tui   # strict (pyproject.toml)

golden:           ## regenerate every golden file (DOCX parts, page layouts, TUI snapshots); review the diff
	$(PY) tests/regen_golden.py
	CXZY_UPDATE_SNAPSHOTS=1 $(PY) -m pytest -q tests/test_tui.py -k snapshot

schema:           ## rewrite the record schema from forms.py (tests/test_recordshape.py checks it is current)
	$(PY) -m cxzy_docs.recordshape > cxzy_docs/schema/record.schema.json

snapshot-update:  ## rewrite the TUI's SVG snapshots after an intended change; review the diff
	CXZY_UPDATE_SNAPSHOTS=1 $(PY) -m pytest -q tests/test_tui.py -k snapshot

bench:            ## speed against the floors and the peers
	$(PY) bench/bench_generate.py
	$(PY) bench/bench_parse.py
	$(PY) bench/bench_import.py
	$(PY) bench/bench_validate.py
	$(PY) bench/bench_report.py
	$(PY) bench/bench_tui.py
	$(PY) bench/bench_ocr.py

demo:             ## the main job end to end on the samples
	bash scripts/demo.sh

clean:
	rm -rf demo-out .pytest_cache .ruff_cache .mypy_cache
