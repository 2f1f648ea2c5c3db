import { cdk8s, DependencyType, javascript } from 'projen';

const project = new cdk8s.ConstructLibraryCdk8s({
  name: 'cdk8s-middleware',
  description:
    'Typed cdk8s constructs that synthesize complete, production-grade Kubernetes manifests for middleware: Redis, MySQL, Kafka, Elasticsearch and more.',
  author: 'cdk8s-middleware contributors',
  authorAddress: 'maintainers@cdk8s-middleware.dev',
  repositoryUrl: 'https://github.com/cdk8s-middleware/cdk8s-middleware.git',
  defaultReleaseBranch: 'main',
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,
  github: false,
  release: false,
  keywords: ['cdk8s', 'kubernetes', 'redis', 'mysql', 'kafka', 'elasticsearch', 'middleware'],

  cdk8sVersion: '2.70.0',
  constructsVersion: '10.4.2',
  jsiiVersion: '~6.0.0',
  peerDeps: ['cdk8s-plus-28@^2.5.6'],
  devDeps: [
    // jsii 6 compiles with TypeScript 6; TypeScript 7 (native) breaks ts-node.
    'typescript@~6.0.0',
    '@types/node@^20',
    'jest@^29',
    'ts-jest@^29',
    // ts-jest requires jest-util without declaring it; npm would not hoist it otherwise.
    'jest-util@^29',
    '@types/jest@^29',
    'cdk8s-plus-28@^2.5.6',
    'cdk8s-cli@^2.200.0',
    'ajv@^8.17.1',
    'ajv-formats@^3.0.1',
    'yaml@^2.6.0',
    'kubernetes-models@^4.5.1',
  ],

  jestOptions: {
    // jest 30 and eslint-import-resolver-typescript 4 pull in unrs-resolver, whose per-platform optional
    // bindings are not all on the registry mirror CI uses, so `npm ci` rejects the lock file.
    jestVersion: '^29',
    // A changed manifest must fail until a person updates the snapshot on purpose.
    updateSnapshot: javascript.UpdateSnapshot.NEVER,
    jestConfig: {
      testTimeout: 120_000,
      testPathIgnorePatterns: ['/node_modules/', '/examples/.*/node_modules/'],
    },
  },
  gitignore: ['/examples/*/dist/', '/examples/*/cdk8s.out/', '/.tmp/'],
});

project.deps.addDependency('eslint-import-resolver-typescript@~3.6.3', DependencyType.BUILD);

// Regenerate the custom-resource bindings from the pinned upstream CRDs (../shared/crds).
const imp = project.addTask('import', {
  description: 'Regenerate src/imports from the upstream CRDs in ../shared/crds',
});
imp.exec('bash scripts/import-crds.sh');

// The main job: synthesize every example app (examples/*/cdk8s.yaml) into YAML.
const synth = project.addTask('synth', {
  description: 'Synthesize every reference architecture in examples/ with cdk8s synth',
});
synth.exec('bash scripts/synth-examples.sh');

project.synth();
