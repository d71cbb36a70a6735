#!/usr/bin/env bash
# Runs every test of the build: unit tests (*Test) and integration tests (*ITCase) that start
# real node processes. Installs a JDK 17 and Maven first when they are missing (Debian).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
scripts/install-deps.sh
exec mvn -B -ntp verify "$@"
