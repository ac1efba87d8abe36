// The Helm chart, rendered for every value set in charts/media-ai/ci (defaults, production, GPU
// detector, KEDA off): every object passes its Kubernetes/KEDA/prometheus-operator schema, and the
// invariants an operator relies on hold — each stage has probes and an autoscaler watching exactly
// the topics and consumer group its code uses, never more replicas than partitions, no container
// runs as root, secrets only by reference, models loaded before serving.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ANALYSIS_STAGES, TOPICS } from '@media-ai/contracts';
import { identifierKeyOf, loadConfig, type AppConfig } from '@media-ai/config';
import { beforeAll, describe, expect, it } from 'vitest';
import { chartDefaults, mergedValues, schemaProblems, type Values } from './test-support/chart-values.js';
import { validateObject } from './test-support/kube-models.js';
import {
  CHART_DIR,
  chartRenderer,
  RenderError,
  SKIP_REASON,
  type ChartRenderer,
  type K8sObject,
  type Manifest,
  type RenderRequest,
  type Rendered,
} from './test-support/render-chart.js';
import { stagesFromCode, type StageFacts } from './test-support/stages-from-code.js';

const CI = path.join(CHART_DIR, 'ci');
const KEDA = 'keda.sh/v1alpha1';
const PROMETHEUS_OPERATOR = 'monitoring.coreos.com/v1';
const STAGES = ['fetcher', 'detector', 'ocr', 'llm', 'aggregator'] as const;
type StageName = (typeof STAGES)[number];

interface ValueSet {
  name: string;
  file: string;
  apiVersions: string[];
}

const VALUE_SETS: ValueSet[] = [
  { name: 'defaults', file: 'default-values.yaml', apiVersions: [KEDA] },
  { name: 'production', file: 'production-values.yaml', apiVersions: [KEDA, PROMETHEUS_OPERATOR] },
  { name: 'GPU detector', file: 'gpu-detector-values.yaml', apiVersions: [KEDA] },
  { name: 'KEDA off', file: 'keda-off-values.yaml', apiVersions: [] },
];

// Loosely typed views of rendered objects: the schemas were checked by validateObject already.
/* eslint-disable @typescript-eslint/no-explicit-any */
type Any = any;

interface RenderedSet {
  set: ValueSet;
  values: Values;
  rendered: Rendered;
}

let renderer: ChartRenderer;
let code: Map<string, StageFacts>;
const renders = new Map<string, RenderedSet>();

function render(request: RenderRequest): Promise<Rendered> {
  return renderer.render(request);
}

function objects(r: Rendered, kind: string): K8sObject[] {
  return r.manifests.map((m) => m.object).filter((o) => o.kind === kind);
}

function one(r: Rendered, kind: string, name: string): Any {
  const found = objects(r, kind).filter((o) => o.metadata.name === name);
  expect(found, `${kind}/${name}`).toHaveLength(1);
  return found[0];
}

function stageOf(o: K8sObject): string | undefined {
  return o.metadata.labels?.['app.kubernetes.io/component'];
}

function enabledStages(values: Values): StageName[] {
  const stages = values.stages as Record<StageName, { enabled: boolean }>;
  return STAGES.filter((s) => stages[s].enabled);
}

function stageValues(values: Values, stage: StageName): Any {
  return (values.stages as Any)[stage];
}

/** Pod templates of Deployments and Jobs, with what owns them. */
function podSpecs(r: Rendered): Array<{ owner: string; spec: Any }> {
  return r.manifests
    .map((m) => m.object as Any)
    .filter((o) => o.kind === 'Deployment' || o.kind === 'Job')
    .map((o) => ({ owner: `${o.kind}/${o.metadata.name}`, spec: o.spec.template.spec }));
}

/** A placeholder for a value the pod gets from a Secret, shaped as the variable expects. */
function fromSecret(variable: string, ref: { name: string; key: string }): string {
  if (variable === 'REDIS_URL') return `redis://:from-secret@redis.example:6379/0`;
  // name:token, as libs/config reads it: one caller named for the Secret, a token of the accepted length.
  if (variable === 'MEDIA_AI_API_TOKENS') return `${ref.name}:${'0'.repeat(64)}`;
  return `secret:${ref.name}/${ref.key}`;
}

/** The environment a stage container starts with: the ConfigMap, then its own env. */
function containerEnv(r: Rendered, container: Any): Record<string, string> {
  const env: Record<string, string> = {};
  for (const source of container.envFrom ?? []) {
    const cm = one(r, 'ConfigMap', source.configMapRef.name);
    Object.assign(env, cm.data);
  }
  for (const e of container.env ?? []) {
    if (e.value !== undefined) env[e.name] = e.value;
    else if (e.valueFrom?.secretKeyRef) env[e.name] = fromSecret(e.name, e.valueFrom.secretKeyRef);
    else throw new Error(`${e.name}: unexpected valueFrom ${JSON.stringify(e.valueFrom)}`);
  }
  return env;
}

