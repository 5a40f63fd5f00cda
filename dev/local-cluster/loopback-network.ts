/**
 * Separate hosts on one machine, on loopback addresses only. etcd checks a dialling peer's
 * certificate SANs against the connection's source address (client/pkg/transport/listener_tls.go),
 * so members sharing one loopback (all dialling from 127.0.0.1) would refuse each other's correct
 * certificates. Here every member gets a network namespace holding only its own 127.0.0.x address,
 * joined by a veth pair to a bridge in a hub namespace; the test's clients run in the hub (from
 * HUB_CLIENT_IP). Each member then dials from its own address, exactly as separate hosts do.
 *
 * 127/8 addresses on a non-loopback interface need `route_localnet`, set inside the namespaces only
 * (never on the host). Each namespace's `lo` keeps just 127.0.0.1/32, so the kernel's local route
 * for all of 127/8 does not swallow traffic meant for the other hosts.
 */
import { execFileSync } from "node:child_process";
import { deleteNamespace, onCleanup, runScopedName } from "./cleanup";

/** The hub's own address on the bridge: where etcdctl and the test's client connect from. */
export const HUB_CLIENT_IP = "127.0.0.2";

const BRIDGE = "br0";
/** Interface name of a host's end of its veth pair, inside the host's namespace. */
const HOST_INTERFACE = "eth0";

function ip(...args: string[]): void {
  execFileSync("ip", args, { stdio: ["ignore", "ignore", "pipe"] });
}

/** Creates a namespace that routes 127/8 over its interfaces and keeps only 127.0.0.1 on `lo`. */
function addNamespace(namespace: string): () => void {
  ip("netns", "add", namespace);
  const remove = onCleanup(() => deleteNamespace(namespace));
  ip("netns", "exec", namespace, "sysctl", "-qw", "net.ipv4.conf.all.route_localnet=1", "net.ipv4.conf.default.route_localnet=1");
  ip("-n", namespace, "link", "set", "lo", "up");
  ip("-n", namespace, "addr", "del", "127.0.0.1/8", "dev", "lo");
  ip("-n", namespace, "addr", "add", "127.0.0.1/32", "dev", "lo");
  return remove;
}

/** A hub namespace with a bridge, and one namespace per host address plugged into it. */
export class LoopbackNetwork {
  /** Namespace of the test's clients (etcdctl, the load generator). */
  readonly hubNamespace: string;
  private readonly hosts = new Map<string, { namespace: string; remove: () => void }>();
  private readonly removeHub: () => void;

  /** `label` keeps the namespaces of two networks of one test process apart. */
  constructor(private readonly label: string) {
    this.hubNamespace = runScopedName(`${label}-hub`);
    this.removeHub = addNamespace(this.hubNamespace);
    ip("-n", this.hubNamespace, "link", "add", BRIDGE, "type", "bridge");
    ip("-n", this.hubNamespace, "link", "set", BRIDGE, "up");
    ip("-n", this.hubNamespace, "addr", "add", `${HUB_CLIENT_IP}/8`, "dev", BRIDGE);
  }

  /** Adds a host owning `address` (127.0.0.x); returns its namespace. */
  addHost(address: string): string {
    const octet = address.split(".").at(-1) ?? address;
    const namespace = runScopedName(`${this.label}-${octet}`);
    const hubPort = `h${octet}`;
    const remove = addNamespace(namespace);
    ip("-n", namespace, "link", "add", HOST_INTERFACE, "type", "veth", "peer", "name", hubPort, "netns", this.hubNamespace);
    ip("-n", this.hubNamespace, "link", "set", hubPort, "master", BRIDGE);
    ip("-n", this.hubNamespace, "link", "set", hubPort, "up");
    ip("-n", namespace, "addr", "add", `${address}/8`, "dev", HOST_INTERFACE);
    ip("-n", namespace, "link", "set", HOST_INTERFACE, "up");
    this.hosts.set(address, { namespace, remove });
    return namespace;
  }

  /** The namespace of the host owning `address`. */
  namespaceOf(address: string): string {
    const host = this.hosts.get(address);
    if (host === undefined) throw new Error(`no host owns ${address} in network ${this.label}`);
    return host.namespace;
  }

  /** Deletes every namespace of this network (killing what still runs in them). */
  destroy(): void {
    for (const host of this.hosts.values()) host.remove();
    this.hosts.clear();
    this.removeHub();
  }
}
