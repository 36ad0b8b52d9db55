/**
 * Keeps a generated house physical: the house alone never takes a line above its fuse (a balancer cannot help
 * there, and real households learn not to run those appliances together). The check is conservative: every
 * load counts at its full power through its whole window, cycling or not, so the real day only stays lower.
 */
import { ampsForKw, type Connection } from '@p1/balancer';
import type { Use } from './appliances';

const DAY_S = 86_400;

/** Per line, the current (A) a use adds while active, and its windows [from, to) within the day. */
interface Span {
  line: number;
  amps: number;
  from: number;
  to: number;
}

function spans(connection: Connection, use: Use): Span[] {
  const lines = connection === '1x230' ? [1] : use.phases;
  const amps = ampsForKw(connection, lines.length, use.kw);
  const from = use.atS % DAY_S;
  const to = from + use.durationS;
  const out: Span[] = [];
  for (const l of lines) {
    if (use.durationS >= DAY_S) out.push({ line: l - 1, amps, from: 0, to: DAY_S });
    else if (to <= DAY_S) out.push({ line: l - 1, amps, from, to });
    else {
      out.push({ line: l - 1, amps, from, to: DAY_S });
      out.push({ line: l - 1, amps, from: 0, to: to - DAY_S });
    }
  }
  return out;
}

export class FuseFit {
  private readonly spans: Span[] = [];

  /** `baseA`: the standby load's most per line; `limitA`: what the house alone may draw per line. */
  constructor(
    private readonly connection: Connection,
    private readonly baseA: number,
    private readonly limitA: number,
  ) {}

  /** Adds the uses if the worst line stays within the limit with them; returns whether it did. */
  tryAdd(uses: readonly Use[]): boolean {
    const added = uses.flatMap((u) => spans(this.connection, u));
    const all = this.spans.concat(added);
    // The sum on a line only grows where a window starts: checking every start is enough.
    for (const s of added) {
      for (const at of [
        s.from,
        ...all.filter((o) => o.line === s.line && o.from > s.from && o.from < s.to).map((o) => o.from),
      ]) {
        let amps = this.baseA;
        for (const o of all) if (o.line === s.line && o.from <= at && at < o.to) amps += o.amps;
        if (amps > this.limitA) return false;
      }
    }
    this.spans.push(...added);
    return true;
  }
}
