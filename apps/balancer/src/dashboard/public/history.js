// The charts and the charging sessions: each chart is filled from the store's API when the page
// loads, then kept current from the live state the EventSource brings every second.
import { linesChart, powerChart, quartersChart, sessionChart } from './charts.js';
import { $, esc, fmt, getJson, when } from './util.js';

const dayTime = new Intl.DateTimeFormat(undefined, {
  day: 'numeric',
  month: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
});
const timeOnly = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
/** A session's start and end, short enough for a phone's table: the end's date only when it differs. */
function span(startIso, endIso) {
  const start = new Date(startIso);
  if (!endIso) return [dayTime.format(start), 'charging'];
  const end = new Date(endIso);
  return [dayTime.format(start), (end.toDateString() === start.toDateString() ? timeOnly : dayTime).format(end)];
}

const POWER_REFRESH_MS = 60_000;
/**
 * How often, and for how long after a plug in or out, a car's chart looks again for its session while the
 * store has not opened or closed it yet.
 */
const SESSION_RETRY_MS = 2_000;
const SESSION_RETRY_FOR_MS = 30_000;

let lines = null;
let quarters = null;
let power = null;
let selected = null;
/** Per charger: its chart box and the session it shows. */
const cars = new Map();
let lastPowerLoad = 0;

const report = (what) => (err) => console.warn(`${what}: ${err.message}`);

export function initCharts() {
  lines = linesChart($('chart-lines'));
  quarters = quartersChart($('chart-quarters'));
  power = powerChart($('chart-power'));
  selected = sessionChart($('chart-session'));
  getJson('/api/v1/history/lines')
    .then((d) => lines.load(d))
    .catch(report('line currents'));
  loadQuarters();
  $('sessions-list').addEventListener('click', (e) => {
    const row = e.target.closest('tr[data-session]');
    if (row) showSession(Number(row.dataset.session));
  });
}

function loadQuarters() {
  getJson('/api/v1/history/quarters')
    .then((d) => quarters.load(d))
    .catch(report('quarters'));
}

function loadPower() {
  lastPowerLoad = Date.now();
  getJson('/api/v1/history/power')
    .then((d) => power.load(d))
    .catch(report('power'));
}

export function chartsOnTab(name) {
  if (name === 'capacity') loadPower();
  if (name === 'sessions') loadSessions();
}

export function chartsOnState(s) {
  try {
    const meterMs = s.reading?.ok && s.reading.timestamp ? Date.parse(s.reading.timestamp) : null;
    if (meterMs !== null) {
      const currents = [1, 2, 3].map((p) => s.lines.find((l) => l.phase === p)?.currentA ?? null);
      lines.push(meterMs, currents, s.site.fuseA);
    }
    // a quarter closed (it is in the store now) or a new day began
    if (quarters.running(s.quarter, s.site.capacityTargetKw) || (meterMs !== null && meterMs >= quarters.dayEndTs)) {
      loadQuarters();
    }
    if (!$('capacity').hidden && Date.now() - lastPowerLoad >= POWER_REFRESH_MS) loadPower();
    for (const c of s.chargers) followCar(c, Date.parse(s.at));
  } catch (err) {
    report('charts')(err);
  }
}

/** The charger's current or latest session, live while the car is plugged in. */
function followCar(c, atMs) {
  let car = cars.get(c.id);
  if (!car) {
    const box = document.createElement('div');
    box.className = 'car-chart';
    box.innerHTML = `<h3>${esc(c.id)}: current and limit (A) <span class="muted"></span></h3><div class="chart" data-testid="chart-car-${esc(c.id)}"></div>`;
    $('charger-charts').append(box);
    car = {
      caption: box.querySelector('.muted'),
      chart: sessionChart(box.querySelector('.chart')),
      plugged: null,
      /** The session shown is the one running now (not an earlier, ended one). */
      open: false,
      loading: false,
      triedMs: 0,
      pluggedMs: 0,
    };
    cars.set(c.id, car);
  }
  if (c.vehiclePlugged !== car.plugged) {
    // plugged in or out: the store opened or closed a session
    car.plugged = c.vehiclePlugged;
    car.pluggedMs = Date.now();
    loadCarSession(c.id, car);
    if (!$('sessions').hidden) loadSessions();
    return;
  }
  if (c.vehiclePlugged !== car.open) {
    // the store opens (closes) a session a moment after the car shows as plugged in (out): until the page has
    // the session as it is now, look again
    const now = Date.now();
    const due = now - car.triedMs >= SESSION_RETRY_MS && now - car.pluggedMs < SESSION_RETRY_FOR_MS;
    if (!car.loading && due) loadCarSession(c.id, car);
    return;
  }
  if (c.vehiclePlugged) {
    const measured = c.currentA.filter((a) => typeof a === 'number');
    car.chart.push(atMs, measured.length ? Math.max(...measured) : null, c.limitA);
  }
}

async function loadCarSession(id, car) {
  car.loading = true;
  car.triedMs = Date.now();
  try {
    const list = await getJson('/api/v1/sessions?limit=50');
    const session = list.find((x) => x.chargerId === id);
    if (!session) {
      car.caption.textContent = 'no charging session yet';
      return;
    }
    car.open = session.endedAt === null;
    car.caption.textContent = session.endedAt
      ? `last session, ${when(session.startedAt)} – ${when(session.endedAt)}`
      : `charging since ${when(session.startedAt)}`;
    car.chart.load(await getJson(`/api/v1/sessions/${session.id}/series`));
  } catch (err) {
    report(`sessions of ${id}`)(err);
  } finally {
    car.loading = false;
  }
}

async function loadSessions() {
  try {
    const list = await getJson('/api/v1/sessions?limit=50');
    $('sessions-list').innerHTML = list.length
      ? list
          .map(
            (
              x,
            ) => `<tr data-session="${x.id}" tabindex="0"><td>${span(x.startedAt, x.endedAt).map(esc).join('</td><td>')}</td>
        <td>${esc(x.chargerId)}</td>
        <td class="num">${fmt(x.energyKwh, 2)}</td><td class="num">${fmt(x.peakKw, 2)}</td>
        <td>${x.raisedMonthPeak ? '<b class="raised">raised</b>' : x.raisedMonthPeak === false ? 'no' : '?'}</td></tr>`,
          )
          .join('')
      : '<tr><td colspan="6" class="muted">no charging session yet</td></tr>';
    if (list.length && !$('chart-session').dataset.session) showSession(list[0].id);
  } catch (err) {
    report('sessions')(err);
  }
}

async function showSession(id) {
  $('chart-session').dataset.session = String(id);
  for (const row of $('sessions-list').querySelectorAll('tr'))
    row.classList.toggle('selected', row.dataset.session === String(id));
  try {
    selected.load(await getJson(`/api/v1/sessions/${id}/series`));
    $('session-caption').textContent = `session ${id}`;
  } catch (err) {
    $('session-caption').textContent = err.message;
  }
}
