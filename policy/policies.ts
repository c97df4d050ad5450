// Every policy of the pack, in one explicit list (tests import this, never index.ts,
// whose PolicyPack starts the analyzer server): one per collector-config rule of the
// registry, then the two policies about the function and its image.
import type { Policies } from "@pulumi/policy";
import { lambdaImageManifest } from "./lambda-image-manifest";
import { minimumMemory } from "./minimum-memory";
import { rulePolicies } from "./rule-policies";

export const policies: Policies = [...rulePolicies, minimumMemory, lambdaImageManifest];
