#!/usr/bin/env bash
# Installs what building and testing Pyralog needs on a fresh Debian machine: a JDK 17 and Maven.
# Idempotent: does nothing when they are present.
set -euo pipefail
need=()
if ! command -v javac >/dev/null 2>&1 || ! javac -version 2>&1 | grep -qE 'javac (17|2[0-9])'; then
  need+=(openjdk-17-jdk-headless)
fi
command -v mvn >/dev/null 2>&1 || need+=(maven)
if (( ${#need[@]} )); then
  echo "Installing: ${need[*]}"
  SUDO=""; [[ $(id -u) -ne 0 ]] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}"
fi
java -version 2>&1 | sed -n 1p
mvn -v 2>&1 | sed -n 1p
