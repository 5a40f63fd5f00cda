/**
 * The member's metrics endpoint and CloudWatch publication (member-metrics.sh as installed), run for
 * real: real certificates from openssl, an HTTP request on stdin as the socket hands it over, the
 * answer judged by `promtool check metrics`, and a recording `aws` on PATH.
 */
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { renderMemberMetricsScript } from "../../../src/core/member/scripts/member-metrics";
import { memberMetricsDir, DEFAULT_HOST_PATHS, DEFAULT_VOLUME_MOUNT_POINTS } from "../../../src/core/member/ports-and-paths";
import {
  MEMBER_METRICS_SERVICE_TEMPLATE_NAME,
  MEMBER_METRICS_SOCKET_NAME,
  CERTIFICATE_METRICS_SERVICE_NAME,
  CERTIFICATE_METRICS_TIMER_NAME,
  renderMemberMetricsUnits,
} from "../../../src/core/member/member-metrics-units";
import { mapHostPath, mapScriptHostPaths } from "../../../dev/local-cluster/host-paths";
import { toolAvailable, verifySystemdUnit } from "../../support/linters";

const DAY = 86400;
const root = mkdtempSync(join(tmpdir(), "etcd-member-metrics-"));
after(() => rmSync(root, { recursive: true, force: true }));

const installed = renderMemberMetricsScript({
  clusterName: "etcd-prod",
  memberName: "etcd-prod-1",
  region: "eu-west-1",
  paths: DEFAULT_HOST_PATHS,
  mounts: DEFAULT_VOLUME_MOUNT_POINTS,
  backupIntervalSeconds: 1800,
  renewalWindowSeconds: 30 * DAY,
});
const script = join(root, "etcd-member-metrics");
writeFileSync(script, mapScriptHostPaths(installed, root), { mode: 0o755 });

/** A self-signed certificate valid `days` days, at the member's certificate path for `name`. */
function certificate(name: string, days: number): void {
  const dir = mapHostPath(root, DEFAULT_HOST_PATHS.certDir);
  mkdirSync(dir, { recursive: true });
  execFileSync(
    "openssl",
    [
      "req",
      "-x509",
      "-newkey",
      "ec",
      "-pkeyopt",
      "ec_paramgen_curve:P-256",
      "-nodes",
      "-days",
      String(days),
      "-subj",
      `/CN=${name}`,
      "-keyout",
      join(dir, `${name}.key`),
      "-out",
      join(dir, `${name}.crt`),
    ],
    { stdio: "ignore" },
  );
}
certificate("ca", 3650);
certificate("server", 365);
certificate("peer", 20);

/** notAfter of a certificate file, seconds since the epoch, as openssl reads it. */
function notAfter(name: string): number {
  const end = execFileSync("openssl", ["x509", "-noout", "-enddate", "-in", mapHostPath(root, `${DEFAULT_HOST_PATHS.certDir}/${name}.crt`)], { encoding: "utf8" });
  return Math.floor(Date.parse(end.trim().replace(/^notAfter=/, "")) / 1000);
}

const metricsDir = mapHostPath(root, memberMetricsDir(DEFAULT_VOLUME_MOUNT_POINTS));
mkdirSync(metricsDir, { recursive: true });
writeFileSync(join(metricsDir, "backup.prom"), "# TYPE etcd_backup_last_success_timestamp_seconds gauge\netcd_backup_last_success_timestamp_seconds 1764755000\n");

function request(head: string): { status: number | null; stdout: string } {
  const result = spawnSync(script, ["serve"], { input: head, encoding: "utf8" });
  return { status: result.status, stdout: result.stdout };
}

describe("member metrics endpoint (etcd-member-metrics serve)", () => {
  const answer = request("GET /metrics HTTP/1.1\r\nHost: 10.0.1.10:2382\r\nAccept: text/plain\r\n\r\n");
  const [head, body] = answer.stdout.split("\r\n\r\n");

  it("answers GET /metrics with 200 and the exact length of the body", () => {
    assert.equal(answer.status, 0);
    assert.match(head, /^HTTP\/1\.0 200 OK\r\n/);
    assert.match(head, /\r\nContent-Type: text\/plain; version=0\.0\.4\r\n/);
    assert.equal(Number(/Content-Length: (\d+)/.exec(head)?.[1]), Buffer.byteLength(body));
  });

  it("serves text that promtool accepts as Prometheus metrics", (t) => {
    if (!toolAvailable(t, "promtool")) return;
    const check = spawnSync("promtool", ["check", "metrics"], { input: body, encoding: "utf8" });
    // Exit 3 with "no help text" lines is its lint of the (deliberately) missing HELP lines, kept
    // out of the user data for size; a parse error exits 1.
    const findings = `${check.stdout}${check.stderr}`.split("\n").filter(Boolean);
    assert.ok(check.status === 0 || check.status === 3, `${check.status}: ${findings.join("; ")}`);
    assert.deepEqual(
      findings.filter((line) => !line.endsWith(" no help text")),
      [],
    );
  });

  it("reports the backup interval, the renewal window and each certificate's notAfter", () => {
    assert.match(body, /^etcd_backup_interval_seconds 1800$/m);
    assert.match(body, new RegExp(`^etcd_certificate_renewal_window_seconds ${30 * DAY}$`, "m"));
    for (const name of ["ca", "server", "peer"]) {
      assert.match(body, new RegExp(`^etcd_certificate_expiry_timestamp_seconds\\{certificate="${name}"\\} ${notAfter(name)}$`, "m"));
    }
  });

  it("passes on the backup script's metric file", () => {
    assert.match(body, /^etcd_backup_last_success_timestamp_seconds 1764755000$/m);
  });

  it("answers any other request with 404", () => {
    assert.match(request("GET / HTTP/1.1\r\n\r\n").stdout, /^HTTP\/1\.0 404 Not Found\r\n/);
    assert.match(request("POST /metrics HTTP/1.1\r\n\r\n").stdout, /^HTTP\/1\.0 404 Not Found\r\n/);
  });
});

