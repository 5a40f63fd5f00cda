/**
 * Every file a member's host receives, read back from a program run the way the instance gets
 * them: the user data's `write_files` (the bootstrap) and the files of the bundle object its
 * runcmd names, after the digest check the bootstrap makes. Shared by the plan, the graph tests and
 * the e2e harness, which judge the rendered files exactly as the instance would receive them.
 */
import { createHash } from "node:crypto";
import { gunzipSync } from "node:zlib";
import { parseTar } from "nanotar";
import { parse } from "yaml";
import { ETCD_CONFIG_FILE } from "../../src/core/member/ports-and-paths";
import { bundleReference, cloudInitFiles, memberCloudConfig, type InstalledFile } from "./cloud-init-files";
import type { ProgramRun, RecordedResource } from "./run-record";
import { SecretValue, type RecordedValue } from "./recorded-value";

/** The resource type of a member's bundle object (src/pulumi/member-bundle-object.ts). */
export const BUNDLE_OBJECT_TYPE = "aws:s3/bucketObjectv2:BucketObjectv2";

/** The files of a bundle archive (gzip-compressed tar), in archive order, paths made absolute. */
export function bundleArchiveFiles(archive: Uint8Array): readonly InstalledFile[] {
  return parseTar(gunzipSync(archive)).map((entry) => {
    if (entry.type !== "file") throw new Error(`bundle entry ${entry.name} is a ${String(entry.type)}, not a file`);
    return {
      path: `/${entry.name}`,
      permissions: (entry.attrs?.mode ?? "").replace(/^0*/, "").padStart(4, "0"),
      content: entry.text,
    };
  });
}

function text(value: RecordedValue | undefined, what: string): string {
  const plain = value instanceof SecretValue ? value.value : value;
  if (typeof plain !== "string") throw new Error(`${what} is not a known string in the program's run`);
  return plain;
}

/**
 * The bundle object a member's user data names, its archive checked against the pinned digest;
 * fails when the run declares no such object or its content hashes otherwise (the bootstrap would
 * refuse it).
 */
export function memberBundleArchive(run: ProgramRun, userData: string): Uint8Array {
  const reference = bundleReference(userData);
  const object = run.resources.find((resource) => resource.type === BUNDLE_OBJECT_TYPE && resource.inputs["key"] === reference.key);
  if (object === undefined) throw new Error(`the program declares no bundle object with key ${reference.key}`);
  const archive = Buffer.from(text(object.inputs["contentBase64"], `${object.name}.contentBase64`), "base64");
  const sha256 = createHash("sha256").update(archive).digest("hex");
  if (sha256 !== reference.sha256) throw new Error(`${object.name} hashes to ${sha256}, the user data pins ${reference.sha256}`);
  return archive;
}

/** Every file the instance's member receives: the user data's own, then its bundle's. */
export function memberFiles(run: ProgramRun, instance: RecordedResource): readonly InstalledFile[] {
  const userData = memberCloudConfig(text(instance.inputs["userDataBase64"], `${instance.name}.userDataBase64`));
  return [...cloudInitFiles(userData), ...bundleArchiveFiles(memberBundleArchive(run, userData))];
}

/** The content of the file at `path` among `files`; fails when there is none. */
export function installedFile(files: readonly InstalledFile[], path: string): string {
  const file = files.find((entry) => entry.path === path);
  if (file === undefined) throw new Error(`the member receives no ${path}`);
  return file.content;
}

/** The etcd configuration file among a member's files (`--config-file`), parsed: keys are etcd's flag names. */
export function etcdConfigOf(files: readonly InstalledFile[]): Readonly<Record<string, unknown>> {
  return parse(installedFile(files, ETCD_CONFIG_FILE)) as Record<string, unknown>;
}
