import { ETCD_PORTS } from "../member/ports-and-paths";

/** Where an inbound rule admits traffic from. */
export type IngressSource =
  { readonly kind: "cluster" } | { readonly kind: "securityGroup"; readonly securityGroupId: string } | { readonly kind: "cidr"; readonly cidr: string };

/** One inbound rule of the cluster security group: one port from one source. */
export interface IngressRulePlan {
  /** Stable, unique suffix of the rule's resource name, derived from port and source (never an index). */
  readonly key: string;
  /** The one TCP port the rule opens (ETCD_PORTS). */
  readonly port: number;
  /** Who the rule admits. */
  readonly source: IngressSource;
  /** Shown in the AWS console next to the rule. */
  readonly description: string;
}

/** Who may reach the members besides the members themselves. */
export interface IngressSources {
  /** CIDRs of etcd clients (kube-apiserver hosts, operators' bastions) allowed on the client port. */
  readonly clientCidrs: readonly string[];
  /** Security groups of etcd clients allowed on the client port. */
  readonly clientSecurityGroupIds: readonly string[];
  /** CIDRs of Prometheus scrapers allowed on the metrics port; nobody else reaches it. */
  readonly monitoringCidrs: readonly string[];
}

/** A resource-name-safe rendering of a CIDR or ID: `10.0.0.0/16` becomes `10-0-0-0-16`. */
function nameSafe(value: string): string {
  return value.toLowerCase().replace(/[^a-z0-9]+/g, "-");
}

function cidrRule(port: number, portName: string, cidr: string, purpose: string): IngressRulePlan {
  return {
    key: `${portName}-from-cidr-${nameSafe(cidr)}`,
    port,
    source: { kind: "cidr", cidr },
    description: `${purpose} from ${cidr}`,
  };
}

/**
 * The cluster's complete inbound policy, one rule per port and source:
 * - peer port 2380 only from the cluster's own group (members talk Raft to each other, nobody else);
 * - client port 2379 from the cluster's own group (members' gRPC gateway and health checks),
 *   from each client security group and each client CIDR;
 * - metrics port 2381 (plain HTTP, `listen-metrics-urls`) and the member's own metrics port 2382
 *   (backup and certificates, etcd/member-metrics.ts) only from each monitoring CIDR.
 * Nothing else is admitted. Rule keys name the source, so removing one source never renames or
 * replaces the rules of the others.
 */
export function planIngressRules(sources: IngressSources): IngressRulePlan[] {
  const cluster: IngressSource = { kind: "cluster" };
  return [
    { key: "peer-from-cluster", port: ETCD_PORTS.peer, source: cluster, description: "etcd peer traffic between members" },
    { key: "client-from-cluster", port: ETCD_PORTS.client, source: cluster, description: "etcd clients on the members" },
    ...sources.clientSecurityGroupIds.map((securityGroupId): IngressRulePlan => ({
      key: `client-from-sg-${nameSafe(securityGroupId)}`,
      port: ETCD_PORTS.client,
      source: { kind: "securityGroup", securityGroupId },
      description: `etcd clients in ${securityGroupId}`,
    })),
    ...sources.clientCidrs.map((cidr) => cidrRule(ETCD_PORTS.client, "client", cidr, "etcd clients")),
    ...sources.monitoringCidrs.map((cidr) => cidrRule(ETCD_PORTS.metrics, "metrics", cidr, "etcd metrics scrapers")),
    ...sources.monitoringCidrs.map((cidr) => cidrRule(ETCD_PORTS.memberMetrics, "member-metrics", cidr, "etcd member metrics scrapers")),
  ];
}
