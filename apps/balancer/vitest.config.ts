import { defineConfig } from 'vitest/config';

// Tests spawn the command line through tsx and start whole modules: on a busy 2-core machine a start-up
// alone can take several seconds, and a click, the page's request to the module and its redraw more than the 1 s
// expect.poll waits by default. Allow slow moments without weakening any assertion: a wait that fails still fails.
export default defineConfig({
  test: { testTimeout: 30_000, hookTimeout: 60_000, expect: { poll: { timeout: 15_000 } } },
});
