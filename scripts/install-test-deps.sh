#!/usr/bin/env bash
# System packages the tests use: Java (HermiT via owlready2), Node.js + npm (the Comunica
# SPARQL client test), Chromium (headless browser checks), Virtuoso (the remote backend on
# Virtuoso: tests/test_virtuoso.py, bench/bench_scale.py), the Ding German–English dictionary
# (trans-de-en: topic words matched across languages by `quoth ask`, kb/bilingual.py; optional
# for the product). Installs only what is missing.
set -euo pipefail
need=()
command -v java >/dev/null 2>&1 || need+=(default-jre-headless)
command -v node >/dev/null 2>&1 || need+=(nodejs)
command -v npm >/dev/null 2>&1 || need+=(npm)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v virtuoso-t >/dev/null 2>&1 || need+=(virtuoso-opensource)
[ -f /usr/share/trans/de-en ] || need+=(trans-de-en)
if [ ${#need[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi
