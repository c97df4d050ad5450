// Output of the local function's processes, line by line, each with the name of the
// process it came from, and the last lines of each kept for one-line failure reports.
import * as readline from "node:readline";
import type { Readable } from "node:stream";

export type LogSource = "rie" | "collector" | "adapter";
export type LogSink = (source: LogSource, line: string) => void;

/** Writes `source: line` to stderr, as the CLI prints the processes' logs. */
export const stderrSink: LogSink = (source, line) => {
    process.stderr.write(`${source}: ${line}\n`);
};

export class LogLines {
    private readonly recent: Record<LogSource, string[]> = { rie: [], collector: [], adapter: [] };

    constructor(private readonly sink: LogSink, private readonly keep = 20) {}

    /** Reads `stream` line by line as `source`'s output. */
    follow(source: LogSource, stream: Readable): void {
        const lines = readline.createInterface({ input: stream, crlfDelay: Infinity });
        lines.on("line", (line) => this.add(source, line));
        // A stream destroyed at stop ends the interface; its errors are not the function's.
        stream.on("error", () => undefined);
    }

    add(source: LogSource, line: string): void {
        const kept = this.recent[source];
        kept.push(line);
        if (kept.length > this.keep) kept.shift();
        this.sink(source, line);
    }

    /** The last `count` lines of `source`. */
    last(source: LogSource, count = 3): string[] {
        return this.recent[source].slice(-count);
    }

    /**
     * The most telling recent output of `source`, as one line: a fatal message with the
     * lines after it (the collector prints `Error: ...` and its causes on the next
     * lines when it refuses a config), else the last error line, else the last line.
     */
    reason(source: LogSource): string | undefined {
        const kept = this.recent[source];
        let from = -1;
        for (let i = kept.length - 1; i >= 0 && from === -1; i--) if (/^(Error:|panic:|fatal)/i.test(kept[i])) from = i;
        if (from !== -1) return kept.slice(from).map((l) => l.trim()).filter(Boolean).join(" ");
        const error = [...kept].reverse().find((l) => /\berror\b|\bpanic\b|\bfatal\b/i.test(l));
        return (error ?? kept[kept.length - 1])?.trim();
    }
}
