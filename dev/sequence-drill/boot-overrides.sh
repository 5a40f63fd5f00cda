# shellcheck shell=bash
# Sourced by the sequence drill into a member's rendered boot script, after its functions and
# before `main` runs: the only functions replaced are those that touch the host itself (tools,
# users, block devices, the release download, SSM, systemd). Every decision of the boot (restore,
# join, start, promote, health wait, completion marker) runs as rendered.
# Set by the drill in the installed boot script (so a run by an operator behaves as cloud-init's):
# SEQ_ETCD_BIN_DIR (the real etcd binaries), SEQ_CONTROL_FILE (where `systemctl start` of etcd is
# asked for: the drill starts the member's etcd process then), SEQ_ENABLED_UNITS_FILE (the units
# `systemctl enable` enabled on the member's current instance, one a line).
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
install_etcd() {
  reachable_dir "$bin_dir"
  ln -sf "$SEQ_ETCD_BIN_DIR/etcd" "$SEQ_ETCD_BIN_DIR/etcdctl" "$SEQ_ETCD_BIN_DIR/etcdutl" "$bin_dir/"
  log "etcd from $SEQ_ETCD_BIN_DIR linked into $bin_dir"
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
