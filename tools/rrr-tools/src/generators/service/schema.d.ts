export interface ServiceGeneratorSchema {
  /** Kebab-case service name. */
  name: string;
  /** Projects the service may depend on. Default `['core']`. */
  dependsOn?: string[] | string;
  /** Default `libs/services`. */
  servicesDir?: string;
  /** Default: the scope of the first dependency's import path, else `@rrr`. */
  scope?: string;
  skipFormat?: boolean;
}
