#!/usr/bin/env bash
# etcd-member-metrics: the member's own metrics, which etcd does not expose: its certificates'
# expiry and the backup interval for Prometheus, and the certificates' remaining life for CloudWatch.
#
#   etcd-member-metrics serve     answers one HTTP request on stdin/stdout: GET /metrics returns the
#                                 Prometheus text format (etcd-member-metrics.socket, port 2382)
#   etcd-member-metrics publish   puts the shortest remaining life of the member's certificates into
#                                 CloudWatch (etcd-certificate-metrics.timer)
#
# The installed copy starts with readonly settings rendered by src/core/member/scripts/member-metrics.ts:
# CLUSTER, MEMBER, REGION, NAMESPACE, CERT_DIR, METRICS_DIR, BACKUP_INTERVAL_SECONDS,
# RENEWAL_WINDOW_SECONDS. Needs: openssl, coreutils, the AWS CLI (publish only).
set -euo pipefail
export LC_ALL=C

readonly LOG_TAG=etcd-member-metrics
readonly CERTIFICATES=(ca server peer)
log() { printf '%s: %s\n' "$LOG_TAG" "$*"; }
fail() { printf '%s: FAILED: %s\n' "$LOG_TAG" "$*" >&2; exit 1; }

# The notAfter time of a PEM certificate file, in seconds since the epoch.
certificate_expiry() {
  local end
  end=$(openssl x509 -noout -enddate -in "$1") || return 1
  date -d "${end#notAfter=}" +%s
}

# The Prometheus text format: the rendered settings (the backup schedule's longest gap, and how long
# before expiry `pulumi up` re-issues a certificate), each certificate's notAfter, then the files
# the backup script writes into METRICS_DIR (*.prom, one metric family each).
exposition() {
  local name expiry
  printf '# TYPE etcd_backup_interval_seconds gauge\netcd_backup_interval_seconds %s\n' "$BACKUP_INTERVAL_SECONDS"
  printf '# TYPE etcd_certificate_renewal_window_seconds gauge\netcd_certificate_renewal_window_seconds %s\n' "$RENEWAL_WINDOW_SECONDS"
  printf '# TYPE etcd_certificate_expiry_timestamp_seconds gauge\n'
  for name in "${CERTIFICATES[@]}"; do
    if expiry=$(certificate_expiry "$CERT_DIR/$name.crt" 2>/dev/null); then
      printf 'etcd_certificate_expiry_timestamp_seconds{certificate="%s"} %s\n' "$name" "$expiry"
    fi
  done
  cat "$METRICS_DIR"/*.prom 2>/dev/null || true
}

# One HTTP/1.0 exchange. The request is read to its blank line first: closing a socket with unread
# input resets the connection, and the client could lose the answer.
serve() {
  local request line method target body
  IFS= read -r -t 5 request || exit 0
  while IFS= read -r -t 5 line && [ -n "${line%$'\r'}" ]; do :; done
  read -r method target _ <<<"$request"
  if [ "$method" != GET ] || [ "${target%%\?*}" != /metrics ]; then
    printf 'HTTP/1.0 404 Not Found\r\nContent-Type: text/plain\r\nContent-Length: 17\r\nConnection: close\r\n\r\nonly GET /metrics'
    return
  fi
  body=$(exposition)
  printf 'HTTP/1.0 200 OK\r\nContent-Type: text/plain; version=0.0.4\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s\n' \
    "$((${#body} + 1))" "$body"
}

# CertificateSecondsToExpiry: the shortest remaining life among the CA and the member's certificates.
publish() {
  local name expiry shortest="" now output
  now=$(date +%s)
  for name in "${CERTIFICATES[@]}"; do
    expiry=$(certificate_expiry "$CERT_DIR/$name.crt") || fail "cannot read the notAfter of $CERT_DIR/$name.crt"
    if [ -z "$shortest" ] || [ $((expiry - now)) -lt "$shortest" ]; then shortest=$((expiry - now)); fi
  done
  output=$(aws cloudwatch put-metric-data --region "$REGION" --namespace "$NAMESPACE" \
    --metric-name CertificateSecondsToExpiry --unit Seconds --value "$shortest" 2>&1) ||
    fail "put-metric-data CertificateSecondsToExpiry into $NAMESPACE: $output"
  log "OK $MEMBER of cluster $CLUSTER: shortest certificate life ${shortest}s published to $NAMESPACE"
}

case "${1:-}" in
  serve) serve ;;
  publish) publish ;;
  *) echo "usage: etcd-member-metrics serve|publish" >&2; exit 2 ;;
esac
