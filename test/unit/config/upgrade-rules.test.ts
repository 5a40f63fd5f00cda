import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { checkEtcdUpgrade, supportedUpgradePath } from "../../../src/core/config/upgrade-rules";

/** The members run `versions` (one per instance), all tagged. */
const running = (...versions: string[]) => ({ versions, unknownInstances: [] });

/** The message of the one refusal of `target` for members on `versions`; fails unless exactly one, on etcdVersion. */
function refusal(target: string, ...versions: string[]): string {
  const { errors } = checkEtcdUpgrade(target, running(...versions));
  assert.deepEqual(
    errors.map((error) => error.key),
    ["etcd-cluster:etcdVersion"],
  );
  return errors[0].message;
}

describe("etcd upgrade rules", () => {
  it("lets a new cluster (no member instance yet) start on any release", () => {
    assert.deepEqual(checkEtcdUpgrade("3.6.14", running()), { errors: [], warnings: [] });
  });

  it("allows keeping the release the members run", () => {
    assert.deepEqual(checkEtcdUpgrade("3.6.14", running("3.6.14", "3.6.14", "3.6.14")), { errors: [], warnings: [] });
  });

  it("allows a patch upgrade within 3.5", () => {
    assert.deepEqual(checkEtcdUpgrade("3.5.33", running("3.5.25", "3.5.25", "3.5.25")).errors, []);
  });

  it("allows the move to 3.6 from 3.5.32 or later", () => {
    assert.deepEqual(checkEtcdUpgrade("3.6.14", running("3.5.32", "3.5.33", "3.5.33")).errors, []);
  });

  it("allows finishing a rollout that stopped halfway between 3.5.33 and 3.6.14", () => {
    assert.deepEqual(checkEtcdUpgrade("3.6.14", running("3.6.14", "3.5.33", "3.5.33")).errors, []);
  });

  /** Each refusal, with the exact message: the key, both releases and the supported path (or etcd's procedure). */
  const refusals: readonly { behaviour: string; target: string; members: string; message: string }[] = [
    {
      behaviour: "refuses the move to 3.6 from a 3.5 release below 3.5.32, naming the path through 3.5.33",
      target: "3.6.14",
      members: "3.5.25",
      message:
        'etcd-cluster:etcdVersion is "3.6.14": the cluster runs etcd 3.5.25, and etcd\'s 3.5 → 3.6 upgrade guide requires every ' +
        "member on 3.5.32 or later first; upgrade 3.5.25 → 3.5.33 → 3.6.14, one `pulumi up` each",
    },
    {
      behaviour: "refuses a skip of a minor version, naming each line in between",
      target: "3.6.14",
      members: "3.4.30",
      message:
        'etcd-cluster:etcdVersion is "3.6.14": the cluster runs etcd 3.4.30 and this would skip from 3.4 to 3.6; etcd upgrades ' +
        "one minor version at a time: upgrade 3.4.30 → 3.5.33 → 3.6.14, one `pulumi up` each",
    },
    {
      behaviour: "refuses a downgrade from 3.6 to 3.5 and points to etcd's downgrade procedure",
      target: "3.5.33",
      members: "3.6.14",
      message:
        'etcd-cluster:etcdVersion is "3.5.33": the cluster runs etcd 3.6.14 and this would downgrade it to 3.5.33, which a ' +
        "rolling replacement cannot do: etcd's downgrade procedure (https://etcd.io/docs/v3.6/downgrades/downgrade_3_6/) starts " +
        "with `etcdctl downgrade validate` and `etcdctl downgrade enable`; keep 3.6.14, or follow that procedure by hand",
    },
  ];
  for (const { behaviour, target, members, message } of refusals) {
    it(behaviour, () => {
      assert.equal(refusal(target, members, members, members), message);
    });
  }

  it("judges a half-finished 3.5 patch rollout by its lowest member", () => {
    assert.match(refusal("3.6.14", "3.5.33", "3.5.33", "3.5.16"), /the cluster runs etcd 3\.5\.16, .* upgrade 3\.5\.16 → 3\.5\.33 → 3\.6\.14/);
  });

  it("refuses going back while a rollout to 3.6 stopped halfway: one member already runs 3.6", () => {
    assert.match(refusal("3.5.33", "3.6.14", "3.5.33", "3.5.33"), /the cluster runs etcd 3\.6\.14 and this would downgrade it to 3\.5\.33/);
  });

  it("refuses a patch downgrade too", () => {
    assert.match(refusal("3.6.14", "3.6.15", "3.6.15", "3.6.15"), /the cluster runs etcd 3\.6\.15 and this would downgrade it to 3\.6\.14/);
  });

  it("warns, naming them, about member instances whose release it cannot know", () => {
    const findings = checkEtcdUpgrade("3.6.14", { versions: ["3.6.14"], unknownInstances: ["i-0abc", "i-0def"] });
    assert.deepEqual(findings.errors, []);
    assert.match(findings.warnings[0].message, /neither an etcd:version tag nor the user data of instances i-0abc, i-0def names the release/);
  });

  it("the supported path goes through the newest pinned release of each line", () => {
    assert.deepEqual(supportedUpgradePath("3.5.25", "3.6.14"), ["3.5.25", "3.5.33", "3.6.14"]);
    assert.deepEqual(supportedUpgradePath("3.5.32", "3.6.14"), ["3.5.32", "3.6.14"]);
    assert.deepEqual(supportedUpgradePath("3.5.16", "3.5.33"), ["3.5.16", "3.5.33"]);
  });
});
