/** Test cluster names and lifetimes: what is accepted, what is refused and how it says so. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { expiryTime, parseExpiryTime, parseLifetime } from "../../../dev/test-cluster/expiry";
import { MAX_CLUSTER_NAME_LENGTH } from "../../../src/core/config/formats";
import { isTestStack, MAX_TEST_CLUSTER_NAME_LENGTH, testStackName, unqualifiedStackName } from "../../../dev/test-cluster/naming";

describe("test cluster names", () => {
  it("live in stack test-<name>", () => {
    assert.equal(testStackName("pr-123"), "test-pr-123");
  });

  it("may be as long as leaves the cluster name etcd-test-<name> within the cluster-name limit", () => {
    const longest = "a".repeat(MAX_TEST_CLUSTER_NAME_LENGTH);
    assert.equal(`etcd-${testStackName(longest)}`.length, MAX_CLUSTER_NAME_LENGTH);
    assert.throws(
      () => testStackName(`${longest}a`),
      new RegExp(`test cluster name "a{${MAX_TEST_CLUSTER_NAME_LENGTH + 1}}": use 1 to ${MAX_TEST_CLUSTER_NAME_LENGTH} lowercase letters.*e\\.g\\. pr-123`),
    );
  });

  for (const bad of ["PR-1", "pr_1", "-pr1", "pr1-", "", "pr 1", "pr/1"]) {
    it(`refuses "${bad}"`, () => {
      assert.throws(() => testStackName(bad), /lowercase letters, digits and hyphens, starting and ending with a letter or digit/);
    });
  }

  it("only test-<name> stacks count as test stacks, with or without an organization prefix", () => {
    assert.equal(isTestStack("test-pr-1"), true);
    assert.equal(isTestStack("acme/test-pr-1"), true);
    assert.equal(isTestStack("acme/etcd-cluster/test-pr-1"), true);
    for (const stack of ["dev", "prod", "acme/prod", "latest-test-1", "acme/test/prod"]) assert.equal(isTestStack(stack), false, stack);
    assert.equal(unqualifiedStackName("acme/etcd-cluster/test-pr-1"), "test-pr-1");
  });
});

describe("test cluster lifetimes", () => {
  it("are written in minutes, hours or days", () => {
    assert.equal(parseLifetime("90m"), 90 * 60_000);
    assert.equal(parseLifetime("24h"), 24 * 3_600_000);
    assert.equal(parseLifetime("7d"), 7 * 86_400_000);
  });

  for (const bad of ["30m", "8d", "24", "1.5h", "0h", "h", "24 h", "-1h"]) {
    it(`refuses ${JSON.stringify(bad)}, naming the accepted forms and bounds`, () => {
      assert.throws(() => parseLifetime(bad), new RegExp(`--expires-in ${bad.replace(".", "\\.")}: write minutes, hours or days \\(90m, 24h, 2d\\), from 1h to 7d`));
    });
  }

  it("end at a UTC time in whole seconds, which reads back as the same instant", () => {
    const expiry = expiryTime(new Date("2026-12-03T11:20:19.750Z"), 24 * 3_600_000);
    assert.equal(expiry, "2026-12-04T11:20:19Z");
    assert.equal(parseExpiryTime(expiry)?.toISOString(), "2026-12-04T11:20:19.000Z");
  });

  for (const bad of [undefined, "", "2026-12-04", "2026-12-04T11:20:19+01:00", "2026-13-40T00:00:00Z", "tomorrow"]) {
    it(`reads no time from the tag ${JSON.stringify(bad)}`, () => {
      assert.equal(parseExpiryTime(bad), undefined);
    });
  }
});
