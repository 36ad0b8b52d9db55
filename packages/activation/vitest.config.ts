import { defineConfig } from 'vitest/config';

// The machine is shared by several builds: allow slow moments without weakening any assertion.
export default defineConfig({ test: { testTimeout: 20_000 } });
