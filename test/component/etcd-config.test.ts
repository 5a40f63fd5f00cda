/**
 * The etcd configuration every member receives in its bundle (/etc/etcd/etcd.conf.yml), read
 * back as the instance would: TLS everywhere with certificate authentication for clients and
 * peers, the member's own ENI address, and one static initial cluster shared by all members.
 *
 * Update runs only: the configuration holds the members' ENI addresses, which AWS assigns, so in
 * a preview the user data is unknown and there is nothing to read yet.
 */
import assert from "node:assert/strict";
import { it } from "node:test";
import { ETCD_PORTS } from "../../src/core/member/ports-and-paths";
import { etcdConfigOf, memberFiles } from "../../dev/mock-runtime/received-files";
import type { ProgramRun } from "../../dev/mock-runtime/run-record";
import { byMember, TYPES } from "../support/resource-graph";
import { describeEachStackRun } from "../support/stack-runs";
import { recordedText } from "../../dev/mock-runtime/recorded-value";

interface RenderedMember {
  readonly member: string;
  /** The member ENI's private address. */
  readonly ip: string;
  readonly etcdConfig: Readonly<Record<string, unknown>>;
}

function renderedMembers(run: ProgramRun): RenderedMember[] {
  const interfaces = byMember(run, TYPES.networkInterface);
  return [...byMember(run, TYPES.instance)].map(([member, [instance]]) => ({
    member,
    ip: recordedText(interfaces.get(member)?.[0]?.state.privateIp),
    etcdConfig: etcdConfigOf(memberFiles(run, instance)),
  }));
}

/** The URLs of a config value: etcd takes URL lists comma-separated, `initial-cluster` as name=URL pairs. */
function urlsIn(value: unknown): string[] {
  return String(value)
    .split(",")
    .map((entry) => entry.slice(entry.indexOf("=") + 1));
}

const URL_KEYS = ["listen-peer-urls", "listen-client-urls", "advertise-client-urls", "initial-advertise-peer-urls", "initial-cluster"];

describeEachStackRun(
  "rendered etcd config",
  ({ run }) => {
    it("names every member after itself and advertises its own ENI address", () => {
      for (const { member, ip, etcdConfig } of renderedMembers(run())) {
        assert.equal(etcdConfig.name, member);
        assert.equal(etcdConfig["advertise-client-urls"], `https://${ip}:${ETCD_PORTS.client}`, member);
        assert.equal(etcdConfig["initial-advertise-peer-urls"], `https://${ip}:${ETCD_PORTS.peer}`, member);
      }
    });

    it("gives every member the same initial cluster: all members at their ENI addresses", () => {
      const members = renderedMembers(run());
      const expected = members.map(({ member, ip }) => `${member}=https://${ip}:${ETCD_PORTS.peer}`).sort();
      for (const { member, etcdConfig } of members) {
        assert.deepEqual(String(etcdConfig["initial-cluster"]).split(",").sort(), expected, member);
        assert.equal(etcdConfig["initial-cluster-token"], members[0]?.etcdConfig["initial-cluster-token"], member);
      }
    });

    it("serves and dials clients and peers over https only", () => {
      for (const { member, etcdConfig } of renderedMembers(run())) {
        for (const key of URL_KEYS) {
          for (const url of urlsIn(etcdConfig[key])) assert.match(url, /^https:\/\//, `${member} ${key}`);
        }
      }
    });

    it("serves plain-HTTP metrics on the metrics port only", () => {
      for (const { member, etcdConfig } of renderedMembers(run())) {
        for (const url of urlsIn(etcdConfig["listen-metrics-urls"])) {
          assert.equal(new URL(url).port, String(ETCD_PORTS.metrics), `${member} listen-metrics-urls ${url}`);
        }
      }
    });

    it("requires a certificate from the cluster CA of every client and peer", () => {
      for (const { member, etcdConfig } of renderedMembers(run())) {
        // The config file's keys for --client-cert-auth and --peer-client-cert-auth.
        for (const section of ["client-transport-security", "peer-transport-security"]) {
          const security = etcdConfig[section] as Record<string, unknown> | undefined;
          assert.equal(security?.["client-cert-auth"], true, `${member} ${section}.client-cert-auth`);
          assert.ok(security?.["trusted-ca-file"], `${member} ${section}.trusted-ca-file`);
          assert.notEqual(security?.["auto-tls"], true, `${member} ${section}.auto-tls`);
        }
      }
    });
  },
  ["update"],
);
