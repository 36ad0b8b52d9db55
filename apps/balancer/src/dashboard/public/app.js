// The dashboard: one EventSource on /api/v1/events renders everything live; the activation
// assistant and the settings talk to the JSON API with the owner's token (kept in localStorage).
// The charts and the session list live in history.js.
import { chartsOnState, chartsOnTab, initCharts } from './history.js';
import { $, esc, fmt, when } from './util.js';

const token = () => localStorage.getItem('p1-token') ?? '';
const monthLabel = (ym) => new Date(`${ym}-01T12:00:00`).toLocaleString(undefined, { month: 'short', year: '2-digit' });

// --- tabs -------------------------------------------------------------------------------
function showTab() {
  const name = (location.hash || '#live').slice(1);
  for (const page of document.querySelectorAll('.page')) page.hidden = page.id !== name;
  for (const tab of document.querySelectorAll('.tab')) tab.classList.toggle('active', tab.dataset.tab === name);
  if (name === 'activation') loadActivation();
  if (name === 'capacity') loadHistory();
  chartsOnTab(name);
}
window.addEventListener('hashchange', showTab);

// --- live state -------------------------------------------------------------------------
let lastState = null;

let lastActivationState = null;

function render(s) {
  lastState = s;
  identify(s);
  chartsOnState(s);
  // the assistant follows the module: e.g. the first valid telegram verifies the open port
  const activationState = s.activation?.state ?? null;
  if (activationState !== lastActivationState) {
    lastActivationState = activationState;
    if (!$('activation').hidden) loadActivation();
  }
  // the pill shows what the balancer acts on, not only what the serial line carries
  const status = $('meter-status');
  const [pillText, pillClass] = meterPill(s.meter);
  status.textContent = pillText;
  status.className = `pill ${pillClass}`;
  const ageS = s.meter.control?.dataAgeMs != null ? Math.round(s.meter.control.dataAgeMs / 1000) : null;
  const staleNote =
    ageS !== null && ageS >= 3 ? ` <span class="muted" data-testid="lines-age">(${ageS} s old)</span>` : '';

  $('grid-import').textContent = fmt(s.grid?.importKw, 3);
  $('grid-export').textContent = fmt(s.grid?.exportKw, 3);
  $('meter-time').textContent = s.reading?.timestamp
    ? `meter time ${new Date(s.reading.timestamp).toLocaleTimeString()} (${s.reading.header ?? 'meter'})`
    : 'no telegram yet';
  $('fuse-label').textContent = `fuse ${s.site.fuseA} A`;

  $('lines').innerHTML = s.lines
    .map((l) => {
      const pct = Math.min(100, ((l.currentA ?? 0) / l.fuseA) * 100);
      const cls = pct >= 100 ? 'bad' : pct >= 85 ? 'warn' : '';
      return `<div class="line"><b>L${l.phase}</b>
        <div class="meter-bar ${cls}"><div style="width:${pct}%"></div></div>
        <span><span data-testid="line-${l.phase}-current">${fmt(l.currentA, 1)}</span> / ${l.fuseA} A${staleNote}</span></div>`;
    })
    .join('');

  $('chargers').innerHTML = s.chargers.length
    ? s.chargers
        .map((c) => {
          const actual = c.currentA.filter((a) => typeof a === 'number');
          const actualA = actual.length ? Math.max(...actual) : null;
          return `<div class="charger" data-testid="charger-${esc(c.id)}">
        <b>${esc(c.id)}</b> <span class="muted">${c.connected ? (c.vehiclePlugged ? 'car plugged in' : 'no car') : 'offline'}</span>
        <div class="nums"><span>limit <b data-testid="charger-${esc(c.id)}-limit">${fmt(c.limitA, 1)}</b> A${c.limitPhases ? ` × ${c.limitPhases}φ` : ''}</span>
        <span>actual <b data-testid="charger-${esc(c.id)}-actual">${fmt(actualA, 1)}</b> A</span>
        <span>${fmt(c.sessionKwh, 2)} kWh</span></div>
        <div class="reason" data-testid="charger-${esc(c.id)}-reason" title="${esc(c.reasonText ?? '')}">${esc(c.reason)}</div>
        <div class="muted small">${esc(c.reasonText ?? '')}</div>
        ${c.measurement && c.measurement !== 'ok' ? `<div class="error" data-testid="charger-${esc(c.id)}-measurement">its own measurement is ${esc(c.measurement)}: not used</div>` : ''}
        ${c.problem ? `<div class="error">${esc(c.problem)}</div>` : ''}</div>`;
        })
        .join('')
    : '<p class="muted">no charger configured</p>';

  const q = s.quarter;
  const target = s.site.capacityTargetKw;
  $('quarter-summary').innerHTML = q
    ? `<p>average so far <b>${fmt(q.meterAverageKw ?? q.averageKw)}</b> kW · projected <b>${fmt(q.projectedKw)}</b> kW
       ${target ? `· target <b>${fmt(target, 1)}</b> kW` : '· no target (fuse only)'}</p>
       <p class="muted">${Math.floor(q.elapsedS / 60)} min ${q.elapsedS % 60} s into the quarter${q.allowedKw != null ? ` · allowed now ${fmt(q.allowedKw)} kW` : ''}</p>`
    : '<p class="muted">waiting for the meter clock</p>';
  $('quarter-average').textContent = fmt(q?.meterAverageKw ?? q?.averageKw);
  $('quarter-projection').textContent = fmt(q?.projectedKw);
  $('quarter-target').textContent = target ? `${fmt(target, 1)} kW` : 'none';
  const scale = Math.max(target ?? 0, q?.projectedKw ?? 0, 1) * 1.2;
  const bar = $('quarter-bar');
  bar.style.width = `${Math.min(100, ((q?.projectedKw ?? 0) / scale) * 100)}%`;
  bar.parentElement.className = `meter-bar ${target && q && q.projectedKw > target ? 'bad' : ''}`;
  $('quarter-target-mark').style.left = target ? `${(target / scale) * 100}%` : '-10px';

  $('loads').innerHTML = (s.loads ?? []).length
    ? s.loads
        .map(
          (l) =>
            `<li data-testid="load">${esc(l.label)}, ${fmt(l.kw, 1)} kW on L${l.lines.join('–L')}${
              l.cycling && l.onS != null && l.offS != null
                ? `, ~${dur(l.onS)} on / ${dur(l.offS)} off`
                : l.onS != null
                  ? `, on ~${dur(l.onS)}`
                  : ''
            }${l.on ? ' <b>(on now)</b>' : ''}</li>`,
        )
        .join('')
    : '<li class="muted">none yet: loads show here once they have switched on and off</li>';

  $('month-peak').textContent = fmt(s.month.peakKw);
  $('month-peak-at').textContent = s.month.peakAt ? `on ${when(s.month.peakAt)}` : '';
  renderHistory(s.month.history);

  const m = s.meter;
  $('meter-info').innerHTML = [
    ['source', m.source],
    ['state', m.diagnosis],
    ['meter', s.reading?.header],
    ['protocol', s.reading?.protocol],
    ['telegrams', `${m.counters.goodFrames} ok, ${m.counters.badFrames} rejected`],
    ['bytes', m.counters.bytes],
  ]
    .map(([k, v]) => `<dt>${k}</dt><dd>${esc(v ?? '–')}</dd>`)
    .join('');
}

