/**
 * The images the test nodes hold, read from the kubelet's own report (node.status.images). The tier builds each image
 * under the version it really contains; scenarios pick those tags through the library's public image props.
 */
import { Kube } from './kube';

export class NodeImages {
  private readonly names: string[];
  constructor(kube: Kube) {
    const nodes = kube.json(['get', 'nodes']).items as any[];
    // An image counts only when every node has it: a pod may land anywhere.
    const perNode = nodes.map((n) => new Set<string>((n.status.images ?? []).flatMap((i: any) => i.names ?? [])));
    this.names = [...(perNode[0] ?? [])].filter((name) => perNode.every((s) => s.has(name)));
  }

  /** The tag of `repository` (fully qualified, e.g. docker.io/library/redis) on the nodes, or undefined. */
  public tagOf(repository: string): string | undefined {
    const tags = this.names.filter((n) => n.startsWith(`${repository}:`)).map((n) => n.slice(repository.length + 1));
    return tags.sort()[tags.length - 1];
  }

  public require(repository: string): string {
    const tag = this.tagOf(repository);
    if (!tag) throw new Error(`no image ${repository}:<tag> on every node (built by test/cluster/images); have: ${this.names.filter((n) => !n.startsWith('sha256')).join(' ')}`);
    return tag;
  }

  public has(image: string): boolean {
    return this.names.includes(image);
  }
}
