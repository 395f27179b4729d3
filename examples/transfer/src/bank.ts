import type Database from "better-sqlite3";

/** The application's own tables, in the same SQLite file as Zart's. */
export function createBank(db: Database.Database, accounts: Record<string, number>): void {
  db.exec(`CREATE TABLE IF NOT EXISTS accounts (id TEXT PRIMARY KEY, balance INTEGER NOT NULL);
    CREATE TABLE IF NOT EXISTS transfers (id TEXT PRIMARY KEY, from_id TEXT, to_id TEXT, amount INTEGER)`);
  const insert = db.prepare("INSERT INTO accounts (id, balance) VALUES (?, ?)");
  for (const [id, balance] of Object.entries(accounts)) insert.run(id, balance);
}

export function balances(db: Database.Database): Record<string, number> {
  const rows = db.prepare("SELECT id, balance FROM accounts ORDER BY id").all() as {
    id: string;
    balance: number;
  }[];
  return Object.fromEntries(rows.map((row) => [row.id, row.balance]));
}

export function transfersMade(db: Database.Database): number {
  return (db.prepare("SELECT count(*) AS n FROM transfers").get() as { n: number }).n;
}
