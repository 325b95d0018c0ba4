// The layers of docs/architecture.md, enforced: core imports nothing with I/O; services import core only; adapters
// import core; entry points may import anything. No cycles anywhere.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'core-is-pure',
      comment:
        'core holds the model, rules and maths: no I/O, no Node built-ins that do I/O, no adapters, no packages but zod, libphonenumber-js and cel-js (a pure expression evaluator).',
      severity: 'error',
      from: { path: '^src/core/' },
      to: {
        pathNot: [
          '^src/core/',
          '^node_modules/zod/',
          '^node_modules/libphonenumber-js/',
          '^node_modules/@marcbachmann/cel-js/',
          '^node_modules/fast-check/',
          '^node_modules/vitest/',
          '^node_modules/@vitest/',
        ],
      },
    },
    {
      name: 'services-use-ports',
      comment: 'use cases reach the world only through the ports in core.',
      severity: 'error',
      from: { path: '^src/services/' },
      to: { pathNot: ['^src/services/', '^src/core/', '^node_modules/zod/', '^node_modules/vitest/', '^node_modules/@vitest/'] },
    },
    {
      name: 'adapters-depend-on-core',
      comment: 'adapters implement ports; they do not call use cases, entry points or each other.',
      severity: 'error',
      from: { path: '^src/(db|connectors|evidence|intake|notify|storage|auth|rules)/' },
      to: { path: '^src/(services|server|cli|jobs)/' },
    },
    {
      name: 'adapters-stay-apart',
      severity: 'error',
      // A test of an adapter may open a database to run it against; the adapter itself may not reach into another.
      from: { path: '^src/(db|connectors|evidence|intake|notify|storage|auth|rules)/', pathNot: '\\.test\\.ts$' },
      to: { path: '^src/(db|connectors|evidence|intake|notify|storage|auth|rules)/', pathNot: ['^src/$1/'] },
    },
    {
      name: 'web-uses-the-api-and-pure-core',
      comment:
        'the web app reaches Writ through the HTTP API (its generated client); of the server code it may import only pure helpers from core.',
      severity: 'error',
      from: { path: '^web/' },
      to: { path: '^src/', pathNot: '^src/core/' },
    },
    {
      name: 'nothing-imports-the-web-app',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^web/' },
    },
    {
      name: 'config-stands-alone',
      severity: 'error',
      from: { path: '^src/config/' },
      to: { path: '^src/', pathNot: '^src/config/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};
