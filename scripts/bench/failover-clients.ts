const PLACE_ORDER = `mutation Place($input: PlaceOrderInput!) { placeOrder(input: $input) { id status cancellationCode } }`;

export interface Customer {
  id: string;
  token: string;
  /** Index of the gateway this customer starts on. */
  home: number;
}

export interface PlacedKey {
  customerId: string;
  key: string;
  /** The gateway of the first attempt, and whether that attempt began before the kill. */
  firstGateway: number;
  beforeKill: boolean;
  /** The last answer: PAID or CANCELLED once the client is done with the key. */
  status?: string;
}

/** A key a client is still working on, for the report of a run that stalls. */
export interface KeyInHand {
  customerId: string;
  key: string;
  attempts: number;
  gateway: number;
  /** When its latest attempt was sent (ISO time). */
  since: string;
}

export interface ClientLoad {
  keys: PlacedKey[];
  /** Error codes the clients saw, with how often. */
  errorCodes: Map<string, number>;
  /** Final answers (PAID or CANCELLED) per gateway. */
  answeredThrough: number[];
  /** Retries of a key on the other gateway after its own answered SERVICE_UNAVAILABLE. */
  failovers: number;
  /** Per customer, the key in hand. */
  current: Map<string, KeyInHand>;
  /** Resolves when every client has finished its last key. */
  done: Promise<void>;
  /** Stop starting new keys. */
  stop: () => void;
}

export interface ClientSettings {
  gateways: string[];
  customers: Customer[];
  productIds: string[];
  /** Resolves once the killed replica's unfinished orders are counted, so that no retry through
   *  the other gateway can have touched them yet. */
  mayFailOver: () => Promise<void>;
  killed: () => boolean;
}

const FINAL = new Set(['PAID', 'CANCELLED']);

/**
 * Each customer places orders one after another with fresh idempotency keys, as a shop's clients
 * do, until stopped. A key answered SERVICE_UNAVAILABLE (its order replica is gone) is sent again
 * with the same key through the other gateway, where the customer then stays: the load moves to
 * the surviving gateway the way a load balancer moves it off a failing backend. A PENDING answer
 * (the order is still being finished by recovery) is asked again, also with the same key.
 */
export function startClients(settings: ClientSettings): ClientLoad {
  let stopped = false;
  const load: ClientLoad = {
    keys: [],
    errorCodes: new Map(),
    answeredThrough: settings.gateways.map(() => 0),
    failovers: 0,
    current: new Map(),
    done: Promise.resolve(),
    stop: () => void (stopped = true),
  };
  const runCustomer = async (customer: Customer, index: number) => {
    let gateway = customer.home;
    for (let n = 0; !stopped; n += 1) {
      const placed: PlacedKey = { customerId: customer.id, key: `k${n}`, firstGateway: gateway, beforeKill: !settings.killed() };
      load.keys.push(placed);
      const productId = settings.productIds[(index + n) % settings.productIds.length]!;
      const input = { idempotencyKey: placed.key, lines: [{ productId, quantity: 1 + (n % 2) }] };
      for (let attempt = 0; attempt < 5 && !FINAL.has(placed.status ?? ''); attempt += 1) {
        load.current.set(customer.id, { customerId: customer.id, key: placed.key, attempts: attempt + 1, gateway, since: new Date().toISOString() });
        const answer = await place(settings.gateways[gateway]!, customer.token, input);
        for (const code of answer.codes) load.errorCodes.set(code, (load.errorCodes.get(code) ?? 0) + 1);
        placed.status = answer.status;
        if (answer.status && FINAL.has(answer.status)) load.answeredThrough[gateway]! += 1;
        else if (answer.codes.includes('SERVICE_UNAVAILABLE')) {
          await settings.mayFailOver();
          gateway = (gateway + 1) % settings.gateways.length;
          load.failovers += 1;
        } else if (answer.status !== 'PENDING') break;
      }
    }
  };
  load.done = Promise.all(
    settings.customers.map(async (customer, index) => {
      await runCustomer(customer, index);
      load.current.delete(customer.id);
    }),
  ).then(() => undefined);
  return load;
}

async function place(url: string, token: string, input: unknown): Promise<{ status?: string; codes: string[] }> {
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: PLACE_ORDER, variables: { input } }),
      // Well past the gateway's own 30 s request deadline: a request still open then is a finding.
      signal: AbortSignal.timeout(60_000),
    });
    const body = (await response.json()) as { data?: { placeOrder?: { status: string } | null }; errors?: { extensions?: { code?: string } }[] };
    return { status: body.data?.placeOrder?.status, codes: (body.errors ?? []).map((error) => error.extensions?.code ?? 'NO_CODE') };
  } catch {
    // The gateways stay up in this scenario: a request without an answer is a finding.
    return { codes: ['NO_ANSWER'] };
  }
}
