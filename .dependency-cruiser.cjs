/**
 * Module boundaries, checked by `npm run check:boundaries` (and in CI):
 *   - a module's index.ts is its only public door (types included);
 *   - no cycle between modules, nor through src/app or src/shared (folder-level cycles);
 *   - src/shared is the floor: it imports nothing of src/app, src/jobs or src/modules;
 *   - modules never import the app that assembles them;
 *   - production code never imports test doubles (test/ or a testing/ folder).
 * Cycles between files of one module (MikroORM entities that point at each other) are fine.
 */
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'module-door',
      severity: 'error',
      comment: "Import another module only through its index.ts; its other files are private.",
      from: { path: '^src/modules/([^/]+)/' },
      to: { path: '^src/modules/[^/]+/', pathNot: ['^src/modules/$1/', '^src/modules/[^/]+/index\\.ts$'] },
    },
    {
      name: 'outside-door',
      severity: 'error',
      comment: 'src/app, src/jobs, src/main.ts and bench/ reach modules through their index.ts too.',
      from: { path: '^(src/(app|jobs|shared)/|src/[^/]+\\.ts$|bench/)' },
      to: { path: '^src/modules/[^/]+/', pathNot: '^src/modules/[^/]+/index\\.ts$' },
    },
    {
      name: 'no-module-cycle',
      severity: 'error',
      comment: 'Modules (and app, jobs, shared) form a graph without cycles: move the shared piece down or pass the call in from src/app.',
      scope: 'folder',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'shared-is-the-floor',
      severity: 'error',
      comment: 'src/shared imports nothing from the app, the jobs or any module.',
      from: { path: '^src/shared/' },
      to: { path: '^src/(app|jobs|modules)/' },
    },
    {
      name: 'modules-below-app',
      severity: 'error',
      comment: 'Modules do not import the app or the jobs that assemble them; what they need is passed in.',
      from: { path: '^src/modules/' },
      to: { path: '^src/(app|jobs)/|^src/main\\.ts$' },
    },
    {
      name: 'no-test-doubles-in-production',
      severity: 'error',
      comment: 'Fakes and test servers live under test/ (or a testing/ folder) and production code never imports them.',
      from: { path: '^src/', pathNot: '/testing/' },
      to: { path: '^test/|/testing/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // Unit tests beside the code may use test doubles and a module's internals: they are not
    // part of the module graph that ships.
    exclude: { path: '(^|/)node_modules/|^test/generated/|\\.test\\.ts$' },
    // Type-only imports count: a type reached through another module's private file is still a deep import.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js'] },
  },
};
