#!/bin/bash
# etcd-member-bootstrap: the whole of a member's user data does is run this, once per instance
# (cloud-init's runcmd). It downloads the member's bundle (its etcd config, units and scripts) from
# S3, checks it against the SHA-256 its user data pins, unpacks it, and runs the boot script from it.
# A bundle with any other digest is refused before anything is written. Every line it prints goes
# to /var/log/cloud-init-output.log; a failure prints one line with "FAILED".
#
# usage: etcd-member-bootstrap --region REGION --bundle s3://BUCKET/KEY --sha256 HEX --boot PATH [--root DIR]
#   --boot  the boot script inside the bundle, run once it is unpacked (absolute path)
#   --root  where the bundle unpacks: / on a member (the default); a scratch root in the tests
set -euo pipefail
# Files the bundle unpacks keep their modes from the archive; directories tar creates for them
# get 0755, as the image's own /etc and /usr/local ones have.
umask 022

# Downloads are retried a bounded number of times: right after launch the instance profile's
# credentials may not yet be usable, and the network path (NAT, VPC endpoint) may still be settling.
readonly download_attempts=10 download_retry_seconds=6
# The AWS CLI's own timeouts per attempt, so one hung connection cannot stall the boot for long.
readonly connect_timeout_seconds=10 read_timeout_seconds=60

log() { printf 'etcd-member-bootstrap: %s\n' "$*" >&2; }
fail() { printf 'etcd-member-bootstrap: FAILED: %s\n' "$*" >&2; exit 1; }

region="" bundle_uri="" bundle_sha256="" boot_script="" root=/
while (($# > 0)); do
  case $1 in
    --region | --bundle | --sha256 | --boot | --root)
      (($# >= 2)) || fail "$1 needs a value"
      case $1 in
        --region) region=$2 ;;
        --bundle) bundle_uri=$2 ;;
        --sha256) bundle_sha256=$2 ;;
        --boot) boot_script=$2 ;;
        --root) root=$2 ;;
      esac
      shift 2
      ;;
    *) fail "unknown argument $1 (usage: etcd-member-bootstrap --region REGION --bundle s3://BUCKET/KEY --sha256 HEX --boot PATH [--root DIR])" ;;
  esac
done
[[ -n $region ]] || fail "--region is missing"
[[ $bundle_uri == s3://?*/?* ]] || fail "--bundle must be an s3://BUCKET/KEY URI, got '$bundle_uri'"
[[ $bundle_sha256 =~ ^[0-9a-f]{64}$ ]] || fail "--sha256 must be 64 lower-case hex digits, got '$bundle_sha256'"
[[ $boot_script == /?* ]] || fail "--boot must be an absolute path, got '$boot_script'"
[[ -d $root ]] || fail "--root $root is not a directory"

for tool in aws sha256sum tar gzip mktemp; do
  command -v "$tool" >/dev/null || fail "required tool $tool is missing from the image"
done

work_dir=$(mktemp -d)
trap 'rm -rf "$work_dir"' EXIT
archive=$work_dir/bundle.tar.gz

# download: the bundle into $archive, or a failure naming the last error after the last attempt.
download() {
  local attempt=1
  export AWS_DEFAULT_REGION=$region
  until aws s3 cp "$bundle_uri" "$archive" --only-show-errors \
    --cli-connect-timeout "$connect_timeout_seconds" --cli-read-timeout "$read_timeout_seconds" 2>"$work_dir/aws-error"; do
    if ((attempt >= download_attempts)); then
      fail "could not download $bundle_uri after $download_attempts attempts: $(tail -n 1 "$work_dir/aws-error")"
    fi
    log "download of $bundle_uri failed (attempt $attempt of $download_attempts): $(tail -n 1 "$work_dir/aws-error"); retrying in ${download_retry_seconds}s"
    attempt=$((attempt + 1))
    sleep "$download_retry_seconds"
  done
}

log "downloading $bundle_uri"
download
actual_sha256=$(sha256sum "$archive")
actual_sha256=${actual_sha256%% *}
if [[ $actual_sha256 != "$bundle_sha256" ]]; then
  fail "$bundle_uri has SHA-256 $actual_sha256, the user data pins $bundle_sha256: refusing to unpack it"
fi
# Owned by root whatever the archive says, modes as in the archive, modification time now.
tar -xzf "$archive" -C "$root" --no-same-owner --touch
log "unpacked $(tar -tzf "$archive" | wc -l) files of bundle sha256:$bundle_sha256 into $root"

boot=${root%/}$boot_script
[[ -x $boot ]] || fail "the bundle holds no executable boot script $boot_script"
log "running $boot_script"
"$boot"
