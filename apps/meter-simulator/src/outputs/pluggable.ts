/**
 * An output that can be unplugged and plugged back in. Unplug and replug run one after the other,
 * even when a fault is shorter than the link's restart (socat, a listening socket).
 */
export abstract class PluggableOutput {
  private sequence: Promise<void> = Promise.resolve();

  unplug(): Promise<void> {
    this.sequence = this.sequence.catch(() => {}).then(() => this.pull());
    return this.sequence;
  }

  replug(): Promise<void> {
    this.sequence = this.sequence.catch(() => {}).then(() => this.insert());
    return this.sequence;
  }

  /** Takes the link away (the reader sees the meter disappear). */
  protected abstract pull(): Promise<void>;
  /** Brings the link back. */
  protected abstract insert(): Promise<void>;
}
