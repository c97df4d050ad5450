// @pulumi/awsx, loaded when a Fargate collector is built, not when the package is
// imported: a Lambda stack never pays for loading it (about 0.3 s on top of
// @pulumi/aws, measured with require() on the project's 2-core CI machine).
import type * as awsxModule from "@pulumi/awsx";

export type Awsx = typeof awsxModule;

export function awsx(): Awsx {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require("@pulumi/awsx") as Awsx;
}
