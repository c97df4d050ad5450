// The JavaScript types of a component's arguments, checked before any value: arguments
// arrive from TypeScript (as Outputs too), YAML, Python and Go with any JSON type. The
// machinery is shared; each component keeps its own table of kinds (LambdaCollector's
// is ARG_KINDS in components/lambda/validate.ts) and the backend presets theirs.
import * as pulumi from "@pulumi/pulumi";
import { editDistance } from "../../rules/edit-distance";

/**
 * What JavaScript type each argument must have. Checked first, because arguments
 * also arrive from YAML, Python and Go (through the component package) with any
 * JSON type, and from TypeScript as Outputs; the value checks below assume these
 * types. "plain" means known at preview (not an Output or a Promise); "input"
 * accepts an Output or a Promise too (the interface's `pulumi.Input<string>`).
 */
export type ArgKind =
    | "plain-string"
    | "plain-number"
    | "plain-boolean"
    | "input-string"
    | "string-list"
    | "string-record"
    | "input-string-record"
    | "object-record"
    | { readonly oneOf: readonly string[] };

const MAX_SHOWN = 60;

/** A value as the user wrote it, on one line and short: JSON where possible, never throwing. */
export function showValue(value: unknown): string {
    if (pulumi.Output.isInstance(value)) return "an Output";
    if (value instanceof Promise) return "a Promise";
    let shown: string;
    try {
        shown = typeof value === "bigint" ? `${value}n` : typeof value === "function" ? "a function" : typeof value === "symbol" ? value.toString() : JSON.stringify(value) ?? String(value);
    } catch {
        shown = Array.isArray(value) ? "an array" : "an object";
    }
    shown = shown.replace(/[\r\n\u2028\u2029]/g, (c) => JSON.stringify(c).slice(1, -1));
    return shown.length > MAX_SHOWN ? `${shown.slice(0, MAX_SHOWN - 3)}...` : shown;
}

/** "a string", "an array", "null" ...: what a value is, for the message. */
export function typeName(value: unknown): string {
    if (value === null) return "null";
    if (Array.isArray(value)) return "a list";
    if (pulumi.Output.isInstance(value)) return "an Output";
    if (value instanceof Promise) return "a Promise";
    const t = typeof value;
    return t === "object" ? "an object" : t === "undefined" ? "undefined" : `a ${t}`;
}

/** `field: 42 is a number`, or `field: is an Output` (whose value is not known yet). */
export function described(field: string, value: unknown): string {
    return pulumi.Output.isInstance(value) || value instanceof Promise || value === null
        ? `${field}: is ${typeName(value)}`
        : `${field}: ${showValue(value)} is ${typeName(value)}`;
}

/** `field` followed by `key` as written in a message: `environment.API_KEY`, or `environment["a b"]`. */
export function memberField(field: string, key: string): string {
    return /^[A-Za-z0-9_-]+$/.test(key) ? `${field}.${key}` : `${field}[${JSON.stringify(key)}]`;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value) && !pulumi.Output.isInstance(value) && !(value instanceof Promise);
}

export function isInput(value: unknown): boolean {
    return typeof value === "string" || pulumi.Output.isInstance(value) || value instanceof Promise;
}

/** Why a plain value must be plain: preview checks it, and an Output is unknown then. */
export const PLAIN = "known at preview, not an Output";

