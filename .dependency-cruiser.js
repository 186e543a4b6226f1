/**
 * The import-boundary fence: the dependency directions of docs/architecture.md, as rules that `npm run fences` checks
 * on every `npm test`. Paths are relative to the repository root. Every rule is an error; none is relaxed for a file
 * that breaks it today: fix the import, or change the architecture (and docs/architecture.md) first.
 *
 * Type-only imports count. `tsPreCompilationDeps` keeps `import type` edges in the graph, because a type-only import
 * still couples the two modules: tsc type-checks the imported file in the importer's program (with the importer's
 * lib: a browser page importing an edge type would be checked with the DOM lib and without Node's types), and a
 * type import is how a port ends up typed with an adapter's types. So no rule below exempts them.
 *
 * test/fixtures/fences/ holds small trees that break these rules on purpose (test/unit/fences/ checks that each is
 * reported); they are excluded from the real run.
 */

/** npm packages that `shared/` may import: pure (no I/O, no Node built-ins, no module state we rely on). */
const SHARED_PACKAGES = ['zod'];

/** npm packages that `browser/` may import: what its pages are bundled with (zod, for the contracts in shared/; i18next, for the two languages). */
const BROWSER_PACKAGES = ['zod', 'i18next'];

/** Top-level folders of runtime code (what ships or runs in production, the simulator and the laptop demo). */
const RUNTIME = '^(shared|edge|cloud|sim|browser|infra|demo)/';

/** A resolved npm module, whether node_modules is a folder or a symlink to another checkout's. */
const NPM_MODULE = '(^|/)node_modules/';

/** The adapters of the edge agent: `edge/control/` reaches them only through the ports it declares itself. */
const EDGE_ADAPTERS = '^edge/(ocpp|meter|sync|store|dashboard|cli|upstream)/|^edge/(main|start|agent-process)\\.ts$';

