import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { SUBGRAPHS } from '../../lib/subgraphs.js';

/** Just the fields of the manifests these tests follow. */
interface Container {
  name: string;
  image: string;
  args?: string[];
  ports?: { name?: string; containerPort: number }[];
  env?: { name: string; value?: string; valueFrom?: { secretKeyRef?: { name: string; key: string }; configMapKeyRef?: { name: string; key: string } } }[];
  startupProbe?: Probe;
  readinessProbe?: Probe;
  livenessProbe?: Probe;
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  volumeMounts?: { name: string; mountPath: string }[];
}
interface Probe {
  httpGet?: { path: string; port: string | number };
}
interface Resource {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string> };
  spec: any;
}

const DIR = 'deploy/k8s';
const kustomization = parse(readFileSync(join(DIR, 'kustomization.yaml'), 'utf8')) as {
  resources: string[];
  images: { name: string }[];
  configMapGenerator: { name: string; files: string[] }[];
  secretGenerator: { name: string; envs: string[] }[];
};
const resources: Resource[] = kustomization.resources.flatMap((file) =>
  parseAllDocuments(readFileSync(join(DIR, file), 'utf8')).map((document) => {
    if (document.errors.length > 0) throw new Error(`${file}: ${document.errors.map((error) => error.message).join('; ')}`);
    return document.toJS() as Resource;
  }),
);
const ofKind = (kind: string) => resources.filter((resource) => resource.kind === kind);
const deployments = ofKind('Deployment');
const servicesByName = new Map(ofKind('Service').map((service) => [service.metadata.name, service]));
const containerOf = (deployment: Resource) => deployment.spec.template.spec.containers[0] as Container;
const deploymentNamed = (name: string) => deployments.find((deployment) => deployment.metadata.name === name)!;
const envOf = (name: string) => Object.fromEntries((containerOf(deploymentNamed(name)).env ?? []).map((variable) => [variable.name, variable]));

/** What the generators make: ConfigMap and Secret names with their keys. Secret keys come from
 *  the committed example, since the real env file is never committed. */
const configMaps = new Map(kustomization.configMapGenerator.map((generator) => [generator.name, generator.files.map((file) => file.split('/').at(-1)!)]));
const secrets = new Map(
  kustomization.secretGenerator.map((generator) => [
    generator.name,
    generator.envs.flatMap((file) =>
      readFileSync(join(DIR, `${file}.example`), 'utf8')
        .split('\n')
        .filter((line) => /^[A-Z_]+=/.test(line))
        .map((line) => line.slice(0, line.indexOf('='))),
    ),
  ]),
);

/** The gateway and every subgraph in the registry (lib/subgraphs.ts), as <name>-subgraph. */
const SERVICES: Record<string, number> = { gateway: 4000, ...Object.fromEntries(SUBGRAPHS.map(({ name, port }) => [`${name}-subgraph`, port])) };

