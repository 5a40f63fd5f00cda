/** Every AWS API call an offline run's resources make, checked against the models. */
import type { ProgramRun } from "../../dev/mock-runtime/run-record";
import { serviceModel } from "./botocore-models";
import { isAwsApiType, resourceTypeRow } from "../../dev/resource-types/resource-type-table";
import { apiRequestsOf } from "./resource-requests";
import { checkRequest, type BoundedString, type Violation } from "./shape-check";

/** What checking one run found. */
export interface RunFindings {
  /** Declared resource types without a row in dev/resource-types/resource-type-table.ts. */
  readonly unmappedTypes: readonly string[];
  /** `<type> <input path>` of inputs a mapping did not send. */
  readonly unreadInputs: readonly string[];
  /** Values AWS would refuse, with the resource's logical name. */
  readonly violations: readonly (Violation & { readonly resource: string })[];
  /** Every length-bounded string sent, with the resource's logical name. */
  readonly boundedStrings: readonly (BoundedString & { readonly resource: string })[];
}

/** Checks every custom resource of an update run; components and non-AWS types are skipped as such. */
export function checkProgramRun(run: ProgramRun, region: string): RunFindings {
  const customResources = run.resources.filter((resource) => resource.custom);
  const unmappedTypes = [...new Set(customResources.map((resource) => resource.type).filter((type) => resourceTypeRow(type) === undefined))];
  const unreadInputs = new Set<string>();
  const violations: (Violation & { resource: string })[] = [];
  const boundedStrings: (BoundedString & { resource: string })[] = [];
  for (const resource of customResources) {
    if (!isAwsApiType(resource.type)) continue;
    const { requests, unread } = apiRequestsOf(resource, region);
    for (const path of unread) unreadInputs.add(`${resource.type} ${path}`);
    for (const request of requests) {
      const checked = checkRequest(serviceModel(request.service), request);
      violations.push(...checked.violations.map((violation) => ({ ...violation, resource: resource.name })));
      boundedStrings.push(...checked.boundedStrings.map((bounded) => ({ ...bounded, resource: resource.name })));
    }
  }
  return { unmappedTypes, unreadInputs: [...unreadInputs], violations, boundedStrings };
}

/** One line per violation: resource, where, value, rule, source. */
export function describeViolations(violations: RunFindings["violations"]): string {
  return violations.map((v) => `${v.resource}: ${v.where} = ${JSON.stringify(v.value)?.slice(0, 120)} breaks ${v.rule} (${v.source})`).join("\n");
}
