/**
 * Records what the program asks of the engine. `pulumi.runtime.setMocks` installs a mock monitor
 * that hands only type, name and inputs to the mocks; resource options (protect, retainOnDelete,
 * deleteBeforeReplace, dependsOn, additionalSecretOutputs) exist only in the registration request.
 * This wraps the installed monitor to keep them, and does the one engine job the mock monitor
 * skips and our assertions rely on: marking `additionalSecretOutputs` secret (the tls and ssm
 * SDKs declare private keys and parameter values secret that way).
 */
import * as pulumi from "@pulumi/pulumi";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import type { RegisterResourceOutputsRequest, RegisterResourceRequest, RegisterResourceResponse } from "@pulumi/pulumi/proto/resource_pb";
import type { RecordedResource, SeenResourceOptions } from "./run-record";
import { decodeWireProperties, encodeWireSecret, isWireSecret, type RecordedProperties } from "./recorded-value";

type MonitorCallback<Response> = (error: Error | null, response: Response | undefined) => void;

/** The two calls of the mock monitor this wraps (pulumi/runtime/mocks.ts MockMonitor). */
interface ResourceRegistrationMonitor {
  registerResource(request: RegisterResourceRequest, callback: MonitorCallback<RegisterResourceResponse>): unknown;
  registerResourceOutputs(request: RegisterResourceOutputsRequest, callback: MonitorCallback<unknown>): unknown;
}

interface MutableRecord extends RecordedResource {
  state: RecordedProperties;
}

/** Resources in registration order; component state is filled in when they register outputs. */
export class RegistrationRecorder {
  private readonly byUrn = new Map<string, MutableRecord>();

  /** Every resource registered so far, in registration order. */
  get resources(): readonly RecordedResource[] {
    return [...this.byUrn.values()];
  }

  /**
   * Wraps the monitor `setMocks` installed for this run. Call after `setMocks` and before the
   * program declares its first resource.
   */
  attachTo(monitor: ResourceRegistrationMonitor): void {
    const registerResource = monitor.registerResource.bind(monitor);
    const registerResourceOutputs = monitor.registerResourceOutputs.bind(monitor);
    monitor.registerResource = (request, callback) =>
      registerResource(request, (error, response) => {
        if (!error && response) {
          markAdditionalSecretOutputs(response, request.getAdditionalsecretoutputsList());
          this.recordRegistration(request, response);
        }
        callback(error, response);
      });
    monitor.registerResourceOutputs = (request, callback) => {
      this.recordOutputs(request);
      return registerResourceOutputs(request, callback);
    };
  }

  private recordRegistration(request: RegisterResourceRequest, response: RegisterResourceResponse): void {
    const urn = response.getUrn();
    const parentUrn = request.getParent();
    const id = response.getId();
    this.byUrn.set(urn, {
      type: request.getType(),
      name: request.getName(),
      urn,
      ...(parentUrn ? { parentUrn } : {}),
      custom: request.getCustom(),
      ...(id ? { id } : {}),
      inputs: decodeWireProperties(request.getObject()?.toJavaScript() ?? {}),
      inputDependencies: inputDependencies(request),
      state: decodeWireProperties(response.getObject()?.toJavaScript() ?? {}),
      options: seenOptions(request),
    });
  }

  private recordOutputs(request: RegisterResourceOutputsRequest): void {
    const record = this.byUrn.get(request.getUrn());
    if (record) record.state = decodeWireProperties(request.getOutputs()?.toJavaScript() ?? {});
  }
}

function inputDependencies(request: RegisterResourceRequest): Record<string, readonly string[]> {
  const byInput: Record<string, readonly string[]> = {};
  request.getPropertydependenciesMap().forEach((dependencies, input) => {
    if (dependencies.getUrnsList().length > 0) byInput[input] = [...dependencies.getUrnsList()].sort();
  });
  return byInput;
}

function seenOptions(request: RegisterResourceRequest): SeenResourceOptions {
  const explainedByInputs = new Set(Object.values(inputDependencies(request)).flat());
  return {
    protect: request.getProtect() === true,
    retainOnDelete: request.getRetainondelete() === true,
    deleteBeforeReplace: request.getDeletebeforereplace(),
    dependsOn: request
      .getDependenciesList()
      .filter((urn) => !explainedByInputs.has(urn))
      .sort(),
    ignoreChanges: request.getIgnorechangesList(),
    replaceOnChanges: request.getReplaceonchangesList(),
    additionalSecretOutputs: request.getAdditionalsecretoutputsList(),
  };
}

function markAdditionalSecretOutputs(response: RegisterResourceResponse, secretOutputs: readonly string[]): void {
  if (secretOutputs.length === 0) return;
  const state = response.getObject()?.toJavaScript() ?? {};
  for (const key of secretOutputs) {
    const value = state[key];
    if (value !== undefined && value !== null && !isWireSecret(value)) state[key] = encodeWireSecret(value);
  }
  response.setObject(Struct.fromJavaScript(state));
}

/** The monitor `pulumi.runtime.setMocks` just installed. */
export function installedMockMonitor(): ResourceRegistrationMonitor {
  const monitor = pulumi.runtime.getMonitor();
  if (!monitor || !("registerResourceOutputs" in monitor)) throw new Error("no mock monitor installed: call setMocks first");
  return monitor;
}