function renderHistory(history) {
  const months = [...(history ?? [])].sort((a, b) => (a.month < b.month ? -1 : 1)).slice(-13);
  const max = Math.max(2.5, ...months.map((m) => m.peakKw ?? 0));
  $('history').innerHTML = months
    .map(
      (m) =>
        `<div class="bar" title="${esc(m.month)}: ${fmt(m.peakKw)} kW" style="height:${((m.peakKw ?? 0) / max) * 100}%"><span>${esc(monthLabel(m.month))}</span></div>`,
    )
    .join('');
}

async function loadHistory() {
  try {
    const h = await (await fetch('/api/v1/history')).json();
    if (Array.isArray(h.months) && !lastState?.month.history.length) renderHistory(h.months);
    $('decisions').innerHTML = (h.decisions ?? [])
      .slice(0, 12)
      .map(
        (d) =>
          `<tr><td>${esc(new Date(d.ts).toLocaleTimeString())}</td><td>${esc(d.chargerId)}</td><td>${fmt(d.limitA, 1)} A</td><td>${esc(d.reason)}</td></tr>`,
      )
      .join('');
  } catch {}
}

// --- identify: HomeWizard's PUT /api/v1/identify flashes the page, so the owner sees which module this is
let identifyTimer;
function identify(s) {
  // both instants are the server's: the browser's clock does not matter
  const ms = s.identifyUntil ? Date.parse(s.identifyUntil) - Date.parse(s.at) : 0;
  if (ms <= 0) return;
  document.body.classList.add('identify');
  clearTimeout(identifyTimer);
  identifyTimer = setTimeout(() => document.body.classList.remove('identify'), ms);
}

function connect() {
  const events = new EventSource('/api/v1/events');
  events.addEventListener('state', (e) => render(JSON.parse(e.data)));
  events.onerror = () => {
    $('meter-status').textContent = 'reconnecting';
  };
}

