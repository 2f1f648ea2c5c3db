import { Size } from 'cdk8s';
import { sizeBytes } from '../core/resources';

/** What the cluster is mostly used for; sets how much disk one node can serve per GiB of memory. */
export enum ElasticsearchWorkload {
  /** Search, data acceleration, query aggregation: at most memory x 10 of disk per node, shards of about 20 GiB. */
  SEARCH = 'search',
  /** General purpose: at most memory x 30 of disk per node, shards of about 30 GiB. */
  GENERAL = 'general',
  /** Log writing, offline analysis: at most memory x 50 of disk per node, shards of about 30 GiB. */
  LOGGING = 'logging',
}

/** Inputs of a capacity plan. */
export interface ElasticsearchCapacityInput {
  /** Source data to hold (for logs: daily volume x retention days). */
  readonly sourceData: Size;
  /**
   * Replicas per primary shard.
   * @default 1
   */
  readonly replicas?: number;
  /**
   * Expected growth on top of the source data (counted in the shard count).
   * @default none
   */
  readonly growth?: Size;
  /**
   * Workload type.
   * @default ElasticsearchWorkload.GENERAL
   */
  readonly workload?: ElasticsearchWorkload;
  /**
   * Memory (limit) of one data node.
   * @default Size.gibibytes(32)
   */
  readonly nodeMemory?: Size;
}

/** A capacity plan: what the reference's formulas say the data tier needs. */
export interface ElasticsearchCapacityPlan {
  /** source x (1 + replicas) x (1 + 10%) / (1 - 5%) / (1 - 20%), in GiB. */
  readonly minimumStorageGiB: number;
  /** The minimum storage divided by 0.85, so that disk usage stays at or below 85%, in GiB. */
  readonly recommendedStorageGiB: number;
  /** Largest disk one data node should serve: memory (GiB) x 10, 30 or 50 by workload. */
  readonly maxDiskPerNodeGiB: number;
  /** Data nodes needed so that no node exceeds that disk, and every replica has its own node. */
  readonly dataNodes: number;
  /** Disk per data node (recommended storage spread over the nodes, rounded up), in GiB. */
  readonly storagePerNodeGiB: number;
  /** Target shard size for the workload, in GiB. */
  readonly shardSizeGiB: number;
  /** (source + growth) x 1.1 / shard size, rounded up. */
  readonly primaryShards: number;
  /** Heap of one data node (half the memory, capped at 31 GiB), in GiB. */
  readonly heapGiB: number;
  /** Shards one node may hold: 20 per GiB of heap. */
  readonly maxShardsPerNode: number;
  /** Whether primaries and replicas fit under that limit on the planned nodes. */
  readonly shardsWithinHeapLimit: boolean;
}

const GIB = 2 ** 30;

/**
 * The capacity-planning rules of the reference (DaoCloud DCE 5.0, Elasticsearch): storage from source data with
 * index, OS and internal overheads, per-node disk bounded by memory, shard sizes, and shards per GiB of heap.
 */
export class ElasticsearchCapacity {
  /** Index overhead over the source data (10%). */
  public static readonly INDEX_OVERHEAD = 0.1;
  /** Space the OS reserves on a filesystem (5%). */
  public static readonly OS_RESERVE = 0.05;
  /** Elasticsearch internal overhead: segment merges, logs (20%). */
  public static readonly INTERNAL_OVERHEAD = 0.2;
  /** Highest disk usage to plan for (85%, the default low disk watermark). */
  public static readonly MAX_DISK_USAGE = 0.85;
  /** Shards per GiB of heap, at most. */
  public static readonly SHARDS_PER_HEAP_GIB = 20;
  /** Heap cap, below the 32 GiB compressed object pointer limit. */
  public static readonly MAX_HEAP_GIB = 31;

  /** Minimum storage in GiB: source x (1 + replicas) x 1.1 / 0.95 / 0.8. */
  public static minimumStorageGiB(sourceGiB: number, replicas: number): number {
    return sourceGiB * (1 + replicas) * (1 + ElasticsearchCapacity.INDEX_OVERHEAD)
      / (1 - ElasticsearchCapacity.OS_RESERVE) / (1 - ElasticsearchCapacity.INTERNAL_OVERHEAD);
  }

