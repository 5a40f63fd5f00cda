#!/usr/bin/env bash
# Obtains a real etcd 3.5 release (etcd, etcdctl, etcdutl) for the tests from Debian's archive.
#
# Usage: scripts/fetch-etcd.sh [VERSION]
#   VERSION  the upstream release: 3.5.30 (default; Debian forky/sid) or 3.5.16 (Debian trixie),
#            the only two etcd releases Debian's archive carries. The e2e drills run 3.5.30; the
#            upgrade drill rolls a cluster from 3.5.16 to it.
#
# The machine's own suite (bookworm) ships only etcd 3.4, so the suite's etcd-server and
# etcd-client .debs of exactly that version are downloaded with a private apt configuration (the
# machine's sources are not touched) and unpacked with `dpkg -x` into a git-ignored cache of their
# own: .cache/etcd/<VERSION>/bin. The binaries are static Go programs and run on any glibc. A
# second run reuses the cache; the binary must report VERSION, or the script fails.
#
# ETCD_BIN_DIR=/some/dir overrides the download: with no VERSION its binaries are used whatever
# their version; with a VERSION only when its etcd reports that version. The directory must hold
# etcd, etcdctl and etcdutl. Prints the directory holding the binaries on stdout; everything else
# goes to stderr.
set -euo pipefail

version="${1:-3.5.30}"
case "$version" in
  3.5.30) suite=forky ;;
  3.5.16) suite=trixie ;;
  *) echo "fetch-etcd: no Debian suite carries etcd $version here; use 3.5.30 or 3.5.16" >&2; exit 2 ;;
esac

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cache="$repo_root/.cache/etcd/$version"
bin="$cache/bin"

has_all() { [ -x "$1/etcd" ] && [ -x "$1/etcdctl" ] && [ -x "$1/etcdutl" ]; }
reports_version() { [ "$("$1/etcd" --version 2>/dev/null | head -1)" = "etcd Version: $version" ]; }

if [ -n "${ETCD_BIN_DIR:-}" ]; then
  has_all "$ETCD_BIN_DIR" || { echo "fetch-etcd: ETCD_BIN_DIR=$ETCD_BIN_DIR lacks etcd, etcdctl or etcdutl" >&2; exit 1; }
  if [ $# -eq 0 ] || reports_version "$ETCD_BIN_DIR"; then
    echo "$ETCD_BIN_DIR"
    exit 0
  fi
fi

if has_all "$bin" && reports_version "$bin"; then
  echo "fetch-etcd: reusing etcd $version in $bin" >&2
  echo "$bin"
  exit 0
fi

start=$(date +%s)
apt_root="$cache/apt"
mkdir -p "$apt_root/lists/partial" "$apt_root/archives/partial" "$apt_root/debs" "$bin"
cat > "$apt_root/sources.list" <<SOURCES
deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian $suite main
SOURCES
apt_opts=(
  -o "Dir::Etc::SourceList=$apt_root/sources.list"
  -o "Dir::Etc::SourceParts=-"
  -o "Dir::State::Lists=$apt_root/lists"
  -o "Dir::Cache=$apt_root"
  -o "Dir::State::status=/dev/null"
  -o "APT::Get::List-Cleanup=0"
  -o "Debug::NoLocking=1"
)
echo "fetch-etcd: reading the $suite package index" >&2
apt-get "${apt_opts[@]}" update -qq >&2
# Debian revisions (3.5.30-2) vary; the upstream version must be exactly the one asked for.
deb_version="$(apt-cache "${apt_opts[@]}" madison etcd-server | awk -v v="$version" '$3 ~ "^" v "-" { print $3; exit }')"
[ -n "$deb_version" ] || { echo "fetch-etcd: Debian $suite no longer carries etcd-server $version" >&2; exit 1; }
rm -f "$apt_root"/debs/*.deb
(cd "$apt_root/debs" && apt-get "${apt_opts[@]}" download "etcd-server=$deb_version" "etcd-client=$deb_version" >&2)
rm -rf "$apt_root/root"
for deb in "$apt_root"/debs/*.deb; do
  dpkg -x "$deb" "$apt_root/root"
done
for tool in etcd etcdctl etcdutl; do
  found="$(find "$apt_root/root/usr" -type f -name "$tool" | head -1)"
  [ -n "$found" ] || { echo "fetch-etcd: $tool not found in the .debs" >&2; exit 1; }
  install -m 0755 "$found" "$bin/$tool"
done
rm -rf "$apt_root/root" "$apt_root/archives"
reports_version "$bin" || { echo "fetch-etcd: the etcd in $suite's etcd-server $deb_version is not $version: $("$bin/etcd" --version | head -1)" >&2; exit 1; }
echo "fetch-etcd: etcd $version (Debian $suite $deb_version) ready in $bin after $(( $(date +%s) - start ))s" >&2
echo "$bin"
