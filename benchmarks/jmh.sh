#!/usr/bin/env bash
# Builds the benchmarks module and runs the JMH microbenchmarks.
#
#   benchmarks/jmh.sh [--quick] [REGEX] [JMH OPTIONS...]
#
# REGEX selects benchmarks (e.g. Crc32c or 'IndexLookup.read'); default: all of them.
# --quick runs 1 fork, 2 warmup iterations of 2 s and 3 measured iterations of 2 s each;
# without it the counts in the benchmarks' annotations apply (2 forks, 3 x 3 s warmup,
# 5 x 3 s measurement). Further arguments go to JMH as they are, e.g. -prof gc, or
# -rf json -rff results.json. See benchmarks/JMH.md.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"

quick=()
if [[ "${1:-}" == "--quick" ]]; then
  quick=(-f 1 -wi 2 -w 2s -i 3 -r 2s)
  shift
fi
regex=()
if [[ $# -gt 0 && "$1" != -* ]]; then
  regex=("$1")
  shift
fi

(cd "$root" && mvn -B -o -q -DskipTests -pl benchmarks -am package)

cd "$root"
exec java -cp "benchmarks/target/classes:benchmarks/target/lib/*" \
  --add-opens=java.base/java.nio=ALL-UNNAMED \
  org.openjdk.jmh.Main "${quick[@]}" "$@" "${regex[@]}"
