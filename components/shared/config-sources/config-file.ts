// Reading a collector config (or any small text input) from a file with the size cap
// applied before the read, not after: a device such as /dev/zero, a FIFO or a huge
// file is refused after reading at most the cap plus one byte.
import * as fs from "node:fs";
import { MAX_CONFIG_BYTES } from "../../../rules/config-model";

export type BoundedRead = { readonly text: string } | { readonly error: string };

/**
 * The text of `file` (a path, or 0 for standard input), or a short reason it was
 * not read: an error code (ENOENT, EISDIR...), or more than `maxBytes` bytes. Reads
 * at most `maxBytes + 1` bytes whatever the file is.
 */
export function readBoundedText(file: string | 0, maxBytes: number = MAX_CONFIG_BYTES): BoundedRead {
    let fd: number;
    try {
        fd = file === 0 ? 0 : fs.openSync(file, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0));
    } catch (err) {
        return { error: (err as NodeJS.ErrnoException).code ?? "error" };
    }
    try {
        if (file !== 0 && fs.fstatSync(fd).isDirectory()) {
            return { error: "EISDIR" };
        }
        const buffer = Buffer.alloc(maxBytes + 1);
        let length = 0;
        for (;;) {
            let read: number;
            try {
                read = fs.readSync(fd, buffer, length, buffer.length - length, null);
            } catch (err) {
                const code = (err as NodeJS.ErrnoException).code;
                if (code === "EAGAIN") {
                    // A FIFO or terminal with nothing written yet: never wait on it.
                    return { error: "EAGAIN (nothing to read without waiting)" };
                }
                return { error: code ?? "error" };
            }
            if (read === 0) break;
            length += read;
            if (length > maxBytes) {
                return { error: `over the ${maxBytes}-byte limit (a collector config is a few KB)` };
            }
        }
        return { text: buffer.subarray(0, length).toString("utf8") };
    } finally {
        if (file !== 0) fs.closeSync(fd);
    }
}

/** The config file a stack names, or a RunError-ready message naming `key`. */
export function configFileProblemOrText(key: string, file: string, given: string): { text: string } | { problem: string } {
    const read = readBoundedText(file);
    return "text" in read
        ? read
        : { problem: `${key}: cannot read ${JSON.stringify(given)} (${read.error}); give the path of a collector config file relative to the project folder` };
}
