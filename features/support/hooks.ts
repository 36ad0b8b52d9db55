import { After, Before, Status } from '@cucumber/cucumber';
import type { P1World } from './world';

Before(function (this: P1World, { pickle }) {
  this.scenarioName = pickle.name;
  this.makeTempDir();
});

// A @sim-only scenario that slipped into the hil run (or the reverse) would test the wrong meter.
Before({ tags: '@sim and not @any-target' }, function (this: P1World) {
  if (this.target !== 'sim') return 'skipped';
});
Before({ tags: '@hil and not @any-target' }, function (this: P1World) {
  if (this.target !== 'hil') return 'skipped';
});

After(async function (this: P1World, { result }) {
  if (result?.status === Status.FAILED) {
    const outputs = this.childOutputs();
    if (outputs) this.attach(outputs, 'text/plain');
    const frames = this.house?.frames.length;
    if (frames !== undefined) this.attach(`house received ${frames} frames (${this.house?.diagnosis})`, 'text/plain');
  }
  await this.teardown();
});
