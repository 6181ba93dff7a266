import * as dnsPacket from 'dns-packet';
import { createSocket, RemoteInfo } from 'node:dgram';

/** What the fake server answers for one name. */
export interface FakeRecords {
  a?: string[];
  aaaa?: string[];
  /** Seconds, on every record; 60 unless given. */
  ttl?: number;
  /** Query types never answered for this name, e.g. a server that drops AAAA queries. */
  unanswered?: Array<'A' | 'AAAA'>;
}

/** One question the server received, in arrival order. */
export interface ReceivedQuery {
  name: string;
  type: string;
  at: number;
}

/**
 * A tiny authoritative DNS server over UDP on 127.0.0.1 for tests, so resolver behaviour (timeouts,
 * retries, caching) is exercised against real packets without the network. It answers A/AAAA for
 * the names it was given, NXDOMAIN for unknown ones, SERVFAIL/REFUSED for names told to fail, and
 * nothing at all for names marked as stalled: the DNS server that never answers.
 */
export interface FakeDnsServer {
  readonly port: number;
  /** `127.0.0.1:<port>`, as DELIVERY_DNS_SERVERS takes it. */
  readonly address: string;
  answer(name: string, records: FakeRecords): void;
  stall(name: string): void;
  fail(name: string, rcode: 'SERVFAIL' | 'REFUSED'): void;
  /** Questions (of any type) received for the name so far. */
  queries(name: string): number;
  readonly received: readonly ReceivedQuery[];
  /** Resolves once the server has received `count` questions for the name in all. */
  receivedQueries(name: string, count: number): Promise<void>;
  close(): Promise<void>;
}

const RCODES = { NOERROR: 0, SERVFAIL: 2, NXDOMAIN: 3, REFUSED: 5 } as const;

type Behaviour =
  | { kind: 'answer'; records: FakeRecords }
  | { kind: 'stall' }
  | { kind: 'fail'; rcode: 'SERVFAIL' | 'REFUSED' };

export async function startDnsServer(): Promise<FakeDnsServer> {
  const names = new Map<string, Behaviour>();
  const received: ReceivedQuery[] = [];
  const waiters = new Set<() => void>();
  const socket = createSocket('udp4');
  const key = (name: string) => name.toLowerCase().replace(/\.$/, '');
  const queries = (name: string) => received.filter((query) => query.name === key(name)).length;

  socket.on('message', (message: Buffer, remote: RemoteInfo) => {
    let query: dnsPacket.DecodedPacket;
    try {
      query = dnsPacket.decode(message);
    } catch {
      return; // Not DNS: ignore, as a real server would.
    }
    const question = query.questions?.[0];
    if (!question) return;
    received.push({ name: key(question.name), type: question.type, at: Date.now() });
    for (const wake of waiters) wake();

    const behaviour = names.get(key(question.name));
    if (behaviour?.kind === 'stall') return;
    if (
      behaviour?.kind === 'answer' &&
      behaviour.records.unanswered?.includes(question.type as 'A')
    ) {
      return;
    }
    const rcode =
      behaviour === undefined
        ? RCODES.NXDOMAIN
        : behaviour.kind === 'fail'
          ? RCODES[behaviour.rcode]
          : RCODES.NOERROR;
    const answers: dnsPacket.Answer[] = [];
    if (behaviour?.kind === 'answer') {
      const { a = [], aaaa = [], ttl = 60 } = behaviour.records;
      const data = question.type === 'A' ? a : question.type === 'AAAA' ? aaaa : [];
      for (const address of data) {
        answers.push({ type: question.type as 'A', name: question.name, ttl, data: address });
      }
    }
    const response = dnsPacket.encode({
      type: 'response',
      id: query.id,
      flags:
        dnsPacket.AUTHORITATIVE_ANSWER | ((query.flags ?? 0) & dnsPacket.RECURSION_DESIRED) | rcode,
      questions: [question],
      answers,
    });
    socket.send(response, remote.port, remote.address);
  });

  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(0, '127.0.0.1', () => resolve());
  });
  const { port } = socket.address();

  return {
    port,
    address: `127.0.0.1:${port}`,
    received,
    answer: (name, records) => names.set(key(name), { kind: 'answer', records }),
    stall: (name) => names.set(key(name), { kind: 'stall' }),
    fail: (name, rcode) => names.set(key(name), { kind: 'fail', rcode }),
    queries,
    receivedQueries(name, count) {
      return new Promise<void>((resolve) => {
        const check = () => {
          if (queries(name) < count) return;
          waiters.delete(check);
          resolve();
        };
        waiters.add(check);
        check();
      });
    },
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}
