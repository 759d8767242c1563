/** Pulumi's name rules, with its messages (pulumi/pulumi sdk/go/common/tokens). */

const STACK_NAME = /^[A-Za-z0-9_.-]*/;
const PROJECT_NAME = /^[A-Za-z0-9_.-]+$/;

/** `tokens.ParseStackName`'s checks and messages (sdk/go/common/tokens/stack_name.go). */
export function stackNameError(name: string): string | undefined {
    if (name === "") return "a stack name may not be empty";
    if (name.length > 100) return "a stack name cannot exceed 100 characters";
    const matched = STACK_NAME.exec(name)?.[0].length ?? 0;
    if (matched !== name.length) {
        return (
            "a stack name may only contain alphanumeric, hyphens, underscores, or periods: " +
            `invalid character '${name[matched]}' at position ${matched}`
        );
    }
    return undefined;
}

/** `tokens.ValidateProjectName`'s checks and messages (sdk/go/common/tokens/project.go). */
export function projectNameError(name: string): string | undefined {
    if (name === "") return "project names may not be empty";
    if (name.length > 100) return "project names are limited to 100 characters";
    if (!PROJECT_NAME.test(name)) return "project names may only contain alphanumerics, hyphens, underscores, and periods";
    return undefined;
}
