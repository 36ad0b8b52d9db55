import { defineConfig } from 'vitest/config';

// Child processes (tsx start-up) and HTTP round trips are slow on a shared 2-core machine.
export default defineConfig({ test: { testTimeout: 30_000, hookTimeout: 30_000 } });
