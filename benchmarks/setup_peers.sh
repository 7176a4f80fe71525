#!/usr/bin/env bash
# Install the peer tools the benchmark compares against into benchmarks/.peers/.
# They are benchmark-only: never project or test dependencies.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
peers="$here/.peers"
mkdir -p "$peers"

python3 -m venv "$peers/venv"
"$peers/venv/bin/pip" install -q --upgrade pip
"$peers/venv/bin/pip" install -q nbstripout nb-clean
# pre-commit for the hook-all rows (run.py passes it ml-lint's hook as a local hook)
"$peers/venv/bin/pip" install -q pre-commit

# ml-lint itself as users get it (pip and pre-commit install byte-compiled
# modules); an editable install recompiles its sources on every run when
# PYTHONDONTWRITEBYTECODE is set, which is not what a user pays.
python3 -m venv "$peers/ml-lint"
"$peers/ml-lint/bin/pip" install -q "$here/.."

npm install --silent --no-audit --no-fund --prefix "$peers/npm" @ls-lint/ls-lint

echo "peers installed in $peers:"
"$peers/venv/bin/nbstripout" --version
"$peers/venv/bin/nb-clean" --version 2>/dev/null || echo "nb-clean (no --version)"
"$peers/npm/node_modules/.bin/ls-lint" --version
"$peers/venv/bin/pre-commit" --version
