// A value the user typed, written so the collector's config resolution hands it back
// exactly as typed.
//
// The collector expands every string value of its config (and every value a
// reference retrieves, over and over until nothing changes) and then turns each `$$`
// into `$` (open-telemetry/opentelemetry-collector confmap/expand.go findURI and
// expandValueRecursively, confmap/resolver.go Resolve and escapeDollarSigns, read at
// v0.151.0 and v0.161.0). A `${` preceded by an odd run of `$` is escaped, never
// expanded. So a value with every `$` doubled has no reference the collector would
// expand, and the final `$$` → `$` gives back the value as typed; map keys are never
// expanded nor unescaped, so they are written as they are.
//
// This holds in every position the component writes a user's value:
// - a string in the config text (an endpoint, a dataset name);
// - a variable read through a whole-value `${env:NAME}` (an API key, a header
//   value): the env provider YAML-parses the value but keeps its text for string
//   settings (confmap provider.go NewRetrievedFromYAML; internal/decoder.go
//   useExpandValue), and that text is expanded and unescaped like the rest;
// - the same variable moved into Secrets Manager (secretStore "secretsmanager"):
//   the provider returns the string, expanded and unescaped alike.
// Between v0.151.0 and v0.161.0 findURI changed in one place: after an escaped `${`
// it now goes on to the next `}` instead of stopping. A value with every `$` doubled
// has no unescaped `${` at all, so both versions read it the same way.
// test/components/shared/config-text.test.ts checks it with rules/resolve.ts (a port of
// expand.go) over generated values.

/** `value` with every `$` doubled: the collector reads it back as `value`. */
export function configText(value: string): string {
    return value.split("$").join("$$");
}