// --- activation assistant ------------------------------------------------------------------
const lang = () => $('act-lang').value;

async function loadActivation() {
  const res = await fetch(`/api/v1/activation?lang=${lang()}`);
  const body = await res.json();
  if (!res.ok) {
    $('act-title').textContent = body.error;
    return;
  }
  renderActivation(body);
}

function renderActivation(v) {
  $('act-step').textContent = v.stepLabel;
  $('act-title').textContent = v.title;
  $('act-dot').className = `dot ${v.dot}`;
  $('act-dot-meaning').textContent = v.dotMeaning;
  $('act-todo').innerHTML = v.todo.map((t) => `<li>${esc(t)}</li>`).join('');
  $('act-wait').innerHTML = [...v.waitLines, ...(v.hint ? [v.hint] : [])].map((l) => `<p>${esc(l)}</p>`).join('');
  $('act-help').textContent = v.helpLine;
  const err = $('act-error');
  err.hidden = !v.error;
  err.textContent = v.error ? v.error.message : '';
  $('act-ean-form').hidden = !v.actions.some((a) => a.kind === 'input-ean');
  $('act-actions').innerHTML = v.actions
    .filter((a) => a.kind === 'event')
    .map((a) => `<button type="button" data-action="${esc(a.id)}">${esc(a.label)}</button>`)
    .join('');
  const passive = v.actions.filter((a) => a.kind === 'watch' || a.kind === 'wait');
  if (passive.length) $('act-wait').innerHTML += passive.map((a) => `<p class="muted">${esc(a.label)}</p>`).join('');
}

async function act(body) {
  const res = await fetch(`/api/v1/activation?lang=${lang()}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token()}` },
    body: JSON.stringify(body),
  });
  const answer = await res.json();
  if (!res.ok) {
    const err = $('act-error');
    err.hidden = false;
    err.textContent = res.status === 401 ? 'Enter the access token under Settings first.' : answer.error;
    return;
  }
  renderActivation(answer);
}

$('act-actions').addEventListener('click', (e) => {
  const id = e.target.closest('button')?.dataset.action;
  if (id) act({ action: id });
});
$('act-ean-form').addEventListener('submit', (e) => {
  e.preventDefault();
  act({ action: 'enter-ean', ean: $('act-ean').value });
});
$('act-restart').addEventListener('click', () => {
  if (confirm('Start the activation over? The steps done so far are forgotten.')) act({ action: 'restart' });
});
$('act-lang').addEventListener('change', () => {
  localStorage.setItem('p1-lang', lang());
  loadActivation();
});

// --- settings --------------------------------------------------------------------------
async function loadSettings() {
  const s = await (await fetch('/api/v1/settings')).json();
  $('capacity-target').value = s.capacityTargetKw ?? '';
  $('solar').value = s.solar;
}

$('settings-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  localStorage.setItem('p1-token', $('token').value);
  const target = $('capacity-target').value.trim();
  const res = await fetch('/api/v1/settings', {
    method: 'PATCH',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token()}` },
    body: JSON.stringify({ capacityTargetKw: target === '' ? null : Number(target), solar: $('solar').value }),
  });
  const body = await res.json();
  $('settings-result').textContent = res.ok ? 'Saved.' : res.status === 401 ? 'Wrong access token.' : body.error;
});

$('token').value = token();
$('act-lang').value =
  localStorage.getItem('p1-lang') ?? (navigator.language || 'nl').slice(0, 2).replace(/^(?!nl|fr|en).*/, 'nl');
initCharts();
showTab();
loadSettings();
connect();

/** The meter pill: the serial line's diagnosis, unless the balancer has a more urgent truth. */
function meterPill(m) {
  const c = m.control ?? {};
  const age = c.dataAgeMs != null ? Math.round(c.dataAgeMs / 1000) : null;
  if (c.failsafe)
    return [c.data === 'stale' ? `meter frozen: fail-safe (${age} s)` : `no data: fail-safe (${age} s)`, 'bad'];
  if (c.data === 'stale') return ['meter repeats an old telegram', 'bad'];
  if (c.clock === 'jump') return ['meter clock jumped', 'warn'];
  if (m.diagnosis === 'valid-telegrams' && c.clock === 'unset') return ['valid-telegrams, meter clock unset', 'warn'];
  return [m.diagnosis, m.diagnosis === 'valid-telegrams' ? 'ok' : m.diagnosis === 'connecting' ? '' : 'bad'];
}

/** 95 → "1.5 min", 40 → "40 s". */
function dur(s) {
  return s >= 90 ? `${Math.round(s / 6) / 10} min` : `${Math.round(s)} s`;
}
