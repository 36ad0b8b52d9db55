import {
  type ActivationEvent,
  actionFor,
  applyEvent,
  type Clock,
  currentState,
  describe,
  type HintKind,
  initialProgress,
  isLang,
  type Lang,
  type PortWatch,
  type Progress,
  type ProgressStore,
  parseProgress,
  systemClock,
  type TelegramEvents,
  texts,
  watchPortOpen,
} from '@p1/activation';
import type { Logger } from 'pino';
import type { ActionResult, ActivationApi } from '../http/server';
import type { Store } from '../store/store';

/** Activation progress in the module's SQLite database, so it survives restarts and crashes. */
export class SqliteProgressStore implements ProgressStore {
  constructor(private readonly store: Store) {}
  async load(): Promise<Progress | null> {
    const stored = this.store.loadActivation<unknown>();
    return stored === null ? null : parseProgress(JSON.stringify(stored), 'the state database');
  }
  async save(progress: Progress): Promise<void> {
    this.store.saveActivation(progress);
  }
}

/** States in which a valid telegram proves the port open. */
const WATCHING = new Set(['switched-on', 'in-aanvraag', 'overdue', 'open']);

/**
 * The web assistant: the same state machine and texts as `p1 activate`, driven by the
 * dashboard's buttons, finished by the module's own meter stream (first valid telegram).
 */
export class ActivationService implements ActivationApi {
  private progress!: Progress;
  private watch: PortWatch | null = null;
  private hint: HintKind | null = null;

  private constructor(
    private readonly progressStore: ProgressStore,
    private readonly meter: TelegramEvents | null,
    private readonly clock: Clock,
    private readonly logger?: Logger,
    private readonly onChange?: () => void,
  ) {}

  static async open(options: {
    progressStore: ProgressStore;
    meter: TelegramEvents | null;
    clock?: Clock;
    logger?: Logger;
    onChange?: () => void;
  }): Promise<ActivationService> {
    const clock = options.clock ?? systemClock;
    const service = new ActivationService(
      options.progressStore,
      options.meter,
      clock,
      options.logger,
      options.onChange,
    );
    let progress: Progress | null = null;
    try {
      progress = await options.progressStore.load();
    } catch (err) {
      options.logger?.warn({ err: (err as Error).message }, 'stored activation progress unreadable; starting over');
    }
    service.progress = progress ?? initialProgress(clock);
    service.armWatch();
    return service;
  }

  state(): string {
    return currentState(this.progress, this.clock.now());
  }

  view(lang: string): unknown {
    const l: Lang = isLang(lang) ? lang : 'en';
    const presentation = describe(this.progress, l, this.clock.now());
    return { ...presentation, hint: this.hint ? texts(l).hints[this.hint] : null };
  }

  /** A short summary for /api/v1/state and the SSE stream. */
  summary(): { state: string; step: number; steps: number; dot: string; ean: string | null } {
    const p = describe(this.progress, 'en', this.clock.now());
    return { state: p.state, step: p.step, steps: p.steps, dot: p.dot, ean: p.ean };
  }

  async act(body: unknown, lang: string): Promise<ActionResult> {
    const b = body as { action?: unknown; ean?: unknown } | null;
    if (!b || typeof b !== 'object' || typeof b.action !== 'string') {
      return { ok: false, error: 'action: required, the id of one of the offered actions (or "restart")' };
    }
    let event: ActivationEvent;
    if (b.action === 'restart') event = { type: 'restart' };
    else if (b.action === 'enter-ean') {
      if (typeof b.ean !== 'string') return { ok: false, error: 'ean: required text, the 18-digit EAN code' };
      event = { type: 'enter-ean', ean: b.ean };
    } else {
      const offered = actionFor(this.progress, this.clock.now(), b.action);
      if (offered?.kind !== 'event') {
        return { ok: false, error: `action: '${b.action}' is not offered in state '${this.state()}'` };
      }
      event = offered.event;
    }
    // Refusals (an unknown EAN, a wrong letter code) are part of the walk: saved and shown, not HTTP errors.
    await this.apply(event);
    return { ok: true, view: this.view(lang) };
  }

  private async apply(event: ActivationEvent): Promise<void> {
    const result = applyEvent(this.progress, event, this.clock);
    this.progress = result.progress;
    await this.progressStore.save(this.progress);
    this.logger?.info({ activation: this.progress.state, accepted: result.ok }, 'activation step');
    this.armWatch();
    this.onChange?.();
  }

  /** Watches the meter for the first valid telegram while the port is expected to open. */
  private armWatch(): void {
    const watching = WATCHING.has(this.state());
    if (!watching || !this.meter) {
      this.watch?.stop();
      this.watch = null;
      return;
    }
    if (this.watch) return;
    const watch = watchPortOpen(this.meter, {
      now: () => this.clock.now(),
      onHint: (hint) => {
        this.hint = hint;
        this.onChange?.();
      },
    });
    this.watch = watch;
    void watch.opened.then(async () => {
      if (this.watch !== watch) return;
      this.watch = null;
      this.hint = null;
      await this.apply({ type: 'telegram' });
    });
  }

  stop(): void {
    this.watch?.stop();
    this.watch = null;
  }
}
