/**
 * The upgrade rules on the real program: the dev stack is deployed once (an offline `pulumi up`),
 * the fake AWS account then holds its member instances with the tags the program gave them, and
 * the next run with another `etcdVersion` reads them back (ec2 getInstances/getInstance) and is
 * refused, before any resource is declared, when the members cannot take the change.
 */
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { TAG_KEYS } from "../../src/core/aws/tags";
import { instancesCreatedBy, type FakeInstance } from "../../dev/mock-runtime/fake-instances";
import { runProgram } from "../../dev/mock-runtime/run-stack";
import { resourcesOfType, TYPES } from "../support/resource-graph";

const STACK = "dev";

/** The same instances, tagged as running `version` (or untagged when undefined). */
function runningRelease(instances: readonly FakeInstance[], version: string | undefined): FakeInstance[] {
  return instances.map((instance) => {
    const { [TAG_KEYS.etcdVersion]: _previous, ...tags } = instance.tags;
    return { ...instance, tags: version === undefined ? tags : { ...tags, [TAG_KEYS.etcdVersion]: version } };
  });
}

const deployedAt = (etcdVersion: string, existingInstances: readonly FakeInstance[], preview = false) =>
  runProgram({ stack: STACK, preview, configOverrides: { etcdVersion }, existingInstances });

describe(`etcd upgrades of a deployed stack (${STACK})`, () => {
  let onThreeFiveThirtyThree: FakeInstance[] = [];
  before(async () => {
    onThreeFiveThirtyThree = instancesCreatedBy(await runProgram({ stack: STACK, preview: false, configOverrides: { etcdVersion: "3.5.33" } }));
  });

  it("tags every member instance with the release its user data installs", () => {
    assert.equal(onThreeFiveThirtyThree.length, 3);
    for (const instance of onThreeFiveThirtyThree) assert.equal(instance.tags[TAG_KEYS.etcdVersion], "3.5.33");
  });

  it("moves members on 3.5.33 to 3.6.14, each new instance tagged 3.6.14", async () => {
    const run = await deployedAt("3.6.14", onThreeFiveThirtyThree);
    const tags = resourcesOfType(run, TYPES.instance).map((instance) => (instance.state.tags as Record<string, string>)[TAG_KEYS.etcdVersion]);
    assert.deepEqual(tags, ["3.6.14", "3.6.14", "3.6.14"]);
  });

  it("refuses 3.6.14 for members on 3.5.25, in preview and in update, naming the path through 3.5.33", async () => {
    for (const preview of [true, false]) {
      await assert.rejects(
        deployedAt("3.6.14", runningRelease(onThreeFiveThirtyThree, "3.5.25"), preview),
        /etcd-cluster:etcdVersion is "3\.6\.14": the cluster runs etcd 3\.5\.25, .* upgrade 3\.5\.25 → 3\.5\.33 → 3\.6\.14, one `pulumi up` each/,
      );
    }
  });

  it("refuses going back to 3.5.33 once the members run 3.6.14", async () => {
    await assert.rejects(
      deployedAt("3.5.33", runningRelease(onThreeFiveThirtyThree, "3.6.14")),
      /the cluster runs etcd 3\.6\.14 and this would downgrade it to 3\.5\.33.*downgrade_3_6/,
    );
  });

  it("refuses 3.6.14 for members on 3.4", async () => {
    await assert.rejects(deployedAt("3.6.14", runningRelease(onThreeFiveThirtyThree, "3.4.30")), /would skip from 3\.4 to 3\.6/);
  });

  it("only counts the cluster's own live instances: another cluster's and terminated ones do not decide", async () => {
    const others = runningRelease(onThreeFiveThirtyThree, "3.6.14").map((instance, index) => ({
      ...instance,
      id: `${instance.id}-other`,
      ...(index === 0 ? { state: "terminated" } : { tags: { ...instance.tags, [TAG_KEYS.cluster]: "etcd-other" } }),
    }));
    await deployedAt("3.5.33", [...onThreeFiveThirtyThree, ...others]);
  });

  it("reads the release of an instance from before the tag out of its user data's header", async () => {
    const onThreeSix = instancesCreatedBy(await deployedAt("3.6.14", onThreeFiveThirtyThree));
    await assert.rejects(deployedAt("3.5.33", runningRelease(onThreeSix, undefined)), /the cluster runs etcd 3\.6\.14 and this would downgrade it/);
  });

  it("warns, naming them, when neither a tag nor the user data names an instance's release", async () => {
    const foreign = runningRelease(onThreeFiveThirtyThree, undefined).map((instance) => ({
      ...instance,
      userDataBase64: Buffer.from("#!/bin/sh\necho not rendered by etcd-cluster\n").toString("base64"),
    }));
    const run = await deployedAt("3.6.14", foreign);
    const warnings = run.diagnostics.filter((diagnostic) => diagnostic.severity === "warning").map((diagnostic) => diagnostic.message);
    const ids = foreign
      .map((instance) => instance.id)
      .sort()
      .join(", ");
    assert.ok(
      warnings.some((message) => message.includes(`user data of instances ${ids} names the release`)),
      warnings.join("\n"),
    );
  });
});
