/**
 * The submits of the units one checkoutMany gave the worker, sent together: each unit's
 * submit waits here until every handler of the batch has finished, or FLUSH_DELAY_MS after
 * the first submit came, whichever is first; then all waiting submits go in one submitMany
 * (one alone goes as a plain submit). Each unit gets its own answer: its result, or its
 * refusal as an error, as a single submit would have thrown it.
 */
import type { SubmitManyItem, SubmitResult } from "../engine/submit.js";

/** How long a finished unit's submit waits for the rest of its batch. */
export const FLUSH_DELAY_MS = 5;

export interface SubmitInput {
  uowId: string;
  leaseToken: string;
  actorId: string;
  [key: string]: unknown;
}

export interface SubmitSender {
  one(input: SubmitInput): Promise<SubmitResult>;
  many(inputs: SubmitInput[]): Promise<SubmitManyItem[]>;
}

interface Waiting {
  input: SubmitInput;
  resolve(result: SubmitResult): void;
  reject(error: unknown): void;
}

/** A refusal of one unit of a submitMany, as the plain submit would have thrown it (same name and message). */
export class SubmitRefusal extends Error {
  constructor(error: { name: string; message: string }) {
    super(error.message);
    this.name = error.name;
  }
}

export class SubmitBatch {
  /** Handlers of the batch still running: when none is, what waits is sent at once. */
  #running: number;
  #waiting: Waiting[] = [];
  #timer: NodeJS.Timeout | null = null;
  readonly #send: SubmitSender;

  constructor(size: number, send: SubmitSender) {
    this.#running = size;
    this.#send = send;
  }

  /** A unit's handler finished with something to submit: answered once its batch is sent. */
  submit(input: SubmitInput): Promise<SubmitResult> {
    const answer = new Promise<SubmitResult>((resolve, reject) => this.#waiting.push({ input, resolve, reject }));
    this.#handlerDone();
    return answer;
  }

  /** A unit's handler finished without a submit (it failed, cancelled or was given back). */
  skip(): void {
    this.#handlerDone();
  }

  #handlerDone(): void {
    this.#running--;
    if (this.#running <= 0) this.#flush();
    else if (this.#waiting.length > 0 && this.#timer === null) {
      this.#timer = setTimeout(() => this.#flush(), FLUSH_DELAY_MS);
    }
  }

  #flush(): void {
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
    const sent = this.#waiting;
    this.#waiting = [];
    if (sent.length === 0) return;
    if (sent.length === 1) {
      const [only] = sent as [Waiting];
      this.#send.one(only.input).then(only.resolve, only.reject);
      return;
    }
    this.#send.many(sent.map((w) => w.input)).then(
      (items) =>
        sent.forEach((w, i) => {
          const item = items[i];
          if (item?.ok) w.resolve(item.result);
          else w.reject(new SubmitRefusal(item?.error ?? { name: "Error", message: "submitMany gave no answer" }));
        }),
      (error: unknown) => sent.forEach((w) => w.reject(error)),
    );
  }
}
