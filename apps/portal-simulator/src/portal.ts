/**
 * The simulated grid-operator portal, without HTTP: accounts, the outbox (mails and letters), EAN
 * codes and their activation, each EAN driven by the same state machine as the owner's assistant.
 */
import { randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';
import { EventEmitter } from 'node:events';
import {
  type ActivationErrorCode,
  type ActivationEvent,
  applyEvent,
  type Clock,
  currentState,
  deadlineOf,
  dotOf,
  initialProgress,
  type Lang,
  type Progress,
  type RegistrationMethod,
  texts,
  validateEan,
} from '@p1/activation';

export interface KnownMeter {
  /** A digital meter's EAN code (18 digits). */
  ean: string;
  /** The contract holder's e-mail; absent → Fluvius does not know it and sends a letter. */
  holderEmail?: string | null;
  holderName?: string;
}

export interface OutboxMessage {
  id: number;
  kind: 'email' | 'letter';
  /** E-mail address, or the holder's name and EAN for a letter. */
  to: string;
  ean: string | null;
  subject: string;
  text: string;
  /** Absolute path on the portal to follow (confirmation or approval). */
  link: string | null;
  /** The activation code printed in a letter. */
  code: string | null;
  at: string;
}

export interface Account {
  id: string;
  email: string;
  phone: string;
  name: string;
  method: RegistrationMethod;
  confirmed: boolean;
  passwordHash: string;
  salt: string;
  confirmToken: string;
  eans: Map<string, EanRecord>;
}

export interface EanRecord {
  ean: string;
  progress: Progress;
  holderEmail: string | null;
  approvalToken: string | null;
  letterCode: string | null;
  letterAttempts: number;
  /** Simulated epoch ms at which the port opens; null when not switched on. */
  opensAt: number | null;
  meterNotified: 'not-configured' | 'pending' | 'ok' | 'failed' | null;
}

/** The public view of an EAN on the portal, as the JSON API returns it. */
export interface EanView {
  ean: string;
  status: string;
  dot: 'none' | 'orange' | 'green';
  port: 'closed' | 'in-aanvraag' | 'open';
  approvedBy: string | null;
  approval: 'email-link' | 'letter-code' | null;
  requestedAt: string | null;
  approvedAt: string | null;
  /** When the port was switched on: the 72 h deadline counts from here. */
  switchedOnAt: string | null;
  inAanvraagSince: string | null;
  deadline: string | null;
  overdue: boolean;
  openedAt: string | null;
  meterNotified: EanRecord['meterNotified'];
}

export type Failure = {
  ok: false;
  status: number;
  error: ActivationErrorCode | 'bad-request' | 'unauthorized' | 'not-found' | 'conflict' | 'too-many-attempts';
  message: string;
  field?: string;
};
export type Result<T> = { ok: true; value: T } | Failure;

export interface PortalEvents {
  /** The port of an EAN opened on the portal; the app forwards it to the meter simulator. */
  'port-open': [record: EanRecord];
  mail: [message: OutboxMessage];
}

const MAX_LETTER_ATTEMPTS = 5;

const fail = (status: number, error: Failure['error'], message: string, field?: string): Failure => ({
  ok: false,
  status,
  error,
  message,
  ...(field ? { field } : {}),
});

const token = () => randomBytes(18).toString('base64url');
/** Eight characters a person can copy from paper: no 0/O or 1/I. */
function letterCode(): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  const bytes = randomBytes(8);
  const chars = [...bytes].map((b) => alphabet[b % alphabet.length]).join('');
  return `${chars.slice(0, 4)}-${chars.slice(4)}`;
}
const normalizeCode = (code: string) => code.toUpperCase().replace(/[\s-]/g, '');
const hash = (password: string, salt: string) => scryptSync(password, salt, 32).toString('hex');

export interface PortalConfig {
  clock: Clock;
  knownMeters: KnownMeter[];
  /** Simulated time from switching on to "Open"; Infinity = never (for the overdue path). */
  openDelayMs: number;
  lang: Lang;
}

