/**
 * `text` as one printable line for an error: JSON-quoted (so control characters and
 * line breaks show as escapes), with C1 controls and line/paragraph separators
 * escaped too, and cut after `max` characters with the full length said.
 */
export function printable(text: string, max = 80): string {
    const cut = text.length > max ? text.slice(0, max) : text;
    const shown = JSON.stringify(cut).replace(/[\u007f-\u009f\u2028\u2029\ufffd]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
    return text.length > max ? `${shown.slice(0, -1)}..." (${text.length} characters)` : shown;
}
