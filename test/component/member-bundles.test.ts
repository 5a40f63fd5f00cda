/**
 * How each member's files reach it: a bundle object per member in the backup bucket, under the
 * member's own prefix and named by its digest; the instance's user data pins that digest and
 * waits for the object; and the user data stays small at the largest cluster with every option.
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { before, describe, it } from "node:test";
import { MAX_CLUSTER_NAME_LENGTH } from "../../src/core/config/formats";
import { memberBundlePrefix } from "../../src/core/member/member-bundle";
import { bundleReference, memberCloudConfig } from "../../dev/mock-runtime/cloud-init-files";
import { BUNDLE_OBJECT_TYPE, memberFiles } from "../../dev/mock-runtime/received-files";
import type { ProgramRun, RecordedResource } from "../../dev/mock-runtime/run-record";
import { runProgram } from "../../dev/mock-runtime/run-stack";
import { memberOf, onlyResourceOfType, resourcesOfType, TYPES } from "../support/resource-graph";
import { describeEachStackRun } from "../support/stack-runs";
import { recordedText } from "../../dev/mock-runtime/recorded-value";

const BUCKET = "aws:s3/bucket:Bucket";
const BUCKET_ENCRYPTION = "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration";
/** The target the user data is held to: half of EC2's 16 KiB, so growth shows long before `up` fails. */
const USER_DATA_TARGET_BYTES = 8192;

function userDataOf(instance: RecordedResource): string {
  return memberCloudConfig(recordedText(instance.inputs.userDataBase64));
}

/** The bundle object an instance's user data names. */
function bundleObjectOf(run: ProgramRun, instance: RecordedResource): RecordedResource {
  const { key } = bundleReference(userDataOf(instance));
  const objects = resourcesOfType(run, BUNDLE_OBJECT_TYPE).filter((object) => object.inputs.key === key);
  assert.equal(objects.length, 1, `${instance.name}: one bundle object with key ${key}`);
  return objects[0];
}

describeEachStackRun(
  "member bundles",
  ({ config, run }) => {
    it("declares one bundle object per member, in the backup bucket, under the member's own prefix", () => {
      const bucketName = onlyResourceOfType(run(), BUCKET).state.bucket;
      const instances = resourcesOfType(run(), TYPES.instance);
      assert.equal(resourcesOfType(run(), BUNDLE_OBJECT_TYPE).length, config.members);
      for (const instance of instances) {
        const object = bundleObjectOf(run(), instance);
        assert.equal(object.inputs.bucket, bucketName, object.name);
        assert.ok(recordedText(object.inputs.key).startsWith(memberBundlePrefix(config.clusterName, String(memberOf(instance)))), object.name);
      }
    });

    it("pins in each user data the SHA-256 of the member's bundle object, which names the object", () => {
      for (const instance of resourcesOfType(run(), TYPES.instance)) {
        const reference = bundleReference(userDataOf(instance));
        const content = Buffer.from(recordedText(bundleObjectOf(run(), instance).inputs.contentBase64), "base64");
        assert.equal(createHash("sha256").update(content).digest("hex"), reference.sha256, instance.name);
        assert.ok(reference.key.endsWith(`/bundle-${reference.sha256}.tar.gz`), reference.key);
      }
    });

    it("makes each instance wait for its own bundle object", () => {
      for (const instance of resourcesOfType(run(), TYPES.instance)) {
        const others = resourcesOfType(run(), BUNDLE_OBJECT_TYPE).filter((object) => object !== bundleObjectOf(run(), instance));
        assert.ok(instance.options.dependsOn.includes(bundleObjectOf(run(), instance).urn), instance.name);
        for (const other of others) assert.ok(!instance.options.dependsOn.includes(other.urn), `${instance.name} waits for ${other.name}`);
      }
    });

    it("writes each bundle only once the bucket's default encryption is set, and never protects it", () => {
      const encryption = onlyResourceOfType(run(), BUCKET_ENCRYPTION);
      for (const object of resourcesOfType(run(), BUNDLE_OBJECT_TYPE)) {
        assert.ok(object.options.dependsOn.includes(encryption.urn), object.name);
        assert.deepEqual([object.options.protect, object.options.retainOnDelete], [false, false], object.name);
      }
    });

    it(`keeps every member's user data within ${USER_DATA_TARGET_BYTES} bytes`, () => {
      for (const instance of resourcesOfType(run(), TYPES.instance)) {
        assert.ok(Buffer.byteLength(userDataOf(instance)) <= USER_DATA_TARGET_BYTES, instance.name);
      }
    });
  },
  ["update"],
);

describe("member bundles of the largest cluster with every option set", () => {
  const LONGEST_CLUSTER_NAME = `etcd-prod-${"x".repeat(MAX_CLUSTER_NAME_LENGTH - "etcd-prod-".length)}`;
  let run: ProgramRun;
  before(async () => {
    run = await runProgram({
      stack: "prod",
      preview: false,
      configOverrides: {
        members: 7,
        clusterName: LONGEST_CLUSTER_NAME,
        osImage: "debian13", // with the image stacks/Pulumi.prod.yaml pins
        kmsKeyId: "arn:aws:kms:eu-west-1:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab",
        etcdDownloadBaseUrl: `s3://etcd-release-mirror-111122223333-eu-west-1/${"mirrors/".repeat(8)}etcd`,
        restore: { snapshotUri: `s3://etcd-old-backups-1a2b3c4/${LONGEST_CLUSTER_NAME}/snapshots/${"a".repeat(200)}.db`, snapshotSha256: "f".repeat(64) },
      },
    });
  });

  it(`keeps every member's user data within ${USER_DATA_TARGET_BYTES} bytes`, () => {
    const instances = resourcesOfType(run, TYPES.instance);
    assert.equal(instances.length, 7);
    for (const instance of instances) {
      const bytes = Buffer.byteLength(userDataOf(instance));
      assert.ok(bytes <= USER_DATA_TARGET_BYTES, `${instance.name}: ${bytes} bytes`);
    }
  });

  it("lets each member read the release tarball from the S3 mirror, exactly that object, and its boot script fetch it with the AWS CLI", () => {
    for (const instance of resourcesOfType(run, TYPES.instance)) {
      const boot = memberFiles(run, instance).find((file) => file.path === "/usr/local/sbin/etcd-member-boot")?.content ?? "";
      const url = /^readonly etcd_url='(s3:\/\/[^']+)'$/m.exec(boot)?.[1];
      assert.match(
        url ?? "",
        /^s3:\/\/etcd-release-mirror-111122223333-eu-west-1\/(?:mirrors\/){8}etcd\/v(\d+\.\d+\.\d+)\/etcd-v\1-linux-amd64\.tar\.gz$/,
        instance.name,
      );
      const member = String(memberOf(instance));
      const index = member.slice(LONGEST_CLUSTER_NAME.length + 1);
      const role = resourcesOfType(run, "aws:iam/rolePolicy:RolePolicy").find((policy) => policy.name.endsWith(`-member-${index}-policy`));
      const statements = (JSON.parse(recordedText(role?.inputs.policy)) as { Statement: { Sid: string; Resource: string[] }[] }).Statement;
      const mirror = statements.find((statement) => statement.Sid === "ReadEtcdReleaseFromMirror");
      assert.deepEqual(mirror?.Resource, [`arn:aws:s3:::${url!.slice("s3://".length)}`], member);
    }
  });
});
