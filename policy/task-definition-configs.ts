// Finds collector configs in an ECS task definition: `containerDefinitions` is a JSON
// string (aws.ecs.TaskDefinition), each container with `environment` ([{name, value}])
// and `secrets` ([{name, valueFrom}]). Detection per value is function-configs.ts's,
// so a config is found the same way in a container as in a function. A secret's
// value is never visible to the pack: the variable exists, its value is unknown
// (the component's token list keeps its known shape, as in the lint).
import { isRecord, type Finding } from "../rules/config-model";
import { detectCollectorConfig } from "../rules/detect";
import { CONTAINER_PORT } from "../rules/fargate-facts";
import { IMAGE, TOKENS_ENV_VAR, TOKENS_STAND_IN } from "../rules/lambda-facts";
import { readKnown, unwrapSecret } from "./engine/wire-format";
import type { FoundConfig, FunctionConfigs } from "./function-configs";

export interface ContainerConfigs extends FunctionConfigs {
    /** The container's name in the task definition. */
    readonly container: string;
    /** The port the load balancer reaches: 4318 when the container maps it, else its first mapped port; undefined with none. */
    readonly containerPort: number | undefined;
}

/**
 * The collector configs of every container of a planned task definition. Rethrows the
 * engine's unknown-value error when `containerDefinitions` is unknown at preview (it
 * usually is: it holds the image digest), so the pack says "can't run during
 * preview" and checks it at deployment, never a pass.
 */
export function taskDefinitionConfigsOf(props: unknown): ContainerConfigs[] {
    let unknown: Error | undefined;
    const text = readKnown(() => unwrapSecret(isRecord(props) ? props.containerDefinitions : undefined), (error) => {
        unknown = error;
    });
    if (unknown) throw unknown;
    let containers: unknown;
    try {
        containers = typeof text === "string" ? JSON.parse(text) : text;
    } catch {
        return [];
    }
    if (!Array.isArray(containers)) return [];
    return containers.filter(isRecord).map(containerConfigs);
}

function containerConfigs(container: Record<string, unknown>): ContainerConfigs {
    const environment: Record<string, string | undefined> = {};
    const configs: FoundConfig[] = [];
    const invalid: { key: string; finding: Finding }[] = [];
    for (const entry of Array.isArray(container.environment) ? container.environment.filter(isRecord) : []) {
        if (typeof entry.name !== "string") continue;
        const value = typeof entry.value === "string" ? entry.value : undefined;
        environment[entry.name] = value;
        if (value === undefined) continue;
        const detected = detectCollectorConfig(value, entry.name === IMAGE.configVariable);
        if (detected.kind === "config") configs.push({ key: entry.name, config: detected.config });
        else if (detected.kind === "broken") invalid.push({ key: entry.name, finding: detected.finding });
    }
    for (const entry of Array.isArray(container.secrets) ? container.secrets.filter(isRecord) : []) {
        if (typeof entry.name !== "string") continue;
        environment[entry.name] = entry.name === TOKENS_ENV_VAR ? TOKENS_STAND_IN : undefined;
    }
    const ports = (Array.isArray(container.portMappings) ? container.portMappings.filter(isRecord) : [])
        .map((m) => m.containerPort).filter((p): p is number => typeof p === "number");
    return {
        container: typeof container.name === "string" ? container.name : "",
        containerPort: ports.includes(CONTAINER_PORT) ? CONTAINER_PORT : ports[0],
        environmentKeys: new Set(Object.keys(environment)),
        environment,
        unknownKeys: new Set(),
        configs,
        invalid,
    };
}
