import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { createLoginThrottle } from './application/login-throttle';
import { endpointsFor, type ProviderContext } from './application/provider-context';
import { createProviderApp } from './http/provider-app';
import { expressMessageClasses } from './http/express-message-classes';
import { isUnspecifiedAddress, listen, urlHost } from './http/listen';
import { lockDataDir } from './infrastructure/data-dir-lock';
import { DATABASE_FILE, openDatabase } from './infrastructure/sqlite/open-database';
import { startWalCheckpointer } from './infrastructure/sqlite/wal-checkpointer';
import { createSqliteRepositories } from './infrastructure/sqlite/sqlite-repositories';
import { openKeyStore } from './infrastructure/keys/sqlite-key-store';
import { openLabClientKeyStore } from './infrastructure/keys/lab-client-key-store';
import { JournaledReplayCache } from './infrastructure/replay-cache/journaled-replay-cache';
import { BcryptPasswordHasher } from './infrastructure/password-hasher';
import { createClientDirectory } from './infrastructure/config-client-directory';
import { createUserDirectory } from './infrastructure/config-user-directory';
import { createDpopNonceSource } from './infrastructure/dpop';
import { createLab, createLabClock } from './lab';
import { scenarioRoutes } from './lab/scenario-routes';
import { resolveLabTarget } from '../scenarios/lab-target';
import { labClientInfos, labJwtKeyResolver } from './lab-wiring';
import { silentLogger } from './logger';
import { resourceServerRouter } from './resource-server/resource-server-router';
import { systemClock } from './domain/clock';
import type { RunningServer, ServerOptions } from './server-options';
import { PRODUCT_VERSION } from './version';

export type { RunningServer, ServerOptions } from './server-options';

/** Expired codes, PAR requests, interactions and old tokens are deleted this often (bounded storage). */
const PURGE_INTERVAL_MS = 60_000;

/** The replay cache's journal, in the data directory next to the database. */
const REPLAY_CACHE_JOURNAL = 'replay-cache.journal';

/**
 * The composition root: opens the store, loads keys and clients, and serves the provider on its origin
 * and the lab (UI and lab API) on another. Nothing else in the server constructs its dependencies.
 */
