/**
 * A small program for the offline runtime's own tests: one of each thing the real program does
 * that the runtime must handle (config, invokes, a tls key and certificate, an ENI whose address
 * AWS assigns, options, a secret parameter, a log message, exports).
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as tls from "@pulumi/tls";

const config = new pulumi.Config("fixture");
const subnetId = config.require("subnetId");
const subnet = aws.ec2.getSubnetOutput({ id: subnetId });

const key = new tls.PrivateKey("key", { algorithm: "ECDSA", ecdsaCurve: "P256" });
const certificate = new tls.SelfSignedCert("certificate", {
  privateKeyPem: key.privateKeyPem,
  validityPeriodHours: 24,
  allowedUses: ["server_auth"],
  subject: { commonName: "fixture" },
});

const eni = new aws.ec2.NetworkInterface("eni", { subnetId });
const volume = new aws.ebs.Volume(
  "data",
  { availabilityZone: subnet.availabilityZone, size: config.requireNumber("sizeGiB"), type: "gp3", encrypted: true },
  { protect: true, retainOnDelete: true },
);
new aws.ssm.Parameter("key-parameter", { name: "/fixture/key", type: "SecureString", value: key.privateKeyPem });
const instance = new aws.ec2.Instance(
  "instance",
  {
    instanceType: "t3.micro",
    ami: aws.ssm.getParameterOutput({ name: "/aws/service/fixture/ami" }).value,
    primaryNetworkInterface: { networkInterfaceId: eni.id },
    userData: pulumi.interpolate`#cloud-config\nhostname: ${eni.privateDnsName}\n`,
  },
  { deleteBeforeReplace: true, dependsOn: [volume] },
);

void pulumi.log.warn("fixture: a warning for the diagnostics");

export const address = eni.privateIp;
export const certificatePem = certificate.certPem;
export const privateKeyPem = key.privateKeyPem;
export const instanceId = instance.id;
// An invoke the offline cloud has no answer for, when the test asks for one: nothing awaits it,
// as nothing awaits a failing lookup whose result only feeds a resource.
if (config.getBoolean("lookUpVpc")) aws.ec2.getVpcOutput({ id: "vpc-0fffffffffffffff0" });
