import net from 'node:net';

/**
 * A TCP proxy in front of the real Redis that can lose the answer to one write: the command
 * reaches Redis and is carried out, then the connection drops before its answer comes back, as
 * when Redis is killed right after an fsync. Clients reconnect through the proxy as they would to
 * a restarted Redis.
 */
export class RedisAnswerDropper {
  private readonly sockets = new Set<net.Socket>();
  private trigger?: { text: string; downMs: number; withheld: Buffer[]; resolve: (answer: string) => void };

  private constructor(
    private readonly server: net.Server,
    private readonly target: URL,
    /** The proxy's port: it stays the same while the proxy is down. */
    private readonly port: number,
  ) {}

  static async start(redisUrl: string): Promise<RedisAnswerDropper> {
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const dropper = new RedisAnswerDropper(server, new URL(redisUrl), (server.address() as net.AddressInfo).port);
    server.on('connection', (socket) => dropper.relay(socket));
    return dropper;
  }

  /** The Redis URL through the proxy (same database and credentials). */
  get url(): string {
    const url = new URL(this.target.toString());
    url.hostname = '127.0.0.1';
    url.port = String(this.port);
    return url.toString();
  }

  /**
   * Arms the proxy: the next command sent with `text` in it goes to Redis, and its connection
   * drops 200 ms later with the answer withheld; for `downMs` after that the port refuses
   * connections, as a killed Redis's does (ioredis then gives up on the commands it had in flight).
   * Resolves with what Redis answered (unseen by the client) once the port takes connections again.
   */
  loseAnswerTo(text: string, downMs = 1_500): Promise<string> {
    return new Promise((resolve) => (this.trigger = { text, downMs, withheld: [], resolve }));
  }

  private relay(client: net.Socket): void {
    const upstream = net.connect(Number(this.target.port || 6379), this.target.hostname);
    this.sockets.add(client).add(upstream);
    let withholding: Buffer[] | undefined;
    const end = () => {
      client.destroy();
      upstream.destroy();
      this.sockets.delete(client);
      this.sockets.delete(upstream);
    };
    client.on('data', (chunk: Buffer) => {
      const trigger = this.trigger;
      if (trigger && chunk.includes(trigger.text)) {
        this.trigger = undefined;
        withholding = trigger.withheld;
        setTimeout(() => void this.goDown(trigger.downMs, end).then(() => trigger.resolve(Buffer.concat(trigger.withheld).toString())), 200);
      }
      upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => (withholding ? withholding.push(chunk) : client.write(chunk)));
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
  }

  /** Stops listening (connections are refused), drops every connection, as a killed Redis does, and listens again on the same port after `ms`. */
  private async goDown(ms: number, end: () => void): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    end();
    for (const socket of this.sockets) socket.destroy();
    await closed;
    await new Promise((resolve) => setTimeout(resolve, ms));
    await new Promise<void>((resolve) => this.server.listen(this.port, '127.0.0.1', resolve));
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
