/** An error the user can act on: printed as one line, exit code 2. */
export class UserError extends Error {
    readonly exitCode = 2;
}
