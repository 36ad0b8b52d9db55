import { defineConfig } from 'vitest/config';

// CI shares a 2-core machine between the packages' tests: a test that takes 2–3 s alone can pass the 5 s default
// there and fail as a timeout. The timeout is no speed check (speed is `pnpm bench`'s); no assertion is weakened.
export default defineConfig({ test: { testTimeout: 30_000 } });
