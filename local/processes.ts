// The processes of the execution environment, found under the emulator in /proc, and
// the signals that freeze, thaw and stop them. RIE starts the runtime and each
// extension in a process group of its own (`Setpgid: true`,
// internal/lambda/supervisor/local_supervisor.go @bef5c4b), so a signal to the
// emulator's group does not reach them: each is tracked and signalled by its pid.
import * as fs from "node:fs";

/** A process, identified by pid and start time so a reused pid is never signalled. */
export interface TrackedProcess {
    readonly pid: number;
    /** Field 22 of /proc/<pid>/stat (clock ticks after boot). */
    readonly startTime: string;
    /** The executable's path (/proc/<pid>/exe), for telling the collector from the adapter. */
    readonly exe: string;
}

interface Stat {
    readonly ppid: number;
    readonly state: string;
    readonly startTime: string;
}

/** /proc/<pid>/stat's fields after the command name (which may hold spaces and parentheses). */
function readStat(pid: number): Stat | undefined {
    let text: string;
    try {
        text = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    } catch {
        return undefined;
    }
    const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
    // fields[0] is field 3 (state), so field N is fields[N - 3].
    return { state: fields[0], ppid: Number(fields[1]), startTime: fields[19] };
}

/** The live children of `pid` (scanning /proc: `children` files need CONFIG_PROC_CHILDREN). */
export function childrenOf(pid: number): TrackedProcess[] {
    const found: TrackedProcess[] = [];
    for (const entry of fs.readdirSync("/proc")) {
        if (!/^\d+$/.test(entry)) continue;
        const child = Number(entry);
        const stat = readStat(child);
        if (stat?.ppid !== pid || stat.state === "Z") continue;
        let exe = "";
        try {
            exe = fs.readlinkSync(`/proc/${child}/exe`);
        } catch {
            // exited meanwhile, or not readable: still tracked by pid
        }
        found.push({ pid: child, startTime: stat.startTime, exe });
    }
    return found;
}

/** True while the very process `p` (not a later one with its pid) is alive and not a zombie. */
export function isAlive(p: TrackedProcess): boolean {
    const stat = readStat(p.pid);
    return stat !== undefined && stat.startTime === p.startTime && stat.state !== "Z";
}

/** Sends `signal` to `p` if it is still that process; false if it is gone. */
export function signalProcess(p: TrackedProcess, signal: NodeJS.Signals): boolean {
    if (!isAlive(p)) return false;
    try {
        process.kill(p.pid, signal);
        return true;
    } catch {
        return false;
    }
}

/** Peak resident memory (VmHWM) of a process in kB, or undefined once it is gone. */
export function peakRssKb(p: TrackedProcess): number | undefined {
    if (!isAlive(p)) return undefined;
    try {
        const match = /^VmHWM:\s+(\d+) kB$/m.exec(fs.readFileSync(`/proc/${p.pid}/status`, "utf8"));
        return match ? Number(match[1]) : undefined;
    } catch {
        return undefined;
    }
}
