#!/bin/sh
# Seeds fuzz/seeds/<target>/ (git-ignored) from the project's own fixtures and, when present,
# from ../shared (lockfiles, OSV databases). `fuzz/corpus/<target>/` (committed) is what
# `cargo fuzz cmin` keeps of these and of what the fuzzer found; to rebuild it:
#   fuzz/seed_corpus.sh && cd fuzz && cargo +nightly fuzz cmin T seeds/T  (for each target T)
# then copy corpus/T into place (see README.md).
set -eu
cd "$(dirname "$0")"
S=seeds
SHARED=../../shared
mkdir -p "$S"
for t in json yaml toml lines; do mkdir -p "$S/lockfile_$t"; done
seed() { cp "$1" "$S/lockfile_$2/$(echo "$1" | sed 's/^[./]*//' | tr '/' '_')"; }
for f in $(find ../fixtures/lockfiles "$SHARED/lockfiles" -type f 2>/dev/null); do
  case "$f" in
    *.json|*.json5|*.jsontest|*Package.resolved|*/swift-packageresolved/*|*/dotnet-*|*renv.lock|*/r-renvlock/*|*bun.lock|*Pipfile.lock|*/python-pipfilelock/*|*/cpp-conanlock/*|*conan.lock) seed "$f" json ;;
    *.yaml|*pubspec.lock|*/dart-pubspec/*) seed "$f" yaml ;;
    *.toml|*Cargo.lock|*/rust-cargolock/*|*poetry.lock|*/python-poetrylock/*|*uv.lock|*/python-uvlock/*|*pdm.lock|*/python-pdmlock/*) seed "$f" toml ;;
    *) seed "$f" lines ;;
  esac
done

for t in osv_record osv_zip rules_toml config_toml gitleaks_toml baseline prepush_input pack_reader scan_bytes; do
  mkdir -p "$S/$t"
done

# osv_record: the fixture records, and a few hundred small records of the shared databases.
cp ../fixtures/osv/*/*.json "$S/osv_record/"
# osv_zip: zips of the fixture records, and slices of the shared databases.
python3 - "$S" "$SHARED/osv" <<'EOF'
import io, os, sys, zipfile, glob
out, shared = sys.argv[1], sys.argv[2]
def write_zip(name, members, method=zipfile.ZIP_DEFLATED):
    with zipfile.ZipFile(os.path.join(out, "osv_zip", name), "w", method) as z:
        for n, data in members:
            z.writestr(n, data)
for eco in ("crates.io", "PyPI"):
    files = sorted(glob.glob(f"../fixtures/osv/{eco}/*.json"))
    write_zip(f"fixtures-{eco}.zip", [(os.path.basename(f), open(f, "rb").read()) for f in files])
    write_zip(f"fixtures-{eco}-stored.zip", [(os.path.basename(f), open(f, "rb").read()) for f in files], zipfile.ZIP_STORED)
