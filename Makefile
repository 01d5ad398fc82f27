# protokoll: the README names these targets.
VENV ?= .venv
PY := $(VENV)/bin/python

.PHONY: install demo serve test test-fast lint bench wer screenshots

install:            ## dependencies + model weights
	scripts/install.sh

demo: install       ## install everything, then run the bundled sample to DOCX/JSON/RTTM/VTT
	$(VENV)/bin/protokoll run samples/sitzung.ogg --agenda samples/agenda.toml --out out/sample

serve:              ## the web service with a local worker (http://127.0.0.1:8080/)
	$(VENV)/bin/protokoll serve

screenshots:        ## PNGs of every page of the web interface, for review
	$(PY) scripts/screenshots.py --out out/screenshots

test:               ## the whole suite, real models included (what CI runs)
	$(PY) -m pytest

test-fast:          ## without the real-model tests
	$(PY) -m pytest -m "not slow"

lint:
	$(VENV)/bin/ruff check protokoll tests bench samples scripts
	$(VENV)/bin/ruff format --check protokoll tests bench samples scripts
	$(VENV)/bin/mypy

bench:              ## real-time factor, memory, speakers, DER, WER: sample + 30 min
	$(PY) bench/speed.py --minutes 30

wer:                ## WER on the sample and on FLEURS German
	$(PY) bench/wer.py
