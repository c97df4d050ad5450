// Flag parsing for the CLIs: Node's util.parseArgs, with its errors turned into one
// short line that names the flag.
import { parseArgs, type ParseArgsConfig } from "node:util";

type Options = NonNullable<ParseArgsConfig["options"]>;

export type ParsedArgs<O extends Options> =
    | { readonly ok: true; readonly values: ReturnType<typeof parseArgs<{ options: O; allowPositionals: true; strict: true }>>["values"]; readonly positionals: string[] }
    | { readonly ok: false; readonly error: string };

/** Parses `argv` strictly; on error, a one-line reason such as `unknown option --x`, `--stack needs a value` or `--merge takes no value`. */
export function parseFlags<O extends Options>(argv: readonly string[], options: O): ParsedArgs<O> {
    try {
        const { values, positionals } = parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
        return { ok: true, values, positionals };
    } catch (error) {
        const code = (error as { code?: string }).code;
        // Node names a flag with a short alias as '-h, --help': name the long one.
        const quoted = /'([^']+)'/.exec((error as Error).message)?.[1] ?? "";
        const flag = /--[A-Za-z0-9-]+/.exec(quoted)?.[0] ?? /-{1,2}[^, <]+/.exec(quoted)?.[0] ?? "";
        if (code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") {
            return { ok: false, error: `unknown option ${flag}` };
        }
        if (code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE") {
            // Node says "does not take an argument" for a switch given a value (`--merge=true`).
            const given = argv.find((a) => a.startsWith(`${flag}=`));
            return /does not take an argument/.test((error as Error).message)
                ? { ok: false, error: `${flag} takes no value${given === undefined ? "" : ` (given ${JSON.stringify(given.slice(flag.length + 1))})`}; it is a switch: write ${flag} alone to turn it on, or leave it out` }
                : { ok: false, error: `${flag} needs a value` };
        }
        return { ok: false, error: (error as Error).message.split("\n")[0] };
    }
}
