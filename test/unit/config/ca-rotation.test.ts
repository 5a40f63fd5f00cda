import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { resolveClusterConfig } from "../../../src/core/config";
import { checkCaRotationChange, type DeployedCaState } from "../../../src/core/pki/ca-rotation-rules";
import type { CaRotation } from "../../../src/core/config/types";
import { configWith, onlyProblemOf } from "./fixtures";

const gen1 = (stage: CaRotation["stage"]): CaRotation => ({ generation: 1, stage });

/** Three live member instances, booted with `states` (undefined: before any rotation). */
function members(...states: (CaRotation | undefined)[]): DeployedCaState[] {
  return states.map((rotation, index) => ({ instanceId: `i-${index}`, memberName: `etcd-dev-${index}`, rotation }));
}

function refusal(target: CaRotation | undefined, deployed: DeployedCaState[]): string {
  const { errors, warnings } = checkCaRotationChange(target, deployed);
  assert.deepEqual(warnings, []);
  assert.deepEqual(
    errors.map((error) => error.key),
    ["etcd-cluster:pki.caRotation"],
  );
  return errors[0].message;
}

describe("pki.caRotation in the config", () => {
  it("accepts a generation and a stage", () => {
    const { config } = resolveClusterConfig(configWith({ pki: { caRotation: { generation: 1, stage: "trust-both" } } }), "test");
    assert.deepEqual(config.pki.caRotation, gen1("trust-both"));
  });

  it("refuses an unknown stage, naming the stages in their order", () => {
    assert.deepEqual(onlyProblemOf(configWith({ pki: { caRotation: { generation: 1, stage: "swap" } } })), {
      key: "etcd-cluster:pki.caRotation.stage",
      message:
        'etcd-cluster:pki.caRotation.stage is "swap": not a stage of the CA rotation; set one of trust-both, reissue-leaves, ' +
        'drop-old-ca, in that order, one `pulumi up` each (README "Rotating the CA")',
    });
  });

  it("refuses generation 0: the first rotation introduces generation 1", () => {
    assert.equal(onlyProblemOf(configWith({ pki: { caRotation: { generation: 0, stage: "trust-both" } } })).key, "etcd-cluster:pki.caRotation.generation");
  });
});

describe("CA rotation rules against the live members", () => {
  it("lets a new cluster start at any stage", () => {
    assert.deepEqual(checkCaRotationChange(gen1("reissue-leaves"), []), { errors: [], warnings: [] });
  });

  it("allows staying where every member is", () => {
    assert.deepEqual(checkCaRotationChange(undefined, members(undefined, undefined, undefined)).errors, []);
    assert.deepEqual(checkCaRotationChange(gen1("drop-old-ca"), members(gen1("drop-old-ca"), gen1("drop-old-ca"), gen1("drop-old-ca"))).errors, []);
  });

  it("allows each stage once every member is in the one before", () => {
    assert.deepEqual(checkCaRotationChange(gen1("trust-both"), members(undefined, undefined, undefined)).errors, []);
    assert.deepEqual(checkCaRotationChange(gen1("reissue-leaves"), members(gen1("trust-both"), gen1("trust-both"), gen1("trust-both"))).errors, []);
    assert.deepEqual(checkCaRotationChange(gen1("drop-old-ca"), members(gen1("reissue-leaves"), gen1("reissue-leaves"), gen1("reissue-leaves"))).errors, []);
    const second = { generation: 2, stage: "trust-both" } as const;
    assert.deepEqual(checkCaRotationChange(second, members(gen1("drop-old-ca"), gen1("drop-old-ca"), gen1("drop-old-ca"))).errors, []);
  });

  it("allows finishing a stage whose rollout stopped halfway", () => {
    assert.deepEqual(checkCaRotationChange(gen1("reissue-leaves"), members(gen1("reissue-leaves"), gen1("trust-both"), gen1("trust-both"))).errors, []);
  });

  it("refuses skipping a stage, naming the stage to run first", () => {
    assert.equal(
      refusal(gen1("reissue-leaves"), members(undefined, undefined, undefined)),
      'etcd-cluster:pki.caRotation is {"generation":1,"stage":"reissue-leaves"}: members etcd-dev-0 (i-0), etcd-dev-1 (i-1), ' +
        "etcd-dev-2 (i-2) still run with no caRotation (the first CA), and the CA rotation takes one stage at a time, each on " +
        'every member before the next: set pki.caRotation to { generation: 1, stage: trust-both } first (README "Rotating the CA")',
    );
  });

  it("refuses the next stage while a member has not finished the current one", () => {
    const message = refusal(gen1("drop-old-ca"), members(gen1("reissue-leaves"), gen1("reissue-leaves"), gen1("trust-both")));
    assert.match(message, /members etcd-dev-2 \(i-2\) still run with \{ generation: 1, stage: trust-both \}/);
    assert.match(message, /set pki\.caRotation to \{ generation: 1, stage: reissue-leaves \} first/);
  });

  it("refuses going back a stage, naming the stage the members are in", () => {
    const message = refusal(gen1("trust-both"), members(gen1("reissue-leaves"), gen1("trust-both"), gen1("trust-both")));
    assert.match(message, /members etcd-dev-0 \(i-0\) already run with \{ generation: 1, stage: reissue-leaves \}, and CA rotation stages only go forward/);
  });

  it("refuses removing caRotation once a rotation started", () => {
    assert.match(refusal(undefined, members(gen1("drop-old-ca"), gen1("drop-old-ca"), gen1("drop-old-ca"))), /only go forward/);
  });
});
