import { IConstruct } from 'constructs';
import { fail } from './validation';

/** When the kubelet pulls an image. */
export enum ImagePullPolicy {
  /** Pull on every start. */
  ALWAYS = 'Always',
  /** Pull only when the image is not on the node (right for pinned tags). */
  IF_NOT_PRESENT = 'IfNotPresent',
  /** Never pull. */
  NEVER = 'Never',
}

/** Overrides for one container image. */
export interface ImageProps {
  /**
   * Repository, with or without a registry host (`redis`, `docker.io/library/redis`, `my.registry/redis`).
   * @default the component's upstream image
   */
  readonly repository?: string;
  /**
   * Tag. Pin it: a moving tag makes two pods of one StatefulSet run different code.
   * @default the version pinned by this library for the component
   */
  readonly tag?: string;
  /**
   * Pull policy.
   * @default ImagePullPolicy.IF_NOT_PRESENT
   */
  readonly pullPolicy?: ImagePullPolicy;
}

/** Registry settings shared by every image of a construct (private or air-gapped registries). */
export interface ImageRegistryProps {
  /**
   * Registry host (and optional path) that replaces the registry of every image, e.g. `harbor.example.com/mirror`.
   * @default each image's own registry
   */
  readonly registry?: string;
  /**
   * Names of existing `kubernetes.io/dockerconfigjson` Secrets for pulling images.
   * @default none
   */
  readonly pullSecrets?: string[];
}

/** A resolved image reference. */
export interface ResolvedImage {
  readonly image: string;
  readonly pullPolicy: ImagePullPolicy;
}

const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;

/** Splits off the registry host: the first path element when it looks like a host (has '.' or ':' or is localhost). */
function stripRegistry(repository: string): string {
  const [first, ...rest] = repository.split('/');
  if (rest.length > 0 && (first.includes('.') || first.includes(':') || first === 'localhost')) {
    return rest.join('/');
  }
  return repository;
}

/**
 * Resolves a component image from its pinned default, the user's override and the registry override.
 * `defaultRepository` is fully qualified (e.g. `docker.io/library/redis`).
 */
export function resolveImage(
  scope: IConstruct,
  prop: string,
  defaultRepository: string,
  defaultTag: string,
  image: ImageProps | undefined,
  registry: ImageRegistryProps | undefined,
): ResolvedImage {
  const repository = image?.repository ?? defaultRepository;
  const tag = image?.tag ?? defaultTag;
  if (!repository || /\s|@|:[^/]*$/.test(repository.replace(/^[^/]+:\d+\//, ''))) {
    fail(scope, `${prop}.repository`, repository, 'must be a repository without tag or digest (set the tag with `tag`)');
  }
  if (!TAG.test(tag) || tag === 'latest') {
    fail(scope, `${prop}.tag`, tag, "must be an explicit version tag (not 'latest'): letters, digits, '_', '.', '-'");
  }
  const host = registry?.registry?.replace(/\/+$/, '');
  const repo = host ? `${host}/${stripRegistry(repository)}` : repository;
  return { image: `${repo}:${tag}`, pullPolicy: image?.pullPolicy ?? ImagePullPolicy.IF_NOT_PRESENT };
}

/** `imagePullSecrets` for a pod spec. */
export function pullSecrets(registry: ImageRegistryProps | undefined): { name: string }[] | undefined {
  const names = registry?.pullSecrets ?? [];
  return names.length > 0 ? names.map((name) => ({ name })) : undefined;
}
