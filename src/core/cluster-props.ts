import { ImageRegistryProps } from './images';
import { NetworkPolicyProps } from '../availability/network-policy';
import { MonitoringProps } from '../monitoring/monitoring';

/**
 * Props every middleware cluster construct accepts (RedisCluster, MysqlCluster, KafkaCluster,
 * ElasticsearchCluster): naming, registry, network access, monitoring and the `part-of` label.
 */
export interface MiddlewareClusterProps {
  /**
   * Instance name: prefix of every object name, and the client Service name. At most 40 characters.
   * @default the construct id
   */
  readonly name?: string;
  /**
   * Registry override and pull secrets for every image.
   * @default upstream registries, no pull secrets
   */
  readonly registry?: ImageRegistryProps;
  /**
   * Network access.
   * @default a NetworkPolicy that admits only the instance's own pods and the `monitoring` namespace (metrics)
   */
  readonly networkPolicy?: NetworkPolicyProps;
  /**
   * Monitoring.
   * @default exporter, ServiceMonitor (30s), PrometheusRule, dashboard ConfigMap
   */
  readonly monitoring?: MonitoringProps;
  /**
   * Value of `app.kubernetes.io/part-of`.
   * @default the instance name
   */
  readonly partOf?: string;
}
