import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { checkShellScript, toolAvailable } from "../support/linters";
import { kubeApiserverEtcdFlags, renderEtcdctlEnvironment } from "../../src/core/plan/client-access";

const endpoints = ["https://10.0.1.10:2379", "https://10.0.2.10:2379", "https://10.0.3.10:2379"];

test("the etcdctl snippet sets the v3 API, every member's endpoint and the admin credential files", () => {
  const result = spawnSync("/bin/sh", ["-c", `cd /tmp && ${renderEtcdctlEnvironment("etcd-prod", endpoints)} env | grep ^ETCDCTL_ | sort`], { encoding: "utf8" });
  assert.equal(result.status, 0, result.stderr);
  assert.deepEqual(result.stdout.trim().split("\n"), [
    "ETCDCTL_API=3",
    "ETCDCTL_CACERT=/tmp/etcd-prod-ca.crt",
    "ETCDCTL_CERT=/tmp/etcd-prod-admin.crt",
    "ETCDCTL_ENDPOINTS=https://10.0.1.10:2379,https://10.0.2.10:2379,https://10.0.3.10:2379",
    "ETCDCTL_KEY=/tmp/etcd-prod-admin.key",
  ]);
});

test("the etcdctl snippet tells how to save each credential from the stack outputs, the key privately", () => {
  const snippet = renderEtcdctlEnvironment("etcd-prod", endpoints);
  assert.match(snippet, /pulumi stack output caCertificate > etcd-prod-ca\.crt/);
  assert.match(snippet, /pulumi stack output adminClientCertificate > etcd-prod-admin\.crt/);
  assert.match(snippet, /\(umask 077; pulumi stack output --show-secrets adminClientKey > etcd-prod-admin\.key\)/);
});

test("the snippet passes shellcheck", (t) => {
  if (!toolAvailable(t, "shellcheck")) return;
  const report = checkShellScript(renderEtcdctlEnvironment("etcd-prod", endpoints), "sh");
  assert.ok(report.passed, report.output);
});

test("kube-apiserver gets every member as an etcd server and kubeadm's client file paths", () => {
  assert.deepEqual(kubeApiserverEtcdFlags(endpoints), [
    "--etcd-servers=https://10.0.1.10:2379,https://10.0.2.10:2379,https://10.0.3.10:2379",
    "--etcd-cafile=/etc/kubernetes/pki/etcd/ca.crt",
    "--etcd-certfile=/etc/kubernetes/pki/apiserver-etcd-client.crt",
    "--etcd-keyfile=/etc/kubernetes/pki/apiserver-etcd-client.key",
  ]);
});
