import { Size } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { IConstruct } from 'constructs';
import { stableLabels } from '../core/labels';
import { sizeBytes, sizeQuantity } from '../core/resources';
import { checkDnsLabel, fail } from '../core/validation';

/** What happens to a StatefulSet's volumes when it is deleted or scaled down. */
export enum VolumeRetention {
  /** Keep the PersistentVolumeClaims (data survives; delete them by hand). */
  RETAIN = 'Retain',
  /** Delete the PersistentVolumeClaims. */
  DELETE = 'Delete',
}

/** Persistent storage of one component. */
export interface StorageProps {
  /**
   * Volume size per pod.
   * @default per engine (Redis: 10Gi)
   */
  readonly size?: Size;
  /**
   * StorageClass. Pick one that supports volume expansion; data grows.
   * @default the cluster's default StorageClass
   */
  readonly storageClassName?: string;
  /**
   * PVC retention when the StatefulSet is deleted.
   * @default VolumeRetention.RETAIN
   */
  readonly whenDeleted?: VolumeRetention;
  /**
   * PVC retention when the StatefulSet is scaled down.
   * @default VolumeRetention.RETAIN
   */
  readonly whenScaled?: VolumeRetention;
}

/** Validated storage settings. */
export interface ResolvedStorage {
  readonly size: Size;
  readonly storageClassName?: string;
  readonly whenDeleted: VolumeRetention;
  readonly whenScaled: VolumeRetention;
}

export function resolveStorage(scope: IConstruct, prop: string, props: StorageProps | undefined, defaultSize: Size): ResolvedStorage {
  const size = props?.size ?? defaultSize;
  if (sizeBytes(size) < 1024 * 1024 * 1024 / 8) {
    fail(scope, `${prop}.size`, sizeQuantity(size), 'must be at least 128Mi');
  }
  if (props?.storageClassName !== undefined) checkDnsLabel(scope, `${prop}.storageClassName`, props.storageClassName, 253);
  return {
    size,
    storageClassName: props?.storageClassName,
    whenDeleted: props?.whenDeleted ?? VolumeRetention.RETAIN,
    whenScaled: props?.whenScaled ?? VolumeRetention.RETAIN,
  };
}

/** A volumeClaimTemplates entry. Its labels are the stable ones: the templates of a StatefulSet are immutable. */
export function volumeClaimTemplate(name: string, storage: ResolvedStorage, labels: Record<string, string>): k8s.KubePersistentVolumeClaimProps {
  return {
    metadata: { name, labels: stableLabels(labels) },
    spec: {
      accessModes: ['ReadWriteOnce'],
      storageClassName: storage.storageClassName,
      resources: { requests: { storage: k8s.Quantity.fromString(sizeQuantity(storage.size)) } },
    },
  };
}

/** The StatefulSet `persistentVolumeClaimRetentionPolicy`. */
export function retentionPolicy(storage: ResolvedStorage): k8s.StatefulSetPersistentVolumeClaimRetentionPolicy {
  return { whenDeleted: storage.whenDeleted, whenScaled: storage.whenScaled };
}
