import * as fs from "fs";
import * as path from "path";

/**
 * Lets `require` load the program's TypeScript, transpile-only: type checking @pulumi/aws costs ~14 s
 * per run, and a preview is not a type checker. Like Pulumi's Node.js host, a tsconfig.json in the
 * program folder is used when present; otherwise ts-node must not wander up into a parent's tsconfig.
 */
export function registerTypeScript(programDir: string, rootguardRoot: string): void {
    if ((process as any)[Symbol.for("ts-node.register.instance")]) return;
    const tsNode = require(require.resolve("ts-node", { paths: [rootguardRoot] }));
    const tsconfig = path.join(programDir, "tsconfig.json");
    const hasProject = fs.existsSync(tsconfig);
    tsNode.register({
        transpileOnly: true,
        compiler: require.resolve("typescript", { paths: [rootguardRoot] }),
        cwd: programDir,
        project: hasProject ? tsconfig : undefined,
        skipProject: !hasProject,
        compilerOptions: hasProject
            ? { module: "commonjs", moduleResolution: "node" }
            : { target: "ES2022", module: "commonjs", moduleResolution: "node", esModuleInterop: true, sourceMap: true },
    });
}
