/**
 * Loaded with `node --import` before anything else: this process's wall clock (Date) runs
 * SKEW_MS milliseconds (default 60 s) ahead of the machine's, like a host whose clock is off.
 */
const skew = Number(process.env.SKEW_MS ?? 60_000);
const RealDate = Date;

class SkewedDate extends RealDate {
  constructor(...args: ConstructorParameters<DateConstructor> | []) {
    if (args.length === 0) super(RealDate.now() + skew);
    else super(...(args as ConstructorParameters<DateConstructor>));
  }
  static override now(): number {
    return RealDate.now() + skew;
  }
}

globalThis.Date = SkewedDate as DateConstructor;
