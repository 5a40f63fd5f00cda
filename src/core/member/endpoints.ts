import type { MemberEndpoint } from "../etcd/types";
import { ETCD_PORTS } from "./ports-and-paths";

/** The member's peer URL (`initial-advertise-peer-urls`), TLS only: `https://<ip>:2380`. */
export function peerUrl(ip: string): string {
  return `https://${ip}:${ETCD_PORTS.peer}`;
}

/** A client URL (`advertise-client-urls`), TLS only: `https://<ip>:2379`. */
export function clientUrl(ip: string): string {
  return `https://${ip}:${ETCD_PORTS.client}`;
}

/** A metrics URL (`listen-metrics-urls`): plain HTTP, serves only /metrics and /health. */
export function metricsUrl(ip: string): string {
  return `http://${ip}:${ETCD_PORTS.metrics}`;
}

/**
 * etcd's `initial-cluster`: `name=https://ip:2380` for every member, in the order given. Every
 * member must render it from the same list, so it is identical everywhere.
 */
export function initialCluster(cluster: readonly MemberEndpoint[]): string {
  return cluster.map((member) => `${member.name}=${peerUrl(member.ip)}`).join(",");
}

/** The cluster's client endpoints, comma-separated: `--endpoints` of etcdctl, `--etcd-servers` of kube-apiserver. */
export function clientEndpoints(cluster: readonly MemberEndpoint[]): string {
  return cluster.map((member) => clientUrl(member.ip)).join(",");
}
