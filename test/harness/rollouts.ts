/**
 * Upgrade rollouts: an application that refuses to run next to another version of itself must not be rolled with
 * old and new pods side by side. Kibana: "rolling upgrades are unsupported"; old and new instances against one
 * cluster can fail saved-object migrations or lose data (Kibana upgrade guide). Its Deployment must use Recreate.
 */

/** Images whose instances must never run two versions at once, with the reason. */
export const SINGLE_VERSION_IMAGES: { readonly image: RegExp; readonly why: string }[] = [
  { image: /(^|\/)kibana\/kibana(:|@|$)/, why: 'Kibana forbids mixed versions (saved-object migrations)' },
];

/** Deployments running such an image without `strategy.type: Recreate`. */
export function rolloutViolations(objs: any[]): string[] {
  const out: string[] = [];
  for (const o of objs) {
    if (o.kind !== 'Deployment') continue;
    const containers = [...(o.spec?.template?.spec?.initContainers ?? []), ...(o.spec?.template?.spec?.containers ?? [])];
    for (const c of containers) {
      const rule = SINGLE_VERSION_IMAGES.find((r) => r.image.test(String(c.image ?? '')));
      if (rule && o.spec?.strategy?.type !== 'Recreate') {
        out.push(`Deployment/${o.metadata.name}: container ${c.name} (${c.image}) rolls with strategy ${o.spec?.strategy?.type ?? 'RollingUpdate (default)'}: `
          + `${rule.why}; use strategy.type Recreate`);
      }
    }
  }
  return out;
}
