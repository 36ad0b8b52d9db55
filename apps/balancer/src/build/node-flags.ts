/**
 * The node flags the module runs with in production (deploy/, `start:prod`): a small young
 * generation and heap cap, and no optimizing compiler — at one telegram a second the interpreter
 * and baseline compiler are fast enough (see the bench), and optimized code costs ~10 MB of RSS.
 */
export const PRODUCTION_NODE_FLAGS = ['--max-semi-space-size=1', '--max-old-space-size=48', '--no-opt'] as const;