/** @type {import('dependency-cruiser').IConfiguration} */
export default {
  forbidden: [
    // shared/: pure. Values in, values out; no I/O, so no Node built-ins and no package that does I/O.
    {
      name: 'shared-imports-only-shared',
      comment: 'shared/ imports nothing of ours outside shared/ (docs/architecture.md, "Dependency direction").',
      severity: 'error',
      from: { path: '^shared/' },
      to: { pathNot: ['^shared/', NPM_MODULE], dependencyTypesNot: ['core'], couldNotResolve: false },
    },
    {
      name: 'shared-no-node-builtins',
      comment: 'shared/ does no I/O: no `node:` (or bare) built-in modules. Pass values (and `now`) in instead.',
      severity: 'error',
      from: { path: '^shared/' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'shared-only-pure-packages',
      comment: `shared/ may import only these npm packages: ${SHARED_PACKAGES.join(', ')} (.dependency-cruiser.js, SHARED_PACKAGES).`,
      severity: 'error',
      from: { path: '^shared/' },
      to: { path: NPM_MODULE, pathNot: `${NPM_MODULE}(${SHARED_PACKAGES.join('|')})/` },
    },

    {
      name: 'shared-site-imports-no-other-shared-folder',
      comment:
        'shared/site/ (the site, its connectors and their state) is the base of shared/: it imports no shared/policy, allocation, sync or ui.',
      severity: 'error',
      from: { path: '^shared/site/' },
      to: { path: '^shared/(policy|allocation|sync|ui)/' },
    },

    // browser/: the pages. They talk to edge/ and cloud/ over HTTP, with contracts defined in shared/.
    {
      name: 'browser-imports-only-browser-and-shared',
      comment:
        'browser/ imports browser/ and shared/ only; not edge/ or cloud/, not even types (an HTTP contract both sides use belongs in shared/).',
      severity: 'error',
      from: { path: '^browser/' },
      to: { pathNot: ['^(browser|shared)/', NPM_MODULE], dependencyTypesNot: ['core'], couldNotResolve: false },
    },
    {
      name: 'browser-no-node-builtins',
      comment: 'browser/ runs in a browser: no Node built-in modules.',
      severity: 'error',
      from: { path: '^browser/' },
      to: { dependencyTypes: ['core'] },
    },

    {
      name: 'browser-only-listed-packages',
      comment: `browser/ may import only these npm packages: ${BROWSER_PACKAGES.join(', ')} (.dependency-cruiser.js, BROWSER_PACKAGES).`,
      severity: 'error',
      from: { path: '^browser/' },
      to: { path: NPM_MODULE, pathNot: `${NPM_MODULE}(${BROWSER_PACKAGES.join('|')})/` },
    },
    {
      name: 'only-tests-import-browser',
      comment:
        'Nothing but browser/ and test/ imports browser/: servers serve what `npm run build` wrote; scripts name the entry points by path.',
      severity: 'error',
      from: { pathNot: '^(browser|test)/' },
      to: { path: '^browser/' },
    },

    // sim/: an independent counterpart that speaks the protocols from its own code.
    {
      name: 'sim-not-to-edge-or-cloud',
      comment:
        'sim/ never imports edge/ or cloud/: its charger and meter speak OCPP and Modbus from their own code, so the edge is not only tested against itself.',
      severity: 'error',
      from: { path: '^sim/' },
      to: { path: '^(edge|cloud|browser|infra)/' },
    },

    // edge/control/: the loop, behind its own ports.
    {
      name: 'control-imports-no-adapter',
      comment:
        'edge/control/ imports no adapter (ocpp, meter, sync, store, dashboard, cli) nor the composition roots; adapters implement ports that control declares.',
      severity: 'error',
      from: { path: '^edge/control/' },
      to: { path: EDGE_ADAPTERS },
    },

    // edge/ and cloud/ meet only in shared/ (shared/sync is the one definition of what passes between them).
    {
      name: 'edge-not-to-cloud',
      comment: 'edge/ does not import cloud/: what both need is in shared/ (the sync contract is shared/sync/).',
      severity: 'error',
      from: { path: '^edge/' },
      to: { path: '^cloud/' },
    },
    {
      name: 'edge-not-to-sim-or-demo',
      comment:
        'edge/ does not import sim/ or demo/: the agent a site runs carries no simulator; the laptop demo (demo/) composes the agent, the simulator and the local cloud.',
      severity: 'error',
      from: { path: '^edge/' },
      to: { path: '^(sim|demo)/' },
    },
    {
      name: 'only-tests-import-demo',
      comment: 'demo/ is a composition root (npm start): nothing but tests imports it.',
      severity: 'error',
      from: { pathNot: '^(demo|test)/' },
      to: { path: '^demo/' },
    },
    {
      name: 'cloud-not-to-edge',
      comment: 'cloud/ does not import edge/: what both need is in shared/.',
      severity: 'error',
      from: { path: '^cloud/' },
      to: { path: '^edge/' },
    },

    // infra/: the CDK app deploys the handlers; it does not reach into the cloud code behind them.
    {
      name: 'infra-only-handler-entries',
      comment:
        'infra/ imports infra/, shared/, the cloud/handlers/<name>.ts entry points and cloud/db/table-definition.ts (the one ' +
        'definition of the table the stack creates and the code reads) only (and the CDK packages).',
      severity: 'error',
      from: { path: '^infra/' },
      to: {
        pathNot: ['^(infra|shared)/', '^cloud/handlers/[^/]+\\.ts$', '^cloud/db/table-definition\\.ts$', NPM_MODULE],
        dependencyTypesNot: ['core'],
        couldNotResolve: false,
      },
    },

    // Build and test tooling stays out of runtime code.
    {
      name: 'runtime-not-to-scripts',
      comment: 'Only scripts/, test/ and bench/ import scripts/: runtime code reads what a build step wrote.',
      severity: 'error',
      from: { pathNot: '^(scripts|test|bench)/' },
      to: { path: '^scripts/' },
    },
    {
      name: 'runtime-not-to-esbuild',
      comment:
        'Only scripts/, test/ and bench/ import esbuild: bundling is a build step, not something the agent or a Lambda does.',
      severity: 'error',
      from: { pathNot: '^(scripts|test|bench)/' },
      to: { path: `${NPM_MODULE}esbuild/` },
    },
    {
      name: 'runtime-not-to-test-or-bench',
      comment: 'Runtime code does not import test/ or bench/.',
      severity: 'error',
      from: { path: RUNTIME },
      to: { path: '^(test|bench)/' },
    },

    // Whole-graph hygiene.
    {
      name: 'no-circular',
      comment: 'A cycle, counting type-only imports: split the module that both sides need, or invert the dependency.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'not-to-unresolvable',
      comment: 'An import that does not resolve to a file (or an installed package).',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
    {
      name: 'not-to-undeclared-package',
      comment: 'An npm package that package.json does not declare (it works only while something else pulls it in).',
      severity: 'error',
      from: {},
      to: { dependencyTypes: ['npm-no-pkg', 'npm-unknown'] },
    },
    {
      name: 'no-orphans',
      comment: 'A module that imports nothing and that nothing imports: dead, or an entry point nobody reaches.',
      severity: 'error',
      from: { orphan: true, pathNot: ['\\.d\\.ts$', '(^|/)\\.[^/]+\\.(js|cjs|mjs|ts)$'] },
      to: {},
    },
  ],
  options: {
    // `npm run fences:deps` names the top-level folders to cruise (cruising `.` would walk node_modules too).
    exclude: { path: '(^|/)(cdk\\.out|dist|test-results|\\.git|\\.ampshare|\\.scratch)/|^test/fixtures/fences/' },
    doNotFollow: { path: NPM_MODULE },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    // Resolve package subpaths (`hono/cookie`) and packages whose exports map has only `types`/`default` (aedes).
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
