/**
 * The engine's observer hook: what a step did, told after its transaction committed, to the
 * observers an application attached (`ch.observe`; the metrics of `chameleon serve` and of
 * `chameleon worker --metrics-port` are one). The engine counts nothing itself and knows no
 * metrics library: a step collects its observations only while an observer is attached, so
 * without one the hook costs one length check per step.
 */
import { ValidationError } from "../errors.js";
/** One thing a step did, in the name of a role of the instance (its API name). */
export type Observation =
  /** A unit was checked out; `waitedSeconds` since it entered its interaction. */
  | { kind: "checkout"; role: string; waitedSeconds: number }
  /** A held unit was submitted or failed by its holder; `heldSeconds` since its checkout. */
  | { kind: "step"; role: string; outcome: StepOutcome; heldSeconds: number }
  /** A unit went down the Ate path: failed by its holder, no eligible route, or refused by an INBOUND guardian. */
  | { kind: "failure"; role: string; reason: FailureReason }
  /** The sweep reclaimed an expired lease: the unit back in line, or failed once its attempts were spent. */
  | { kind: "reclaim"; role: string; outcome: ReclaimOutcome }
  /**
   * The sweep timed out a unit that waited too long in `interaction`; `role` is the one
   * processing role that takes from it, or "" where several do.
   */
  | { kind: "timeout"; role: string; interaction: string };

/** "retried": a retryable failure sent the unit back to wait out its backoff. */
export type StepOutcome = "submitted" | "failed" | "retried";
export type FailureReason = "error" | "no_route" | "rejected";
export type ReclaimOutcome = "requeued" | "failed";

export interface EngineObserver {
  /** Called after the step's transaction committed, once per observation; `instance` is its name. */
  observe(instance: string, observation: Observation): void;
}

/** The observers of one Chameleon; add returns the function that removes the observer. */
export class Observers {
  readonly #list: EngineObserver[] = [];

  get size(): number {
    return this.#list.length;
  }

  add(observer: EngineObserver): () => void {
    if (typeof observer?.observe !== "function") {
      throw ValidationError.single(
        "observer",
        "an observer is an object with an observe(instance, observation) method",
      );
    }
    this.#list.push(observer);
    return () => {
      const i = this.#list.indexOf(observer);
      if (i >= 0) this.#list.splice(i, 1);
    };
  }

  /** Tells every observer; one that throws neither stops the others nor fails the committed step. */
  tell(instance: string, observations: readonly Observation[]): void {
    for (const observer of this.#list) {
      for (const o of observations) {
        try {
          observer.observe(instance, o);
        } catch {
          // The step is committed: an observer's bug must not turn it into a failure.
        }
      }
    }
  }
}

/**
 * Whole seconds are too coarse for a step: milliseconds of the engine's clock, as seconds.
 * Never negative (clocks of two processes may disagree by a few milliseconds).
 */
export function secondsBetween(from: Date | number, to: Date): number {
  const start = typeof from === "number" ? from : from.getTime();
  return Math.max(0, to.getTime() - start) / 1000;
}
