/** Kind of a cert-manager issuer that signs a construct's certificates. */
export enum CertificateIssuerKind {
  /** A namespaced Issuer in the chart's namespace. */
  ISSUER = 'Issuer',
  /** A ClusterIssuer. */
  CLUSTER_ISSUER = 'ClusterIssuer',
}
