/** The capacity helper against numbers computed by hand from the reference's formulas and tables. */
import { Size } from 'cdk8s';
import { ElasticsearchCapacity, ElasticsearchWorkload } from '../../src';
import { sizeBytes } from '../../src/core/resources';

test('minimum storage: source x (1 + replicas) x 1.1 / 0.95 / 0.8', () => {
  // The reference's example: 500G with one replica needs about 1.5T (500 x 2 x 1.1 / 0.95 / 0.8 = 1447.37).
  expect(ElasticsearchCapacity.minimumStorageGiB(500, 1)).toBeCloseTo(1447.368, 3);
  // The simplified factor: 1.1 / 0.95 / 0.8 = 1.447 (the reference rounds it to 1.45).
  expect(ElasticsearchCapacity.minimumStorageGiB(1, 0)).toBeCloseTo(1.4474, 4);
  expect(ElasticsearchCapacity.minimumStorageGiB(100, 2)).toBeCloseTo(434.21, 2);
});

test('per-node disk: memory x 10 (search), x 30 (general), x 50 (logging), as in the reference table', () => {
  expect(ElasticsearchCapacity.maxDiskPerNodeGiB(16, ElasticsearchWorkload.SEARCH)).toBe(160);
  expect(ElasticsearchCapacity.maxDiskPerNodeGiB(16, ElasticsearchWorkload.LOGGING)).toBe(800);
  expect(ElasticsearchCapacity.maxDiskPerNodeGiB(32, ElasticsearchWorkload.SEARCH)).toBe(320);
  expect(ElasticsearchCapacity.maxDiskPerNodeGiB(64, ElasticsearchWorkload.SEARCH)).toBe(640);
  expect(ElasticsearchCapacity.maxDiskPerNodeGiB(10, ElasticsearchWorkload.GENERAL)).toBe(300);
});

test('shards: (source + growth) x 1.1 / shard size, rounded up; 20 per GiB of heap; nodes <= CPU x 5', () => {
  // The reference's example: 80 x 1.1 / 30 = 2.93 -> 3 primaries.
  expect(ElasticsearchCapacity.primaryShards(80, 0, 30)).toBe(3);
  expect(ElasticsearchCapacity.primaryShards(60, 20, 30)).toBe(3);
  expect(ElasticsearchCapacity.primaryShards(0.1, 0, 30)).toBe(1);
  expect(ElasticsearchCapacity.shardSizeGiB(ElasticsearchWorkload.SEARCH)).toBe(20);
  expect(ElasticsearchCapacity.shardSizeGiB(ElasticsearchWorkload.LOGGING)).toBe(30);
  // 30 GB heap -> at most 600 shards.
  expect(ElasticsearchCapacity.maxShardsForHeap(30)).toBe(600);
  // 4C16G -> 20 nodes, 8C32G -> 40, 16C64G -> 80.
  expect([4, 8, 16].map((c) => ElasticsearchCapacity.maxClusterNodes(c))).toEqual([20, 40, 80]);
});

test('heap: half the memory, capped at 31 GiB', () => {
  expect(sizeBytes(ElasticsearchCapacity.heapFor(Size.gibibytes(4)))).toBe(2 * 2 ** 30);
  expect(sizeBytes(ElasticsearchCapacity.heapFor(Size.gibibytes(62)))).toBe(31 * 2 ** 30);
  expect(sizeBytes(ElasticsearchCapacity.heapFor(Size.gibibytes(128)))).toBe(31 * 2 ** 30);
  expect(sizeBytes(ElasticsearchCapacity.heapFor(Size.mebibytes(3000)))).toBe(1500 * 2 ** 20);
});

test('a full plan: 500 GiB of logs, one replica, 16 GiB data nodes', () => {
  const plan = ElasticsearchCapacity.plan({
    sourceData: Size.gibibytes(500), replicas: 1, workload: ElasticsearchWorkload.LOGGING, nodeMemory: Size.gibibytes(16),
  });
  expect(plan.minimumStorageGiB).toBeCloseTo(1447.368, 3);
  // Disk usage at most 85%: 1447.37 / 0.85 = 1702.79.
  expect(plan.recommendedStorageGiB).toBeCloseTo(1702.786, 3);
  expect(plan.maxDiskPerNodeGiB).toBe(800);
  // 1702.79 / 800 = 2.13 -> 3 nodes of 1702.79 / 3 = 567.6 -> 568 GiB.
  expect(plan.dataNodes).toBe(3);
  expect(plan.storagePerNodeGiB).toBe(568);
  // 500 x 1.1 / 30 = 18.3 -> 19 primaries; 8 GiB heap -> 160 shards per node; 38 shards over 3 nodes fit.
  expect(plan.primaryShards).toBe(19);
  expect(plan.heapGiB).toBe(8);
  expect(plan.maxShardsPerNode).toBe(160);
  expect(plan.shardsWithinHeapLimit).toBe(true);
});

test('a small plan still gives every replica its own node', () => {
  const plan = ElasticsearchCapacity.plan({ sourceData: Size.gibibytes(10), replicas: 2 });
  expect(plan.dataNodes).toBe(3);
  expect(plan.maxDiskPerNodeGiB).toBe(32 * 30);
  expect(plan.shardSizeGiB).toBe(30);
  expect(plan.primaryShards).toBe(1);
});
