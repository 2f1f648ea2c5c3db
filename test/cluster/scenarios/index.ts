/** Every scenario of the cluster tier, in the order they run. */
import { examplesAccepted } from './examples';
import { kafkaBackupRestore, kafkaScram, kafkaUpgrade } from './kafka';
import { redisCluster, redisSentinel } from './redis';
import { redisRollingUpdate, upgradeApply } from './upgrade';
import { Scenario } from '../lib/scenario';

/** Run when no scenario is named. */
export const SCENARIOS: Scenario[] = [
  examplesAccepted,
  upgradeApply,
  redisCluster,
  redisSentinel,
  kafkaScram,
  kafkaUpgrade,
  kafkaBackupRestore,
  redisRollingUpdate,
];

/**
 * Run only when named in E2E_SCENARIOS: reproducers of open defects, kept so the fix can be proven on the cluster
 * (each one's comment says what fails).
 */
export const ON_REQUEST: Scenario[] = [];
