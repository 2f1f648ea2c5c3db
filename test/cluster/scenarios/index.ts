/** Every scenario of the cluster tier, in the order they run. */
import { examplesAccepted } from './examples';
import { kafkaScram } from './kafka';
import { redisCluster, redisSentinel } from './redis';
import { upgradeApply } from './upgrade';
import { Scenario } from '../lib/scenario';

export const SCENARIOS: Scenario[] = [
  examplesAccepted,
  upgradeApply,
  redisCluster,
  redisSentinel,
  kafkaScram,
];
