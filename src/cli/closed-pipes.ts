/**
 * `rootguard preview … | head` closes stdout before the report is written. That is the reader's choice, not
 * an error: rootguard stops writing and exits with the code the run earned (0 passed, 1 blocked, 2 error)
 * instead of an EPIPE stack trace and exit code 1, which would read as a policy violation.
 */
export function quietOnClosedPipes(streams: NodeJS.WriteStream[] = [process.stdout, process.stderr]): void {
    for (const stream of streams) {
        stream.on("error", (err: NodeJS.ErrnoException) => {
            if (err.code === "EPIPE" || err.code === "ERR_STREAM_DESTROYED") return;
            throw err;
        });
    }
}
