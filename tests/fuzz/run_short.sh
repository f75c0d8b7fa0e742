#!/bin/sh
# The short fuzz run for CI: every target for 10 s (about 90 s in all), each in a child
# with memory and time limits. Exit 1 when any target crashed, timed out or ran out of memory.
set -eu
cd "$(dirname "$0")/../.."
PY="${PYTHON:-.venv/bin/python}"
OUT="${FUZZ_OUT:-$(mktemp -d /tmp/compliance-fuzz.XXXXXX)}"
exec "$PY" -m tests.fuzz.run --seconds "${FUZZ_SECONDS:-10}" --out "$OUT"
