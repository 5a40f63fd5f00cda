import { test } from "node:test";
import assert from "node:assert/strict";
import { planIngressRules } from "../../../src/core/aws/security-group-rules";

const noExtraSources = { clientCidrs: [], clientSecurityGroupIds: [], monitoringCidrs: [] };
const everySource = {
  clientCidrs: ["10.0.0.0/16"],
  clientSecurityGroupIds: ["sg-0123456789abcdef0"],
  monitoringCidrs: ["10.1.0.0/24"],
};

test("without configured clients only the members reach the peer and client ports", () => {
  const rules = planIngressRules(noExtraSources);
  assert.deepEqual(
    rules.map((rule) => [rule.port, rule.source.kind]),
    [
      [2380, "cluster"],
      [2379, "cluster"],
    ],
  );
});

test("the peer port is open to the cluster's own group and to nothing else", () => {
  const rules = planIngressRules(everySource);
  assert.deepEqual(
    rules.filter((rule) => rule.port === 2380).map((rule) => rule.source),
    [{ kind: "cluster" }],
  );
});

test("each client group and client CIDR gets its own client-port rule", () => {
  const rules = planIngressRules({
    ...noExtraSources,
    clientCidrs: ["10.0.0.0/16", "10.2.0.0/16"],
    clientSecurityGroupIds: ["sg-0123456789abcdef0"],
  });
  assert.deepEqual(
    rules.filter((rule) => rule.port === 2379).map((rule) => rule.source),
    [
      { kind: "cluster" },
      { kind: "securityGroup", securityGroupId: "sg-0123456789abcdef0" },
      { kind: "cidr", cidr: "10.0.0.0/16" },
      { kind: "cidr", cidr: "10.2.0.0/16" },
    ],
  );
});

test("the metrics port is open to the monitoring CIDRs only, never to clients or members", () => {
  const rules = planIngressRules(everySource);
  assert.deepEqual(
    rules.filter((rule) => rule.port === 2381).map((rule) => rule.source),
    [{ kind: "cidr", cidr: "10.1.0.0/24" }],
  );
});

test("rule keys name their source, so removing one client keeps every other rule's name", () => {
  const before = planIngressRules({ ...noExtraSources, clientCidrs: ["10.0.0.0/16", "10.2.0.0/16"] }).map((rule) => rule.key);
  const after = planIngressRules({ ...noExtraSources, clientCidrs: ["10.2.0.0/16"] }).map((rule) => rule.key);
  assert.deepEqual(
    after,
    before.filter((key) => key !== "client-from-cidr-10-0-0-0-16"),
  );
  assert.ok(after.includes("client-from-cidr-10-2-0-0-16"));
});

test("rule keys are unique when the same CIDR is allowed on the client and the metrics port", () => {
  const rules = planIngressRules({ ...noExtraSources, clientCidrs: ["10.0.0.0/16"], monitoringCidrs: ["10.0.0.0/16"] });
  const keys = rules.map((rule) => rule.key);
  assert.equal(new Set(keys).size, keys.length);
});
