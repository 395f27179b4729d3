/** A schema name we accept: a lowercase SQL identifier that needs no quoting. */
const IDENTIFIER = /^[a-z_][a-z0-9_]{0,39}$/;

/** Qualified, quoted names of one Zart schema, for building SQL text. */
export interface SchemaNames {
  /** The raw schema name, e.g. `zart`. */
  schema: string;
  /** `"zart"`. */
  quoted: string;
  executions: string;
  steps: string;
  events: string;
  schedules: string;
  runs: string;
  workers: string;
  debounces: string;
  pauseRules: string;
  rateWindows: string;
  migrations: string;
  /** The LISTEN/NOTIFY channel of this schema, e.g. `zart_wake`. */
  channel: string;
}

/** True when `name` is a valid schema name (lowercase letters, digits, `_`; ≤ 40 characters). */
export function isValidSchemaName(name: string): boolean {
  return IDENTIFIER.test(name);
}

/** The quoted, schema-qualified names for `schema` (which must be valid). */
export function schemaNames(schema: string): SchemaNames {
  const quoted = `"${schema}"`;
  return {
    schema,
    quoted,
    executions: `${quoted}."executions"`,
    steps: `${quoted}."steps"`,
    events: `${quoted}."events"`,
    schedules: `${quoted}."schedules"`,
    runs: `${quoted}."runs"`,
    workers: `${quoted}."workers"`,
    debounces: `${quoted}."debounces"`,
    pauseRules: `${quoted}."pause_rules"`,
    rateWindows: `${quoted}."rate_windows"`,
    migrations: `${quoted}."zart_migrations"`,
    channel: `${schema}_wake`,
  };
}
