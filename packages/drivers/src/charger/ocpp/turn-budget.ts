/**
 * Spreads bursts over event-loop turns: the balancer sets every charger's limit in the same tick, and
 * sending 100 profiles at once (validation, framing, socket writes) would stall every timer and
 * socket for tens of milliseconds. At most `perTurn` sends run per turn; the rest wait for the next.
 */
export class TurnBudget {
  private used = 0;
  private resetScheduled = false;

  constructor(private readonly perTurn: number) {}

  async take(): Promise<void> {
    while (this.used >= this.perTurn) await new Promise((resolve) => setImmediate(resolve));
    this.used++;
    if (!this.resetScheduled) {
      this.resetScheduled = true;
      setImmediate(() => {
        this.used = 0;
        this.resetScheduled = false;
      });
    }
  }
}
