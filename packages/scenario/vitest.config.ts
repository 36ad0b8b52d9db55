import { defineConfig } from 'vitest/config';

// Property tests run whole simulated days per case: allow a busy machine its slow moments.
export default defineConfig({ test: { testTimeout: 120_000 } });
