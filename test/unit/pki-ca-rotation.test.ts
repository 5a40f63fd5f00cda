import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { caBundlePem, caGenerations, caRotationAtStep, caRotationStep, caRotationTagValue, parseCaRotationTag } from "../../src/core/pki/ca-rotation";
import { CA_ROTATION_STAGES } from "../../src/core/config/types";

describe("CA rotation stages", () => {
  it("trust only generation 0, which signs, before any rotation", () => {
    assert.deepEqual(caGenerations(undefined), { trusted: [0], signing: 0 });
  });

  it("add the new CA to the trust while the old one still signs (trust-both)", () => {
    assert.deepEqual(caGenerations({ generation: 1, stage: "trust-both" }), { trusted: [0, 1], signing: 0 });
  });

  it("sign with the new CA while both are trusted (reissue-leaves)", () => {
    assert.deepEqual(caGenerations({ generation: 2, stage: "reissue-leaves" }), { trusted: [1, 2], signing: 2 });
  });

  it("trust only the new CA at the end (drop-old-ca)", () => {
    assert.deepEqual(caGenerations({ generation: 1, stage: "drop-old-ca" }), { trusted: [1], signing: 1 });
  });

  it("number the states consecutively across generations, and back", () => {
    const states = [undefined, ...[1, 2].flatMap((generation) => CA_ROTATION_STAGES.map((stage) => ({ generation, stage })))];
    assert.deepEqual(states.map(caRotationStep), [0, 1, 2, 3, 4, 5, 6]);
    assert.deepEqual(
      states.map((state) => caRotationAtStep(caRotationStep(state))),
      states,
    );
  });

  it("write and read the instance tag", () => {
    assert.equal(caRotationTagValue({ generation: 3, stage: "reissue-leaves" }), "3/reissue-leaves");
    assert.deepEqual(parseCaRotationTag("3/reissue-leaves"), { generation: 3, stage: "reissue-leaves" });
    assert.equal(parseCaRotationTag(undefined), undefined);
    assert.throws(() => parseCaRotationTag("0/trust-both"), /not a CA rotation tag/);
    assert.throws(() => parseCaRotationTag("1/swap"), /not a CA rotation tag/);
  });

  it("bundle CA certificates one after the other, and keep a single CA byte for byte", () => {
    const a = "-----BEGIN CERTIFICATE-----\nA\n-----END CERTIFICATE-----";
    const b = "-----BEGIN CERTIFICATE-----\nB\n-----END CERTIFICATE-----\n";
    assert.equal(caBundlePem([a]), a);
    assert.equal(caBundlePem([a, b]), `${a}\n${b}`);
  });
});
