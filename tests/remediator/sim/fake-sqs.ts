/**
 * A standard SQS queue with a redrive policy, in virtual time, and the Lambda event source mapping that consumes it,
 * as the AWS documentation describes them:
 * - at-least-once delivery: a message may arrive twice (`duplicateShare`), with the same message ID;
 * - a received message is invisible for the visibility timeout; deleted on success, visible again after it otherwise;
 * - a message received `maxReceiveCount` times and still not deleted moves to the dead-letter queue on the next receive;
 * - the event source mapping runs at most `maximumConcurrency` invocations, each with up to `batchSize` messages, and
 *   deletes the messages the function did not report in `batchItemFailures`.
 * Requests are counted as SQS bills them (each SendMessageBatch / ReceiveMessage / DeleteMessageBatch is one request).
 */
import type { SQSBatchResponse, SQSEvent } from "aws-lambda";
import { MinHeap, type VirtualClock } from "./virtual-time";

export interface QueuedMessage {
    messageId: string;
    body: string;
    receiveCount: number;
    visibleAt: number;
    sentAt: number;
    gone: boolean;
}

export interface SqsCounts {
    sendBatch: number;
    receive: number;
    emptyReceive: number;
    deleteBatch: number;
    messagesSent: number;
    duplicatesDelivered: number;
}

export class FakeQueue {
    readonly deadLetters: QueuedMessage[] = [];
    readonly counts: SqsCounts = { sendBatch: 0, receive: 0, emptyReceive: 0, deleteBatch: 0, messagesSent: 0, duplicatesDelivered: 0 };
    private nextId = 0;
    private live = 0;
    /** Visible now, oldest first. */
    private ready: QueuedMessage[] = [];
    private readyHead = 0;
    /** Received and not deleted: visible again at `visibleAt`. */
    private readonly invisible = new MinHeap<QueuedMessage>((a, b) => a.visibleAt < b.visibleAt);

    constructor(
        private readonly clock: VirtualClock,
        readonly options: { visibilityTimeoutMs: number; maxReceiveCount: number; duplicateEvery?: number },
    ) {}

    /** SendMessageBatch: every `duplicateEvery`-th message is stored twice (SQS's at-least-once delivery). */
    sendBatch(bodies: string[]): string[] {
        this.counts.sendBatch++;
        return bodies.map((body) => {
            const messageId = `m-${++this.nextId}`;
            const copies = this.options.duplicateEvery && this.nextId % this.options.duplicateEvery === 0 ? 2 : 1;
            if (copies === 2) this.counts.duplicatesDelivered++;
            for (let i = 0; i < copies; i++) {
                this.ready.push({ messageId, body, receiveCount: 0, visibleAt: this.clock.now, sentAt: this.clock.now, gone: false });
                this.live++;
            }
            this.counts.messagesSent++;
            return messageId;
        });
    }

    /** Messages whose visibility timeout has passed become receivable again. */
    private promote(): void {
        for (let m = this.invisible.peek(); m && (m.gone || m.visibleAt <= this.clock.now); m = this.invisible.peek()) {
            this.invisible.pop();
            if (!m.gone) this.ready.push(m);
        }
        if (this.readyHead > 4096 && this.readyHead * 2 > this.ready.length) {
            this.ready = this.ready.slice(this.readyHead);
            this.readyHead = 0;
        }
    }

    hasVisible(): boolean {
        this.promote();
        return this.readyHead < this.ready.length;
    }

    /** When the next invisible message becomes visible again. */
    nextVisibleAt(): number | undefined {
        this.promote();
        return this.invisible.peek()?.visibleAt;
    }

    /** Messages not yet deleted nor dead-lettered. */
    get size(): number {
        return this.live;
    }

    /** ReceiveMessage: up to `max` visible messages; those past maxReceiveCount go to the dead-letter queue instead. */
    receive(max: number): QueuedMessage[] {
        this.counts.receive++;
        this.promote();
        const out: QueuedMessage[] = [];
        while (out.length < max && this.readyHead < this.ready.length) {
            const m = this.ready[this.readyHead++];
            if (m.receiveCount >= this.options.maxReceiveCount) {
                m.gone = true;
                this.live--;
                this.deadLetters.push(m);
                continue;
            }
            m.receiveCount++;
            m.visibleAt = this.clock.now + this.options.visibilityTimeoutMs;
            this.invisible.push(m);
            out.push(m);
        }
        if (out.length === 0) this.counts.emptyReceive++;
        return out;
    }

    /** DeleteMessageBatch of what the function did not report failed. */
    deleteBatch(done: QueuedMessage[]): void {
        if (done.length === 0) return;
        this.counts.deleteBatch++;
        for (const m of done) {
            if (!m.gone) this.live--;
            m.gone = true;
        }
    }
}

export function sqsEventOf(messages: QueuedMessage[], queueArn: string): SQSEvent {
    return {
        Records: messages.map((m, i) => ({
            messageId: m.messageId,
            receiptHandle: `${m.messageId}-${m.receiveCount}-${i}`,
            body: m.body,
            attributes: {
                ApproximateReceiveCount: String(m.receiveCount),
                SentTimestamp: String(m.sentAt),
                SenderId: "AROAEXAMPLE:rootguard-remediator",
                ApproximateFirstReceiveTimestamp: String(m.sentAt),
            },
            messageAttributes: {},
            md5OfBody: "",
            eventSource: "aws:sqs",
            eventSourceARN: queueArn,
            awsRegion: queueArn.split(":")[3],
        })),
    };
}

/** Messages the function reported failed stay in the queue; the rest are deleted. */
export function settleBatch(
    queue: FakeQueue,
    batch: QueuedMessage[],
    response: SQSBatchResponse | undefined,
    threw: boolean,
): QueuedMessage[] {
    if (threw) return batch;
    const failed = new Set((response?.batchItemFailures ?? []).map((f) => f.itemIdentifier));
    const done = batch.filter((m) => !failed.has(m.messageId));
    queue.deleteBatch(done);
    return batch.filter((m) => failed.has(m.messageId));
}
