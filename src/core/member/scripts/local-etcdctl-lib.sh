# shellcheck shell=bash
etcdctl_local() {
  etcdctl --endpoints="$ENDPOINT" --cacert="$CA_CERT" --cert="$CLIENT_CERT" --key="$CLIENT_KEY" "$@"
}
