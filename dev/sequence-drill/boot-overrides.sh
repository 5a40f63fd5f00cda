# shellcheck shell=bash
# Sourced by the sequence drill into a member's rendered boot script, after its functions and
# before `main` runs: the only functions replaced are those that touch the host itself (tools,
# users, block devices, the release download, SSM, systemd). Every decision of the boot (restore,
# join, start, promote, health wait, completion marker) runs as rendered.
# Set by the drill in the installed boot script (so a run by an operator behaves as cloud-init's):
# SEQ_ETCD_BIN_DIR (the real etcd binaries), SEQ_CONTROL_FILE (where `systemctl start` of etcd is
# asked for: the drill starts the member's etcd process then), SEQ_ENABLED_UNITS_FILE (the units
# `systemctl enable` enabled on the member's current instance, one a line), SEQ_REFUSE_PROMOTION_FILE
# (while it exists, etcd refuses every promotion: a fault of the drill's).
# bin_dir, unit, log and reachable_dir are the boot script's own.
# shellcheck disable=SC2154

# The drill's host has every tool it needs, and runs etcd as root.
require_tools() { :; }
ensure_etcd_user() { :; }

# The member's volume is its directory under the drill's temp root: blank when the drill created
# it blank (a new or recreated volume), holding data when the instance was replaced.
prepare_volume() {
  reachable_dir "$3"
  log "$1: the drill's directory $3 stands for the volume"
}

# The release is the drill's etcd (scripts/fetch-etcd.sh), linked where the boot installs it.
# etcdctl passes every call to the real one, except while the drill's promotion fault holds
# (SEQ_REFUSE_PROMOTION_FILE exists): then it answers `member promote` with etcd's refusal of a
# learner not in sync with the leader, whoever asks on this member (the boot, its health gate, a
# pre-disruption check run here), as etcd itself would refuse it.
install_etcd() {
  reachable_dir "$bin_dir"
  ln -sf "$SEQ_ETCD_BIN_DIR/etcd" "$SEQ_ETCD_BIN_DIR/etcdutl" "$bin_dir/"
  rm -f "$bin_dir/etcdctl"
  cat >"$bin_dir/etcdctl" <<ETCDCTL
#!/bin/sh
if [ -e '$SEQ_REFUSE_PROMOTION_FILE' ]; then
  for arg in "\$@"; do
    if [ "\$arg" = promote ]; then echo "Error: etcdserver: can only promote a learner member which is in sync with leader" >&2; exit 1; fi
  done
fi
exec '$SEQ_ETCD_BIN_DIR/etcdctl' "\$@"
ETCDCTL
  chmod 0755 "$bin_dir/etcdctl"
  log "etcd from $SEQ_ETCD_BIN_DIR linked into $bin_dir (etcdctl through the drill's fault wrapper)"
}

# The certificates and keys of its SSM parameters are already in place: the drill delivers them.
fetch_secrets() { :; }

systemctl() {
  local verb=$1
  shift
  case $verb in
    start)
      [[ ${1:-} == --no-block ]] && shift
      if [[ ${1:-} == "$unit" ]]; then echo start >>"$SEQ_CONTROL_FILE"; fi ;;
    enable)
      local name
      for name in "$@"; do
        if [[ $name != --* ]]; then echo "$name" >>"$SEQ_ENABLED_UNITS_FILE"; fi
      done ;;
    # Only the boot's progress lines ask; etcd's real state is the drill's to judge.
    is-active) echo active ;;
    *) : ;;
  esac
}
