import type { NamingConvention } from '../consolidate/lib/normalize-names';

export interface RenameGeneratorSchema {
  /** The project whose files and folders are renamed. */
  project: string;
  /** Default `kebab`. */
  convention?: NamingConvention;
  /** Skip formatting the changed files. */
  skipFormat?: boolean;
}
