import { ApiObject } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct, IConstruct } from 'constructs';
import { secretGeneratorScript } from './scripts';
import { oneShotJob } from '../core/jobs';
import { fixedResources } from '../core/resources';
import { checkDnsLabel, checkInteger, fail } from '../core/validation';

/**
 * Where a password comes from. Either way the password never appears in a synthesized manifest:
 * it is read from a Secret that you manage, or generated inside the cluster at deploy time.
 */
export class Credentials {
  /**
   * Use an existing Secret (created by you, External Secrets, Sealed Secrets, Vault, ...).
   * @param secretName name of the Secret in the chart's namespace
   * @param key key holding the password
   */
  public static fromSecret(secretName: string, key: string = 'password'): Credentials {
    return new Credentials(secretName, key, false, 32);
  }

  /**
   * Generate a random password inside the cluster at deploy time: a Job (with a ServiceAccount that may only
   * create Secrets and read this one) creates the Secret when it does not exist, and never changes it.
   * @param options secret name and password length
   */
  public static generate(options: GeneratedCredentialsOptions = {}): Credentials {
    return new Credentials(options.secretName, 'password', true, options.length ?? 32);
  }

  private constructor(
    /** @internal */ public readonly _secretName: string | undefined,
    /** @internal */ public readonly _key: string,
    /** @internal */ public readonly _generated: boolean,
    /** @internal */ public readonly _length: number,
  ) {}
}

/** Options of `Credentials.generate`. */
export interface GeneratedCredentialsOptions {
  /**
   * Name of the Secret to create.
   * @default `<instance>-auth`
   */
  readonly secretName?: string;
  /**
   * Password length (alphanumeric).
   * @default 32
   */
  readonly length?: number;
}

/** A Secret reference a container can read. */
export interface SecretKeyRef {
  /** Name of the Secret. */
  readonly secretName: string;
  /** Key in the Secret. */
  readonly key: string;
}

/** The generator's objects, for escape hatches. */
export interface GeneratedSecretObjects {
  readonly serviceAccount: ApiObject;
  readonly role: ApiObject;
  readonly roleBinding: ApiObject;
  readonly job: ApiObject;
}

export interface BindCredentialsOptions {
  readonly defaultSecretName: string;
  readonly labels: Record<string, string>;
  /** Image with a POSIX shell and curl. */
  readonly generatorImage: string;
  readonly imagePullPolicy: string;
  readonly imagePullSecrets?: { name: string }[];
}

/** Resolves credentials; for generated ones, adds the generator Job and its RBAC under `scope`. */
export function bindCredentials(
  scope: Construct,
  prop: string,
  credentials: Credentials | undefined,
  o: BindCredentialsOptions,
): { ref: SecretKeyRef; generator?: GeneratedSecretObjects } {
  const c = credentials ?? Credentials.generate();
  const secretName = checkDnsLabel(scope, `${prop}.secretName`, c._secretName ?? o.defaultSecretName, 253);
  if (!/^[-._a-zA-Z0-9]+$/.test(c._key)) checkDnsLabel(scope, `${prop}.key`, c._key);
  const ref = { secretName, key: c._key };
  if (!c._generated) return { ref };
  checkInteger(scope, `${prop}.length`, c._length, 16, 128);
  return { ref, generator: createSecretGenerator(scope, secretName, c._length, o) };
}

function createSecretGenerator(scope: IConstruct, secretName: string, length: number, o: BindCredentialsOptions): GeneratedSecretObjects {
  const parent = new Construct(scope, 'SecretGenerator');
  const name = `${secretName}-gen`.slice(0, 63).replace(/-+$/, '');
  const serviceAccount = new k8s.KubeServiceAccount(parent, 'ServiceAccount', {
    metadata: { name, labels: o.labels },
    automountServiceAccountToken: true,
  });
  // Least privilege: "create" cannot be limited to a name, so reading is limited to this one Secret.
  const role = new k8s.KubeRole(parent, 'Role', {
    metadata: { name, labels: o.labels },
    rules: [
      { apiGroups: [''], resources: ['secrets'], verbs: ['create'] },
      { apiGroups: [''], resources: ['secrets'], verbs: ['get'], resourceNames: [secretName] },
    ],
  });
  const roleBinding = new k8s.KubeRoleBinding(parent, 'RoleBinding', {
    metadata: { name, labels: o.labels },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name },
    subjects: [{ kind: 'ServiceAccount', name }],
  });
  // Named after its content (oneShotJob): an upgrade changes its labels, and a Job's template is immutable.
  const job = oneShotJob(parent, 'Job', {
    baseName: name,
    labels: o.labels,
    spec: {
      backoffLimit: 6,
      activeDeadlineSeconds: 600,
      template: {
        metadata: { labels: o.labels },
        spec: {
          serviceAccountName: name,
          restartPolicy: 'OnFailure',
          imagePullSecrets: o.imagePullSecrets,
          securityContext: { runAsNonRoot: true, runAsUser: 65532, runAsGroup: 65532, seccompProfile: { type: 'RuntimeDefault' } },
          containers: [{
            name: 'generate',
            image: o.generatorImage,
            imagePullPolicy: o.imagePullPolicy,
            command: ['/bin/sh', '-c', secretGeneratorScript()],
            env: [
              { name: 'SECRET_NAME', value: secretName },
              { name: 'PASSWORD_LENGTH', value: String(length) },
              { name: 'SECRET_LABELS_JSON', value: JSON.stringify(o.labels) },
            ],
            resources: fixedResources(10, 100, 16, 64),
            securityContext: {
              allowPrivilegeEscalation: false,
              readOnlyRootFilesystem: true,
              capabilities: { drop: ['ALL'] },
            },
          }],
        },
      },
    },
  });
  return { serviceAccount, role, roleBinding, job };
}

/** An env var that reads a Secret key. */
/**
 * The reference of credentials that must already exist (no generator can run there, e.g. in another cluster).
 */
export function existingSecretRef(scope: IConstruct, prop: string, credentials: Credentials): SecretKeyRef {
  if (credentials._generated || !credentials._secretName) {
    fail(scope, prop, 'Credentials.generate()', 'must be Credentials.fromSecret(name, key): the Secret has to exist where it is read');
  }
  checkDnsLabel(scope, `${prop}.secretName`, credentials._secretName, 253);
  return { secretName: credentials._secretName, key: credentials._key };
}

export function secretEnv(name: string, ref: SecretKeyRef): k8s.EnvVar {
  return { name, valueFrom: { secretKeyRef: { name: ref.secretName, key: ref.key } } };
}
