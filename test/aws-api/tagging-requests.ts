/**
 * One tag as each tagging API the program's resources call receives it (resource-requests.ts):
 * EC2 tag specifications (instances, volumes, ENIs, security groups and rules), IAM roles and
 * instance profiles, SSM parameters, S3 bucket tagging and the DLM policy's tag map.
 */
import { serviceModel } from "./botocore-models";
import { checkRequest, type ApiRequest, type Violation } from "./shape-check";

function taggingRequests(key: string, value: string): ApiRequest[] {
  const list = [{ Key: key, Value: value }];
  return [
    { service: "ec2", operation: "CreateVolume", input: { TagSpecifications: [{ ResourceType: "volume", Tags: list }] } },
    { service: "iam", operation: "CreateRole", input: { Tags: list } },
    { service: "iam", operation: "CreateInstanceProfile", input: { Tags: list } },
    { service: "ssm", operation: "PutParameter", input: { Tags: list } },
    { service: "s3", operation: "PutBucketTagging", input: { Tagging: { TagSet: list } } },
    { service: "dlm", operation: "CreateLifecyclePolicy", input: { Tags: { [key]: value } } },
  ];
}

/** What the tagging APIs refuse about this tag (other members of the requests are left out and not judged). */
export function tagViolations(key: string, value: string): Violation[] {
  return taggingRequests(key, value).flatMap((request) =>
    checkRequest(serviceModel(request.service), request).violations.filter((violation) => violation.rule !== "required"),
  );
}