describe("certificate metric for CloudWatch (etcd-member-metrics publish)", () => {
  const bin = join(root, "bin");
  mkdirSync(bin, { recursive: true });
  const calls = join(root, "aws-calls");
  const fakeAws = (exitCode: number) => {
    writeFileSync(join(bin, "aws"), `#!/bin/sh\necho "$*" >>${calls}\nexit ${exitCode}\n`);
    chmodSync(join(bin, "aws"), 0o755);
  };
  const publish = () => spawnSync(script, ["publish"], { encoding: "utf8", env: { ...process.env, PATH: `${bin}:${process.env["PATH"]}` } });

  it("publishes the shortest remaining life among the CA, server and peer certificates, in the cluster's namespace", () => {
    fakeAws(0);
    const before = Math.floor(Date.now() / 1000);
    const result = publish();
    assert.equal(result.status, 0, result.stderr);
    const call = readFileSync(calls, "utf8").trim();
    const value = Number(/--value (\d+)/.exec(call)?.[1]);
    assert.match(
      call,
      /^cloudwatch put-metric-data --region eu-west-1 --namespace etcd\/etcd-prod --metric-name CertificateSecondsToExpiry --unit Seconds --value \d+$/,
    );
    // The peer certificate (20 days) is the first to expire.
    assert.ok(Math.abs(value - (notAfter("peer") - before)) <= 5, `${value}`);
    assert.match(result.stdout, /^etcd-member-metrics: OK etcd-prod-1 of cluster etcd-prod: shortest certificate life \d+s published to etcd\/etcd-prod$/m);
  });

  it("fails the run when CloudWatch refuses the data", () => {
    fakeAws(255);
    const result = publish();
    assert.equal(result.status, 1);
    assert.match(result.stderr, /^etcd-member-metrics: FAILED: put-metric-data CertificateSecondsToExpiry into etcd\/etcd-prod/m);
  });
});

describe("member metrics units", () => {
  const units = renderMemberMetricsUnits("etcd-prod-1");

  it("pass systemd-analyze verify", (t) => {
    if (!toolAvailable(t, "systemd-analyze")) return;
    const checks: [string, string, Record<string, string>][] = [
      [MEMBER_METRICS_SOCKET_NAME, units.socket, { [MEMBER_METRICS_SERVICE_TEMPLATE_NAME]: units.serviceTemplate }],
      [MEMBER_METRICS_SERVICE_TEMPLATE_NAME, units.serviceTemplate, {}],
      [CERTIFICATE_METRICS_SERVICE_NAME, units.publication.service, {}],
      [CERTIFICATE_METRICS_TIMER_NAME, units.publication.timer, { [CERTIFICATE_METRICS_SERVICE_NAME]: units.publication.service }],
    ];
    for (const [name, unit, companions] of checks) {
      const report = verifySystemdUnit(name, unit, companions);
      assert.ok(report.passed, `${name}: ${report.output}`);
    }
  });

  it("listen on port 2382 and hand each connection to one serve process running as etcd", () => {
    const socket = units.socket.split("\n");
    const service = units.serviceTemplate.split("\n");
    for (const line of ["ListenStream=2382", "Accept=yes", "WantedBy=sockets.target"]) assert.ok(socket.includes(line), line);
    for (const line of [
      "ExecStart=/usr/local/sbin/etcd-member-metrics serve",
      "StandardInput=socket",
      "StandardOutput=socket",
      "User=etcd",
      "ProtectSystem=strict",
    ]) {
      assert.ok(service.includes(line), line);
    }
  });

  it("publish the certificate metric hourly", () => {
    assert.ok(units.publication.timer.split("\n").includes("OnCalendar=hourly"));
    assert.ok(units.publication.service.split("\n").includes("ExecStart=/usr/local/sbin/etcd-member-metrics publish"));
  });
});
