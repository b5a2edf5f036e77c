/** The only plugin specification version this core accepts (one version until 1.0). */
export const SPECIFICATION_VERSION = 'v1' as const;

/** What every plugin carries: the contract version it implements and a unique name. */
export interface PluginBase {
  /** The contract version; must be `'v1'`. */
  readonly specificationVersion: typeof SPECIFICATION_VERSION;
  /** Unique within its kind, kebab-case, e.g. `aws-x86` or `local`. */
  readonly name: string;
  /** One line for `mbs plugins`. */
  readonly description?: string;
}
