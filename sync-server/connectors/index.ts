import type { SyncStorage } from '../storage/types';
import { buildConnector, type Connector } from './channels';
import { DEFAULTS, type ConnectorsFile } from './config';
import { InboundWebhooks } from './inbound';
import { Intake } from './intake';
import { StatusReporter, type Push } from './reporter';
import { DeliveryWorker } from './worker';

/**
 * The connectors of one sync server (DESIGN.md §5), wired by main.ts: intake follows the sites'
 * logs (woken by storage.onAppend, and every few seconds in case a wake-up was missed), the worker
 * delivers, the reporter writes status back to the tickets, and the inbound webhooks open tickets.
 */
export interface ConnectorsDeps {
  storage: SyncStorage;
  push: Push;
  now: () => Date;
  log: (s: string) => void;
  /** This server instance's name: the owner of the deliveries it is sending. */
  instance: string;
}

const SAFETY_SCAN_MS = 5_000;

export class Connectors {
  readonly connectors: ReadonlyMap<string, Connector>;
  private readonly intake: Intake;
  private readonly worker: DeliveryWorker;
  private readonly reporter: StatusReporter;
  private readonly inbound: InboundWebhooks | null;
  private scanning: Promise<void> | null = null;
  private rescan = false;
  private timer: NodeJS.Timeout | null = null;
  private off: (() => void) | null = null;
  private stopped = false;

  constructor(
    readonly file: ConnectorsFile,
    private readonly deps: ConnectorsDeps,
  ) {
    this.connectors = new Map(Object.entries(file.connectors).map(([id, c]) => [id, buildConnector(id, c, file)]));
    const connectorFor = (channel: string, to: string): string | null => {
      const id = channel === 'push' ? to : (file.channels?.[channel as keyof NonNullable<ConnectorsFile['channels']>] ?? null);
      return id && this.connectors.has(id) ? id : null;
    };
    this.intake = new Intake(deps.storage, connectorFor, deps.now);
    const maxTimeout = Math.max(DEFAULTS.timeout, ...Object.values(file.connectors).map((c) => c.timeout ?? DEFAULTS.timeout));
    this.reporter = new StatusReporter(deps.storage, deps.push, deps.now, deps.log);
    this.worker = new DeliveryWorker(deps.storage, this.connectors, file, {
      owner: deps.instance,
      concurrency: file.workers?.concurrency ?? DEFAULTS.concurrency,
      pollMs: file.workers?.poll ?? DEFAULTS.poll,
      leaseMs: maxTimeout * 3 + 30_000,
      exclusive: deps.storage.kind === 'embedded',
    }, deps.now, deps.log, () => void this.reporter.flush());
    this.inbound = file.inbound ? new InboundWebhooks(file.inbound, deps) : null;
  }

  /** Starts everything; resolves with the inbound webhooks' port (null without inbound). */
  async start(): Promise<{ inboundPort: number | null }> {
    await this.worker.start();
    this.off = this.deps.storage.onAppend(() => this.scan());
    this.timer = setInterval(() => this.scan(), SAFETY_SCAN_MS);
    this.scan();
    void this.reporter.flush();
    const inboundPort = this.inbound ? await this.inbound.listen() : null;
    return { inboundPort };
  }

  /** Reads the logs for new outbox entries (one scan at a time; requests meanwhile fold into one more). */
  scan(): void {
    if (this.stopped) return;
    if (this.scanning) {
      this.rescan = true;
      return;
    }
    this.scanning = (async () => {
      do {
        this.rescan = false;
        try {
          if ((await this.intake.scan()) > 0) this.worker.poke();
        } catch (e) {
          if (!this.stopped) this.deps.log(`connectors: reading the log failed: ${(e as Error).message}`);
        }
      } while (this.rescan && !this.stopped);
      this.scanning = null;
    })();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.off?.();
    if (this.timer) clearInterval(this.timer);
    await this.inbound?.close();
    await this.scanning;
    await this.worker.stop();
    await this.reporter.flush();
  }

  /** The configured connectors without their secrets (admin). */
  describe(): { id: string; type: string; honoursIdempotencyKey: boolean; attempts: number }[] {
    return [...this.connectors.values()].map((c) => ({ id: c.id, type: c.type, honoursIdempotencyKey: c.idempotent, attempts: c.retry.attempts }));
  }
}
