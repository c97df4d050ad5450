// The execution environment's file system, made without touching the machine's own
// /opt: a private folder holds `extensions/lambda-adapter`, and the emulator runs in a
// private mount namespace (`unshare --mount`) in which that folder is bind-mounted on
// /opt. The Runtime Interface Emulator looks for extensions only in /opt/extensions:
// the path is a constant (`defaultAgentLocation`, internal/lambda/rapid/handlers.go)
// joined with the supervisor's root, which `NewLocalSupervisor` fixes at "/"
// (internal/lambda/supervisor/local_supervisor.go), both @bef5c4b. The mount exists only
// inside the namespace and ends with its last process; the machine's /opt is never
// changed, even if this process is killed.
//
// Each process's output goes to a FIFO of its own, so the logs can be told apart:
// RIE itself hands the runtime and the extensions its own stdout/stderr. The wrappers
// `exec` the real binaries, so the process Lambda would see (its pid, its environment,
// its arguments) is the binary itself.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { spawnSync } from "node:child_process";

/** The name Lambda gives the adapter in /opt/extensions (collector/Dockerfile COPY), which is also the name it registers with. */
export const ADAPTER_EXTENSION_NAME = "lambda-adapter";

export interface Sandbox {
    /** The private folder (removed by {@link removeSandbox}). */
    readonly root: string;
    /** Mounted on /opt inside the namespace. */
    readonly opt: string;
    /** The runtime wrapper: RIE's bootstrap, which execs the collector with the CMD's arguments. */
    readonly bootstrap: string;
    readonly fifos: { readonly collector: string; readonly adapter: string };
}

/** A one-line reason the sandbox cannot be made, with the fix. */
export class SandboxError extends Error {}

/** Makes the private folder: /opt's stand-in with the adapter, the runtime wrapper and the log FIFOs. */
export function makeSandbox(binaries: { collector: string; adapter: string }): Sandbox {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "otel-lambda-collector-local-"));
    try {
        const opt = path.join(root, "opt");
        fs.mkdirSync(path.join(opt, "extensions"), { recursive: true });
        const fifos = { collector: path.join(root, "collector.log"), adapter: path.join(root, "adapter.log") };
        const made = spawnSync("mkfifo", ["-m", "600", fifos.collector, fifos.adapter], { encoding: "utf8" });
        if (made.status !== 0) {
            throw new SandboxError(`cannot make the log FIFOs in ${root} (mkfifo: ${(made.error?.message ?? made.stderr).trim()}); install coreutils`);
        }
        const adapter = path.join(opt, "extensions", ADAPTER_EXTENSION_NAME);
        writeScript(adapter, `exec ${quote(binaries.adapter)} >>${quote(fifos.adapter)} 2>&1`);
        const bootstrap = path.join(root, "bootstrap");
        writeScript(bootstrap, `exec ${quote(binaries.collector)} "$@" >>${quote(fifos.collector)} 2>&1`);
        return { root, opt, bootstrap, fifos };
    } catch (error) {
        fs.rmSync(root, { recursive: true, force: true });
        throw error;
    }
}

export function removeSandbox(sandbox: Sandbox): void {
    fs.rmSync(sandbox.root, { recursive: true, force: true });
}

/**
 * The command that starts `argv` in a private mount namespace with `sandbox.opt` on
 * /opt. As root, `unshare --mount`; otherwise also a user namespace mapping this user
 * to root (`--map-root-user`), which unprivileged user namespaces allow. `unshare`
 * and `sh` exec in place (no --fork), so the spawned pid is the emulator's.
 */
export function namespacedCommand(sandbox: Sandbox, argv: readonly string[]): { command: string; args: string[] } {
    const asRoot = process.getuid?.() === 0;
    return {
        command: "unshare",
        args: [
            ...(asRoot ? [] : ["--user", "--map-root-user"]),
            "--mount", "--propagation", "private", "--",
            "/bin/sh", "-c", 'mount --bind "$1" /opt || exit 97; shift; exec "$@"', "sh", sandbox.opt, ...argv,
        ],
    };
}

/** Exit status the namespace command uses when the bind mount fails (see {@link namespacedCommand}). */
export const MOUNT_FAILED_STATUS = 97;

/** The one-line fix for a namespace or mount that could not be made. */
export function namespaceProblem(output: string): string {
    const reason = output.split("\n").map((l) => l.trim()).filter(Boolean).slice(-1)[0] ?? "no output";
    if (!fs.existsSync("/opt")) {
        return "cannot mount the private extensions folder: this machine has no /opt to mount it on; create the empty folder /opt (it is only mounted over inside a private namespace)";
    }
    return `cannot make a private mount namespace for /opt/extensions (${reason}); run as root, or allow unprivileged user namespaces (sysctl kernel.unprivileged_userns_clone=1 / kernel.apparmor_restrict_unprivileged_userns=0)`;
}

function writeScript(file: string, line: string): void {
    fs.writeFileSync(file, `#!/bin/sh\n# Written by otel-lambda-collector-local: send this process's output to its own log stream.\n${line}\n`, { mode: 0o755 });
}

/** A word for /bin/sh, single-quoted. */
function quote(text: string): string {
    return `'${text.replace(/'/g, `'\\''`)}'`;
}