for path in sorted(glob.glob(os.path.join(shared, "*", "all.zip"))):
    eco = os.path.basename(os.path.dirname(path))
    with zipfile.ZipFile(path) as z:
        names = [n for n in z.namelist() if n.endswith(".json")]
        small = sorted(names, key=lambda n: z.getinfo(n).file_size)
        # Records as osv_record seeds: the smallest, and some from the middle.
        for n in small[:20] + small[len(small) // 2 : len(small) // 2 + 20]:
            open(os.path.join(out, "osv_record", f"{eco}-{n}"), "wb").write(z.read(n))
        for i in range(3):
            pick = small[i * 5 : i * 5 + 5]
            write_zip(f"{eco}-{i}.zip", [(n, z.read(n)) for n in pick])
EOF

# rules_toml: every built-in rule file, and each rule of them as a file of its own.
cp ../patterns/*.toml "$S/rules_toml/"
python3 - "$S" <<'EOF'
import glob, os, sys
out = sys.argv[1]
for path in sorted(glob.glob("../patterns/*.toml")):
    text = open(path).read()
    parts = text.split("[[rules]]")
    for i, p in enumerate(parts[1:40]):
        open(os.path.join(out, "rules_toml", f"{os.path.basename(path)}-{i}"), "w").write("[[rules]]" + p)
EOF

# config_toml: the `hygiene init` template and handwritten ones.
cp ../src/config/template.toml "$S/config_toml/template.toml"
cat > "$S/config_toml/full.toml" <<'EOF'
[secrets]
disable = ["generic-api-key"]

[[secrets.rules]]
id = "acme-token"
description = "ACME token"
regex = '''\b(acme_[a-z0-9]{32})\b'''
keywords = ["acme_"]
severity = "high"

[allow]
paths = ["vendor/", "tests/fixtures/**"]
regexes = ['''^EXAMPLE''']
stopwords = ["dummy"]
EOF

# gitleaks_toml: gitleaks configurations of the shapes tests/gitleaks.rs uses.
cat > "$S/gitleaks_toml/extend.toml" <<'EOF'
title = "custom"
[extend]
useDefault = true
disabledRules = ["generic-api-key"]

[[rules]]
id = "acme-internal-token"
description = "ACME internal service token"
regex = '''\b(acme_[a-z0-9]{32})\b'''
keywords = ["acme_"]
tags = ["internal"]
entropy = 3.5
secretGroup = 1

[[rules.allowlists]]
description = "samples"
regexes = ['''example''']

[[rules.allowlists]]
condition = "AND"
paths = ['''^test/''']
regexTarget = "line"
regexes = ['''# fake''']

[[rules]]
id = "aws-access-token"
[[rules.allowlists]]
paths = ['''^legacy/''']

[[allowlists]]
description = "vendored code"
paths = ['''^vendor/''']
stopwords = ["dummy"]
targetRules = ["acme-internal-token"]
EOF
cat > "$S/gitleaks_toml/replace.toml" <<'EOF'
[allowlist]
description = "old style"
paths = ['''(.*?)(jpg|gif|doc)$''']
regexes = ['''219-09-9999''']
commits = ["abcdef"]

[[rules]]
id = "private-key"
regex = '''(?i)-----BEGIN[ A-Z0-9_-]{0,100}PRIVATE KEY( BLOCK)?-----[\s\S-]*?KEY( BLOCK)?-----'''
keywords = ["-----begin"]
path = '''\.pem$'''
EOF

# baseline: what `hygiene baseline create` writes.
cat > "$S/baseline/baseline.json" <<'EOF'
{
  "version": 1,
  "findings": [
    {
      "rule_id": "aws-access-token",
      "path": "config/settings.py",
      "fingerprint": "0123456789abcdef0123456789abcdef"
    },
    {
      "rule_id": "github-pat",
      "path": "src/x.py",
      "fingerprint": "ffffffffffffffffffffffffffffffff"
    }
  ]
}
EOF
printf '{"version":1,"findings":[]}' > "$S/baseline/empty.json"

# prepush_input and pack_reader: the repository hygiene::fuzzing::prepush_input builds (same
# commands, same fixed dates, so the same ids).
R=$(mktemp -d)
trap 'rm -rf "$R"' EXIT
export GIT_AUTHOR_NAME=fuzz GIT_AUTHOR_EMAIL=fuzz@example.com GIT_COMMITTER_NAME=fuzz \
  GIT_COMMITTER_EMAIL=fuzz@example.com GIT_AUTHOR_DATE=2020-01-01T00:00:00Z \
  GIT_COMMITTER_DATE=2020-01-01T00:00:00Z GIT_CONFIG_NOSYSTEM=1 HOME="$R"
(
  cd "$R" && git init -q -b main && echo one > a.txt && git add a.txt && git commit -q -m one \
    && git update-ref refs/remotes/origin/main HEAD && echo two > a.txt && git commit -q -am two \
    && git tag -a -m tag v1
)
one=$(git -C "$R" rev-parse HEAD~1)
two=$(git -C "$R" rev-parse HEAD)
tag=$(git -C "$R" rev-parse v1)
zero=0000000000000000000000000000000000000000
printf 'refs/heads/main %s refs/heads/main %s\n' "$two" "$one" > "$S/prepush_input/update"
printf 'refs/heads/topic %s refs/heads/topic %s\n' "$two" "$zero" > "$S/prepush_input/new-branch"
printf 'refs/heads/old %s refs/heads/old %s\n' "$zero" "$one" > "$S/prepush_input/delete"
printf 'refs/tags/v1 %s refs/tags/v1 %s\n' "$tag" "$zero" > "$S/prepush_input/tag"
printf 'refs/heads/main %s refs/heads/main %s\n\nrefs/heads/x %s refs/heads/x deadbeef%s\n' \
  "$two" "$one" "$one" "$(echo $one | cut -c9-)" > "$S/prepush_input/two-lines"

# pack_reader: packs of a small history with deltas (several versions of one file, trees,
# commits, a tag), as `u32 LE index length ++ index ++ pack`.
P=$(mktemp -d)
trap 'rm -rf "$R" "$P"' EXIT
(
  cd "$P" && git init -q -b main
  i=0
  while [ $i -lt 6 ]; do
    seq 1 $((40 + i * 7)) | sed "s/^/line $i /" > big.txt
    echo "password = \"s3cr3t-value-$i\"" > "conf$((i % 2)).env"
    mkdir -p "d$((i % 3))" && echo "$i" > "d$((i % 3))/f.txt"
    git add -A && git commit -q -m "commit $i"
    i=$((i + 1))
  done
  git tag -a -m tag v1
  git gc -q --aggressive
)
pack_seed() { # name idx pack
  python3 -c 'import struct,sys; i=open(sys.argv[1],"rb").read(); p=open(sys.argv[2],"rb").read(); open(sys.argv[3],"wb").write(struct.pack("<I",len(i))+i+p)' "$2" "$3" "$S/pack_reader/$1"
}
for idx in "$P"/.git/objects/pack/*.idx; do pack_seed aggressive "$idx" "${idx%.idx}.pack"; done
# The same objects with REF_DELTA entries instead of OFS_DELTA ones.
(cd "$P" && git -c pack.useOffsetDeltas=false -c repack.useDeltaBaseOffset=false repack -q -a -d -f --depth=10 --window=10 >/dev/null 2>&1 || true)
for idx in "$P"/.git/objects/pack/*.idx; do pack_seed refdelta "$idx" "${idx%.idx}.pack"; done
python3 make_packs.py "$S/pack_reader"

# scan_bytes: `path NUL content` from the accuracy and credential-file fixtures, and the
# built-in rules' own examples.
find ../fixtures/accuracy ../fixtures/credfiles -type f -size -16k | sort | while IFS= read -r f; do
  rel=$(echo "$f" | sed 's|^\.\./fixtures/[a-z]*/||')
  { printf '%s\0' "$rel"; cat "$f"; } > "$S/scan_bytes/$(echo "$rel" | tr '/ ' '__')"
done
