/**
 * AWS's machine-readable API models, as botocore ships them (`botocore/data/<service>/<api
 * version>/service-2.json`). Each operation's input is a tree of shapes; a string shape may carry
 * `pattern`, `min`, `max` and `enum`, a number shape `min` and `max`, a list or map shape `min`
 * and `max` entries. AWS generates the SDKs and its own request validation from these models.
 *
 * The models come from Debian's `python3-botocore` (bookworm: 1.29.27, models as of December
 * 2022); `.ci/run` installs it. `BOTOCORE_DATA_DIR` points elsewhere (e.g. a pip-installed
 * botocore's `data` directory) to check against a newer release.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";

/** Where Debian's python3-botocore installs the models. */
const DEBIAN_BOTOCORE_DIR = "/usr/lib/python3/dist-packages/botocore";

/** One shape of a model: the subset of botocore's shape format the checks read. */
export interface ModelShape {
  readonly type: "structure" | "list" | "map" | "string" | "integer" | "long" | "boolean" | "blob" | "timestamp" | "double" | "float";
  readonly members?: Readonly<Record<string, { readonly shape: string }>>;
  readonly required?: readonly string[];
  readonly member?: { readonly shape: string };
  readonly key?: { readonly shape: string };
  readonly value?: { readonly shape: string };
  readonly pattern?: string;
  readonly min?: number;
  readonly max?: number;
  readonly enum?: readonly string[];
}

/** A loaded service model and the file it came from. */
export interface ServiceModel {
  /** botocore's service directory name, e.g. `ec2`, `dlm`. */
  readonly service: string;
  /** The model file, e.g. `…/botocore/data/dlm/2018-01-12/service-2.json`. */
  readonly file: string;
  /** botocore's release (`botocore.__version__`), e.g. `1.29.27`. */
  readonly botocoreVersion: string;
  /** API version of the model (`metadata.apiVersion`), e.g. `2018-01-12`. */
  readonly apiVersion: string;
  readonly operations: Readonly<Record<string, { readonly input?: { readonly shape: string } }>>;
  readonly shapes: Readonly<Record<string, ModelShape>>;
}

/** The botocore package directory: `$BOTOCORE_DATA_DIR/..`, or Debian's. */
function botocoreDir(): string {
  const dataDir = process.env.BOTOCORE_DATA_DIR;
  return dataDir ? path.dirname(dataDir) : DEBIAN_BOTOCORE_DIR;
}

/** botocore's `__version__`, read from its `__init__.py`. */
function botocoreVersion(dir: string): string {
  const init = readFileSync(path.join(dir, "__init__.py"), "utf8");
  const match = /^__version__ = '([^']+)'/m.exec(init);
  if (!match) throw new Error(`no __version__ in ${dir}/__init__.py`);
  return match[1];
}

const loaded = new Map<string, ServiceModel>();

/** The newest API version's model of `service`; throws naming the package to install when absent. */
export function serviceModel(service: string): ServiceModel {
  const cached = loaded.get(service);
  if (cached) return cached;
  const dir = botocoreDir();
  const serviceDir = path.join(dir, "data", service);
  if (!existsSync(serviceDir)) {
    throw new Error(`no botocore model for ${service} in ${serviceDir}: install Debian's python3-botocore (bash .ci/run does) or set BOTOCORE_DATA_DIR`);
  }
  // API versions are ISO dates: the last in sort order is the current API.
  const apiVersion = readdirSync(serviceDir)
    .filter((entry) => /^\d{4}-\d{2}-\d{2}$/.test(entry))
    .sort()
    .at(-1);
  if (apiVersion === undefined) throw new Error(`no API version directory in ${serviceDir}`);
  const file = path.join(serviceDir, apiVersion, "service-2.json");
  const json = JSON.parse(readFileSync(file, "utf8")) as Pick<ServiceModel, "operations" | "shapes">;
  const model: ServiceModel = {
    service,
    file,
    botocoreVersion: botocoreVersion(dir),
    apiVersion,
    operations: json.operations,
    shapes: json.shapes,
  };
  loaded.set(service, model);
  return model;
}

/** Name of an operation's input shape; throws when the model has no such operation. */
export function operationInputShape(model: ServiceModel, operation: string): string {
  const shape = model.operations[operation]?.input?.shape;
  if (shape === undefined) throw new Error(`${model.service} ${model.apiVersion} has no operation ${operation} with an input`);
  return shape;
}
