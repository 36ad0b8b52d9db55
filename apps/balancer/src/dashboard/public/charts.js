// The dashboard's charts, drawn by uPlot (vendor/uPlot.iife.min.js, a classic script that runs before
// this module). Times on x are epoch seconds, as uPlot wants them; every chart follows its box's width.
const uPlot = globalThis.uPlot;
const HEIGHT = 190;
const MINUTE_S = 60;
const QUARTER_S = 900;

// distinct hues: the browser test finds each series by its legend colour inside the plot area
export const COLORS = {
  l1: '#1f77b4',
  l2: '#9467bd',
  l3: '#17becf',
  fuse: '#d62728',
  quarter: '#14324a',
  running: '#ff7f0e',
  /** The running quarter's slot, behind its bar: visible even while the projection is near zero. */
  runningBand: '#ff7f0e33',
  target: '#d62728',
  import: '#d62728',
  export: '#2ca02c',
  current: '#1f77b4',
  limit: '#ff7f0e',
};

const line = (label, stroke, extra = {}) => ({ label, stroke, width: 2, points: { show: false }, ...extra });
const kw = (_u, v) => (v == null ? '–' : `${v.toFixed(2)} kW`);
const amps = (_u, v) => (v == null ? '–' : `${v.toFixed(1)} A`);

const clock = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
const clockS = new Intl.DateTimeFormat(undefined, { timeStyle: 'medium', hourCycle: 'h23' });
/** Times as 14:05 (14:05:30 when ticks are seconds apart): uPlot's two-line date labels collide on a phone. */
const timeAxis = {
  values: (_u, splits, _axis, _space, incr) => splits.map((s) => (incr < 60 ? clockS : clock).format(s * 1000)),
  space: 60,
};

/** A chart in `el` that resizes with it (uPlot sizes in pixels; the page is fluid, a phone included). */
function chart(el, options, data) {
  const u = new uPlot(
    {
      width: Math.max(200, el.clientWidth),
      height: HEIGHT,
      // labels only: values under the cursor would reflow the legend on every move
      legend: { live: false },
      ...options,
      axes: [timeAxis, { size: 40 }],
    },
    data,
    el,
  );
  new ResizeObserver(() => {
    if (el.clientWidth > 0 && el.clientWidth !== u.width) u.setSize({ width: el.clientWidth, height: HEIGHT });
  }).observe(el);
  return u;
}

/** Zero up to a little above the highest of the data and `floor` (e.g. the fuse), so limits stay in view. */
const fromZero = (floor) => (_u, _min, max) => [0, Math.max(1, max ?? 0, floor()) * 1.12];

/** Line currents against the fuse over a sliding window, fed from the store, then live. */
export function linesChart(el, windowS = 15 * MINUTE_S) {
  let fuseA = 0;
  let ts = [];
  let lines = [[], [], []];
  const u = chart(
    el,
    {
      series: [
        {},
        line('L1', COLORS.l1, { value: amps }),
        line('L2', COLORS.l2, { value: amps }),
        line('L3', COLORS.l3, { value: amps }),
        line('fuse', COLORS.fuse, { width: 1.5, dash: [6, 4], value: amps }),
      ],
      scales: { y: { range: fromZero(() => fuseA) } },
    },
    [[], [], [], [], []],
  );
  const draw = () => u.setData([ts, ...lines, ts.map(() => fuseA)]);
  return {
    load(d) {
      fuseA = d.fuseA;
      ts = d.ts.map((t) => t / 1000);
      lines = [d.l1, d.l2, d.l3];
      draw();
    },
    push(tsMs, currents, fuse) {
      const t = tsMs / 1000;
      if (ts.length && t <= ts[ts.length - 1]) return;
      fuseA = fuse;
      ts.push(t);
      for (const [i, series] of lines.entries()) series.push(currents[i] ?? null);
      const drop = ts.findIndex((x) => x > t - windowS);
      if (drop > 0) {
        ts = ts.slice(drop);
        lines = lines.map((series) => series.slice(drop));
      }
      draw();
    },
  };
}

