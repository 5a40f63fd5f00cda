/**
 * The certificate a member actually serves on its client port, read from a TLS handshake made with
 * the admin identity: it shows a member still running with an old certificate, which the stack's
 * `certificateExpiries` (what the program issued) cannot.
 */
import { connect as tlsConnect } from "node:tls";
import { REQUEST_TIMEOUT_MS, type ClusterAccess } from "./cluster-access";

/** notAfter of the server certificate `endpoint` presents, or the reason it could not be read. */
export function servedCertificateExpiry(access: ClusterAccess, endpoint: string): Promise<Date | Error> {
  const url = new URL(endpoint);
  return new Promise((resolve) => {
    const socket = tlsConnect({
      host: url.hostname,
      port: Number(url.port),
      ca: access.caCertificate,
      cert: access.clientCertificate,
      key: access.clientKey,
      timeout: REQUEST_TIMEOUT_MS,
    });
    const done = (result: Date | Error) => {
      socket.destroy();
      resolve(result);
    };
    socket.once("secureConnect", () => done(new Date(socket.getPeerCertificate().valid_to)));
    socket.once("timeout", () => done(new Error("TLS handshake timed out")));
    socket.once("error", (error: Error) => done(error));
  });
}