export class Portal extends EventEmitter<PortalEvents> {
  private readonly accounts = new Map<string, Account>();
  private readonly sessions = new Map<string, string>();
  private readonly outbox: OutboxMessage[] = [];
  private readonly known = new Map<string, KnownMeter>();

  constructor(readonly config: PortalConfig) {
    super();
    for (const meter of config.knownMeters) {
      const check = validateEan(meter.ean);
      if (!check.valid) throw new RangeError(`known meter ${meter.ean}: ${check.reason}`);
      this.known.set(check.normalized!, meter);
    }
  }

  private get now(): number {
    return this.config.clock.now();
  }

  private iso(): string {
    return new Date(this.now).toISOString();
  }

  private send(message: Omit<OutboxMessage, 'id' | 'at'>): OutboxMessage {
    const full = { ...message, id: this.outbox.length + 1, at: this.iso() };
    this.outbox.push(full);
    this.emit('mail', full);
    return full;
  }

  messages(filter: { to?: string; ean?: string } = {}): OutboxMessage[] {
    return this.outbox.filter(
      (m) => (!filter.to || m.to.toLowerCase() === filter.to.toLowerCase()) && (!filter.ean || m.ean === filter.ean),
    );
  }

  register(input: {
    method: unknown;
    email: unknown;
    phone: unknown;
    password: unknown;
    name?: unknown;
  }): Result<Account> {
    if (input.method !== 'eid' && input.method !== 'itsme') {
      return fail(400, 'bad-request', "method must be 'eid' or 'itsme'", 'method');
    }
    const email = typeof input.email === 'string' ? input.email.trim() : '';
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email))
      return fail(400, 'bad-request', 'email must be an e-mail address', 'email');
    const phone = typeof input.phone === 'string' ? input.phone.trim() : '';
    if (!/^\+?[\d\s/.-]{8,20}$/.test(phone)) return fail(400, 'bad-request', 'phone must be a phone number', 'phone');
    if (typeof input.password !== 'string' || input.password.length < 8) {
      return fail(400, 'bad-request', 'password must have at least 8 characters', 'password');
    }
    if (this.findByEmail(email)) return fail(409, 'conflict', `an account for ${email} already exists`, 'email');
    const salt = token();
    const account: Account = {
      id: token(),
      email,
      phone,
      // eID and itsme hand over the officially known name; the simulator takes it from the request.
      name: typeof input.name === 'string' && input.name.trim() ? input.name.trim() : 'Jan Peeters',
      method: input.method,
      confirmed: false,
      salt,
      passwordHash: hash(input.password, salt),
      confirmToken: token(),
      eans: new Map(),
    };
    this.accounts.set(account.id, account);
    this.send({
      kind: 'email',
      to: email,
      ean: null,
      subject: 'Bevestig je e-mailadres',
      text: `Dag ${account.name}, klik op de link om je account te activeren.`,
      link: `/bevestig/${account.confirmToken}`,
      code: null,
    });
    return { ok: true, value: account };
  }

  private findByEmail(email: string): Account | undefined {
    return [...this.accounts.values()].find((a) => a.email.toLowerCase() === email.toLowerCase());
  }

  confirmEmail(confirmToken: string): Result<Account> {
    const account = [...this.accounts.values()].find((a) => a.confirmToken === confirmToken);
    if (!account) return fail(404, 'not-found', 'this confirmation link is not valid');
    account.confirmed = true;
    return { ok: true, value: account };
  }

  login(email: unknown, password: unknown): Result<{ token: string; account: Account }> {
    const account = typeof email === 'string' ? this.findByEmail(email.trim()) : undefined;
    const given = typeof password === 'string' ? hash(password, account?.salt ?? 'none') : '';
    if (!account || !timingSafeEqual(Buffer.from(given.padEnd(64)), Buffer.from(account.passwordHash))) {
      return fail(401, 'unauthorized', 'unknown e-mail address or wrong password');
    }
    if (!account.confirmed) return this.refusal(403, 'email-not-confirmed');
    const session = token();
    this.sessions.set(session, account.id);
    return { ok: true, value: { token: session, account } };
  }

  logout(session: string): void {
    this.sessions.delete(session);
  }

  accountFor(session: string | undefined): Account | null {
    const id = session ? this.sessions.get(session) : undefined;
    return (id && this.accounts.get(id)) || null;
  }

  private refusal(status: number, code: ActivationErrorCode, reason?: string): Failure {
    const message = texts(this.config.lang).errors[code];
    return fail(status, code, reason ? `${message} (${reason})` : message);
  }

  /** Applies an activation event to an EAN record, turning a refusal into an HTTP failure. */
  private apply(record: EanRecord, event: ActivationEvent, status = 409): Result<EanRecord> {
    const result = applyEvent(record.progress, event, this.config.clock);
    record.progress = result.progress;
    if (!result.ok)
      return this.refusal(
        result.error.code === 'impossible-transition' ? status : 400,
        result.error.code,
        result.error.reason,
      );
    return { ok: true, value: record };
  }

  addEan(account: Account, input: unknown): Result<EanRecord> {
    const check = validateEan(typeof input === 'string' ? input : '');
    if (!check.valid) return this.refusal(400, 'ean-invalid-format', check.reason ?? undefined);
    const ean = check.normalized!;
    if (account.eans.has(ean)) return fail(409, 'conflict', `EAN ${ean} is already in your overview`, 'ean');
    const meter = this.known.get(ean);
    if (!meter) return this.refusal(422, 'ean-unknown');
    // The account steps happened before this EAN existed; replay them so the record's own history is complete.
    let progress = initialProgress(this.config.clock);
    const events: ActivationEvent[] = [
      { type: 'register', method: account.method },
      { type: 'confirm-email' },
      { type: 'login' },
      { type: 'enter-ean', ean },
      { type: 'add-ean' },
    ];
    for (const event of events) progress = applyEvent(progress, event, this.config.clock).progress;
    const record: EanRecord = {
      ean,
      progress,
      holderEmail: meter.holderEmail ?? null,
      approvalToken: null,
      letterCode: null,
      letterAttempts: 0,
      opensAt: null,
      meterNotified: null,
    };
    account.eans.set(ean, record);
    return { ok: true, value: record };
  }

  ean(account: Account, ean: string): Result<EanRecord> {
    const record = account.eans.get(ean.replace(/[\s.]/g, ''));
    return record ? { ok: true, value: record } : fail(404, 'not-found', `EAN ${ean} is not in your overview`);
  }

  /** Tick the consent box and click "Aanvragen": approved at once for the holder, else a mail or a letter. */
  request(account: Account, record: EanRecord, consent: unknown): Result<EanRecord> {
    const holder = record.holderEmail !== null && record.holderEmail.toLowerCase() === account.email.toLowerCase();
    const result = this.apply(record, { type: 'request', consent: consent === true, requesterIsHolder: holder });
    if (!result.ok || holder) return result;
    const meter = this.known.get(record.ean);
    if (record.holderEmail) {
      record.approvalToken = token();
      this.send({
        kind: 'email',
        to: record.holderEmail,
        ean: record.ean,
        subject: 'Goedkeuring gevraagd voor de P1-poort',
        text: `${account.name} vraagt de P1-poort van EAN ${record.ean} te openen. Klik op de link als je akkoord gaat.`,
        link: `/goedkeuren/${record.approvalToken}`,
        code: null,
      });
    } else {
      record.letterCode = letterCode();
      this.send({
        kind: 'letter',
        to: meter?.holderName ?? `Contracthouder EAN ${record.ean}`,
        ean: record.ean,
        subject: 'Activatiecode voor de P1-poort',
        text: `${account.name} vraagt de P1-poort van EAN ${record.ean} te openen. Geef deze code in op het portaal als je akkoord gaat.`,
        link: '/activatiecode',
        code: record.letterCode,
      });
    }
    return result;
  }

  private findRecord(predicate: (r: EanRecord) => boolean): EanRecord | undefined {
    for (const account of this.accounts.values()) {
      for (const record of account.eans.values()) if (predicate(record)) return record;
    }
    return undefined;
  }

  approveByLink(approvalToken: string): Result<EanRecord> {
    const record = this.findRecord((r) => r.approvalToken === approvalToken);
    if (!record) return fail(404, 'not-found', 'this approval link is not valid');
    return this.apply(record, { type: 'approve', by: 'email-link' });
  }

  approveByLetterCode(ean: unknown, code: unknown): Result<EanRecord> {
    const normalized = typeof ean === 'string' ? ean.replace(/[\s.]/g, '') : '';
    const records: EanRecord[] = [];
    for (const account of this.accounts.values()) {
      const r = account.eans.get(normalized);
      if (r?.letterCode) records.push(r);
    }
    const record = records.find((r) => currentState(r.progress, this.now) === 'requested') ?? records[0];
    if (!record) return fail(404, 'not-found', `no request waits for a letter code for EAN ${String(ean)}`, 'ean');
    if (record.letterAttempts >= MAX_LETTER_ATTEMPTS) {
      return fail(429, 'too-many-attempts', 'too many wrong codes; ask for a new request');
    }
    if (typeof code !== 'string' || normalizeCode(code) !== normalizeCode(record.letterCode!)) {
      record.letterAttempts++;
      const refused = this.apply(record, { type: 'letter-code-refused' });
      return refused.ok ? this.refusal(400, 'wrong-letter-code') : refused;
    }
    return this.apply(record, { type: 'approve', by: 'letter-code' });
  }

  /** The on/off switch behind the green dot: "In aanvraag" at once, "Open" after the configured delay. */
  switchOn(record: EanRecord): Result<EanRecord> {
    const on = this.apply(record, { type: 'switch-on' });
    if (!on.ok) return on;
    this.apply(record, { type: 'in-aanvraag' });
    record.opensAt = this.now + this.config.openDelayMs;
    this.settle();
    return { ok: true, value: record };
  }

  /** Brings every EAN up to the clock: opens ports whose delay passed and marks overdue waits. */
  settle(): void {
    const now = this.now;
    for (const account of this.accounts.values()) {
      for (const record of account.eans.values()) {
        const state = currentState(record.progress, now);
        if (state !== record.progress.state) this.apply(record, { type: 'tick' });
        if ((state === 'in-aanvraag' || state === 'overdue') && record.opensAt !== null && now >= record.opensAt) {
          this.apply(record, { type: 'port-open' });
          this.emit('port-open', record);
        }
      }
    }
  }

  view(record: EanRecord): EanView {
    const p = record.progress;
    const state = currentState(p, this.now);
    const waiting = state === 'switched-on' || state === 'in-aanvraag' || state === 'overdue';
    const isOpen = state === 'open' || state === 'verified';
    return {
      ean: record.ean,
      status: state,
      dot: dotOf(state),
      port: isOpen ? 'open' : waiting ? 'in-aanvraag' : 'closed',
      approvedBy: p.approvedBy,
      approval: record.approvalToken ? 'email-link' : record.letterCode ? 'letter-code' : null,
      requestedAt: p.since.requested ?? (p.approvedBy === 'holder' ? (p.since.approved ?? null) : null),
      approvedAt: p.since.approved ?? null,
      switchedOnAt: p.since['switched-on'] ?? null,
      inAanvraagSince: p.since['in-aanvraag'] ?? null,
      deadline: waiting ? deadlineOf(p) : null,
      overdue: state === 'overdue',
      openedAt: p.since.open ?? null,
      meterNotified: record.meterNotified,
    };
  }
}
