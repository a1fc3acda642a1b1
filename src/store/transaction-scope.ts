// One transaction around work that does not know about it. While a scope is open, every query the node's Kysely
// instance makes from inside it (in the same asynchronous context) goes to the scope's one connection, and the
// transactions repositories open there become savepoints of it. A request's writes and the audit entry that records
// them then commit together or not at all. Work that must only follow a commit (the matching index, partners told
// of a purge) is handed to `afterCommit`, which runs it at once outside a scope.
import { AsyncLocalStorage } from "node:async_hooks";
import { CompiledQuery, type DatabaseConnection, type Dialect, type Driver, type TransactionSettings } from "kysely";

export interface TransactionScope {
  readonly connection: DatabaseConnection;
  open: boolean;
  /**
   * Transactions opened inside one scope run one at a time, each as a savepoint (one released out of turn would
   * release the others): the one running now, and the turn the next one waits for.
   */
  savepoint?: { name: string; endTurn: () => void };
  turn: Promise<void>;
  readonly afterCommit: Array<() => Promise<void>>;
}

/**
 * Runs `work` (a change to state in memory, a message's first try) once the caller's transaction commits, never if
 * it rolls back; at once when the caller runs in none, or the service was given no scopes.
 */
export function afterCommitOf(transactions: TransactionScopes | undefined, work: () => void): Promise<void> {
  const run = async () => work();
  return transactions ? transactions.afterCommit(run) : run();
}

/** A scope committed, but work waiting for the commit failed: the change stands. */
export class AfterCommitError extends Error {
  constructor(cause: unknown) {
    super("work that waited for a commit failed", { cause });
  }
}

export class TransactionScopes {
  private readonly storage = new AsyncLocalStorage<TransactionScope>();
  private inner: Driver | undefined;
  private savepointNumber = 0;
  /** Work begun outside any scope that scopes must not overtake (see `waitFor`). */
  private readonly barriers = new Set<Promise<unknown>>();

  /** `dialect`, with a driver that sends the queries made inside an open scope to the scope's connection. */
  wrap(dialect: Dialect): Dialect {
    return {
      createAdapter: () => dialect.createAdapter(),
      createIntrospector: (db) => dialect.createIntrospector(db),
      createQueryCompiler: () => dialect.createQueryCompiler(),
      createDriver: () => {
        const inner = dialect.createDriver();
        this.inner = inner;
        return this.scopedDriver(inner);
      },
    };
  }

  /** The open scope the caller runs in, if any. */
  current(): TransactionScope | undefined {
    const scope = this.storage.getStore();
    return scope?.open ? scope : undefined;
  }

  /**
   * Scopes opened while `work` runs wait for it to settle first. For work a scope's request may await that queries
   * the database outside the scope (loading a service's state at start): on SQLite, with its one connection, the
   * scope would hold the connection that work waits for, and neither would ever finish.
   */
  waitFor(work: Promise<unknown>): void {
    this.barriers.add(work);
    const settled = () => {
      this.barriers.delete(work);
    };
    work.then(settled, settled);
  }

  /** Begins a transaction on a connection of its own; `enter` runs work inside it. */
  async open(): Promise<TransactionScope> {
    const inner = this.inner;
    if (!inner) throw new Error("the database has not been opened");
    if (this.barriers.size > 0) await Promise.allSettled([...this.barriers]);
    const connection = await inner.acquireConnection();
    try {
      await inner.beginTransaction(connection, {});
    } catch (error) {
      await inner.releaseConnection(connection);
      throw error;
    }
    return { connection, open: true, turn: Promise.resolve(), afterCommit: [] };
  }

  /** Runs `work` inside `scope`; what it starts (continuations, callbacks) stays inside. */
  enter<T>(scope: TransactionScope, work: () => T): T {
    return this.storage.run(scope, work);
  }

  /**
   * Commits the scope, gives its connection back, then runs the work that waited for the commit, all of it: the
   * first failure is thrown afterwards as an AfterCommitError.
   */
  async commit(scope: TransactionScope): Promise<void> {
    await this.end(scope, (inner) => inner.commitTransaction(scope.connection));
    let failure: AfterCommitError | undefined;
    for (const work of scope.afterCommit.splice(0))
      await work().catch((error: unknown) => {
        failure ??= new AfterCommitError(error);
      });
    if (failure) throw failure;
  }

  /** Undoes everything written inside the scope; the work waiting for its commit is dropped. */
  async rollback(scope: TransactionScope): Promise<void> {
    scope.afterCommit.length = 0;
    if (scope.open) await this.end(scope, (inner) => inner.rollbackTransaction(scope.connection));
  }

  /** Runs `work` once the caller's scope commits (never, if it rolls back); at once when there is no scope. */
  async afterCommit(work: () => Promise<void>): Promise<void> {
    const scope = this.current();
    if (scope) scope.afterCommit.push(work);
    else await work();
  }

  private async end(scope: TransactionScope, finish: (inner: Driver) => Promise<void>): Promise<void> {
    const inner = this.inner as Driver;
    scope.open = false;
    try {
      await finish(inner);
    } finally {
      await inner.releaseConnection(scope.connection);
    }
  }

  private scopedDriver(inner: Driver): Driver {
    const scopeOf = (connection: DatabaseConnection) => {
      const scope = this.current();
      return scope?.connection === connection ? scope : undefined;
    };
    /** Ends the scope's running savepoint with these statements, and lets the next transaction begin. */
    const endSavepoint = async (scope: TransactionScope, statements: (name: string) => string[]) => {
      const savepoint = scope.savepoint;
      if (!savepoint) throw new Error("no transaction is open in this scope");
      try {
        for (const statement of statements(savepoint.name))
          await scope.connection.executeQuery(CompiledQuery.raw(statement));
      } finally {
        scope.savepoint = undefined;
        savepoint.endTurn();
      }
    };
    return {
      init: () => inner.init(),
      acquireConnection: () => {
        const scope = this.current();
        return scope ? Promise.resolve(scope.connection) : inner.acquireConnection();
      },
      beginTransaction: async (connection: DatabaseConnection, settings: TransactionSettings) => {
        const scope = scopeOf(connection);
        if (!scope) return inner.beginTransaction(connection, settings);
        const previous = scope.turn;
        let endTurn = () => {};
        scope.turn = new Promise((resolve) => {
          endTurn = resolve;
        });
        await previous;
        const name = `puente_scope_${++this.savepointNumber}`;
        try {
          await scope.connection.executeQuery(CompiledQuery.raw(`SAVEPOINT ${name}`));
        } catch (error) {
          endTurn();
          throw error;
        }
        scope.savepoint = { name, endTurn };
      },
      commitTransaction: (connection: DatabaseConnection) => {
        const scope = scopeOf(connection);
        return scope
          ? endSavepoint(scope, (name) => [`RELEASE SAVEPOINT ${name}`])
          : inner.commitTransaction(connection);
      },
      rollbackTransaction: (connection: DatabaseConnection) => {
        const scope = scopeOf(connection);
        return scope
          ? endSavepoint(scope, (name) => [`ROLLBACK TO SAVEPOINT ${name}`, `RELEASE SAVEPOINT ${name}`])
          : inner.rollbackTransaction(connection);
      },
      releaseConnection: (connection: DatabaseConnection) =>
        scopeOf(connection) ? Promise.resolve() : inner.releaseConnection(connection),
      destroy: () => inner.destroy(),
    };
  }
}
