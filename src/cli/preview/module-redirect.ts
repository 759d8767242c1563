const Module: any = require("module");

/**
 * Makes a program folder without node_modules work, and keeps every program on one Pulumi runtime:
 * - `@pulumi/pulumi` (and its subpaths) always resolves to rootguard's copy, the one `setMocks` was
 *   called on; a program's own copy would run against no monitor at all.
 * - other `@pulumi/*` packages resolve from the program first and fall back to rootguard's installation.
 */
export function redirectPulumiModules(rootguardRoot: string): void {
    const original = Module._resolveFilename;
    // Resolving through the original function (not require.resolve, which would re-enter this hook).
    const fromRoot = (self: unknown, request: string, parent: unknown): string =>
        original.call(self, request, parent, false, { paths: [rootguardRoot] });
    Module._resolveFilename = function (request: string, parent: unknown, isMain: boolean, options?: unknown): string {
        if (request === "@pulumi/pulumi" || request.startsWith("@pulumi/pulumi/")) return fromRoot(this, request, parent);
        try {
            return original.call(this, request, parent, isMain, options);
        } catch (err) {
            if (request.startsWith("@pulumi/") && (err as NodeJS.ErrnoException).code === "MODULE_NOT_FOUND") {
                return fromRoot(this, request, parent);
            }
            throw err;
        }
    };
}