/** One-line problems with `value` against `kind`, naming it `name` (none when undefined). */
export function kindProblems(name: string, kind: ArgKind, example: string | undefined, value: unknown): string[] {
    if (value === undefined) return [];
    const eg = example === undefined ? "" : `, e.g. ${name}: ${example}`;
    const shown = showValue(value);
    const is = value === null ? `${name}: is null (leave ${name} out for its default)` : described(name, value);
    if (typeof kind === "object") {
        return typeof value === "string"
            ? []
            : [`${is}; it must be one of ${kind.oneOf.map((v) => JSON.stringify(v)).join(", ")}, as a plain string ${PLAIN}`];
    }
    switch (kind) {
        case "plain-string":
            return typeof value === "string" ? [] : [`${is}; it must be a plain string ${PLAIN}${eg}`];
        case "plain-number": {
            if (typeof value === "number") return [];
            const asNumber = typeof value === "string" && value.trim() !== "" ? Number(value) : NaN;
            const fix = Number.isFinite(asNumber) ? `, so write ${name}: ${asNumber} (without quotes)` : eg;
            return [`${is}; it must be a plain number ${PLAIN}${fix}`];
        }
        case "plain-boolean": {
            if (typeof value === "boolean") return [];
            const fix = value === "true" || value === "false" ? `, so write ${name}: ${value} (without quotes)` : "";
            return [`${is}; it must be true or false, ${PLAIN}${fix}`];
        }
        case "input-string":
            return isInput(value) ? [] : [`${is}; it must be a string (or an Output of one)${eg}`];
        case "string-list": {
            if (!Array.isArray(value)) {
                const fix = typeof value === "string" ? `, so write ${name}: [${shown}]` : eg;
                return [`${is}, not a list; it must be a list of plain strings ${PLAIN}${fix}`];
            }
            return value.flatMap((item, i) => typeof item === "string"
                ? []
                : [`${described(`${name}[${i}]`, item)}; every entry must be a plain string ${PLAIN}`]);
        }
        case "object-record": {
            if (!isPlainObject(value)) {
                return [`${is}, not an object; it must be an object of names to objects${eg}`];
            }
            return Object.entries(value).flatMap(([key, item]) => isPlainObject(item)
                ? []
                : [`${described(memberField(name, key), item)}; it must be a plain object ${PLAIN}${eg}`]);
        }
        case "string-record":
        case "input-string-record": {
            const what = kind === "string-record" ? `a plain string ${PLAIN}` : "a string (or an Output of one)";
            if (!isPlainObject(value)) {
                return [`${is}, not an object; it must be an object of names to values, each ${what}${eg}`];
            }
            return Object.entries(value).flatMap(([key, item]) => (kind === "string-record" ? typeof item === "string" : isInput(item))
                ? []
                
                : [`${described(memberField(name, key), item)}; it must be ${what}`]);
        }
    }
}

/** The declared JavaScript type of each argument of a function taking one object, e.g. a backend preset. */
export interface ArgumentSpec {
    readonly kinds: Readonly<Record<string, ArgKind>>;
    /** Arguments that must be given. */
    readonly required?: readonly string[];
    /** A right value of each argument, for the fix. */
    readonly examples?: Readonly<Record<string, string>>;
}

/**
 * One-line problems with the arguments `args` of `owner` (e.g. `honeycombBackend`):
 * not an object, a missing required argument, an unknown name, a wrong type. Each
 * line names `owner.argument`, so a call from JavaScript, YAML or Python fails with
 * the argument named instead of a TypeError deep in serialization.
 */
export function argumentsProblems(owner: string, spec: ArgumentSpec, args: unknown): string[] {
    if (!isPlainObject(args)) {
        return [`${owner}: ${args === undefined ? "was called without arguments" : args === null ? "is given null" : `${showValue(args)} is ${typeName(args)}`}; give it an object of arguments${spec.required?.length ? `, with at least ${spec.required.join(", ")}` : ""}`];
    }
    const problems: string[] = [];
    for (const name of spec.required ?? []) {
        if (args[name] === undefined) {
            const example = spec.examples?.[name];
            problems.push(`${owner}.${name}: is required${example === undefined ? "" : `, e.g. ${name}: ${example}`}`);
        }
    }
    for (const [key, value] of Object.entries(args)) {
        const kind = spec.kinds[key];
        if (kind === undefined) {
            const near = Object.keys(spec.kinds).filter((k) => editDistance(k.toLowerCase(), key.toLowerCase()) <= 2);
            problems.push(`${owner}.${/^[A-Za-z0-9_]+$/.test(key) ? key : JSON.stringify(key)}: is not an argument of ${owner} (given ${showValue(value)}); ${near.length > 0 ? `did you mean ${near.join(" or ")}?` : `its arguments are ${Object.keys(spec.kinds).join(", ")}`}`);
        } else {
            problems.push(...kindProblems(`${owner}.${key}`, kind, spec.examples?.[key], value).map((p) => p.replace(/, e\.g\. [^ ]+\.([A-Za-z]+): /, ", e.g. $1: ")));
        }
    }
    return problems;
}
