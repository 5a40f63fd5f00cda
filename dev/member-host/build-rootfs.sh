#!/usr/bin/env bash
# Builds (once) the root filesystem every drill member boots: Debian 13 (trixie) as a cloud image
# ships it, reduced to what an etcd member's boot touches. debootstrap --variant=minbase plus:
#   systemd, systemd-sysv   PID 1 of the member (systemd-nspawn --boot runs it), systemctl
#   cloud-init              runs the user data, as on EC2 (NoCloud seed instead of EC2's IMDS)
#   python3-cffi-backend    a cloud-init dependency debootstrap's resolver misses (virtual package)
#   xfsprogs, curl, ca-certificates, iproute2, procps   what AL2023's image ships and the boot uses
# bash, coreutils, util-linux (blkid, lsblk, mount), tar, gzip and passwd (useradd) are in minbase.
# The AWS CLI is not installed: the harness puts aws-cli-stub.sh in each member's root as /usr/bin/aws.
#
# The result is cached in .cache/member-host/rootfs-<hash of this script>, so editing this script
# rebuilds it; members boot from per-member overlays of it and never change it.
# Prints the rootfs directory on stdout; everything else goes to stderr.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
self="${BASH_SOURCE[0]}"
key="$(sha256sum <"$self" | cut -c1-12)"
cache="$repo_root/.cache/member-host"
rootfs="$cache/rootfs-$key"

if [ -f "$rootfs/.complete" ]; then
  echo "$rootfs"
  exit 0
fi

command -v debootstrap >/dev/null || { echo "build-rootfs: debootstrap is missing (apt-get install debootstrap)" >&2; exit 1; }
start=$(date +%s)
mkdir -p "$cache"
building="$(mktemp -d "$cache/building-XXXXXX")"
trap 'rm -rf "$building"' EXIT
echo "build-rootfs: debootstrap trixie into $building" >&2
debootstrap --variant=minbase \
  --include=systemd,systemd-sysv,cloud-init,python3-cffi-backend,xfsprogs,curl,ca-certificates,iproute2,procps \
  trixie "$building" http://deb.debian.org/debian >&2

# Only the NoCloud datasource: the harness writes each member's user data and instance ID as its seed.
cat >"$building/etc/cloud/cloud.cfg.d/90-member-host.cfg" <<'CFG'
datasource_list: [NoCloud]
# The member's network namespace is already configured; EC2's DHCP has no counterpart here.
network: {config: disabled}
CFG
# Timers and services of the image that have nothing to do with the boot under test.
for unit in apt-daily.timer apt-daily-upgrade.timer xfs_scrub_all.timer fstrim.timer e2scrub_all.timer \
  dpkg-db-backup.timer console-getty.service getty@.service systemd-networkd-wait-online.service; do
  ln -sf /dev/null "$building/etc/systemd/system/$unit"
done
rm -rf "$building"/var/cache/apt/archives/*.deb "$building"/var/lib/apt/lists/* "$building"/usr/share/doc \
  "$building"/usr/share/man "$building"/usr/share/locale
: >"$building/etc/machine-id"
touch "$building/.complete"
rm -rf "$rootfs"
mv "$building" "$rootfs"
trap - EXIT
# Older builds (another hash) are no longer used.
find "$cache" -maxdepth 1 -name 'rootfs-*' ! -name "rootfs-$key" -exec rm -rf {} + 
echo "build-rootfs: $rootfs ready after $(($(date +%s) - start))s ($(du -sh "$rootfs" | cut -f1))" >&2
echo "$rootfs"