  /** Disk one node should serve at most: memory (GiB) x 10 (search), 30 (general) or 50 (logging). */
  public static maxDiskPerNodeGiB(memoryGiB: number, workload: ElasticsearchWorkload): number {
    return memoryGiB * ElasticsearchCapacity.diskToMemoryRatio(workload);
  }

  /** The disk-to-memory ratio of a workload. */
  public static diskToMemoryRatio(workload: ElasticsearchWorkload): number {
    switch (workload) {
      case ElasticsearchWorkload.SEARCH: return 10;
      case ElasticsearchWorkload.LOGGING: return 50;
      default: return 30;
    }
  }

  /** Target shard size in GiB: 20 for search (at most 20 GB), 30 for logging and general (10-50 GB, ~30 recommended). */
  public static shardSizeGiB(workload: ElasticsearchWorkload): number {
    return workload === ElasticsearchWorkload.SEARCH ? 20 : 30;
  }

  /** Primary shards: (source + growth) x (1 + 10%) / shard size, rounded up (at least 1). */
  public static primaryShards(sourceGiB: number, growthGiB: number, shardSizeGiB: number): number {
    return Math.max(1, Math.ceil((sourceGiB + growthGiB) * (1 + ElasticsearchCapacity.INDEX_OVERHEAD) / shardSizeGiB - 1e-9));
  }

  /** Shards one node may hold: 20 per GiB of heap (30 GiB heap: 600). */
  public static maxShardsForHeap(heapGiB: number): number {
    return Math.floor(heapGiB * ElasticsearchCapacity.SHARDS_PER_HEAP_GIB);
  }

  /** Largest useful cluster: CPU cores of one node x 5. */
  public static maxClusterNodes(cpuCoresPerNode: number): number {
    return Math.floor(cpuCoresPerNode * 5);
  }

  /** Heap for a memory limit: half of it, at most 31 GiB, in whole MiB. */
  public static heapFor(memory: Size): Size {
    const mib = Math.floor(sizeBytes(memory) / 2 / 2 ** 20);
    return Size.mebibytes(Math.min(mib, ElasticsearchCapacity.MAX_HEAP_GIB * 1024));
  }

  /** A full plan for a data tier. */
  public static plan(input: ElasticsearchCapacityInput): ElasticsearchCapacityPlan {
    const workload = input.workload ?? ElasticsearchWorkload.GENERAL;
    const replicas = input.replicas ?? 1;
    const sourceGiB = sizeBytes(input.sourceData) / GIB;
    const growthGiB = input.growth ? sizeBytes(input.growth) / GIB : 0;
    const memoryGiB = sizeBytes(input.nodeMemory ?? Size.gibibytes(32)) / GIB;
    const minimumStorageGiB = ElasticsearchCapacity.minimumStorageGiB(sourceGiB, replicas);
    const recommendedStorageGiB = minimumStorageGiB / ElasticsearchCapacity.MAX_DISK_USAGE;
    const maxDiskPerNodeGiB = ElasticsearchCapacity.maxDiskPerNodeGiB(memoryGiB, workload);
    const dataNodes = Math.max(replicas + 1, Math.ceil(recommendedStorageGiB / maxDiskPerNodeGiB - 1e-9), 1);
    const storagePerNodeGiB = Math.ceil(recommendedStorageGiB / dataNodes);
    const shardSizeGiB = ElasticsearchCapacity.shardSizeGiB(workload);
    const primaryShards = ElasticsearchCapacity.primaryShards(sourceGiB, growthGiB, shardSizeGiB);
    const heapGiB = sizeBytes(ElasticsearchCapacity.heapFor(Size.mebibytes(Math.round(memoryGiB * 1024)))) / GIB;
    const maxShardsPerNode = ElasticsearchCapacity.maxShardsForHeap(heapGiB);
    const shardsPerNode = Math.ceil(primaryShards * (1 + replicas) / dataNodes);
    return {
      minimumStorageGiB,
      recommendedStorageGiB,
      maxDiskPerNodeGiB,
      dataNodes,
      storagePerNodeGiB,
      shardSizeGiB,
      primaryShards,
      heapGiB,
      maxShardsPerNode,
      shardsWithinHeapLimit: shardsPerNode <= maxShardsPerNode,
    };
  }
}
