// Cucumber profiles. `pnpm test:features` = sim, `pnpm test:hil` = hil, `pnpm hil:rehearse` runs hil against
// the simulator on a tty pair. The first import registers tsx so the step definitions load as TypeScript.
const support = ['features/support/register-tsx.mjs', 'features/support/**/*.ts', 'features/step_definitions/**/*.ts'];

function reports(profile) {
  return [
    'progress',
    `html:reports/cucumber-${profile}.html`,
    `junit:reports/cucumber-${profile}.xml`,
    // The legacy JSON report: an array of features whose scenarios carry step results (counted by the test summary).
    `json:reports/cucumber-${profile}.json`,
  ];
}

const common = {
  import: support,
  // One meter, one tty pair per scenario on a 2-core machine: scenarios run one after another.
  parallel: 0,
  strict: true,
};

/** Simulator over a socat pair with an accelerated clock; the CI suite. */
export const sim = {
  ...common,
  tags: '(@sim or @any-target) and not @wip',
  format: reports('sim'),
  worldParameters: { target: 'sim' },
};

/** A real meter at P1_DEVICE (or the rehearsal's simulated one on a tty pair). */
export const hil = {
  ...common,
  tags: '(@hil or @any-target) and not @wip',
  format: reports('hil'),
  worldParameters: { target: 'hil' },
};

export default sim;
