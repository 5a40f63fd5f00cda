/**
 * Member storage: a data volume and a WAL volume per member, gp3 and encrypted, sized and
 * provisioned as configured, in the member's AZ, attached only to the member's own instance, and
 * protected where the stack protects its data.
 */
import assert from "node:assert/strict";
import { it } from "node:test";
import { availabilityZoneOf } from "../../dev/mock-runtime/fake-network";
import type { RecordedResource } from "../../dev/mock-runtime/run-record";
import { byMember, inputComesFrom, resourcesOfType, TYPES, volumeRoleOf } from "../support/resource-graph";
import { describeEachStackRun } from "../support/stack-runs";
import { recordedText } from "../../dev/mock-runtime/recorded-value";

describeEachStackRun("volumes", ({ config, region, run }) => {
  const volumesOf = (member: string): RecordedResource[] => byMember(run(), TYPES.volume).get(member) ?? [];
  const members = () => [...byMember(run(), TYPES.instance).keys()];

  it("gives every member one data volume and one WAL volume of its own", () => {
    for (const member of members()) {
      assert.deepEqual(volumesOf(member).map(volumeRoleOf).sort(), ["data", "wal"], `volumes of ${member}`);
    }
  });

  it("places every volume in the availability zone of its member's subnet", () => {
    const interfaces = byMember(run(), TYPES.networkInterface);
    for (const member of members()) {
      const subnetId = recordedText(interfaces.get(member)?.[0]?.inputs.subnetId);
      const zone = availabilityZoneOf(region, config.subnetIds.indexOf(subnetId));
      for (const volume of volumesOf(member)) assert.equal(volume.inputs.availabilityZone, zone, volume.name);
    }
  });

  it("makes every volume an encrypted gp3 volume with the configured KMS key", () => {
    for (const member of members()) {
      for (const volume of volumesOf(member)) {
        assert.equal(volume.inputs.type, "gp3", volume.name);
        assert.equal(volume.inputs.encrypted, true, volume.name);
        assert.equal(volume.inputs.kmsKeyId, config.kmsKeyId, volume.name);
      }
    }
  });

  it("sizes and provisions every volume as its role is configured", () => {
    for (const member of members()) {
      for (const volume of volumesOf(member)) {
        const settings = volumeRoleOf(volume) === "data" ? config.dataVolume : config.walVolume;
        assert.deepEqual(
          { size: volume.inputs.size, iops: volume.inputs.iops, throughput: volume.inputs.throughput },
          { size: settings.sizeGiB, iops: settings.iops, throughput: settings.throughputMiBps },
          volume.name,
        );
      }
    }
  });

  it(`protects and retains the volumes exactly when protectData is set (here ${config.protectData})`, () => {
    for (const member of members()) {
      for (const volume of volumesOf(member)) {
        assert.equal(volume.options.protect, config.protectData, `${volume.name} protect`);
        assert.equal(volume.options.retainOnDelete, config.protectData, `${volume.name} retainOnDelete`);
      }
    }
  });

  it("attaches every volume once, to its own member's instance", () => {
    const everyAttachment = resourcesOfType(run(), TYPES.volumeAttachment);
    for (const [member, [instance]] of byMember(run(), TYPES.instance)) {
      for (const volume of volumesOf(member)) {
        const attaching = everyAttachment.filter((attachment) => inputComesFrom(attachment, "volumeId", volume));
        assert.equal(attaching.length, 1, `attachments of ${volume.name}`);
        assert.ok(instance && inputComesFrom(attaching[0], "instanceId", instance), `${volume.name} attaches to ${member}'s instance`);
      }
    }
  });
});
