/**
 * How users connect to a cluster: the `etcdctl` environment and the kube-apiserver flags the
 * component exports. Pure; the output names it refers to are those index.ts exports.
 */

/** Stack output names the snippets tell users to save to files. */
export const CLIENT_CREDENTIAL_OUTPUTS = {
  caCertificate: "caCertificate",
  adminCertificate: "adminClientCertificate",
  adminKey: "adminClientKey",
} as const;

/** Where kube-apiserver reads its etcd client files: kubeadm's paths. */
export const KUBE_APISERVER_ETCD_FILES = {
  ca: "/etc/kubernetes/pki/etcd/ca.crt",
  cert: "/etc/kubernetes/pki/apiserver-etcd-client.crt",
  key: "/etc/kubernetes/pki/apiserver-etcd-client.key",
} as const;

/**
 * A shell snippet for etcdctl as `admin`: the commands that save the credentials from the stack's
 * outputs into `<cluster>-*.{crt,key}` in the current directory (the key readable by its owner only),
 * then the ETCDCTL_* variables pointing at them and at every member's client URL.
 */
export function renderEtcdctlEnvironment(clusterName: string, clientEndpoints: readonly string[]): string {
  const files = { ca: `${clusterName}-ca.crt`, cert: `${clusterName}-admin.crt`, key: `${clusterName}-admin.key` };
  return [
    `# Save the admin credentials once (from the stack's directory):`,
    `#   pulumi stack output ${CLIENT_CREDENTIAL_OUTPUTS.caCertificate} > ${files.ca}`,
    `#   pulumi stack output ${CLIENT_CREDENTIAL_OUTPUTS.adminCertificate} > ${files.cert}`,
    `#   (umask 077; pulumi stack output --show-secrets ${CLIENT_CREDENTIAL_OUTPUTS.adminKey} > ${files.key})`,
    `export ETCDCTL_API=3`,
    `export ETCDCTL_ENDPOINTS=${clientEndpoints.join(",")}`,
    `export ETCDCTL_CACERT="$PWD/${files.ca}"`,
    `export ETCDCTL_CERT="$PWD/${files.cert}"`,
    `export ETCDCTL_KEY="$PWD/${files.key}"`,
    "",
  ].join("\n");
}

/** kube-apiserver's etcd flags, with the client files at kubeadm's paths (KUBE_APISERVER_ETCD_FILES). */
export function kubeApiserverEtcdFlags(clientEndpoints: readonly string[]): string[] {
  return [
    `--etcd-servers=${clientEndpoints.join(",")}`,
    `--etcd-cafile=${KUBE_APISERVER_ETCD_FILES.ca}`,
    `--etcd-certfile=${KUBE_APISERVER_ETCD_FILES.cert}`,
    `--etcd-keyfile=${KUBE_APISERVER_ETCD_FILES.key}`,
  ];
}
