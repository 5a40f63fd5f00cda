import { test } from "node:test";
import assert from "node:assert/strict";
import { CA_ALLOWED_USES, leafAllowedUses, memberSubjectAltNames } from "../../src/core/pki/profiles";

test("the CA may sign certificates and nothing that would let it serve or dial", () => {
  assert.deepEqual([...CA_ALLOWED_USES].sort(), ["cert_signing", "crl_signing", "digital_signature"]);
});

test("server certificates serve clients and also authenticate as a client, for etcd's gRPC gateway", () => {
  assert.deepEqual(leafAllowedUses("server", "ECDSA"), ["digital_signature", "server_auth", "client_auth"]);
});

test("peer certificates both serve and dial other members", () => {
  const uses = leafAllowedUses("peer", "ECDSA");
  assert.ok(uses.includes("server_auth"));
  assert.ok(uses.includes("client_auth"));
});

test("client certificates authenticate clients only and can never serve", () => {
  assert.deepEqual(leafAllowedUses("client", "ECDSA"), ["digital_signature", "client_auth"]);
});

test("key encipherment is allowed for RSA keys only", () => {
  assert.ok(leafAllowedUses("server", "RSA").includes("key_encipherment"));
  assert.ok(leafAllowedUses("client", "RSA").includes("key_encipherment"));
  assert.ok(!leafAllowedUses("server", "ECDSA").includes("key_encipherment"));
});

test("a server certificate names the member's IP and DNS name plus the loopback address and localhost", () => {
  assert.deepEqual(memberSubjectAltNames("server", "10.0.1.10", "ip-10-0-1-10.ec2.internal"), {
    ipAddresses: ["10.0.1.10", "127.0.0.1"],
    dnsNames: ["ip-10-0-1-10.ec2.internal", "localhost"],
  });
});

test("a peer certificate names only the member's own IP and DNS name, never loopback", () => {
  assert.deepEqual(memberSubjectAltNames("peer", "10.0.1.10", "ip-10-0-1-10.ec2.internal"), {
    ipAddresses: ["10.0.1.10"],
    dnsNames: ["ip-10-0-1-10.ec2.internal"],
  });
});
