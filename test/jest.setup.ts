// Suites boot the whole platform against real MySQL and Redis; give hooks and tests room
// on a busy 2-core machine (jest ignores testTimeout inside a project's config).
jest.setTimeout(120_000);
