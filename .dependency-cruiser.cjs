/**
 * Import rules checked by `npm test` (step "dependencies"): no cycles, and the arrows of the layout.
 *
 *   miniapp/src -> shared          bot -> shared          server -> bot, shared
 *   shared -> (nothing of ours)    nothing product-side -> scripts/
 *   server/kernel -> no feature    a feature -> another feature only through its index.ts
 *
 * Test files and `server/testing/` may start the sandbox (it lives in scripts/), but only through
 * its public entry points, never its internal state. See docs/architecture.md for the why.
 * @type {import('dependency-cruiser').IConfiguration}
 */
const TESTS = '(\\.test\\.tsx?$|\\.browser\\.test\\.tsx?$|^server/testing/)';

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Import cycles make module start-up order matter (TDZ errors) and hide layering mistakes.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'shared-is-a-leaf',
      severity: 'error',
      comment: 'shared/ is read by the server, the bot and the mini-app; it depends on none of them.',
      from: { path: '^shared/' },
      to: { path: '^(server|bot|miniapp|scripts)/' },
    },
    {
      name: 'miniapp-only-shared',
      severity: 'error',
      comment:
        'The mini-app ships to phones: it may use shared/ contracts, never server, bot or scripts code.',
      from: { path: '^miniapp/src/' },
      to: { path: '^(server|bot|scripts)/' },
    },
    {
      name: 'bot-only-shared',
      severity: 'error',
      comment:
        'The bot formats messages from shared contracts; the server calls it, not the other way round.',
      from: { path: '^bot/', pathNot: TESTS },
      to: { path: '^(server|miniapp|scripts)/' },
    },
    {
      name: 'server-not-miniapp',
      severity: 'error',
      from: { path: '^server/' },
      to: { path: '^miniapp/' },
    },
    {
      name: 'product-not-scripts',
      severity: 'error',
      comment: 'scripts/ holds the sandbox, benches and tools; product code never depends on them.',
      from: { path: '^(server|bot|shared|miniapp/src)/', pathNot: TESTS },
      to: { path: '^scripts/' },
    },
    {
      name: 'tests-use-sandbox-entry-points',
      severity: 'error',
      comment:
        'Tests drive the sandbox over HTTP; they may start it through its entry points but not read its internal state.',
      from: { path: TESTS },
      to: { path: '^scripts/sandbox/', pathNot: '^scripts/sandbox/(server|main|index)\\.ts$' },
    },
    {
      name: 'kernel-knows-no-feature',
      severity: 'error',
      comment: 'The kernel is machinery without business rules; features plug into it, never the reverse.',
      from: { path: '^server/kernel/', pathNot: TESTS },
      to: { path: '^server/features/' },
    },
    {
      name: 'features-through-index',
      severity: 'error',
      comment: "Another feature's internals are private: import its index.ts (its public surface) only.",
      from: { path: '^server/features/([^/]+)/' },
      to: {
        path: '^server/features/([^/]+)/.+',
        pathNot: ['^server/features/$1/', '^server/features/[^/]+/index\\.ts$'],
      },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(node_modules|dist|data)/' },
    // TypeScript 7 is not a parser dependency-cruiser can load; swc parses the same syntax.
    parser: 'swc',
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.tsx', '.js', '.mjs', '.json'] },
  },
};
