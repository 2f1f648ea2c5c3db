/**
 * A payments database that must fail over by itself: MySQL group replication with three members (single primary),
 * zone spread, a 5-member variant being one prop away, and nightly physical (clone) backups to S3. Clients use `payments.payments.svc`
 * for writes (always the group's primary) and `payments-read.payments.svc` for reads from the secondaries.
 *
 * Run `cdk8s synth` in this folder (or `npm run synth` at the repository root); the YAML lands in dist/.
 */
import { App, Chart, ChartProps, Cron, Size } from 'cdk8s';
import { Construct } from 'constructs';
import { MysqlBackupMethod, MysqlCluster, MysqlTopology, NetworkPeer, SpreadMode } from '../../src';

export class PaymentsDatabaseChart extends Chart {
  public readonly mysql: MysqlCluster;

  constructor(scope: Construct, id: string, props: ChartProps = {}) {
    super(scope, id, { namespace: 'payments', ...props });
    this.mysql = new MysqlCluster(this, 'payments', {
      topology: MysqlTopology.GROUP_REPLICATION,
      instances: 3,
      storage: { size: Size.gibibytes(50) },
      scheduling: { zoneSpread: { whenUnsatisfiable: SpreadMode.DO_NOT_SCHEDULE } },
      databases: ['payments'],
      users: [{ name: 'payments_svc', databases: ['payments'] }],
      networkPolicy: { allowedClients: [NetworkPeer.pods({ 'app.kubernetes.io/name': 'payments-api' })] },
      backup: {
        target: { bucket: 'acme-payments-backups', region: 'eu-west-1', credentialsSecret: 'payments-backup-s3' },
        schedule: Cron.schedule({ minute: '15', hour: '2' }),
        retentionDays: 30,
      },
      // A file-level copy: restores in minutes instead of replaying SQL.
      backupMethod: MysqlBackupMethod.PHYSICAL,
    });
  }
}

if (require.main === module) {
  const app = new App();
  new PaymentsDatabaseChart(app, 'mysql-group-replication');
  app.synth();
}