/** Today's quarter-hour averages as bars against the target; the running quarter's projection apart. */
export function quartersChart(el) {
  let day = null;
  let running = null;
  let targetKw = null;
  const bars = uPlot.paths.bars({ size: [0.85, 40], align: 1 });
  // a phone gives a quarter ~3 px: the running one at least 5 px wide
  const runningBar = uPlot.paths.bars({ size: [1, 40, 5], align: 1 });
  const band = (u) => {
    if (!running) return;
    const x0 = u.valToPos(running.startTs / 1000, 'x', true);
    const x1 = u.valToPos(running.startTs / 1000 + QUARTER_S, 'x', true);
    u.ctx.fillStyle = COLORS.runningBand;
    u.ctx.fillRect(x0, u.bbox.top, Math.max(x1 - x0, 5), u.bbox.height);
  };
  const u = chart(
    el,
    {
      hooks: { drawClear: [band] },
      series: [
        {},
        {
          label: 'quarter average',
          stroke: COLORS.quarter,
          fill: COLORS.quarter,
          paths: bars,
          points: { show: false },
          value: kw,
        },
        {
          label: 'this quarter (projected)',
          stroke: COLORS.running,
          fill: COLORS.running,
          paths: runningBar,
          points: { show: false },
          value: kw,
        },
        line('target', COLORS.target, { width: 1.5, paths: uPlot.paths.stepped({ align: 1 }), value: kw }),
      ],
      scales: {
        // the whole day, its end included: on a scale ending at the last slot's start, the last quarter (23:45) and
        // its band would fall off the plot's right edge
        x: { time: true, range: (_u, min, max) => (day ? [day.dayStartTs / 1000, day.dayEndTs / 1000] : [min, max]) },
        y: { range: fromZero(() => targetKw ?? 0) },
      },
    },
    [[], [], [], []],
  );
  const draw = () => {
    if (!day) return;
    const first = day.dayStartTs / 1000;
    const slots = Math.round((day.dayEndTs - day.dayStartTs) / 1000 / QUARTER_S);
    const x = Array.from({ length: slots }, (_, i) => first + i * QUARTER_S);
    const closed = new Map(day.startTs.map((t, i) => [t / 1000, i]));
    const avg = x.map((t) => (closed.has(t) ? day.avgKw[closed.get(t)] : null));
    const run = x.map((t) => (running && !closed.has(t) && t === running.startTs / 1000 ? running.kw : null));
    const target = x.map((t) => (closed.has(t) ? (day.targetsKw[closed.get(t)] ?? targetKw) : targetKw));
    u.setData([x, avg, run, target]);
  };
  return {
    load(d) {
      day = d;
      targetKw = d.targetKw;
      draw();
    },
    /** The running quarter from the live state; true when a new quarter began (the closed one is in the store). */
    running(q, target) {
      const began = running !== null && q !== null && q.startTs !== running.startTs;
      running = q ? { startTs: q.startTs, kw: q.projectedKw } : null;
      targetKw = target;
      draw();
      return began;
    },
    get dayEndTs() {
      return day?.dayEndTs ?? 0;
    },
  };
}

/** Import and export power (kW) from the store's per-minute averages. */
export function powerChart(el) {
  const u = chart(
    el,
    {
      series: [
        {},
        line('import', COLORS.import, { width: 1.5, fill: `${COLORS.import}26`, value: kw }),
        line('export', COLORS.export, { width: 1.5, fill: `${COLORS.export}26`, value: kw }),
      ],
      scales: { y: { range: fromZero(() => 0) } },
    },
    [[], [], []],
  );
  return {
    load(d) {
      u.setData([d.ts.map((t) => t / 1000), d.importW.map((w) => w / 1000), d.exportW.map((w) => w / 1000)]);
    },
  };
}

/** A charging session: the car's measured current and the balancer's limit. */
export function sessionChart(el) {
  let ts = [];
  let current = [];
  let limit = [];
  let stepS = 1;
  const u = chart(
    el,
    {
      series: [
        {},
        line('current', COLORS.current, { value: amps }),
        line('limit', COLORS.limit, { width: 1.5, paths: uPlot.paths.stepped({ align: 1 }), value: amps }),
      ],
      scales: { y: { range: fromZero(() => 6) } },
    },
    [[], [], []],
  );
  const draw = () => u.setData([ts, current, limit]);
  return {
    load(d) {
      ts = d.ts.map((t) => t / 1000);
      current = d.currentA;
      limit = d.limitA;
      stepS = d.stepMs / 1000;
      draw();
    },
    /** One live second; a long session loaded in coarser steps goes on in the same steps. */
    push(tsMs, currentA, limitA) {
      const t = Math.floor(tsMs / 1000);
      if (ts.length && t < ts[ts.length - 1] + stepS) return;
      ts.push(t);
      current.push(currentA);
      limit.push(limitA);
      draw();
    },
  };
}
