#!/bin/sh
# Seeds fuzz/corpus/<target>/ from the project's own fixtures and, when present, from
# ../shared/lockfiles (copied into the git-ignored corpus only, never committed).
set -eu
cd "$(dirname "$0")"
for t in json yaml toml lines; do mkdir -p "corpus/lockfile_$t"; done
seed() { cp "$1" "corpus/lockfile_$2/$(echo "$1" | sed 's/^[./]*//' | tr '/' '_')"; }
for f in $(find ../fixtures/lockfiles ../../shared/lockfiles -type f 2>/dev/null); do
  case "$f" in
    *.json|*.json5|*.jsontest|*Package.resolved|*/swift-packageresolved/*|*/dotnet-*|*renv.lock|*/r-renvlock/*|*bun.lock|*Pipfile.lock|*/python-pipfilelock/*|*/cpp-conanlock/*|*conan.lock) seed "$f" json ;;
    *.yaml|*pubspec.lock|*/dart-pubspec/*) seed "$f" yaml ;;
    *.toml|*Cargo.lock|*/rust-cargolock/*|*poetry.lock|*/python-poetrylock/*|*uv.lock|*/python-uvlock/*|*pdm.lock|*/python-pdmlock/*) seed "$f" toml ;;
    *) seed "$f" lines ;;
  esac
done
