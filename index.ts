/**
 * package.json `main`: what Pulumi loads when it runs this directory as a plugin. Two launchers require it:
 *
 * - `pulumi preview --policy-pack <repo>` starts `@pulumi/pulumi/cmd/run-policy-pack`: this module starts the
 *   CrossGuard pack (policies/index.ts), as it always has.
 * - `pulumi package add <repo>`, and every program using the package, starts `@pulumi/pulumi/cmd/run-plugin`
 *   (PulumiPlugin.yaml, runtime nodejs), which serves the ComponentResource classes this module exports as a
 *   component provider. Then the pack must not start (its port would be the first line the engine reads), and the
 *   exports are the package's components (stacks/package.ts).
 *
 * Both require this directory, so only the script the process runs tells them apart. Pulumi's component analyzer
 * finds the components from this file too (it reads index.ts when `main` names compiled code), through the type
 * import below; at run time nothing is loaded that the launcher does not need.
 */
import type * as ComponentPackage from "./stacks/package";

/** Whether @pulumi/pulumi's run-plugin launched this process (its entry script is `cmd/run-plugin/index.js`). */
function launchedAsComponentProvider(): boolean {
    const entry = require.main?.filename;
    return entry !== undefined && /[\\/]cmd[\\/]run-plugin[\\/]index\.js$/.test(entry);
}

if (launchedAsComponentProvider()) {
    module.exports = require("./stacks/package") as typeof ComponentPackage;
} else {
    require("./policies/index");
}