function stageDeployment(r: Rendered, stage: string): Any {
  const found = objects(r, 'Deployment').filter((d) => stageOf(d) === stage);
  expect(found, `the ${stage} Deployment`).toHaveLength(1);
  return found[0];
}

function stageConfig(r: Rendered, stage: string): AppConfig {
  const container = stageDeployment(r, stage).spec.template.spec.containers.find((c: Any) => c.name === stage);
  return loadConfig(containerEnv(r, container), { cwd: '/app', cpuCount: 2 });
}

/** The partition count of the topics a stage reads, as the values declare it. */
function partitionsFor(values: Values, stage: string): number {
  const kafka = values.kafka as { partitions: number; postsEventsPartitions: number };
  return stage === 'fetcher' ? kafka.postsEventsPartitions : kafka.partitions;
}

async function expectRenderFailure(request: RenderRequest, message: RegExp): Promise<void> {
  const failure = await render(request).then(
    () => null,
    (error: unknown) => error,
  );
  expect(failure, 'the render should have failed').toBeInstanceOf(RenderError);
  expect((failure as Error).message).toMatch(message);
}

// Its own test, so a machine without Go (or helm) fails with the reason rather than only an
// aborted suite.
it.skipIf(SKIP_REASON !== null)('has a chart renderer: helm on PATH, or Go to build tools/helm-render', async () => {
  expect(['helm', 'helm-render']).toContain((await chartRenderer()).name);
});

