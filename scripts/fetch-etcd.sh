#!/usr/bin/env bash
# Obtains etcd 3.5.x (etcd, etcdctl, etcdutl) for the tests from Debian's archive.
#
# The machine's own suite (bookworm) ships only etcd 3.4, so the trixie suite's etcd-server and
# etcd-client .debs are downloaded with a private apt configuration (the machine's sources are not
# touched) and unpacked with `dpkg -x` into a git-ignored cache: .cache/etcd/bin. The binaries are
# static Go programs and run on any glibc. A second run reuses the cache.
#
# ETCD_BIN_DIR=/some/dir overrides all of this: the directory must hold etcd, etcdctl and etcdutl.
# Prints the directory holding the binaries on stdout; everything else goes to stderr.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cache="$repo_root/.cache/etcd"
bin="$cache/bin"

has_all() { [ -x "$1/etcd" ] && [ -x "$1/etcdctl" ] && [ -x "$1/etcdutl" ]; }

if [ -n "${ETCD_BIN_DIR:-}" ]; then
  has_all "$ETCD_BIN_DIR" || { echo "fetch-etcd: ETCD_BIN_DIR=$ETCD_BIN_DIR lacks etcd, etcdctl or etcdutl" >&2; exit 1; }
  echo "$ETCD_BIN_DIR"
  exit 0
fi

if has_all "$bin"; then
  echo "fetch-etcd: reusing $("$bin/etcd" --version | head -1) in $bin" >&2
  echo "$bin"
  exit 0
fi

start=$(date +%s)
apt_root="$cache/apt"
mkdir -p "$apt_root/lists/partial" "$apt_root/archives/partial" "$apt_root/debs" "$bin"
cat > "$apt_root/sources.list" <<SOURCES
deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian trixie main
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
echo "fetch-etcd: reading the trixie package index" >&2
apt-get "${apt_opts[@]}" update -qq >&2
(cd "$apt_root/debs" && apt-get "${apt_opts[@]}" download etcd-server etcd-client >&2)
for deb in "$apt_root"/debs/*.deb; do
  dpkg -x "$deb" "$apt_root/root"
done
for tool in etcd etcdctl etcdutl; do
  found="$(find "$apt_root/root/usr" -type f -name "$tool" | head -1)"
  [ -n "$found" ] || { echo "fetch-etcd: $tool not found in the .debs" >&2; exit 1; }
  install -m 0755 "$found" "$bin/$tool"
done
rm -rf "$apt_root/root" "$apt_root/archives"
echo "fetch-etcd: $("$bin/etcd" --version | head -1) ready in $bin after $(( $(date +%s) - start ))s" >&2
echo "$bin"
