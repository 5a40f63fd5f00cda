/**
 * AWS's side of the host drill at the network boundary: an HTTP server in the hub namespace that
 * the members' AWS CLI stub (aws-cli-stub.sh) calls, and that serves the etcd release. Members
 * reach it over their own network, so a sandboxed unit (ProtectSystem=strict, as the backup
 * service) calls it as it would call AWS. It stores everything below one directory:
 *   GET  /release/<path>             <dir>/release/<path>
 *   GET  /ssm/<parameter name>       <dir>/ssm/<name>: the parameter's value
 *   GET  /s3/<bucket>/<key>          <dir>/s3/<bucket>/<key>
 *   GET  /s3-metadata/<bucket>/<key> its user metadata, name=value lines
 *   PUT  /s3/<bucket>/<key>          stores an upload; metadata from the x-stub-metadata header (a,b=c)
 *   POST /cloudwatch/metric-data     appends the body (one PutMetricData call as a line) to <dir>/cloudwatch/metric-data
 * Run as its own process: `node --import tsx aws-endpoint.ts <dir> <address> <port>`.
 */
import { appendFileSync, createReadStream, existsSync, mkdirSync, statSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { dirname, join, normalize } from "node:path";

const [dir = "", address = "", port = ""] = process.argv.slice(2);

/** The stored file for a request path, or undefined for a path outside the store. */
function storedFile(path: string): string | undefined {
  const relative = normalize(decodeURIComponent(path)).replace(/^\/+/, "");
  const [area = "", ...rest] = relative.split("/");
  const file = area === "s3-metadata" ? `${join(dir, "s3", ...rest)}.metadata` : join(dir, area, ...rest);
  return ["release", "ssm", "s3", "s3-metadata", "cloudwatch"].includes(area) && !relative.includes("..") ? file : undefined;
}

const server = createServer((request, response) => {
  const file = storedFile(new URL(request.url ?? "/", "http://stub").pathname);
  if (file === undefined) return void response.writeHead(400).end("unknown AWS stub path\n");
  if (request.method === "PUT" && file.startsWith(join(dir, "s3"))) {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, Buffer.concat(chunks));
      writeFileSync(
        `${file}.metadata`,
        String(request.headers["x-stub-metadata"] ?? "")
          .split(",")
          .join("\n"),
      );
      response.writeHead(200).end();
    });
    return;
  }
  if (request.method === "POST" && file === join(dir, "cloudwatch", "metric-data")) {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      mkdirSync(dirname(file), { recursive: true });
      appendFileSync(file, `${Buffer.concat(chunks).toString().trim()}\n`);
      response.writeHead(200).end();
    });
    return;
  }
  if (request.method !== "GET") return void response.writeHead(405).end();
  if (!existsSync(file) || !statSync(file).isFile()) return void response.writeHead(404).end("not found\n");
  response.writeHead(200, { "content-length": statSync(file).size });
  createReadStream(file).pipe(response);
});
server.listen(Number(port), address);