export async function createServer(options: ServerOptions): Promise<RunningServer> {
  // RFC 8252 §8.3: `localhost` is NOT RECOMMENDED in a loopback redirect URI, and FAPI 2.0 SP
  // §5.3.2.2 allows only the IP literals. The lab's URLs, and so its demo clients' redirect URIs, name
  // 127.0.0.1 for `localhost` (the loopback address every system has; a name may resolve to ::1 first).
  const host = options.host === 'localhost' ? '127.0.0.1' : (options.host ?? '127.0.0.1');
  // Listening on every interface (`0.0.0.0`, `::`: a container whose ports are published), the lab
  // still names a loopback literal: the unspecified address is no place to send a request to (RFC
  // 1122 §3.2.1.3, RFC 4291 §2.5.2), and its demo clients' redirect URIs are registered on loopback.
  const announcedHost = isUnspecifiedAddress(host) ? '127.0.0.1' : host;
  const logger = options.logger ?? silentLogger;
  const { config } = options;
  const clock = createLabClock(options.clock ?? systemClock);
  const db = openDatabase({ dataDir: options.dataDir, nativeBinding: options.sqliteNativeBinding });
  // What to undo, newest first, when start-up fails half-way.
  const cleanup: (() => Promise<void> | void)[] = [
    () => {
      db.close();
    },
  ];
  try {
    const lock =
      options.dataDir === null
        ? undefined
        : lockDataDir(options.dataDir, { nativeBinding: options.sqliteNativeBinding });
    cleanup.push(() => lock?.release());
    const checkpointer =
      options.dataDir === null
        ? undefined
        : startWalCheckpointer({
            db,
            path: join(options.dataDir, DATABASE_FILE),
            nativeBinding: options.sqliteNativeBinding,
            logger,
          });
    cleanup.push(() => checkpointer?.stop());
    const repositories = createSqliteRepositories(db, {
      onWriteError: (e) =>
        logger.error('access-token records could not be written: those tokens will be refused', {
          error: e instanceof Error ? e.message : String(e),
        }),
    });
    const keys = await openKeyStore({ db, clock, graceSeconds: config.server.signing_key_grace });
    const labKeys = await openLabClientKeyStore({
      db,
      clients: config.clients.flatMap((c) =>
        c.lab?.generate_keys ? [{ client_id: c.client_id, algs: c.lab.generate_keys }] : [],
      ),
    });
    const clients = createClientDirectory(config.clients, labKeys);
    // Made once: the lab asks for its session on every UI page and asset (its CSP, its origin).
    const clientInfos = labClientInfos(config, labKeys);
    const demoUsers = config.users.map((u) => ({ username: u.username }));
    const users = createUserDirectory(config.users, new BcryptPasswordHasher());
    const replayCache = new JournaledReplayCache({
      journalPath: options.dataDir === null ? null : join(options.dataDir, REPLAY_CACHE_JOURNAL),
      clock,
      legacyDb: db,
    });
    cleanup.push(() => replayCache.close());

    // The issuer is known once the provider listens (port 0 picks one); the context is completed then.
    const state: { ctx?: ProviderContext; labOrigin?: string; app?: ReturnType<typeof createProviderApp> } =
      {};
    const labSecret = options.labSecret ?? randomBytes(32).toString('base64url');
    const lab = createLab({
      db,
      clock,
      logger,
      secret: labSecret,
      capture: options.capture ?? true,
      version: PRODUCT_VERSION,
      rendererDir: options.rendererDir,
      sessionInfo: () => ({
        issuer: state.ctx?.issuer ?? '',
        labOrigin: state.labOrigin ?? '',
        clients: clientInfos,
        users: demoUsers,
      }),
      resolveJwtKey: labJwtKeyResolver(keys, clients),
      rotateKeys: async () => {
        await keys.rotate();
        const kids = (keys.publicJwks().keys ?? []).map((k) => k.kid ?? '');
        logger.info('signing keys rotated', { kids });
        return kids;
      },
      // The scenario library runs in this process against this lab (its own issuer, clients and clock).
      extraApiRoutes: scenarioRoutes(() =>
        resolveLabTarget({
          labOrigin: state.labOrigin ?? '',
          labSecret,
          users: config.users.map((u) => ({ username: u.username, password: u.password })),
        }),
      ),
    });
    const throttle = createLoginThrottle(clock);
    cleanup.push(() => lab.close());
    // The provider's app is made once its port, and so the issuer, is known: its classes adopt it then.
    const providerMessages = expressMessageClasses();
    const provider = await listen(
      (req, res) => state.app?.(req, res),
      host,
      options.port ?? 0,
      providerMessages,
    );
    const providerOrigin = `http://${urlHost(announcedHost)}:${provider.port}`;
    const issuer = options.issuer ?? providerOrigin;
    const ctx: ProviderContext = {
      issuer,
      endpoints: endpointsFor(issuer),
      settings: config.server,
      clock,
      clients,
      users,
      repositories,
      replayCache,
      keys,
      dpopNonces: config.server.dpop_nonce_required
        ? createDpopNonceSource({ clock, lifetimeSeconds: 60 })
        : undefined,
      logger,
    };
    state.ctx = ctx;
    state.app = createProviderApp({
      ctx,
      throttle,
      capture: lab.captureMiddleware,
      extraRouters: [
        resourceServerRouter({
          issuer,
          audience: ctx.endpoints.resourceServer,
          jwks: () => keys.publicJwks(),
          clock,
          replayCache,
          dpopMaxAgeSeconds: config.server.dpop_proof_max_age,
          nonces: ctx.dpopNonces,
          isActive: (jti) => {
            const record = repositories.accessTokens.find(jti);
            return record !== undefined && record.revokedAt === undefined;
          },
        }),
      ],
    });
    providerMessages?.adopt(state.app);

    let labListening;
    try {
      labListening = await listen(lab.labApp, host, options.labPort ?? 0, expressMessageClasses(lab.labApp));
    } catch (e) {
      await provider.close();
      throw e;
    }
    lab.setLabPort(labListening.port);
    if (checkpointer) {
      // Requests are what write: each wakes the checkpointer's watch on the WAL, which rests when idle.
      const wake = () => checkpointer.wake();
      provider.server.on('request', wake);
      labListening.server.on('request', wake);
    }
    const labOrigin = `http://${urlHost(announcedHost)}:${labListening.port}`;
    state.labOrigin = labOrigin;

    const purge = setInterval(() => {
      try {
        repositories.purgeExpired(clock.now());
      } catch (e) {
        logger.warn('purge failed', { error: (e as Error).message });
      }
    }, PURGE_INTERVAL_MS);
    purge.unref();

    let closing: Promise<void> | undefined;
    return {
      issuer,
      providerOrigin,
      labOrigin,
      labSecret,
      labUrl: `${labOrigin}/#secret=${labSecret}`,
      rotateKeys: lab.rotateKeys,
      close: () =>
        (closing ??= (async () => {
          clearInterval(purge);
          // The lab UI's live event streams never end by themselves: ended first, so that closing the
          // lab's server does not wait for them (a browser tab left open would hold it for good).
          lab.bus.end();
          await Promise.all([provider.close(), labListening.close()]);
          await lab.close();
          replayCache.close();
          repositories.flush();
          await checkpointer?.stop();
          db.close();
          lock?.release();
        })()),
    };
  } catch (e) {
    for (const undo of cleanup.reverse()) await undo();
    throw e;
  }
}
