export type SqlValue = string | number | null;

/** A statement's text with its positional parameters. */
export interface SqlQuery {
  sql: string;
  params: SqlValue[];
}
