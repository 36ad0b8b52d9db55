import { defineConfig } from 'vitest/config';

// Tests spawn the command line through tsx and start whole modules: on a busy 2-core machine a start-up
// alone can take several seconds. Allow slow moments without weakening any assertion.
export default defineConfig({ test: { testTimeout: 30_000, hookTimeout: 60_000 } });