describe('deploy/k8s', () => {
  it('lists only files that exist, and every generator source is there (secrets.env as its example)', () => {
    for (const file of kustomization.resources) expect(existsSync(join(DIR, file))).toBe(true);
    for (const generator of kustomization.configMapGenerator) for (const file of generator.files) expect(existsSync(join(DIR, file))).toBe(true);
    for (const generator of kustomization.secretGenerator) for (const file of generator.envs) expect(existsSync(join(DIR, `${file}.example`))).toBe(true);
    expect(readFileSync('.gitignore', 'utf8').split('\n')).toContain('deploy/k8s/secrets.env');
  });

  it('ships the committed supergraph unchanged as the gateway ConfigMap', () => {
    const copy = readFileSync(join(DIR, 'supergraph.graphql'), 'utf8');
    const composed = readFileSync('schema/supergraph.graphql', 'utf8');
    if (copy !== composed) throw new Error('deploy/k8s/supergraph.graphql differs from schema/supergraph.graphql: cp schema/supergraph.graphql deploy/k8s/');
  });

  it('has a Deployment, a Service and a HorizontalPodAutoscaler for the gateway and each subgraph', () => {
    for (const kind of ['Deployment', 'Service', 'HorizontalPodAutoscaler']) {
      expect(ofKind(kind).map((resource) => resource.metadata.name).sort()).toEqual(Object.keys(SERVICES).sort());
    }
  });

  it.each(Object.entries(SERVICES))('runs %s from the one image, on its port, with probes and resources', (name, port) => {
    const deployment = deploymentNamed(name);
    expect(deployment.apiVersion).toBe('apps/v1');
    const container = containerOf(deployment);
    expect(kustomization.images.map((image) => image.name)).toContain(container.image);
    const [node, script = ''] = container.args ?? [];
    expect(node).toBe('node');
    expect(existsSync(script.replace(/^dist\//, '').replace(/\.js$/, '.ts'))).toBe(true);
    expect(container.ports).toEqual([{ name: 'http', containerPort: port }]);
    expect(envOf(name).PORT?.value).toBe(String(port));
    expect(envOf(name).NODE_ENV?.value).toBe('production');
    expect(container.readinessProbe?.httpGet).toEqual({ path: '/ready', port: 'http' });
    expect(container.livenessProbe?.httpGet).toEqual({ path: '/health', port: 'http' });
    for (const bound of ['requests', 'limits'] as const) expect(Object.keys(container.resources?.[bound] ?? {}).sort()).toEqual(['cpu', 'memory']);
    expect(deployment.spec.template.spec.securityContext).toMatchObject({ runAsNonRoot: true });
  });

  it('selects each Deployment pod template with its own selector, and each Service selects exactly one Deployment', () => {
    const matches = (selector: Record<string, string>, labels: Record<string, string>) => Object.entries(selector).every(([key, value]) => labels[key] === value);
    for (const deployment of deployments) {
      expect(matches(deployment.spec.selector.matchLabels, deployment.spec.template.metadata.labels)).toBe(true);
    }
    for (const service of servicesByName.values()) {
      const selected = deployments.filter((deployment) => matches(service.spec.selector, deployment.spec.template.metadata.labels));
      expect({ service: service.metadata.name, selects: selected.map((deployment) => deployment.metadata.name) }).toEqual({ service: service.metadata.name, selects: [service.metadata.name] });
      const containerPorts = containerOf(selected[0]!).ports!.map((port) => port.name);
      for (const port of service.spec.ports as { port: number; targetPort: string }[]) expect(containerPorts).toContain(port.targetPort);
    }
  });

  it('scales every Deployment with an autoscaler that targets it', () => {
    for (const autoscaler of ofKind('HorizontalPodAutoscaler')) {
      expect(autoscaler.apiVersion).toBe('autoscaling/v2');
      const target = autoscaler.spec.scaleTargetRef;
      expect({ apiVersion: target.apiVersion, kind: target.kind, exists: deployments.some((deployment) => deployment.metadata.name === target.name) }).toEqual({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        exists: true,
      });
      expect(autoscaler.spec.minReplicas).toBeGreaterThanOrEqual(2);
      expect(autoscaler.spec.maxReplicas).toBeGreaterThan(autoscaler.spec.minReplicas);
      // A replica count in the Deployment would fight the autoscaler on every apply.
      expect(deploymentNamed(target.name).spec.replicas).toBeUndefined();
    }
  });

  it('takes secrets and config only from Secrets, ConfigMaps and keys that the generators make', () => {
    for (const deployment of deployments) {
      const spec = deployment.spec.template.spec;
      for (const variable of containerOf(deployment).env ?? []) {
        const secret = variable.valueFrom?.secretKeyRef;
        if (secret) expect({ variable: variable.name, key: secrets.get(secret.name)?.includes(secret.key) }).toEqual({ variable: variable.name, key: true });
        const config = variable.valueFrom?.configMapKeyRef;
        if (config) expect({ variable: variable.name, key: configMaps.get(config.name)?.includes(config.key) }).toEqual({ variable: variable.name, key: true });
      }
      const volumes = new Map((spec.volumes ?? []).map((volume: { name: string }) => [volume.name, volume]));
      for (const mount of containerOf(deployment).volumeMounts ?? []) expect(volumes.has(mount.name)).toBe(true);
      for (const volume of spec.volumes ?? []) if (volume.configMap) expect(configMaps.has(volume.configMap.name)).toBe(true);
    }
  });

  it('gives every service the variables the contract names, secrets by reference', () => {
    for (const { name: subgraph } of SUBGRAPHS) {
      const env = envOf(`${subgraph}-subgraph`);
      for (const variable of ['DATABASE_URL', 'JWT_SECRET', 'SERVICE_CREDENTIAL']) expect({ variable, fromSecret: env[variable]?.valueFrom?.secretKeyRef !== undefined }).toEqual({ variable, fromSecret: true });
    }
    expect(envOf('gateway').JWT_SECRET?.valueFrom?.secretKeyRef).toBeDefined();
  });

  it('runs no more gateway workers than the CPU limit gives it (Node 20 would count the node\'s cores)', () => {
    const workers = Number(envOf('gateway').GATEWAY_WORKERS?.value);
    const cpuLimit = containerOf(deploymentNamed('gateway')).resources!.limits!.cpu!;
    const cores = cpuLimit.endsWith('m') ? Number(cpuLimit.slice(0, -1)) / 1000 : Number(cpuLimit);
    expect(workers).toBeGreaterThanOrEqual(1);
    expect(workers).toBeLessThanOrEqual(Math.max(1, Math.floor(cores)));
  });

  it('points the gateway and the order saga at Services that exist, on the ports they expose', () => {
    const urls = [
      ...SUBGRAPHS.map(({ urlVariable }) => envOf('gateway')[urlVariable]?.value),
      ...['PRODUCT_URL', 'PAYMENT_URL', 'SHIPPING_URL'].map((variable) => envOf('order-subgraph')[variable]?.value),
    ];
    expect(urls.filter((url) => url !== undefined)).toHaveLength(SUBGRAPHS.length + 3);
    for (const { name, port, urlVariable } of SUBGRAPHS) expect(envOf('gateway')[urlVariable]?.value).toBe(`http://${name}-subgraph:${port}/graphql`);
    for (const text of urls) {
      const url = new URL(text!);
      const service = servicesByName.get(url.hostname);
      expect({ url: text, exposes: service?.spec.ports.some((port: { port: number }) => String(port.port) === url.port) }).toEqual({ url: text, exposes: true });
      expect(url.pathname).toBe('/graphql');
    }
  });

  it('mounts the supergraph ConfigMap where SUPERGRAPH_PATH looks', () => {
    const path = envOf('gateway').SUPERGRAPH_PATH!.value!;
    const spec = deploymentNamed('gateway').spec.template.spec;
    const mount = containerOf(deploymentNamed('gateway')).volumeMounts!.find((each) => path.startsWith(`${each.mountPath}/`))!;
    const volume = spec.volumes.find((each: { name: string }) => each.name === mount.name);
    expect(configMaps.get(volume.configMap.name)).toContain(path.slice(mount.mountPath.length + 1));
  });
});
