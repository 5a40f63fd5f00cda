/**
 * Inbound policy of the cluster security group, as DESIGN.md states it: peer port 2380 only from
 * the cluster's own group, client port 2379 from the cluster's group and the configured clients,
 * metrics port 2381 only from the monitoring CIDRs, and nothing else.
 */
import assert from "node:assert/strict";
import { it } from "node:test";
import { ETCD_PORTS } from "../../src/core/member/ports-and-paths";
import type { ProgramRun, RecordedResource } from "../../dev/mock-runtime/run-record";
import { inputComesFrom, onlyResourceOfType, resourcesOfType, TYPES } from "../support/resource-graph";
import { describeEachStackRun } from "../support/stack-runs";
import { recordedText } from "../../dev/mock-runtime/recorded-value";

/** `tcp/<port> from <source>`: `cluster`, `sg:<id>` or `cidr:<block>`; `?` for a source the test cannot name. */
function describeIngress(rule: RecordedResource, clusterGroup: RecordedResource): string {
  const { inputs } = rule;
  const port = inputs.fromPort === inputs.toPort ? recordedText(inputs.fromPort) : `${recordedText(inputs.fromPort)}-${recordedText(inputs.toPort)}`;
  let source = "?";
  if (inputComesFrom(rule, "referencedSecurityGroupId", clusterGroup)) source = "cluster";
  else if (typeof inputs.referencedSecurityGroupId === "string") source = `sg:${inputs.referencedSecurityGroupId}`;
  else if (typeof inputs.cidrIpv4 === "string") source = `cidr:${inputs.cidrIpv4}`;
  else if (typeof inputs.cidrIpv6 === "string") source = `cidr:${inputs.cidrIpv6}`;
  return `${recordedText(inputs.ipProtocol)}/${port} from ${source}`;
}

/** Every inbound rule of the run, described, sorted. */
function ingressOf(run: ProgramRun): string[] {
  const clusterGroup = onlyResourceOfType(run, TYPES.securityGroup);
  return resourcesOfType(run, TYPES.ingressRule)
    .map((rule) => describeIngress(rule, clusterGroup))
    .sort();
}

function onPort(rules: readonly string[], port: number): string[] {
  return rules.filter((rule) => rule.startsWith(`tcp/${port} `));
}

describeEachStackRun("security groups", ({ config, run }) => {
  it("admits the peer port 2380 only from the cluster's own group", () => {
    assert.deepEqual(onPort(ingressOf(run()), ETCD_PORTS.peer), [`tcp/${ETCD_PORTS.peer} from cluster`]);
  });

  it("admits the client port 2379 from the cluster's group and the configured clients only", () => {
    const sources = ["cluster", ...config.clientSecurityGroupIds.map((id) => `sg:${id}`), ...config.clientCidrs.map((cidr) => `cidr:${cidr}`)];
    const expected = sources.map((source) => `tcp/${ETCD_PORTS.client} from ${source}`).sort();
    assert.deepEqual(onPort(ingressOf(run()), ETCD_PORTS.client), expected);
  });

  it("admits the metrics port 2381 only from the monitoring CIDRs", () => {
    const expected = config.monitoringCidrs.map((cidr) => `tcp/${ETCD_PORTS.metrics} from cidr:${cidr}`).sort();
    assert.deepEqual(onPort(ingressOf(run()), ETCD_PORTS.metrics), expected);
  });

  it("admits the member metrics port 2382 only from the monitoring CIDRs", () => {
    const expected = config.monitoringCidrs.map((cidr) => `tcp/${ETCD_PORTS.memberMetrics} from cidr:${cidr}`).sort();
    assert.deepEqual(onPort(ingressOf(run()), ETCD_PORTS.memberMetrics), expected);
  });

  it("admits nothing else inbound", () => {
    const etcdPorts = [ETCD_PORTS.peer, ETCD_PORTS.client, ETCD_PORTS.metrics, ETCD_PORTS.memberMetrics];
    const others = ingressOf(run()).filter((rule) => !etcdPorts.some((port) => rule.startsWith(`tcp/${port} `)));
    assert.deepEqual(others, []);
    assert.equal(resourcesOfType(run(), TYPES.legacyRule).length, 0, "no aws.ec2.SecurityGroupRule");
    const group = onlyResourceOfType(run(), TYPES.securityGroup);
    assert.equal(group.inputs.ingress, undefined, "no inline ingress rules on the group");
  });

  it("attaches every inbound rule to the cluster's group", () => {
    const group = onlyResourceOfType(run(), TYPES.securityGroup);
    for (const rule of resourcesOfType(run(), TYPES.ingressRule)) {
      assert.ok(inputComesFrom(rule, "securityGroupId", group), `${rule.name} belongs to ${group.name}`);
    }
  });

  it("puts every member's network interface in the cluster's group and no other", () => {
    const group = onlyResourceOfType(run(), TYPES.securityGroup);
    for (const networkInterface of resourcesOfType(run(), TYPES.networkInterface)) {
      assert.ok(inputComesFrom(networkInterface, "securityGroups", group), `${networkInterface.name} is in ${group.name}`);
      const groups = networkInterface.inputs.securityGroups;
      assert.ok(Array.isArray(groups) && groups.length === 1, `${networkInterface.name} has one group`);
    }
  });
});
