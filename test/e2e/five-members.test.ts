import { describe } from "node:test";
import { availabilityDrills } from "./drills/availability-drills";
import { replacementDrill } from "./drills/replacement-drill";
import { tlsRefusalDrills } from "./drills/tls-refusal-drills";
import { renderedBlueprint } from "../../dev/local-cluster/program-blueprint";
import { sharedCluster } from "./support/shared-cluster";

describe("5 members as the dev stack renders them, on real etcd", () => {
  const cluster = sharedCluster("m5", () => renderedBlueprint(5));
  availabilityDrills(cluster);
  replacementDrill(cluster);
  tlsRefusalDrills(cluster);
});
