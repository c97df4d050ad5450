/**
 * `text` as one printable line for an error: JSON-quoted (so control characters and
 * line breaks show as escapes), with C1 controls, line/paragraph separators and
 * bidirectional overrides (which reorder what the terminal shows) escaped too, and cut after `max` characters with the full length said.
 */
export function printable(text: string, max = 80): string {
    const cut = text.length > max ? text.slice(0, max) : text;
    const shown = JSON.stringify(cut).replace(/[\u007f-\u009f\u200e\u200f\u2028-\u202e\u2066-\u2069\ufffd]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
    return text.length > max ? `${shown.slice(0, -1)}..." (${text.length} characters)` : shown;
}

/** Characters a terminal would not show as themselves: controls, separators, bidirectional overrides. */
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u2028-\u202e\u2066-\u2069]/g;

/**
 * A message made safe to print as one line: every unprintable character in it
 * (control characters, line breaks, bidirectional overrides, from an echoed value)
 * written as a `\uXXXX` escape. The message's own text has none.
 */
export function printableLine(message: string): string {
    return message.replace(UNPRINTABLE, (c) => `\\u${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}`);
}
