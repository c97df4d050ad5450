// Assembles a self-contained copy of the compiled pack in dist/policy-pack, for
// `pulumi policy publish`: Pulumi Cloud installs a pack's dependencies from its own
// package.json and ships only its folder, while policy/ imports the shared rules
// from ../rules. Run through `npm run policy:bundle` (after `npm run build`).
import * as fs from "node:fs";
import * as path from "node:path";

/** Runtime packages the compiled pack requires; versions come from the root package.json. */
const RUNTIME_DEPENDENCIES = ["@pulumi/policy", "@pulumi/pulumi", "yaml"] as const;

interface PackageJson {
    name: string;
    version: string;
    description?: string;
    license?: string;
    dependencies?: Record<string, string>;
}

export function bundlePolicyPack(root: string, outDir: string): string[] {
    const dist = path.join(root, "dist");
    const rootPackage = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")) as PackageJson;
    const packPackage = JSON.parse(fs.readFileSync(path.join(root, "policy", "package.json"), "utf8")) as PackageJson;
    fs.rmSync(outDir, { recursive: true, force: true });
    // Follow requires from the entry point, so only what the pack loads is shipped.
    const copied: string[] = [];
    const pending = [path.join(dist, "policy", "index.js")];
    while (pending.length > 0) {
        const file = pending.pop() as string;
        const relative = path.relative(dist, file);
        if (copied.includes(relative)) continue;
        if (!fs.existsSync(file)) {
            throw new Error(`${relative} is missing; run npm run build first`);
        }
        copied.push(relative);
        const code = fs.readFileSync(file, "utf8");
        fs.mkdirSync(path.dirname(path.join(outDir, relative)), { recursive: true });
        fs.writeFileSync(path.join(outDir, relative), code);
        for (const match of code.matchAll(/require\("(\.{1,2}\/[^"]+)"\)/g)) {
            // `require("../rules")` names a folder: its index.js.
            const target = path.resolve(path.dirname(file), match[1]);
            // A required .json (the distribution catalogue) is shipped as it is.
            pending.push(target.endsWith(".json") || fs.existsSync(`${target}.js`) ? (target.endsWith(".json") ? target : `${target}.js`) : path.join(target, "index.js"));
        }
    }
    const dependencies: Record<string, string> = {};
    for (const name of RUNTIME_DEPENDENCIES) {
        const version = rootPackage.dependencies?.[name];
        if (!version) throw new Error(`package.json has no dependency ${name}`);
        dependencies[name] = version;
    }
    const manifest: PackageJson & { main: string } = {
        name: packPackage.name, version: packPackage.version, description: packPackage.description,
        license: packPackage.license, main: "policy/index.js", dependencies,
    };
    fs.writeFileSync(path.join(outDir, "package.json"), `${JSON.stringify(manifest, null, 2)}\n`);
    fs.copyFileSync(path.join(root, "policy", "PulumiPolicy.yaml"), path.join(outDir, "PulumiPolicy.yaml"));
    return copied.sort();
}

if (require.main === module) {
    const root = path.resolve(__dirname, "..", "..");
    const files = bundlePolicyPack(root, path.join(root, "dist", "policy-pack"));
    process.stdout.write(`dist/policy-pack: ${files.length} files; publish with: cd dist/policy-pack && pulumi policy publish <org>\n`);
}
