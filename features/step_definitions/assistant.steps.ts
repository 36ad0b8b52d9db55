import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { type DataTable, Given, Then, When } from '@cucumber/cucumber';
import {
  type AssistantRun,
  ageProgress,
  answersFor,
  readProgress,
  runAssistant,
  stateFileIn,
} from '../support/assistant';
import { P1_CLI, runToEnd, tsxArgs } from '../support/processes';
import { type P1World, remembered } from '../support/world';

function lastRun(world: P1World): AssistantRun {
  if (!world.assistant) throw new Error('The owner has not used the assistant yet.');
  return world.assistant;
}

async function tell(world: P1World, sentences: string[], extraArgs: string[] = [], timeoutMs?: number): Promise<void> {
  const run = await runAssistant(stateFileIn(world.tmp), answersFor(sentences), extraArgs, timeoutMs);
  world.assistant = run;
  assert.equal(run.code, 0, `the assistant stopped with exit ${run.code}: ${run.errors}\n${run.output.slice(-1500)}`);
}

Given('the owner has not started opening the P1 port yet', function (this: P1World) {
  assert.ok(!existsSync(stateFileIn(this.tmp)));
});

Given('the owner has told the assistant:', async function (this: P1World, table: DataTable) {
  await tell(
    this,
    table.raw().map((r) => r[0] as string),
  );
});

When('the owner tells the assistant:', async function (this: P1World, table: DataTable) {
  await tell(
    this,
    table.raw().map((r) => r[0] as string),
  );
});

When(
  'the owner tells the assistant, with the P1 cable plugged into the meter:',
  async function (this: P1World, table: DataTable) {
    const meter = this.requireMeter();
    const cable = ['--device', meter.device, '--baud', String(meter.baud)];
    await tell(
      this,
      table.raw().map((r) => r[0] as string),
      cable,
    );
  },
);

When(
  'the owner asks the assistant to listen to the meter for {int} seconds',
  async function (this: P1World, seconds: number) {
    const meter = this.requireMeter();
    // Listening does not stop when the owner stops typing: the assistant is ended after the wait.
    const run = await runAssistant(
      stateFileIn(this.tmp),
      answersFor(['listen to the meter']),
      ['--device', meter.device, '--baud', String(meter.baud), '--silence-s', '3'],
      seconds * 1000,
    );
    this.assistant = run;
  },
);

When('the owner opens the assistant again', async function (this: P1World) {
  await tell(this, []);
});

When('the owner comes back {int} hours later', async function (this: P1World, hours: number) {
  ageProgress(stateFileIn(this.tmp), hours);
  await tell(this, []);
});

Then('the assistant is at {string}', function (this: P1World, state: string) {
  const progress = readProgress(stateFileIn(this.tmp));
  assert.equal(progress.state, state, `the saved progress is at ${progress.state}`);
});

Then('the assistant says {string}', function (this: P1World, text: string) {
  const { output } = lastRun(this);
  assert.ok(output.includes(text), `the assistant did not say "${text}":\n${output.slice(-2000)}`);
});

Then('the assistant does not say {string}', function (this: P1World, text: string) {
  const { output } = lastRun(this);
  assert.ok(!output.includes(text), `the assistant said "${text}"`);
});

Then('the assistant shows the {word} dot', function (this: P1World, colour: string) {
  const { output } = lastRun(this);
  const dot = `${colour[0]?.toUpperCase()}${colour.slice(1)} dot`;
  const lastStep = output.slice(output.lastIndexOf('[Step'));
  assert.ok(lastStep.includes(dot), `the last step shown has no ${dot}:\n${lastStep}`);
});

Then('the assistant explains the refusal as {string}', function (this: P1World, code: string) {
  const progress = readProgress(stateFileIn(this.tmp));
  assert.equal(progress.lastError?.code, code, `the remembered refusal is ${progress.lastError?.code ?? 'none'}`);
});

Then('the assistant remembers no refusal', function (this: P1World) {
  assert.equal(readProgress(stateFileIn(this.tmp)).lastError, null);
});

When('the owner checks the EAN {string} from the bill', async function (this: P1World, code: string) {
  const run = await runToEnd(process.execPath, tsxArgs(P1_CLI, ['ean', code]));
  this.eanCheck = run;
});

Then('the module accepts the EAN', function (this: P1World) {
  const run = remembered(this.eanCheck, 'EAN check');
  assert.equal(run.code, 0, run.stdout);
  assert.deepEqual(JSON.parse(run.stdout), { valid: true, reason: null });
});

Then('the module refuses the EAN because {string}', function (this: P1World, words: string) {
  const run = remembered(this.eanCheck, 'EAN check');
  assert.equal(run.code, 1, run.stdout);
  const answer = JSON.parse(run.stdout) as { valid: boolean; reason: string };
  assert.equal(answer.valid, false);
  assert.ok(answer.reason.toLowerCase().includes(words.toLowerCase()), `the reason was: ${answer.reason}`);
});
