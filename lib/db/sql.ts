import type { PGlite } from "@electric-sql/pglite";
import type pg from "pg";

/** The few raw-SQL operations migrations and health checks need, on PGlite and on PostgreSQL alike. */
export interface SqlRunner {
  /** Runs a script of one or more statements (no parameters). */
  exec(sql: string): Promise<void>;
  query<T>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Runs `fn` in one transaction on one connection. */
  transaction<T>(fn: (tx: SqlRunner) => Promise<T>): Promise<T>;
}

export function pgliteRunner(db: PGlite): SqlRunner {
  const wrap = (q: Pick<PGlite, "exec" | "query">): SqlRunner => ({
    exec: async (sql) => {
      await q.exec(sql);
    },
    query: async <T>(sql: string, params?: unknown[]) => (await q.query<T>(sql, params)).rows,
    transaction: (fn) => db.transaction((tx) => fn(wrap(tx))),
  });
  return wrap(db);
}

export function pgRunner(pool: pg.Pool): SqlRunner {
  const onClient = (client: pg.PoolClient): SqlRunner => ({
    exec: async (sql) => {
      await client.query(sql);
    },
    query: async <T>(sql: string, params?: unknown[]) => (await client.query(sql, params)).rows as T[],
    transaction: () => Promise.reject(new Error("nested transactions are not supported")),
  });
  return {
    exec: async (sql) => {
      await pool.query(sql);
    },
    query: async <T>(sql: string, params?: unknown[]) => (await pool.query(sql, params)).rows as T[],
    transaction: async (fn) => {
      const client = await pool.connect();
      try {
        await client.query("BEGIN");
        const result = await fn(onClient(client));
        await client.query("COMMIT");
        return result;
      } catch (err) {
        await client.query("ROLLBACK").catch(() => {});
        throw err;
      } finally {
        client.release();
      }
    },
  };
}
