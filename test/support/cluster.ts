import { type ChildServer, startChildServer } from './child-server.ts';
import { createTestDatabase, TEST_REDIS_URL } from './services.ts';
import { tempDir } from './harness.ts';

/**
 * Limits for a storm from one test process: every request comes from 127.0.0.1, so the per-address caps
 * (sign-ups, connections, streams) are raised; the per-user ones stay as the contract sets them unless a
 * test raises them too.
 */
export const CLUSTER_TEST_LIMITS: Record<string, string> = {
  GAVEL_LIMIT_SIGNUPS_PER_HOUR: '1000000',
  GAVEL_LIMIT_CONNECTIONS_PER_ADDRESS: '1000000',
  GAVEL_LIMIT_STREAMS_PER_ADDRESS: '1000000',
};

export interface ClusterOptions {
  nodes: number;
  /** The PostgreSQL URL the nodes use (e.g. through a test's TCP proxy); default a fresh test database. */
  storeUrl?: string;
  /** Default the machine's shared Redis (fault tests pass their own redis-server's URL). */
  busUrl?: string;
  /** Extra environment for every node. */
  env?: Record<string, string>;
}

export interface Cluster {
  nodes: ChildServer[];
  /** The database the nodes were started on (a direct URL, not through any proxy). */
  databaseUrl: string;
  /** Starts one more node (or restarts a killed one's slot) with the same settings. */
  startNode(): Promise<ChildServer>;
  /** Kills every node still running and drops the database this helper created. */
  stop(): Promise<void>;
}

/**
 * N real node processes (`src/main.ts`) on one PostgreSQL database and one Redis: what `npm run cluster`
 * runs, for tests that kill nodes, cut connections and check histories across processes.
 */
export async function startCluster(options: ClusterOptions): Promise<Cluster> {
  const database = options.storeUrl ? null : await createTestDatabase();
  const storeUrl = options.storeUrl ?? database!.url;
  const busUrl = options.busUrl ?? TEST_REDIS_URL;
  const dirs: { remove(): void }[] = [];
  const nodes: ChildServer[] = [];
  const startNode = async () => {
    const dir = tempDir('gavel-node-');
    dirs.push(dir);
    // Several nodes compiling and migrating at once on a loaded 2-core machine can take a while to start.
    const node = await startChildServer(
      dir.path,
      { GAVEL_STORE: storeUrl, GAVEL_BUS: busUrl, ...CLUSTER_TEST_LIMITS, ...options.env },
      { readyTimeoutMs: 60_000 },
    );
    nodes.push(node);
    return node;
  };
  try {
    // Started together: migrations must be safe with several nodes starting at once.
    await Promise.all(Array.from({ length: options.nodes }, startNode));
  } catch (error) {
    for (const node of nodes) if (node.process.exitCode === null) await node.kill9();
    await database?.drop();
    throw error;
  }
  return {
    nodes,
    databaseUrl: storeUrl,
    startNode,
    async stop() {
      await Promise.all(nodes.filter((n) => n.process.exitCode === null && !n.process.killed).map((n) => n.kill9()));
      await database?.drop();
      for (const dir of dirs) dir.remove();
    },
  };
}
