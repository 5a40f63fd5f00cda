/**
 * etcd's reference static bootstrap (etcd's clustering guide, "Static"): the same member names and
 * addresses as the rendered cluster, plaintext `http://` URLs, and nothing else set, so every other
 * setting is etcd's default (snapshot-count, heartbeat, election timeout, quota, WAL inside the
 * data dir, no corruption checks). Written as a config file rather than flags because the harness
 * starts members with `--config-file`; etcd fills every key a file leaves out with the same default
 * as the flag (embed.ConfigFromFile starts from embed.NewConfig).
 */
import { stringify } from "yaml";
import type { ClusterBlueprint, MemberBlueprint } from "../../dev/local-cluster/blueprint";

export const REFERENCE_CLUSTER_TOKEN = "etcd-reference";
const REFERENCE_DATA_DIR = "/var/lib/etcd/reference";
const CLIENT_PORT = 2379;
const PEER_PORT = 2380;

function referenceConfig(member: MemberBlueprint, all: readonly MemberBlueprint[]): string {
  return stringify({
    name: member.name,
    "data-dir": REFERENCE_DATA_DIR,
    // etcd's default WAL location (<data-dir>/member/wal), spelled out because the harness reads
    // wal-dir from every config; the same directory as when the key is absent.
    "wal-dir": `${REFERENCE_DATA_DIR}/member/wal`,
    "listen-peer-urls": `http://${member.ip}:${PEER_PORT}`,
    "listen-client-urls": `http://${member.ip}:${CLIENT_PORT}`,
    "advertise-client-urls": `http://${member.ip}:${CLIENT_PORT}`,
    "initial-advertise-peer-urls": `http://${member.ip}:${PEER_PORT}`,
    "initial-cluster": all.map((peer) => `${peer.name}=http://${peer.ip}:${PEER_PORT}`).join(","),
    "initial-cluster-token": REFERENCE_CLUSTER_TOKEN,
    "initial-cluster-state": "new",
  });
}

/**
 * The reference cluster for the members of `rendered`: same names and addresses, the reference
 * config, no delivered files. The admin identity is kept only because the harness writes one; a
 * plaintext endpoint ignores it (etcdctl drops TLS for `http://` endpoints).
 */
export function referenceBlueprint(rendered: ClusterBlueprint): ClusterBlueprint {
  return {
    admin: rendered.admin,
    members: rendered.members.map((member) => ({
      name: member.name,
      ip: member.ip,
      renderedConfig: referenceConfig(member, rendered.members),
      installedFiles: {},
      deliveredFiles: {},
    })),
  };
}
