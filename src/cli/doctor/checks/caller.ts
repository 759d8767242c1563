/** Who doctor is talking as: every other check needs the account and partition. */
import { GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import type { CallerIdentity, CheckContext } from "../check";
import { pass, type Outcome } from "../result";

export const CALLER_CHECK = {
    id: "caller",
    title: "Caller identity",
    permissions: ["sts:GetCallerIdentity"],
} as const;

/** Reads the caller; throws CallFailed when it cannot (doctor then stops: nothing else can be judged). */
export async function readCaller(ctx: Pick<CheckContext, "call" | "clients">): Promise<{ identity: CallerIdentity; outcome: Outcome }> {
    const out = await ctx.call("sts:GetCallerIdentity", (abortSignal) =>
        ctx.clients.sts().send(new GetCallerIdentityCommand({}), { abortSignal }),
    );
    const arn = out.Arn ?? "";
    const account = out.Account ?? "";
    const partition = /^arn:([a-z-]+):/.exec(arn)?.[1] ?? "aws";
    const root = /:root$/.test(arn) ? " (the root user: use an IAM role or user for pulumi up)" : "";
    return { identity: { account, arn, partition }, outcome: pass(`account ${account} as ${arn}${root}`) };
}
