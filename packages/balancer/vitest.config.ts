import { defineConfig } from 'vitest/config';

// Property tests step simulated hours per case (0.5–1 s on a quiet machine); on a busy 2-core machine one took
// over the 5 s default and failed as a timeout. The timeout is no speed check (speed is `pnpm bench`'s): allow
// slow moments without weakening any assertion.
export default defineConfig({ test: { setupFiles: ['./test/fast-check-seed.ts'], testTimeout: 60_000 } });
