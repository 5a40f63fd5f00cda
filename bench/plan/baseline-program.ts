/**
 * The plan-speed baseline: a Pulumi program that registers `bench:resources` plain custom
 * resources with the bare SDK (@pulumi/pulumi only, no provider package, no computation), as many
 * as the real program registers for the member count measured.
 */
import * as pulumi from "@pulumi/pulumi";

class PlainResource extends pulumi.CustomResource {
  constructor(name: string, index: number) {
    super("bench:index:Plain", name, { index });
  }
}

const count = new pulumi.Config("bench").requireNumber("resources");
const resources = Array.from({ length: count }, (_, index) => new PlainResource(`plain-${index}`, index));

export const registered = resources.length;
