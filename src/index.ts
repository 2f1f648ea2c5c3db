// Shared building blocks
export { ImagePullPolicy, ImageProps, ImageRegistryProps } from './core/images';
export { MiddlewareClusterProps } from './core/cluster-props';
export {
  AntiAffinityMode, AntiAffinityProps, NodeAffinityRule, NodeOperator, SchedulingProps, SpreadMode, TaintEffect,
  TolerationProps, TopologyKey, ZoneSpreadProps,
} from './scheduling/scheduling';
export { StorageProps, VolumeRetention } from './storage/storage';
export { Credentials, GeneratedCredentialsOptions, SecretKeyRef } from './credentials/credentials';
export { CertificateIssuerKind } from './credentials/certificates';
export { NetworkPeer, NetworkPolicyProps } from './availability/network-policy';
export { AlertOverride, AlertRule, AlertSeverity } from './monitoring/alerts';
export { DashboardPanel, DashboardQuery, PanelKind } from './monitoring/dashboard';
export { DashboardDelivery, MonitoringProps } from './monitoring/monitoring';
export { BackupProps, RestoreProps, S3Target } from './backup/backup';

// Middleware
export {
  EvictionPolicy, RedisCluster, RedisClusterProps, RedisMode, RedisPersistence, RedisVersion,
} from './redis/redis-cluster';
export {
  CrossClusterRedisShake, CrossClusterRedisShakeProps, DisasterRecoveryState, ExternalRedisProps, RedisClusterEndpointOptions,
  RedisShakeEndpoint, RedisShakeGroup, RedisShakeVersion, ShardExposure,
} from './redis-shake/cross-cluster-redis-shake';
export {
  BinlogFormat, MysqlBackupMethod, MysqlCluster, MysqlClusterProps, MysqlTopology, MysqlUser, MysqlVersion,
} from './mysql/mysql-cluster';
export {
  KafkaAuthentication, KafkaCluster, KafkaClusterProps, KafkaExternalAccessType, KafkaExternalListenerProps, KafkaJmxExporterProps,
  KafkaRackAwarenessProps, KafkaTlsProps, KafkaTopic, KafkaTopicOptions, KafkaTopology, KafkaUiProps, KafkaUser, KafkaVersion,
} from './kafka/kafka-cluster';
export {
  ElasticsearchCapacityRequirements, ElasticsearchCluster, ElasticsearchClusterProps, ElasticsearchMasterTierProps,
  ElasticsearchNodeTierProps, ElasticsearchServiceType, ElasticsearchTls, ElasticsearchVersion, ElasticsearchZoneAwarenessProps, KibanaProps,
} from './elasticsearch/elasticsearch-cluster';
export {
  ElasticsearchCapacity, ElasticsearchCapacityInput, ElasticsearchCapacityPlan, ElasticsearchWorkload,
} from './elasticsearch/capacity';
export {
  ElasticsearchRestoreProps, ElasticsearchSnapshotProps, IlmColdPhase, IlmDeletePhase, IlmHotPhase, IlmPolicy, IlmRolloverProps, IlmWarmPhase,
  IndexTemplate,
} from './elasticsearch/lifecycle';
