/**
 * What an inventory says about a root access key. The full key ID lives only inside a RootKeyHandle,
 * which serializes, prints and inspects as the masked form: a handle that reaches a log line, an SNS
 * message or a CLI table by mistake still shows AKIA****WXYZ.
 */
import { inspect } from "node:util";
import { maskKeyId } from "../core/access-keys";

export class RootKeyHandle {
    readonly masked: string;
    readonly #id: string;

    constructor(id: string) {
        this.#id = id;
        this.masked = maskKeyId(id);
    }

    /** The full ID, for the DeleteAccessKey/GetAccessKeyLastUsed request only. */
    reveal(): string {
        return this.#id;
    }

    toJSON(): string {
        return this.masked;
    }

    toString(): string {
        return this.masked;
    }

    [inspect.custom](): string {
        return this.masked;
    }
}

export interface LastUse {
    /** ISO time; absent when the key was never used. */
    date?: string;
    service?: string;
    region?: string;
}

export interface RootAccessKey {
    /** AKIA****WXYZ; the credential report carries no key IDs, only slots: "access key 1". */
    maskedKeyId: string;
    /** Credential report slot (1 or 2). */
    slot?: 1 | 2;
    /** "Active" | "Inactive" (IAM's StatusType). */
    status: string;
    /** ISO creation time (the credential report's last_rotated). */
    created?: string;
    lastUsed: LastUse;
    /** Present only when the ID is known (AssumeRoot path); the one way to act on the key. */
    handle?: RootKeyHandle;
}

export type InventoryMethod = "assume-root" | "credential-report";

export interface RootKeyInventory {
    accountId: string;
    method: InventoryMethod;
    /** How the facts were obtained, for the notification's evidence. */
    obtainedVia: string;
    keys: RootAccessKey[];
    /** GetAccountSummary.AccountAccessKeysPresent (credential report path): live, unlike the report. */
    accessKeysPresent?: boolean;
    /** When the credential report was generated (it may be up to 4 hours old). */
    reportGeneratedAt?: string;
    inventoriedAt: string;
    notes: string[];
}
