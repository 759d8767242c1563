/**
 * The AWS SDK v3 warns on Node < 22 that releases after January 2027 will need Node 22. rootguard pins its SDK
 * versions, so the notice is about releases it will not pick up, and its eight lines would bury the CLI's
 * one-line errors and clutter `pulumi preview` output. A value the user set (e.g. "false") is respected.
 */
export function quietSdkNodeVersionWarning(env: NodeJS.ProcessEnv = process.env): void {
    env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
}
