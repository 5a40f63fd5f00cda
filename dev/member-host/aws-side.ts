/**
 * What AWS holds for the members, read generically from one offline program run: every SSM
 * parameter the program declares and every S3 object it uploads (aws:s3 BucketObject/BucketObjectv2,
 * whatever they hold), and each instance's launch data (instance ID, user data, ENI address,
 * attached volume IDs and sizes). The drill's AWS CLI stub serves the first two inside each member.
 */
import { readFileSync } from "node:fs";
import type { ProgramRun, RecordedResource } from "../mock-runtime/run-record";
import { SecretValue, ssmParameterValue, type RecordedValue } from "../mock-runtime/recorded-value";

const INSTANCE = "aws:ec2/instance:Instance";
const ATTACHMENT = "aws:ec2/volumeAttachment:VolumeAttachment";
const PARAMETER = "aws:ssm/parameter:Parameter";
const S3_OBJECT_TYPES = new Set(["aws:s3/bucketObject:BucketObject", "aws:s3/bucketObjectv2:BucketObjectv2"]);

/** A volume as the program declared it. */
export interface DeclaredVolume {
  readonly volumeId: string;
  readonly sizeGiB: number;
}

/** One instance as EC2 would launch it. */
export interface DeclaredInstance {
  /** The etcd member name: the instance's `Name` tag. */
  readonly name: string;
  readonly instanceId: string;
  /** User data as EC2 stores it (decoded from userDataBase64). */
  readonly userData: Buffer;
  /** The primary private address of the instance's ENI. */
  readonly ip: string;
  /** Volumes attached to it, in declaration order. */
  readonly volumes: readonly DeclaredVolume[];
}

/** SSM and S3 as the program leaves them. */
export interface AwsSide {
  /** Parameter name → value (SecureStrings decrypted, as `--with-decryption` returns them). */
  readonly parameters: ReadonlyMap<string, string>;
  /** `<bucket>/<key>` → bytes. */
  readonly objects: ReadonlyMap<string, Buffer>;
  readonly instances: readonly DeclaredInstance[];
}

function plain(value: RecordedValue | undefined): RecordedValue | undefined {
  return value instanceof SecretValue ? value.value : value;
}

function plainText(recorded: RecordedValue | undefined, what: string): string {
  const value = plain(recorded);
  if (typeof value !== "string") throw new Error(`${what} is not a string in the program's run`);
  return value;
}

function text(resource: RecordedResource, key: string): string {
  return plainText(resource.state[key], `${resource.name}.${key}`);
}

/** An S3 object's bytes: `content`, `contentBase64`, or a `source` asset (its text or file path). */
function objectBytes(resource: RecordedResource): Buffer {
  const { content, contentBase64, source } = resource.state;
  if (typeof plain(content) === "string") return Buffer.from(plain(content) as string);
  if (typeof plain(contentBase64) === "string") return Buffer.from(plain(contentBase64) as string, "base64");
  const asset = plain(source);
  if (typeof asset === "string") return asset.startsWith("/") ? readFileSync(asset) : Buffer.from(asset);
  throw new Error(`S3 object ${resource.name}: no content the drill can serve`);
}

/** Reads the AWS side out of an update run (every value known). */
export function awsSideOf(run: ProgramRun): AwsSide {
  const ofType = (type: string) => run.resources.filter((resource) => resource.type === type);
  const byId = new Map(run.resources.filter((resource) => resource.id !== undefined).map((resource) => [resource.id, resource]));
  const parameters = new Map(
    ofType(PARAMETER).map((parameter) => [text(parameter, "name"), plainText(ssmParameterValue(parameter.state), `${parameter.name}.value`)]),
  );
  const objects = new Map(
    run.resources
      .filter((resource) => S3_OBJECT_TYPES.has(resource.type))
      .map((object) => [`${text(object, "bucket")}/${text(object, "key")}`, objectBytes(object)]),
  );
  const instances = ofType(INSTANCE).map((instance): DeclaredInstance => {
    const instanceId = instance.id ?? "";
    const volumes = ofType(ATTACHMENT)
      .filter((attachment) => attachment.state["instanceId"] === instanceId)
      .map((attachment) => {
        const volume = byId.get(text(attachment, "volumeId"));
        return { volumeId: text(attachment, "volumeId"), sizeGiB: Number(volume?.state["size"] ?? 1) };
      });
    const tags = plain(instance.state["tags"]) as Record<string, string>;
    return {
      name: String(tags["Name"]),
      instanceId,
      userData: Buffer.from(text(instance, "userDataBase64"), "base64"),
      ip: text(instance, "privateIp"),
      volumes,
    };
  });
  return { parameters, objects, instances };
}
