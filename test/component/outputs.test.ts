/**
 * What a user reads after `pulumi up`: the fault-tolerance line, the client endpoints, the member
 * table and the admin credentials, the key among them secret.
 */
import assert from "node:assert/strict";
import { it } from "node:test";
import { faultToleranceLine } from "../../src/core/etcd/topology";
import { ETCD_PORTS } from "../../src/core/member/ports-and-paths";
import { availabilityZoneOf } from "../../dev/mock-runtime/fake-network";
import { recordedText, SecretValue } from "../../dev/mock-runtime/recorded-value";
import { byMember, TYPES, volumeRoleOf } from "../support/resource-graph";
import { describeEachStackRun } from "../support/stack-runs";

describeEachStackRun("outputs", ({ config, run }) => {
  it("state the fault tolerance of the configured size", () => {
    assert.equal(run().outputs.faultTolerance, faultToleranceLine(config.members));
    assert.match(recordedText(run().outputs.faultTolerance), new RegExp(`tolerates ${(config.members - 1) / 2} failed`));
  });
});

// Endpoints, addresses and IDs are assigned by AWS: known after an update, unknown in a preview.
describeEachStackRun(
  "outputs after an update",
  ({ config, region, run }) => {
    /** Member name and ENI, in member order (names sort like indexes: at most 7 members). */
    const interfaces = () => [...byMember(run(), TYPES.networkInterface)].map(([member, [eni]]) => ({ member, eni: eni }));

    it("list every member's https client endpoint, in member order", () => {
      const expected = interfaces().map(({ eni }) => `https://${recordedText(eni.state.privateIp)}:${ETCD_PORTS.client}`);
      assert.deepEqual(run().outputs.clientEndpoints, expected);
    });

    it("list every member with its zone, address, instance and volumes", () => {
      const instances = byMember(run(), TYPES.instance);
      const volumes = byMember(run(), TYPES.volume);
      const expected = interfaces().map(({ member, eni }) => {
        const volumeId = (role: string) => volumes.get(member)?.find((volume) => volumeRoleOf(volume) === role)?.id;
        return {
          name: member,
          availabilityZone: availabilityZoneOf(region, config.subnetIds.indexOf(recordedText(eni.inputs.subnetId))),
          privateIp: eni.state.privateIp,
          instanceId: instances.get(member)?.[0]?.id,
          dataVolumeId: volumeId("data"),
          walVolumeId: volumeId("wal"),
        };
      });
      assert.deepEqual(run().outputs.members, expected);
    });

    it("keep the admin client key secret", () => {
      assert.ok(run().outputs.adminClientKey instanceof SecretValue);
    });
  },
  ["update"],
);
