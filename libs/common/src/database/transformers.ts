import { ValueTransformer } from 'typeorm';

/** JSON kept in a LONGTEXT column (MariaDB's JSON is LONGTEXT too). */
export const jsonText: ValueTransformer = {
  to: (v: unknown) => (v === undefined ? v : JSON.stringify(v)),
  from: (v: string | null) => (v === null ? null : JSON.parse(v)),
};
