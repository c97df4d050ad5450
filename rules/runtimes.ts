// The runtimes a collector config can be deployed to. A rule of the registry names
// the runtimes it applies to; each consumer says which runtime it is judging.

/** Where the collector runs: `lambda` (a function behind a Function URL) or `fargate` (an ECS service behind a load balancer). */
export const Runtime = { Lambda: "lambda", Fargate: "fargate" } as const;
export type Runtime = (typeof Runtime)[keyof typeof Runtime];
/** Every value of {@link Runtime}, in the order the docs list them. */
export const RUNTIMES: readonly Runtime[] = Object.values(Runtime);
/** The runtime when none is named: the project's original shape, so existing stacks, packs and lint runs are unchanged. */
export const DEFAULT_RUNTIME: Runtime = "lambda";
