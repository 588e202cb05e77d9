#!/usr/bin/env bash
# Builds ssoaudit's release archives from the committed HEAD:
#
#   ssoaudit_<version>_<os>_<arch>.tar.gz   linux and darwin, amd64 and arm64
#   ssoaudit_<version>_windows_<arch>.zip   windows, amd64 and arm64
#   ssoaudit_<version>.cdx.json             a CycloneDX SBOM of the binary's modules
#   ssoaudit_<version>_checksums.txt        SHA-256 of each of the above (sha256sum -c)
#
# Each archive holds the binary, stamped with the version (-ldflags -X
# main.version: `ssoaudit version` and every report show it), README.md and
# the JSON Schemas (schema/). Builds are static (CGO_ENABLED=0), -trimpath,
# and the archives' timestamps are the commit's, so the same commit and
# version give the same bytes.
#
# Usage: scripts/release.sh vX.Y.Z [OUTDIR]      (OUTDIR defaults to dist/)
#        RELEASE_TARGETS="linux/amd64" scripts/release.sh vX.Y.Z   (a subset)
set -euo pipefail

version=${1:?usage: scripts/release.sh vX.Y.Z [OUTDIR]}
case $version in
  v[0-9]*.[0-9]*.[0-9]*) ;;
  *) echo "release.sh: version $version is not vMAJOR.MINOR.PATCH[-pre]" >&2; exit 2 ;;
esac
v=${version#v}
repo=$(git -C "$(dirname "$0")/.." rev-parse --show-toplevel)
out=${2:-$repo/dist}
mkdir -p "$out"
out=$(cd "$out" && pwd)
targets=${RELEASE_TARGETS:-linux/amd64 linux/arm64 darwin/amd64 darwin/arm64 windows/amd64 windows/arm64}
cyclonedx_version=v1.10.0

if [ -n "$(git -C "$repo" status --porcelain --untracked-files=no)" ]; then
  echo "release.sh: note: uncommitted changes are not in the release (it builds HEAD)" >&2
fi

# A clean clone of HEAD, tagged with the version in the clone only: the
# build sees committed files alone, and the SBOM tool reads the main
# module's version from the tag.
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
src=$work/src
git clone -q --no-local --no-checkout "$repo" "$src"
git -C "$src" -c advice.detachedHead=false checkout -q --detach "$(git -C "$repo" rev-parse HEAD)"
git -C "$src" tag "$version"
epoch=$(git -C "$src" log -1 --format=%ct)

for t in $targets; do
  os=${t%/*} arch=${t#*/}
  name=ssoaudit_${v}_${os}_${arch}
  stage=$work/stage/$name
  mkdir -p "$stage/schema"
  exe=ssoaudit
  [ "$os" = windows ] && exe=ssoaudit.exe
  (cd "$src" && CGO_ENABLED=0 GOOS=$os GOARCH=$arch GOFLAGS=-mod=readonly \
    go build -trimpath -buildvcs=false -ldflags "-s -w -X main.version=$version" -o "$stage/$exe" ./cmd/ssoaudit)
  cp "$src/README.md" "$stage/"
  cp "$src"/schema/*.json "$stage/schema/"
  find "$stage" -exec touch -h -d "@$epoch" {} +
  if [ "$os" = windows ]; then
    rm -f "$out/$name.zip"
    (cd "$work/stage" && find "$name" -print | LC_ALL=C sort | zip -q -X -D "$out/$name.zip" -@)
  else
    tar -C "$work/stage" --sort=name --mtime="@$epoch" --owner=0 --group=0 --numeric-owner \
      -cf - "$name" | gzip -n -9 >"$out/$name.tar.gz"
  fi
  echo "built $name ($(du -h "$stage/$exe" | cut -f1) binary)"
done

# The SBOM: cyclonedx-gomod, pinned, installed through the Go module proxy
# when it is not on the PATH.
cyclonedx=$(command -v cyclonedx-gomod || true)
if [ -z "$cyclonedx" ]; then
  cyclonedx=$(go env GOPATH)/bin/cyclonedx-gomod
  if ! "$cyclonedx" version 2>/dev/null | grep -q "$cyclonedx_version"; then
    GOFLAGS= go install "github.com/CycloneDX/cyclonedx-gomod/cmd/cyclonedx-gomod@$cyclonedx_version"
  fi
fi
(cd "$src" && CGO_ENABLED=0 GOFLAGS=-mod=readonly "$cyclonedx" app -json -licenses -noserial -notimestamp \
  -main cmd/ssoaudit -output "$out/ssoaudit_${v}.cdx.json" .)
echo "built ssoaudit_${v}.cdx.json"

cd "$out"
shopt -s nullglob
files=(ssoaudit_"${v}"_*.tar.gz ssoaudit_"${v}"_*.zip ssoaudit_"${v}".cdx.json)
sha256sum -- "${files[@]}" >"ssoaudit_${v}_checksums.txt"
sha256sum --quiet -c "ssoaudit_${v}_checksums.txt"
echo "release $version in $out:"
ls -1 ssoaudit_"${v}"[._]*
