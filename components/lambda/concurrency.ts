// Reserved concurrency against the account's quota. Lambda refuses a reservation that
// would leave fewer than 100 unreserved executions (AWS Lambda docs,
// configuration-concurrency.html), and it refuses it only after the function exists,
// mid-deploy. The quota is read with the Service Quotas data source when the deployer
// may read it; the check is skipped, with a log line, when it may not.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/** Service Quotas code of Lambda's "Concurrent executions" quota (service code `lambda`). */
export const CONCURRENCY_QUOTA_CODE = "L-B99A9384";
/** Unreserved executions Lambda always keeps per account and region. */
export const UNRESERVED_MINIMUM = 100;

/** One-line problem when `reserved` does not fit an account whose concurrency quota is `quota`. */
export function reservedConcurrencyQuotaProblem(reserved: number, quota: number): string | undefined {
    const most = quota - UNRESERVED_MINIMUM;
    if (reserved <= most) return undefined;
    return most < 1
        ? `reservedConcurrency: ${reserved} cannot be reserved: this account's concurrency quota in this region is ${quota}, and Lambda keeps ${UNRESERVED_MINIMUM} unreserved, so no function may reserve any; leave reservedConcurrency unset, or request a higher "Concurrent executions" quota (Service Quotas, ${CONCURRENCY_QUOTA_CODE})`
        : `reservedConcurrency: ${reserved} is more than this account can reserve: its concurrency quota in this region is ${quota} and Lambda keeps ${UNRESERVED_MINIMUM} unreserved, so at most ${most} (less what other functions reserve); lower it, or request a higher "Concurrent executions" quota (Service Quotas, ${CONCURRENCY_QUOTA_CODE})`;
}

/**
 * The function's reservedConcurrentExecutions: `reserved`, failing the deployment with
 * one line (before the function is created or updated) when the account's quota is
 * known and too small. An unreadable quota (no servicequotas:GetServiceQuota) skips the check.
 */
export function checkedReservedConcurrency(reserved: number | undefined, parent: pulumi.Resource, fail: (message: string) => Error): pulumi.Input<number> | undefined {
    if (reserved === undefined) return undefined;
    const quota = aws.servicequotas.getServiceQuota({ serviceCode: "lambda", quotaCode: CONCURRENCY_QUOTA_CODE }, { parent })
        .then((q) => q.value)
        .catch(() => {
            pulumi.log.info(`reservedConcurrency: the account's concurrency quota could not be read (servicequotas:GetServiceQuota), so ${reserved} is not checked against it before the function is updated`, parent);
            return undefined;
        });
    return pulumi.output(quota).apply((value) => {
        const problem = value === undefined ? undefined : reservedConcurrencyQuotaProblem(reserved, value);
        if (problem) throw fail(problem);
        return reserved;
    });
}
