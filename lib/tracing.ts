import { register } from 'node:module';
import type { Env } from './config.js';

export type StopTracing = () => Promise<void>;

let tracing = false;

/** True once startTracing has switched tracing on in this process. */
export function isTracing(): boolean {
  return tracing;
}

/** True when an OTLP endpoint is configured, the standard way (OTEL_EXPORTER_OTLP_ENDPOINT or
 *  the traces-only OTEL_EXPORTER_OTLP_TRACES_ENDPOINT), and the SDK is not switched off. */
export function tracingEnabled(env: Env): boolean {
  return Boolean(env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim() || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?.trim()) && env.OTEL_SDK_DISABLED !== 'true';
}

/**
 * Starts OpenTelemetry tracing when an OTLP endpoint is configured; otherwise does nothing and
 * loads nothing, so a service without it pays no cost. Call it from main.ts before anything
 * else is imported: in ESM the instrumentations can only wrap modules imported after the
 * import-in-the-middle loader hook is registered here, so main.ts imports the server afterwards,
 * with a dynamic import().
 *
 * Spans: incoming and outgoing HTTP (node:http, which the gateway's subgraph fetcher uses, and
 * fetch/undici, which the saga's calls use: both carry W3C traceparent, so one trace runs
 * from the gateway through every subgraph), express, GraphQL parse/validate/execute, PostgreSQL
 * queries, and Apollo Gateway's own (plan, fetch, postprocessing). They go by OTLP/HTTP to the
 * endpoint; the exporter reads the usual OTEL_EXPORTER_OTLP_* settings (headers, timeout) and
 * the service name can be overridden with OTEL_SERVICE_NAME.
 */
export async function startTracing(service: string, env: Env): Promise<StopTracing | undefined> {
  if (!tracingEnabled(env)) return undefined;
  tracing = true;
  register('@opentelemetry/instrumentation/hook.mjs', import.meta.url);
  const [{ NodeTracerProvider, BatchSpanProcessor }, { resourceFromAttributes }, { OTLPTraceExporter }, { registerInstrumentations }, http, express, graphql, pg, undici] =
    await Promise.all([
      import('@opentelemetry/sdk-trace-node'),
      import('@opentelemetry/resources'),
      import('@opentelemetry/exporter-trace-otlp-http'),
      import('@opentelemetry/instrumentation'),
      import('@opentelemetry/instrumentation-http'),
      import('@opentelemetry/instrumentation-express'),
      import('@opentelemetry/instrumentation-graphql'),
      import('@opentelemetry/instrumentation-pg'),
      import('@opentelemetry/instrumentation-undici'),
    ]);
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': env.OTEL_SERVICE_NAME?.trim() || service }),
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter())],
  });
  provider.register();
  registerInstrumentations({
    tracerProvider: provider,
    instrumentations: [
      // Probes and scrapes would be most of the spans and tell nothing.
      new http.HttpInstrumentation({ ignoreIncomingRequestHook: (req) => /^\/(health|ready|metrics)\b/.test(req.url ?? '') }),
      new express.ExpressInstrumentation(),
      // One span per resolver would dwarf the rest: trivial field resolvers are left out.
      new graphql.GraphQLInstrumentation({ ignoreTrivialResolveSpans: true, mergeItems: true }),
      new pg.PgInstrumentation(),
      new undici.UndiciInstrumentation(),
    ],
  });
  return () => provider.shutdown();
}
