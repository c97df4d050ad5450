// The policy pack. Run it with `pulumi preview --policy-pack policy` from the
// project root; dependencies resolve from the project's node_modules.
import { PolicyPack } from "@pulumi/policy";
import { policies } from "./policies";

new PolicyPack("otel-lambda-collector", { policies });
