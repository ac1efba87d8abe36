/**
 * Validates rendered objects against the Kubernetes OpenAPI schemas (kubernetes-models) and the
 * KEDA and prometheus-operator CRD schemas. A kind the chart renders must be listed here: an
 * object no schema checks is reported as an error, never passed silently.
 *
 * Limitation, inherited from the model packages: their validators ignore fields the schema does
 * not know (a misspelled key passes), so the chart tests assert the fields that matter directly.
 */
import { Deployment } from 'kubernetes-models/apps/v1';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { Job } from 'kubernetes-models/batch/v1';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { ConfigMap, PersistentVolumeClaim, Secret, Service, ServiceAccount } from 'kubernetes-models/v1';
import { ScaledObject, TriggerAuthentication } from '@kubernetes-models/keda/keda.sh/v1alpha1';
import { ServiceMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1';
import type { K8sObject } from './render-chart.js';

interface Validating {
  validate(): void;
}
type ModelClass = new (data: never) => Validating;

const MODELS: Record<string, ModelClass> = {
  'v1/ConfigMap': ConfigMap as unknown as ModelClass,
  'v1/Secret': Secret as unknown as ModelClass,
  'v1/Service': Service as unknown as ModelClass,
  'v1/ServiceAccount': ServiceAccount as unknown as ModelClass,
  'v1/PersistentVolumeClaim': PersistentVolumeClaim as unknown as ModelClass,
  'apps/v1/Deployment': Deployment as unknown as ModelClass,
  'batch/v1/Job': Job as unknown as ModelClass,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler as unknown as ModelClass,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget as unknown as ModelClass,
  'networking.k8s.io/v1/NetworkPolicy': NetworkPolicy as unknown as ModelClass,
  'keda.sh/v1alpha1/ScaledObject': ScaledObject as unknown as ModelClass,
  'keda.sh/v1alpha1/TriggerAuthentication': TriggerAuthentication as unknown as ModelClass,
  'monitoring.coreos.com/v1/ServiceMonitor': ServiceMonitor as unknown as ModelClass,
};

/** Kubernetes object names: DNS-1123 subdomain (labels for Services), as the API server checks them. */
const DNS_1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Problems with one object; empty when its schema accepts it. */
export function validateObject(object: K8sObject): string[] {
  const key = `${object.apiVersion}/${object.kind}`;
  const Model = MODELS[key];
  const where = `${object.kind}/${object.metadata?.name ?? '(no name)'}`;
  if (!Model) return [`${where}: no schema registered for ${key} (add its model to kube-models.ts)`];
  const problems: string[] = [];
  try {
    new Model(object as never).validate();
  } catch (error) {
    problems.push(`${where}: ${(error as Error).message}`);
  }
  const name = object.metadata?.name ?? '';
  const nameRule = object.kind === 'Service' ? DNS_1123_LABEL : DNS_1123_SUBDOMAIN;
  if (!nameRule.test(name) || name.length > (object.kind === 'Service' ? 63 : 253)) problems.push(`${where}: invalid object name`);
  for (const [label, value] of Object.entries(object.metadata?.labels ?? {})) {
    if (value.length > 63 || !/^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/.test(value))
      problems.push(`${where}: label ${label}=${value} is not a valid label value`);
  }
  return problems;
}