describe.skipIf(SKIP_REASON !== null)('charts/media-ai', () => {
  beforeAll(async () => {
    renderer = await chartRenderer();
    code = stagesFromCode();
    for (const set of VALUE_SETS) {
      const file = path.join(CI, set.file);
      renders.set(set.name, {
        set,
        values: mergedValues([file]),
        rendered: await render({ valueFiles: [file], apiVersions: set.apiVersions }),
      });
    }
  });

  it('covers every value set in charts/media-ai/ci', () => {
    expect(readdirSync(CI).sort()).toEqual(VALUE_SETS.map((s) => s.file).sort());
  });

  it('knows each stage from the code: one consumer group per service, named like the stage', () => {
    expect([...code.keys()].sort()).toEqual([...STAGES].sort());
    for (const facts of code.values()) expect(facts.stage).toBe(facts.service);
    expect(code.get('fetcher')!.inputs).toEqual([TOPICS.postsEvents]);
    expect([...ANALYSIS_STAGES].every((s) => code.get(s)!.inputs.includes(TOPICS.photos))).toBe(true);
  });

  describe.each(VALUE_SETS.map((s) => s.name))('with the %s values', (setName) => {
    const get = () => renders.get(setName)!;

    it('pass values.schema.json (merged over values.yaml, as helm checks them)', () => {
      expect(schemaProblems(get().values)).toEqual([]);
    });

    it('render objects that each pass their Kubernetes, KEDA or prometheus-operator schema', () => {
      const { rendered } = get();
      expect(rendered.manifests.length).toBeGreaterThan(10);
      const problems = rendered.manifests.flatMap((m: Manifest) => validateObject(m.object).map((p) => `${m.source}: ${p}`));
      expect(problems).toEqual([]);
      const ids = rendered.manifests.map((m) => `${m.object.kind}/${m.object.metadata.name}`);
      expect(new Set(ids).size, 'duplicate kind/name').toBe(ids.length);
      for (const m of rendered.manifests) {
        expect(m.object.metadata.namespace, `${m.object.kind}/${m.object.metadata.name}`).toBe('media-ai');
        expect(m.object.metadata.labels?.['app.kubernetes.io/managed-by']).toBe('Helm');
      }
    });

    it('give every enabled stage a Deployment with startup, liveness and readiness probes, a Service and a PDB', () => {
      const { rendered, values } = get();
      const enabled = enabledStages(values);
      expect(objects(rendered, 'Deployment').map(stageOf).sort()).toEqual([...enabled].sort());
      for (const stage of enabled) {
        const pod = stageDeployment(rendered, stage).spec.template.spec;
        const container = pod.containers.find((c: Any) => c.name === stage);
        expect(container, `${stage} container`).toBeDefined();
        const port = container.ports.find((p: Any) => p.name === 'http');
        expect(port.containerPort).toBe(Number(containerEnv(rendered, container).PORT));
        expect(container.livenessProbe.httpGet).toEqual({ path: '/api/v1/health/live', port: 'http' });
        expect(container.readinessProbe.httpGet).toEqual({ path: '/api/v1/health/ready', port: 'http' });
        expect(container.startupProbe.httpGet.port).toBe('http');
        // Long enough to load models, connect and join the group before liveness counts.
        expect(container.startupProbe.periodSeconds * container.startupProbe.failureThreshold).toBeGreaterThanOrEqual(300);
        expect(container.resources.requests.cpu).toBeDefined();
        expect(container.resources.limits.memory).toBeDefined();
        // Room for a batch to finish after SIGTERM (the service abandons it after 30 s).
        expect(pod.terminationGracePeriodSeconds).toBeGreaterThan(30);
        const service = objects(rendered, 'Service').find((s) => stageOf(s) === stage) as Any;
        expect(service.spec.selector).toEqual(stageDeployment(rendered, stage).spec.selector.matchLabels);
        expect(service.spec.ports).toEqual([{ name: 'http', port: port.containerPort, targetPort: 'http', protocol: 'TCP' }]);
        const pdb = objects(rendered, 'PodDisruptionBudget').find((p) => stageOf(p) === stage) as Any;
        expect(pdb.spec.selector.matchLabels).toEqual(service.spec.selector);
        expect(pod.topologySpreadConstraints.every((c: Any) => c.labelSelector.matchLabels['app.kubernetes.io/component'] === stage)).toBe(
          true,
        );
      }
    });

    it("scale every stage on its own consumer group's lag (or CPU/memory without KEDA), topics and group as the code uses them", () => {
      const { rendered, values } = get();
      const keda = (values.autoscaling as Any).keda.enabled as boolean;
      for (const stage of enabledStages(values)) {
        const s = stageValues(values, stage);
        const deployment = stageDeployment(rendered, stage);
        const config = stageConfig(rendered, stage);
        const facts = code.get(stage)!;
        const scaled = objects(rendered, 'ScaledObject').filter((o) => stageOf(o) === stage) as Any[];
        const hpas = objects(rendered, 'HorizontalPodAutoscaler').filter((o) => stageOf(o) === stage) as Any[];
        const partitions = partitionsFor(values, stage);
        expect(config.kafka.partitions).toBe((values.kafka as Any).partitions);
        if (!s.autoscaling.enabled) {
          expect(scaled.length + hpas.length, `${stage}: no autoscaler`).toBe(0);
          expect(deployment.spec.replicas).toBe(s.replicas);
          expect(deployment.spec.replicas).toBeLessThanOrEqual(partitions);
          continue;
        }
        // The autoscaler owns the replica count.
        expect(deployment.spec.replicas).toBeUndefined();
        if (keda) {
          expect(hpas).toHaveLength(0);
          expect(scaled).toHaveLength(1);
          const so = scaled[0];
          expect(so.spec.scaleTargetRef).toMatchObject({ kind: 'Deployment', name: deployment.metadata.name });
          expect(so.spec.maxReplicaCount).toBeLessThanOrEqual(partitions);
          expect(so.spec.minReplicaCount).toBeLessThanOrEqual(so.spec.maxReplicaCount);
          expect(so.spec.triggers.every((t: Any) => t.type === 'kafka')).toBe(true);
          expect(so.spec.triggers.map((t: Any) => t.metadata.topic).sort()).toEqual([...facts.inputs].sort());
          for (const trigger of so.spec.triggers) {
            expect(trigger.metadata.consumerGroup).toBe(`${config.kafka.consumerGroupId}.${facts.service}`);
            expect(trigger.metadata.bootstrapServers).toBe(config.kafka.bootstrapServers.join(','));
            expect(trigger.metadata.offsetResetPolicy).toBe(config.kafka.autoOffsetReset);
            expect(Number(trigger.metadata.lagThreshold)).toBeGreaterThan(0);
            expect(trigger.metadata.allowIdleConsumers).toBe('false');
          }
        } else {
          expect(scaled).toHaveLength(0);
          expect(hpas).toHaveLength(1);
          const hpa = hpas[0];
          expect(hpa.spec.scaleTargetRef).toMatchObject({ kind: 'Deployment', name: deployment.metadata.name });
          expect(hpa.spec.maxReplicas).toBeLessThanOrEqual(partitions);
          expect(hpa.spec.metrics.map((m: Any) => m.resource.name).sort()).toEqual(['cpu', 'memory']);
          expect(hpa.spec.behavior.scaleDown.stabilizationWindowSeconds).toBeGreaterThanOrEqual(60);
        }
      }
      if (!keda) expect(objects(rendered, 'TriggerAuthentication')).toHaveLength(0);
    });

    it('run no container as root: non-root user, read-only root filesystem, no capabilities, no privilege escalation', () => {
      const { rendered } = get();
      const pods = podSpecs(rendered);
      expect(pods.length).toBeGreaterThan(0);
      for (const { owner, spec } of pods) {
        const podSc = spec.securityContext ?? {};
        expect(podSc.seccompProfile?.type, owner).toBe('RuntimeDefault');
        for (const c of [...(spec.initContainers ?? []), ...spec.containers]) {
          const sc = c.securityContext ?? {};
          const where = `${owner} ${c.name}`;
          expect(sc.runAsNonRoot ?? podSc.runAsNonRoot, where).toBe(true);
          const uid = sc.runAsUser ?? podSc.runAsUser;
          // Numeric, so the kubelet can enforce runAsNonRoot whatever USER the image names.
          expect(typeof uid, where).toBe('number');
          expect(uid, where).toBeGreaterThan(0);
          expect(sc.privileged ?? false, where).toBe(false);
          expect(sc.allowPrivilegeEscalation, where).toBe(false);
          expect(sc.readOnlyRootFilesystem, where).toBe(true);
          expect(sc.capabilities?.drop, where).toContain('ALL');
          expect(sc.capabilities?.add ?? [], where).toEqual([]);
          // A read-only root filesystem needs somewhere to write temporary files.
          expect(
            c.volumeMounts.some((m: Any) => m.mountPath === '/tmp'),
            where,
          ).toBe(true);
        }
      }
    });

    it('give each stage an environment its service accepts: Kafka transport, the shared GCS blob store, the deployed analysis stages', () => {
      const { rendered, values } = get();
      const enabled = enabledStages(values);
      for (const stage of enabled) {
        const config = stageConfig(rendered, stage);
        expect(config.kafka.transport, stage).toBe('kafka');
        expect(config.kafka.schemaRegistry?.url).toBe(String(new URL((values.schemaRegistry as Any).url)));
        expect(config.pipeline.blobStore).toBe('gcs');
        expect(config.pipeline.blobBucket).toBe((values.blobStore as Any).bucket);
        expect(config.pipeline.expectedStages).toEqual(ANALYSIS_STAGES.filter((s) => enabled.includes(s)));
        expect(config.ai.modelCacheDir).toBe((values.models as Any).mountPath);
        if (config.app.environment === 'production' && stage === 'aggregator') expect(config.redis.url).toBeDefined();
        if (stage === 'llm') expect(config.openai.enabled).toBe(true);
        // The stages that hash identifiers start outside development only with MEDIA_AI_IDENTIFIER_KEY.
        if (stage === 'fetcher' || stage === 'ocr') expect(() => identifierKeyOf(config), stage).not.toThrow();
        // Exactly one stage sweeps expired photos from the shared bucket.
        expect(config.pipeline.blobSweepIntervalMs > 0, stage).toBe(stage === (values.blobStore as Any).sweep.stage);
      }
    });

    it('take secrets only by reference to existing Secrets, and give the API key to the llm stage alone', () => {
      const { rendered } = get();
      expect(objects(rendered, 'Secret')).toHaveLength(0);
      const secretish = /PASSWORD|API_KEY|SECRET|(^|_)TOKENS?$|CREDENTIALS_JSON|SASL_USERNAME|REDIS_URL/;
      for (const cm of objects(rendered, 'ConfigMap') as Any[]) {
        for (const key of Object.keys(cm.data)) {
          if (key === 'REDIS_URL') expect(cm.data[key], 'a REDIS_URL in a ConfigMap carries no password').not.toMatch(/:[^/@]*@/);
          else expect(key).not.toMatch(secretish);
        }
      }
      for (const { owner, spec } of podSpecs(rendered)) {
        for (const c of [...(spec.initContainers ?? []), ...spec.containers]) {
          for (const e of c.env ?? []) {
            if (secretish.test(e.name) && e.name !== 'REDIS_URL') expect(e.valueFrom?.secretKeyRef, `${owner} ${e.name}`).toBeDefined();
            if (e.name === 'OPENAI_API_KEY') expect(c.name, owner).toBe('llm');
            // The identifier key only where identifiers are hashed: the fetcher (post text) and ocr (photo text).
            if (e.name === 'MEDIA_AI_IDENTIFIER_KEY') expect(['fetcher', 'ocr'], owner).toContain(c.name);
          }
        }
      }
    });

    it("guard every stage's HTTP port with the API tokens Secret, probe only the public health routes, and rate-limit per client", () => {
      const { rendered, values } = get();
      const api = values.api as Any;
      for (const stage of enabledStages(values)) {
        const container = stageDeployment(rendered, stage).spec.template.spec.containers[0];
        const tokens = (container.env as Any[]).find((e) => e.name === 'MEDIA_AI_API_TOKENS');
        expect(tokens?.valueFrom?.secretKeyRef, stage).toEqual({ name: api.existingSecret, key: api.tokensKey });
        const config = stageConfig(rendered, stage);
        expect(config.server.apiTokens.map((t) => t.name)).toEqual([api.existingSecret]);
        expect(config.server.rateLimit).toEqual({ perMinute: api.rateLimit.perMinute, perHour: api.rateLimit.perHour });
        // Probes carry no token: only these routes answer without one.
        for (const probe of ['startupProbe', 'livenessProbe', 'readinessProbe']) {
          expect(['/api/v1/health/live', '/api/v1/health/ready'], `${stage} ${probe}`).toContain(container[probe].httpGet.path);
        }
      }
    });

    it('fill and verify the model cache before a model stage serves, and never let the serving container download', () => {
      const { rendered, values } = get();
      for (const stage of enabledStages(values)) {
        const s = stageValues(values, stage);
        const pod = stageDeployment(rendered, stage).spec.template.spec;
        const main = pod.containers.find((c: Any) => c.name === stage);
        const modelInits = (pod.initContainers ?? []).filter((c: Any) => c.name === 'models');
        if (!s.models) {
          expect(modelInits, stage).toEqual([]);
          continue;
        }
        expect(modelInits).toHaveLength(1);
        // First: the model cache is filled before anything else of the pod starts.
        expect(pod.initContainers[0].name).toBe('models');
        const init = modelInits[0];
        expect(init.command).toEqual(['node', '/app/bin/media-ai.js', 'models']);
        expect(init.image).toBe(main.image);
        const initEnv = Object.fromEntries(init.env.map((e: Any) => [e.name, e.value]));
        expect(initEnv.AI_MODEL_CACHE_DIR).toBe((values.models as Any).mountPath);
        // The init container needs no Kafka settings: loading its configuration must not fail on them.
        expect(init.envFrom).toBeUndefined();
        expect(() => loadConfig(initEnv, { cwd: '/app', cpuCount: 1 })).not.toThrow();
        const initMount = init.volumeMounts.find((m: Any) => m.name === 'model-cache');
        const mainMount = main.volumeMounts.find((m: Any) => m.name === 'model-cache');
        expect(initMount.readOnly ?? false).toBe(false);
        expect(mainMount).toMatchObject({ mountPath: initMount.mountPath, readOnly: true });
        expect(main.env.some((e: Any) => e.name === 'AI_MODEL_SOURCE')).toBe(false);
        const volume = pod.volumes.find((v: Any) => v.name === 'model-cache');
        const persistence = (values.models as Any).cache.persistence;
        if (persistence.enabled) {
          expect(volume.persistentVolumeClaim.claimName).toBeDefined();
          if (!persistence.existingClaim) one(rendered, 'PersistentVolumeClaim', volume.persistentVolumeClaim.claimName);
        } else {
          expect(volume.emptyDir).toBeDefined();
          expect(objects(rendered, 'PersistentVolumeClaim')).toHaveLength(0);
        }
      }
    });

    it('scan photos in the fetcher before decoding: clamd beside it (answering before the fetcher starts) or a shared clamd', () => {
      const { rendered, values } = get();
      const scan = values.malwareScan as Any;
      const pod = stageDeployment(rendered, 'fetcher').spec.template.spec;
      const config = stageConfig(rendered, 'fetcher');
      expect(config.malwareScan.enabled).toBe(scan.enabled);
      const clamav = (pod.initContainers ?? []).filter((c: Any) => ['clamav-db', 'freshclam', 'clamd'].includes(c.name));
      if (!scan.enabled || !scan.sidecar.enabled) {
        expect(clamav).toEqual([]);
        if (scan.enabled) expect(config.malwareScan.clamd).toEqual({ host: scan.host, port: scan.port });
        return;
      }
      expect(config.malwareScan.clamd).toEqual({ host: '127.0.0.1', port: scan.port });
      expect(config.malwareScan.timeoutMs).toBe(scan.timeoutSeconds * 1000);
      // The signatures first (a one-off init), then the two sidecars; clamd's startup probe gates the fetcher.
      expect(clamav.map((c: Any) => [c.name, c.restartPolicy])).toEqual([
        ['clamav-db', undefined],
        ['freshclam', 'Always'],
        ['clamd', 'Always'],
      ]);
      const clamd = clamav[2];
      const freshclamConf = clamav[1].command.find((a: string) => a.startsWith('--config-file=')).slice('--config-file='.length);
      const clamdConf = clamd.command.find((a: string) => a.startsWith('--config-file=')).slice('--config-file='.length);
      expect(clamd.startupProbe.exec.command).toEqual(['clamdscan', `--config-file=${clamdConf}`, '--ping=1']);
      expect(clamd.startupProbe.periodSeconds * clamd.startupProbe.failureThreshold).toBeGreaterThanOrEqual(300);
      expect(clamd.resources.limits.memory).toBeDefined();
      expect(clamd.livenessProbe.exec.command).toEqual(clamd.startupProbe.exec.command);
      // The files the commands name are the ConfigMap's, mounted where they look.
      const configVolume = pod.volumes.find((v: Any) => v.configMap && clamd.volumeMounts.some((m: Any) => m.name === v.name));
      const mount = clamd.volumeMounts.find((m: Any) => m.name === configVolume.name);
      const files = one(rendered, 'ConfigMap', configVolume.configMap.name).data as Record<string, string>;
      const directives = (text: string) =>
        Object.fromEntries(
          text
            .split('\n')
            .filter((l) => l.trim() && !l.startsWith('#'))
            .map((l) => [l.split(' ')[0], l.split(' ').slice(1).join(' ')]),
        );
      const clamdSettings = directives(files[path.relative(mount.mountPath, clamdConf)]!);
      const freshclamSettings = directives(files[path.relative(mount.mountPath, freshclamConf)]!);
      expect(clamdSettings).toMatchObject({ TCPAddr: '127.0.0.1', TCPSocket: String(scan.port), DatabaseDirectory: '/var/lib/clamav' });
      // Every photo the fetcher accepts (MAX_IMAGE_SIZE) can be streamed whole.
      expect(Number(clamdSettings.StreamMaxLength)).toBeGreaterThanOrEqual(config.photos.maxImageBytes);
      expect(freshclamSettings).toMatchObject({ NotifyClamd: clamdConf, DatabaseDirectory: '/var/lib/clamav' });
      if (scan.sidecar.freshclam.privateMirror) expect(freshclamSettings.PrivateMirror).toBe(scan.sidecar.freshclam.privateMirror);
      for (const c of clamav) expect(c.volumeMounts.find((m: Any) => m.mountPath === '/var/lib/clamav').name).toBe('clamav-db');
      // No other stage scans or carries clamd.
      for (const stage of enabledStages(values).filter((s) => s !== 'fetcher')) {
        expect(stageConfig(rendered, stage).malwareScan.clamd).toEqual({ host: '127.0.0.1', port: 3310 });
        const others = stageDeployment(rendered, stage).spec.template.spec.initContainers ?? [];
        expect(others.map((c: Any) => c.name)).not.toContain('clamd');
      }
    });

    it('register the Avro schemas in a pre-install/pre-upgrade hook that needs nothing the release creates', () => {
      const { rendered } = get();
      const jobs = objects(rendered, 'Job') as Any[];
      expect(jobs).toHaveLength(1);
      const job = jobs[0];
      expect(job.metadata.annotations['helm.sh/hook']).toBe('pre-install,pre-upgrade');
      expect(job.metadata.annotations['helm.sh/hook-delete-policy']).toContain('before-hook-creation');
      const pod = job.spec.template.spec;
      expect(pod.restartPolicy).toBe('Never');
      expect(pod.serviceAccountName).toBeUndefined();
      const [container] = pod.containers;
      expect(container.command).toEqual(['node', '/app/bin/media-ai.js', 'schemas', 'register']);
      expect(container.envFrom).toBeUndefined();
      const env = containerEnv(rendered, container);
      expect(() => loadConfig(env, { cwd: '/app', cpuCount: 1 }).kafka.schemaRegistry).not.toThrow();
      expect(loadConfig(env, { cwd: '/app', cpuCount: 1 }).kafka.schemaRegistry).toBeDefined();
    });

    it('isolate every stage with a NetworkPolicy that admits only its health/metrics port', () => {
      const { rendered, values } = get();
      const policies = objects(rendered, 'NetworkPolicy') as Any[];
      expect(policies.map(stageOf).sort()).toEqual([...enabledStages(values)].sort());
      for (const policy of policies) {
        expect(policy.spec.policyTypes).toEqual(['Ingress', 'Egress']);
        expect(policy.spec.ingress).toHaveLength(1);
        expect(policy.spec.ingress[0].ports).toEqual([{ port: 'http', protocol: 'TCP' }]);
        expect(policy.spec.egress[0].ports.map((p: Any) => p.port)).toEqual([53, 53]);
      }
    });

    it('monitor the stages with a ServiceMonitor only where the Prometheus operator is installed', () => {
      const { rendered, set } = get();
      const monitors = objects(rendered, 'ServiceMonitor') as Any[];
      expect(monitors).toHaveLength(set.apiVersions.includes(PROMETHEUS_OPERATOR) ? 1 : 0);
      for (const m of monitors) {
        expect(m.spec.endpoints).toEqual([expect.objectContaining({ port: 'http', path: '/metrics' })]);
        for (const service of objects(rendered, 'Service')) expect(service.metadata.labels).toMatchObject(m.spec.selector.matchLabels);
      }
    });

    it('render NOTES.txt naming every stage and its scaling', () => {
      const { rendered, values } = get();
      if (rendered.notes === null) return; // `helm template` does not print NOTES
      for (const stage of STAGES) expect(rendered.notes).toMatch(new RegExp(`^  ${stage}\\s`, 'm'));
      expect(rendered.notes).toContain(
        enabledStages(values)
          .filter((s) => (ANALYSIS_STAGES as readonly string[]).includes(s))
          .join(','),
      );
    });
  });

  it('by default: CPU only, the llm stage off, nothing secret in values.yaml', () => {
    const { rendered } = renders.get('defaults')!;
    for (const { owner, spec } of podSpecs(rendered)) {
      for (const c of spec.containers) {
        expect(JSON.stringify(c.resources), owner).not.toContain('nvidia.com/gpu');
        expect(c.image, owner).not.toMatch(/-cuda$/);
      }
      expect(spec.nodeSelector, owner).toBeUndefined();
    }
    expect(stageConfig(rendered, 'detector').ai.enableGpu).toBe(false);
    expect(objects(rendered, 'Deployment').map(stageOf)).not.toContain('llm');
    // Defaults never hold a credential: every secret is referenced by an (empty) Secret name.
    const defaults = chartDefaults();
    const leaks: string[] = [];
    const walk = (value: unknown, at: string) => {
      if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) walk(v, at ? `${at}.${k}` : k);
      else if (/existingSecret$/.test(at) && value !== '') leaks.push(at);
      else if (typeof value === 'string' && value !== '' && /(password|apikey|secret|token)$/i.test(at)) leaks.push(at);
    };
    walk(defaults, '');
    expect(leaks).toEqual([]);
  });

  it("with the GPU detector: nvidia.com/gpu limit, AI_ENABLE_GPU, the CUDA image and the guide's node selector and tolerations", () => {
    const { rendered } = renders.get('GPU detector')!;
    const pod = stageDeployment(rendered, 'detector').spec.template.spec;
    const container = pod.containers[0];
    expect(container.resources.limits['nvidia.com/gpu']).toBe(1);
    expect(container.image).toMatch(/^media-ai-detector:.+-cuda$/);
    expect(stageConfig(rendered, 'detector').ai.enableGpu).toBe(true);
    expect(pod.nodeSelector).toEqual({ 'workload-type': 'ai-compute' });
    expect(pod.tolerations).toContainEqual({ key: 'ai-compute', operator: 'Equal', value: 'true', effect: 'NoSchedule' });
    for (const stage of ['fetcher', 'ocr', 'aggregator']) {
      const other = stageDeployment(rendered, stage).spec.template.spec;
      expect(other.nodeSelector, stage).toBeUndefined();
      expect(JSON.stringify(other.containers[0].resources)).not.toContain('nvidia.com/gpu');
    }
  });

  it("in production: KEDA reads the lag over SASL_SSL with the stages' Secret, and the llm pods share the account quota", () => {
    const { rendered, values } = renders.get('production')!;
    const auths = objects(rendered, 'TriggerAuthentication') as Any[];
    expect(auths).toHaveLength(1);
    const sasl = (values.kafka as Any).sasl;
    expect(auths[0].spec.secretTargetRef).toEqual([
      { parameter: 'username', name: sasl.existingSecret, key: sasl.usernameKey },
      { parameter: 'password', name: sasl.existingSecret, key: sasl.passwordKey },
    ]);
    for (const so of objects(rendered, 'ScaledObject') as Any[]) {
      for (const t of so.spec.triggers) {
        expect(t.authenticationRef.name).toBe(auths[0].metadata.name);
        expect(t.metadata).toMatchObject({ sasl: 'plaintext', tls: 'enable' });
      }
    }
    const llm = stageConfig(rendered, 'llm');
    const maxLlm = stageValues(values, 'llm').autoscaling.maxReplicas as number;
    const quota = (values.openai as Any).quota;
    expect(llm.openai.maxRequestsPerMinute * maxLlm).toBeLessThanOrEqual(quota.requestsPerMinute);
    expect(llm.openai.maxTokensPerMinute * maxLlm).toBeLessThanOrEqual(quota.tokensPerMinute);
    expect(llm.openai.maxRequestsPerMinute).toBe(Math.floor(quota.requestsPerMinute / maxLlm));
    // OCR workers follow the pod's CPU limit (2500m), not the node's core count.
    expect(stageConfig(rendered, 'ocr').ai.ocr.workers).toBe(3);
    expect(stageConfig(rendered, 'detector').kafka.sasl).toMatchObject({ mechanism: 'PLAIN' });
    const gcp = stageDeployment(rendered, 'fetcher').spec.template.spec.volumes.find((v: Any) => v.name === 'gcp-credentials');
    expect(gcp.secret.secretName).toBe((values.gcs as Any).credentials.existingSecret);
    expect(stageConfig(rendered, 'fetcher').gcs.credentialsFile).toMatch(/^\/var\/run\/secrets\/media-ai\/gcp\//);
  });

  it('without KEDA: an HPA per autoscaled stage and a fixed size for the rest', () => {
    const { rendered } = renders.get('KEDA off')!;
    expect(objects(rendered, 'ScaledObject')).toHaveLength(0);
    expect(objects(rendered, 'HorizontalPodAutoscaler').map(stageOf).sort()).toEqual(['aggregator', 'detector', 'fetcher']);
    expect(stageDeployment(rendered, 'ocr').spec.replicas).toBe(4);
  });

  describe('refuses settings that cannot work, with the reason', () => {
    const minimal = () => path.join(CI, 'default-values.yaml');

    it('the chart defaults alone: the Kafka bootstrap servers are required', async () => {
      await expectRenderFailure({}, /kafka\.bootstrapServers is required/);
    });

    it('more replicas than partitions', async () => {
      await expectRenderFailure(
        { valueFiles: [minimal()], values: { stages: { detector: { autoscaling: { maxReplicas: 12 } } } } },
        /stages\.detector: 12 replicas at most is more than the 6 partitions/,
      );
      await expectRenderFailure(
        {
          valueFiles: [minimal()],
          values: { kafka: { postsEventsPartitions: 3 }, stages: { fetcher: { autoscaling: { enabled: false }, replicas: 4 } } },
        },
        /stages\.fetcher: 4 replicas at most is more than the 3 partitions/,
      );
    });

    it('SASL without a Secret, the llm stage without a key, an aggregator scaled to zero, no Redis, API tokens or identifier key in production', async () => {
      await expectRenderFailure(
        { valueFiles: [minimal()], values: { kafka: { securityProtocol: 'SASL_SSL' } } },
        /kafka\.sasl\.existingSecret is required/,
      );
      await expectRenderFailure({ valueFiles: [minimal()], values: { stages: { llm: { enabled: true } } } }, /openai\.existingSecret/);
      await expectRenderFailure(
        { valueFiles: [minimal()], values: { stages: { aggregator: { autoscaling: { minReplicas: 0 } } } } },
        /aggregator\.autoscaling\.minReplicas must be at least 1/,
      );
      await expectRenderFailure(
        { valueFiles: [minimal()], values: { redis: { url: '' } } },
        /redis\.url or redis\.existingSecret is required/,
      );
      await expectRenderFailure(
        { valueFiles: [minimal()], values: { api: { existingSecret: '' } } },
        /api\.existingSecret is required in production/,
      );
      await expectRenderFailure(
        { valueFiles: [minimal()], values: { identifierKey: { existingSecret: '' } } },
        /identifierKey\.existingSecret is required in production/,
      );
    });

    it('malware scanning without the sidecar and without a clamd host', async () => {
      await expectRenderFailure(
        { valueFiles: [minimal()], values: { malwareScan: { sidecar: { enabled: false } } } },
        /malwareScan\.host is required when malwareScan\.sidecar\.enabled is false/,
      );
    });

    it('values.schema.json rejects a misspelled key and a wrong type', () => {
      const typo = mergedValues([minimal()], { stages: { detector: { gpuu: { enabled: true } } } });
      expect(schemaProblems(typo).join('\n')).toMatch(/stages\/detector .*gpuu/);
      const wrongType = mergedValues([minimal()], { kafka: { partitions: 'six' } });
      expect(schemaProblems(wrongType).join('\n')).toMatch(/kafka\/partitions must be integer/);
    });
  });

  it('documents every top-level value in the chart README', () => {
    const readme = readFileSync(path.join(CHART_DIR, 'README.md'), 'utf8');
    for (const key of Object.keys(chartDefaults())) expect(readme, key).toContain(`\`${key}`);
  });
});

const skipReason = SKIP_REASON;
if (skipReason !== null) {
  describe('charts/media-ai (skipped)', () => {
    it.skip(skipReason, () => undefined);
  });
}
