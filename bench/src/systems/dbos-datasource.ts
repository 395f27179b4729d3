/**
 * A DBOS transactional data source over `pg`, for W9's `DBOS.runTransaction`-style step. DBOS 5
 * runs transactions through data source packages; the registry here only has their 4.x releases,
 * written against helpers `@dbos-inc/dbos-sdk` 5.3.0 no longer exports, so this follows what they
 * do with 5.3.0's `@dbos-inc/dbos-sdk/datasource` helpers: look the step's checkpoint up, then
 * `BEGIN`, the body, the checkpoint insert, the ownership fence, `COMMIT`; completed workflows
 * drop their checkpoints. The bench's transactions return nothing, so no output is recorded.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import { DBOS } from "@dbos-inc/dbos-sdk";
import {
  assertStillOwnsWorkflow,
  type DataSourceTransactionHandler,
  isPGKeyConflictError,
  isPGRetriableTransactionError,
  migrateDataSourcePG,
  registerDataSource,
  replayRecordedStep,
  runTransaction,
} from "@dbos-inc/dbos-sdk/datasource";
import pg from "pg";

const SCHEMA = "dbos";
const CHECKPOINTS = `${SCHEMA}.transaction_completion`;

/** Creates the data source's checkpoint table, as the data source packages' `initializeDBOSSchema` does. */
export async function migrateDataSource(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query("BEGIN");
    await migrateDataSourcePG(async (text) => (await client.query(text)).rows, SCHEMA);
    await client.query("COMMIT");
  } finally {
    await client.end();
  }
}

export class PgDataSource implements DataSourceTransactionHandler {
  readonly #pool: pg.Pool;
  readonly #current = new AsyncLocalStorage<pg.PoolClient>();

  constructor(
    readonly name: string,
    url: string,
  ) {
    this.#pool = new pg.Pool({ connectionString: url, max: 10 });
    registerDataSource(this);
  }

  /** The open transaction's client, inside `runTransaction`. */
  get client(): pg.PoolClient {
    const client = this.#current.getStore();
    if (!client) throw new Error(`${this.name}.client used outside a transaction`);
    return client;
  }

  /** Runs `body` as a DBOS transaction step named `name`. */
  runTransaction(body: () => Promise<void>, name: string): Promise<void> {
    return runTransaction(body, name, { dsName: this.name });
  }

  async initialize(): Promise<void> {}

  async destroy(): Promise<void> {
    await this.#pool.end();
  }

  async deleteCheckpoints(
    workflowID: string,
    startStep: number,
    beforeCommit?: () => Promise<void>,
  ): Promise<void> {
    const text = `DELETE FROM ${CHECKPOINTS} WHERE workflow_id = $1 AND function_num >= $2`;
    if (!beforeCommit) {
      await this.#pool.query(text, [workflowID, startStep]);
      return;
    }
    await this.#inTransaction(async (client) => {
      await client.query(text, [workflowID, startStep]);
      await beforeCommit();
    });
  }

  async invokeTransactionFunction<This, Args extends unknown[], Return>(
    _config: unknown,
    target: This,
    func: (this: This, ...args: Args) => Promise<Return>,
    ...args: Args
  ): Promise<Return> {
    const { workflowID, stepID } = DBOS;
    for (let waitMs = 1; ; waitMs = Math.min(waitMs * 1.5, 2000)) {
      if (workflowID !== undefined && stepID !== undefined) {
        const { rows } = await this.#pool.query<{ output: string | null; error: string | null }>(
          `SELECT output, error FROM ${CHECKPOINTS} WHERE workflow_id = $1 AND function_num = $2`,
          [workflowID, stepID],
        );
        if (rows[0]) return replayRecordedStep<Return>(rows[0]);
      }
      try {
        return await this.#inTransaction(async (client) => {
          const result = await this.#current.run(client, () => func.call(target, ...args));
          if (workflowID !== undefined && stepID !== undefined) {
            await client.query(`INSERT INTO ${CHECKPOINTS} (workflow_id, function_num) VALUES ($1, $2)`, [
              workflowID,
              stepID,
            ]);
            await assertStillOwnsWorkflow(workflowID);
          }
          return result;
        });
      } catch (error) {
        // A serialization failure runs it again; a checkpoint another execution wrote is replayed.
        if (!isPGRetriableTransactionError(error) && !isPGKeyConflictError(error)) throw error;
        await sleep(waitMs);
      }
    }
  }

  async #inTransaction<T>(body: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.#pool.connect();
    try {
      await client.query("BEGIN");
      const result = await body(client);
      await client.query("COMMIT");
      return result;
    } catch (error) {
      await client.query("ROLLBACK").catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }
}
