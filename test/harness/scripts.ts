/** A script found in synthesized manifests, with the shell that runs it. */
export interface FoundScript {
  readonly name: string;
  readonly script: string;
  readonly shell: string;
}

/** Every script a manifest set carries: ConfigMap data ending in .sh and `sh|bash -c` container commands. */
export function scriptsOf(objs: any[]): FoundScript[] {
  const out: FoundScript[] = [];
  for (const o of objs) {
    if (o.kind === 'ConfigMap') {
      for (const [k, v] of Object.entries(o.data ?? {})) if (k.endsWith('.sh')) out.push({ name: `${o.metadata.name}/${k}`, script: v as string, shell: 'bash' });
    }
    const visit = (x: any) => {
      if (!x || typeof x !== 'object') return;
      if (Array.isArray(x.command) && x.command.length === 3 && x.command[1] === '-c') {
        out.push({ name: `${o.kind}/${o.metadata.name}/${x.name}`, script: x.command[2], shell: x.command[0].endsWith('bash') ? 'bash' : 'sh' });
      }
      Object.values(x).forEach(visit);
    };
    visit(o.spec);
  }
  return out;
}
