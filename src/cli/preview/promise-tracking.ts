/**
 * Pulumi's runtime passes every promise it makes through `debuggablePromise` (several per output property of
 * every resource) for its leak report: it captures `new Error().stack` (through source-map-support under
 * ts-node), stores a label, and chains a `.then` that keeps the promise in a set until it settles. The preview
 * reports leaks in no form (the runner waits for every registration, then exits), so unless the user asked
 * for PULUMI_DEBUG_PROMISE_LEAKS the promise is returned as it is.
 *
 * Profiled on a generated 1,000-resource program, that bookkeeping was two thirds of the program's CPU time
 * under ts-node; at 5,000 resources it held 0.8 of the 1.4 GB heap the program had built by the end of its
 * synchronous loop. Without it the heap there was 0.6 GB and the run took half the CPU of plain mocks.
 */

interface DebuggableModule {
    debuggablePromise?: (promise: Promise<unknown>, ctx: unknown) => Promise<unknown>;
}

/** `runtime` is the `@pulumi/pulumi/runtime/debuggable` module the program's resources use. */
export function skipPromiseLeakTracking(runtime: DebuggableModule, env: NodeJS.ProcessEnv = process.env): void {
    if (env.PULUMI_DEBUG_PROMISE_LEAKS || typeof runtime.debuggablePromise !== "function") return;
    // Callers read it off the module's exports at each call (`debuggable_1.debuggablePromise(...)`).
    runtime.debuggablePromise = (promise) => promise;
}
