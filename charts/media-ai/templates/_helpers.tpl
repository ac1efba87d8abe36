{{/*
Names, labels and the per-stage facts every template shares.
*/}}

{{/* The pipeline's stages, in data-flow order. */}}
{{- define "media-ai.stageNames" -}}
fetcher detector ocr llm aggregator
{{- end }}

{{/* The analysis stages the aggregator waits for (libs/contracts ANALYSIS_STAGES). */}}
{{- define "media-ai.analysisStageNames" -}}
detector ocr llm
{{- end }}

{{/*
The topics each stage consumes (each service's Stage.inputs, libs/contracts TOPICS). The chart's
tests compare this table with the code, so a renamed topic cannot leave an autoscaler watching the
wrong one.
*/}}
{{- define "media-ai.stageInputs" -}}
fetcher: [posts.events]
detector: [media-ai.photos]
ocr: [media-ai.photos]
llm: [media-ai.photos]
aggregator: [media-ai.posts, media-ai.detections, media-ai.texts, media-ai.descriptions, media-ai.reviews]
{{- end }}

{{- define "media-ai.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "media-ai.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "media-ai.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Name of a stage's resources: dict "root" $ "stage" "detector". Kept under 53 characters for generated suffixes. */}}
{{- define "media-ai.stageFullname" -}}
{{- printf "%s-%s" (include "media-ai.fullname" .root | trunc 42 | trimSuffix "-") .stage }}
{{- end }}

{{- define "media-ai.selectorLabels" -}}
app.kubernetes.io/name: {{ include "media-ai.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "media-ai.labels" -}}
helm.sh/chart: {{ include "media-ai.chart" . }}
{{ include "media-ai.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: media-ai
{{- with .Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{/* dict "root" $ "stage" "detector" */}}
{{- define "media-ai.stageSelectorLabels" -}}
{{ include "media-ai.selectorLabels" .root }}
app.kubernetes.io/component: {{ .stage }}
{{- end }}

{{- define "media-ai.stageLabels" -}}
{{ include "media-ai.labels" .root }}
app.kubernetes.io/component: {{ .stage }}
{{- end }}

{{- define "media-ai.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "media-ai.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* The stage's image: dict "root" $ "stage" "detector" "values" $stageValues */}}
{{- define "media-ai.image" -}}
{{- $img := .root.Values.image }}
{{- $repo := printf "%s%s" $img.prefix .stage }}
{{- if $img.registry }}{{ $repo = printf "%s/%s" (trimSuffix "/" $img.registry) $repo }}{{ end }}
{{- $tag := default .root.Chart.AppVersion $img.tag }}
{{- $gpu := and (hasKey .values "gpu") .values.gpu.enabled }}
{{- if $gpu }}{{ $tag = printf "%s%s" $tag .values.gpu.imageTagSuffix }}{{ end }}
{{- if and $img.digest (not $gpu) }}
{{- printf "%s@%s" $repo $img.digest }}
{{- else }}
{{- printf "%s:%s" $repo $tag }}
{{- end }}
{{- end }}

{{/* The consumer group a stage's service joins: `<KAFKA_CONSUMER_GROUP_ID>.<stage>` (libs/runtime stage-service). */}}
{{- define "media-ai.consumerGroup" -}}
{{- printf "%s.%s" .root.Values.kafka.consumerGroupId .stage }}
{{- end }}

{{/* Partition count of the topics a stage reads: the most replicas that can do work. */}}
{{- define "media-ai.stagePartitions" -}}
{{- if eq .stage "fetcher" }}{{ .root.Values.kafka.postsEventsPartitions | int }}{{ else }}{{ .root.Values.kafka.partitions | int }}{{ end }}
{{- end }}

{{/* The most replicas a stage runs: the autoscaler's maximum, or its fixed replica count. */}}
{{- define "media-ai.stageMaxReplicas" -}}
{{- if .values.autoscaling.enabled }}{{ .values.autoscaling.maxReplicas | int }}{{ else }}{{ .values.replicas | int }}{{ end }}
{{- end }}

{{/* The analysis stages that are deployed: MEDIA_AI_EXPECTED_STAGES. */}}
{{- define "media-ai.expectedStages" -}}
{{- $on := list }}
{{- range (include "media-ai.analysisStageNames" . | splitList " ") }}
{{- if (index $.Values.stages .).enabled }}{{ $on = append $on . }}{{ end }}
{{- end }}
{{- join "," $on }}
{{- end }}

{{/* KEDA's name for the SASL mechanism. */}}
{{- define "media-ai.kedaSasl" -}}
{{- $m := .Values.kafka.sasl.mechanism }}
{{- if eq $m "SCRAM-SHA-256" }}scram_sha256{{ else if eq $m "SCRAM-SHA-512" }}scram_sha512{{ else }}plaintext{{ end }}
{{- end }}

{{- define "media-ai.saslEnabled" -}}
{{- if hasPrefix "SASL_" .Values.kafka.securityProtocol }}true{{ end }}
{{- end }}

{{- define "media-ai.tlsEnabled" -}}
{{- if or (eq .Values.kafka.securityProtocol "SSL") (eq .Values.kafka.securityProtocol "SASL_SSL") }}true{{ end }}
{{- end }}

{{- define "media-ai.modelCacheClaim" -}}
{{- default (printf "%s-model-cache" (include "media-ai.fullname" .)) .Values.models.cache.persistence.existingClaim }}
{{- end }}

{{/* Whether any enabled stage needs the model cache. */}}
{{- define "media-ai.anyModels" -}}
{{- range (include "media-ai.stageNames" . | splitList " ") }}
{{- $s := index $.Values.stages . }}
{{- if and $s.enabled $s.models }}true{{ end }}
{{- end }}
{{- end }}

{{/*
Settings that cannot work are refused at render time with the reason, instead of pods that
crash-loop. Included once, from the ConfigMap.
*/}}
{{- define "media-ai.validate" -}}
{{- $v := .Values }}
{{- $_ := required "kafka.bootstrapServers is required (KAFKA_BOOTSTRAP_SERVERS, host:port,...)" $v.kafka.bootstrapServers }}
{{- $_ := required "schemaRegistry.url is required (SCHEMA_REGISTRY_URL): stages look their schema ids up there" $v.schemaRegistry.url }}
{{- $_ := required "blobStore.bucket is required (MEDIA_AI_BLOB_BUCKET): the GCS bucket all stage pods share for normalized photos" $v.blobStore.bucket }}
{{- if and (include "media-ai.saslEnabled" .) (not $v.kafka.sasl.existingSecret) }}
{{- fail (printf "kafka.sasl.existingSecret is required when kafka.securityProtocol is %s" $v.kafka.securityProtocol) }}
{{- end }}
{{- if and $v.stages.aggregator.enabled (eq $v.environment "production") (not (or $v.redis.url $v.redis.existingSecret)) }}
{{- fail "redis.url or redis.existingSecret is required: the aggregator keeps its join state in Redis in production" }}
{{- end }}
{{- if and (eq $v.environment "production") (not $v.api.existingSecret) }}
{{- fail "api.existingSecret is required in production: a Secret with MEDIA_AI_API_TOKENS (name:token,...); the stages refuse to serve without tokens there" }}
{{- end }}
{{- if and $v.stages.llm.enabled (not (or $v.openai.existingSecret $v.openai.baseUrl)) }}
{{- fail "stages.llm.enabled needs openai.existingSecret (OPENAI_API_KEY) or openai.baseUrl (a self-hosted OpenAI-compatible server)" }}
{{- end }}
{{- if and (or $v.stages.fetcher.enabled $v.stages.ocr.enabled) (ne $v.environment "development") (not $v.identifierKey.existingSecret) }}
{{- fail (printf "identifierKey.existingSecret is required in %s: the fetcher and ocr stages publish identifiers only as hashes keyed by MEDIA_AI_IDENTIFIER_KEY, and refuse to start without it" $v.environment) }}
{{- end }}
{{- if not (include "media-ai.expectedStages" .) }}
{{- fail "enable at least one analysis stage (stages.detector, stages.ocr or stages.llm)" }}
{{- end }}
{{- if and $v.malwareScan.enabled (not $v.malwareScan.sidecar.enabled) (not $v.malwareScan.host) }}
{{- fail "malwareScan.host is required when malwareScan.sidecar.enabled is false: the clamd Service the fetchers scan photos with (CLAMAV_HOST)" }}
{{- end }}
{{- if and $v.blobStore.sweep.stage (not (has $v.blobStore.sweep.stage (include "media-ai.stageNames" . | splitList " "))) }}
{{- fail (printf "blobStore.sweep.stage %q is not a stage" $v.blobStore.sweep.stage) }}
{{- end }}
{{- range $stage := (include "media-ai.stageNames" . | splitList " ") }}
{{- $s := index $v.stages $stage }}
{{- if $s.enabled }}
{{- $ctx := dict "root" $ "stage" $stage "values" $s }}
{{- $partitions := include "media-ai.stagePartitions" $ctx | int }}
{{- $max := include "media-ai.stageMaxReplicas" $ctx | int }}
{{- if gt $max $partitions }}
{{- fail (printf "stages.%s: %d replicas at most is more than the %d partitions it reads; a consumer beyond the partition count sits idle (raise the partitions first)" $stage $max $partitions) }}
{{- end }}
{{- if $s.autoscaling.enabled }}
{{- if gt ($s.autoscaling.minReplicas | int) ($s.autoscaling.maxReplicas | int) }}
{{- fail (printf "stages.%s.autoscaling: minReplicas %d is above maxReplicas %d" $stage ($s.autoscaling.minReplicas | int) ($s.autoscaling.maxReplicas | int)) }}
{{- end }}
{{- if and (lt ($s.autoscaling.minReplicas | int) 1) (or (not $.Values.autoscaling.keda.enabled) (eq $stage "aggregator")) }}
{{- fail (printf "stages.%s.autoscaling.minReplicas must be at least 1%s" $stage (ternary " (its deadline timer publishes posts whose parts never came)" " (only KEDA scales to zero)" (eq $stage "aggregator"))) }}
{{- end }}
{{- end }}
{{- end }}
{{- end }}
{{- end }}

{{/* Whole CPUs in a quantity ("1500m" -> 2, "2" -> 2), at least 1: sizes worker pools to the pod, not the node. */}}
{{- define "media-ai.cpuCount" -}}
{{- $q := toString (default "1" .) }}
{{- if hasSuffix "m" $q }}{{ max 1 (div (add (trimSuffix "m" $q | int) 999) 1000) }}{{ else }}{{ max 1 (ceil (float64 $q) | int) }}{{ end }}
{{- end }}

{{/* Environment of a stage's container beyond the ConfigMap: its own settings and the secret references. dict "root" $ "stage" "llm" "values" $s */}}
{{- define "media-ai.stageEnv" -}}
{{- $root := .root }}
{{- $v := .root.Values }}
{{- $s := .values }}
- name: MEDIA_AI_BLOB_SWEEP_INTERVAL_MINUTES
  value: {{ ternary ($v.blobStore.sweep.intervalMinutes | int | toString) "0" (eq $v.blobStore.sweep.stage .stage) | quote }}
{{- if eq .stage "detector" }}
- name: AI_ENABLE_GPU
  value: {{ ternary "true" "false" (and (hasKey $s "gpu") $s.gpu.enabled | default false) | quote }}
{{- end }}
{{- if eq .stage "fetcher" }}
{{- $m := $v.malwareScan }}
- name: SCAN_FOR_MALWARE
  value: {{ ternary "true" "false" $m.enabled | quote }}
{{- if $m.enabled }}
- name: CLAMAV_HOST
  value: {{ ternary "127.0.0.1" $m.host $m.sidecar.enabled | quote }}
- name: CLAMAV_PORT
  value: {{ $m.port | int | quote }}
- name: CLAMAV_TIMEOUT
  value: {{ $m.timeoutSeconds | int | quote }}
{{- end }}
{{- end }}
{{- if and (eq .stage "ocr") (not (hasKey $s.env "OCR_WORKERS")) }}
- name: OCR_WORKERS
  value: {{ include "media-ai.cpuCount" (dig "limits" "cpu" (dig "requests" "cpu" "1" $s.resources) $s.resources) | quote }}
{{- end }}
{{- if eq .stage "llm" }}
{{- $max := include "media-ai.stageMaxReplicas" . | int }}
- name: OPENAI_MODEL
  value: {{ $v.openai.model | quote }}
- name: OPENAI_IMAGE_DETAIL
  value: {{ $v.openai.imageDetail | quote }}
- name: OPENAI_MAX_REQUESTS_PER_MINUTE
  value: {{ max 1 (div ($v.openai.quota.requestsPerMinute | int) $max) | quote }}
- name: OPENAI_MAX_TOKENS_PER_MINUTE
  value: {{ max 1 (div ($v.openai.quota.tokensPerMinute | int) $max) | quote }}
{{- with $v.openai.baseUrl }}
- name: OPENAI_BASE_URL
  value: {{ . | quote }}
{{- end }}
{{- with $v.openai.existingSecret }}
- name: OPENAI_API_KEY
  valueFrom:
    secretKeyRef: { name: {{ . | quote }}, key: {{ $v.openai.apiKeyKey | quote }} }
{{- end }}
{{- end }}
{{- if and (or (eq .stage "fetcher") (eq .stage "ocr")) $v.identifierKey.existingSecret }}
- name: MEDIA_AI_IDENTIFIER_KEY
  valueFrom:
    secretKeyRef: { name: {{ $v.identifierKey.existingSecret | quote }}, key: {{ $v.identifierKey.key | quote }} }
{{- end }}
{{- if include "media-ai.saslEnabled" $root }}
- name: KAFKA_SASL_USERNAME
  valueFrom:
    secretKeyRef: { name: {{ $v.kafka.sasl.existingSecret | quote }}, key: {{ $v.kafka.sasl.usernameKey | quote }} }
- name: KAFKA_SASL_PASSWORD
  valueFrom:
    secretKeyRef: { name: {{ $v.kafka.sasl.existingSecret | quote }}, key: {{ $v.kafka.sasl.passwordKey | quote }} }
{{- end }}
{{- include "media-ai.schemaRegistryEnv" $root }}
{{- with $v.api.existingSecret }}
- name: MEDIA_AI_API_TOKENS
  valueFrom:
    secretKeyRef: { name: {{ . | quote }}, key: {{ $v.api.tokensKey | quote }} }
{{- end }}
{{- with $v.redis.existingSecret }}
- name: REDIS_URL
  valueFrom:
    secretKeyRef: { name: {{ . | quote }}, key: {{ $v.redis.urlKey | quote }} }
{{- end }}
{{- if $v.gcs.credentials.existingSecret }}
- name: GOOGLE_APPLICATION_CREDENTIALS
  value: {{ printf "/var/run/secrets/media-ai/gcp/%s" $v.gcs.credentials.key | quote }}
{{- end }}
{{- range $name, $value := $s.env }}
- name: {{ $name }}
  value: {{ $value | toString | quote }}
{{- end }}
{{- end }}

{{- define "media-ai.schemaRegistryEnv" -}}
{{- with .Values.schemaRegistry.existingSecret }}
- name: SCHEMA_REGISTRY_USERNAME
  valueFrom:
    secretKeyRef: { name: {{ . | quote }}, key: {{ $.Values.schemaRegistry.usernameKey | quote }} }
- name: SCHEMA_REGISTRY_PASSWORD
  valueFrom:
    secretKeyRef: { name: {{ . | quote }}, key: {{ $.Values.schemaRegistry.passwordKey | quote }} }
{{- end }}
{{- end }}

{{/* Whether a stage runs clamd beside it: the fetcher, when it scans and no shared clamd is named. dict "root" $ "stage" "fetcher" */}}
{{- define "media-ai.clamdSidecar" -}}
{{- $m := .root.Values.malwareScan }}
{{- if and (eq .stage "fetcher") $m.enabled $m.sidecar.enabled }}true{{ end }}
{{- end }}

{{/* Where clamd's files are mounted in the clamav containers. */}}
{{- define "media-ai.clamavConfigDir" -}}/etc/media-ai-clamav{{- end }}

{{/*
The clamav containers of a fetcher pod, in start order: a one-off freshclam that downloads the
signatures (clamd refuses to start without them), freshclam as a sidecar that keeps them current and
tells clamd to reload, and clamd as a sidecar whose startup probe the fetcher waits for. Native
sidecars (restartPolicy Always) stay up as long as the fetcher and stop after it.
dict "root" $ "stage" "fetcher"
*/}}
{{- define "media-ai.clamavContainers" -}}
{{- $v := .root.Values }}
{{- $sc := $v.malwareScan.sidecar }}
{{- $image := printf "%s:%s" $sc.image.repository $sc.image.tag }}
{{- $conf := include "media-ai.clamavConfigDir" .root }}
{{- $mounts := list (dict "name" "clamav-db" "mountPath" "/var/lib/clamav") (dict "name" "clamav-tmp" "mountPath" "/tmp") (dict "name" "clamav-config" "mountPath" $conf "readOnly" true) }}
- name: clamav-db
  image: {{ $image | quote }}
  imagePullPolicy: {{ $sc.image.pullPolicy }}
  command: ["freshclam", "--foreground", "--stdout", "--config-file={{ $conf }}/freshclam.conf"]
  securityContext:
    {{- toYaml $v.containerSecurityContext | nindent 4 }}
  resources:
    {{- toYaml $sc.freshclam.resources | nindent 4 }}
  volumeMounts:
    {{- toYaml $mounts | nindent 4 }}
- name: freshclam
  image: {{ $image | quote }}
  imagePullPolicy: {{ $sc.image.pullPolicy }}
  restartPolicy: Always
  command:
    - freshclam
    - --daemon
    - --foreground
    - --stdout
    - --checks={{ $sc.freshclam.checksPerDay | int }}
    - --config-file={{ $conf }}/freshclam.conf
  securityContext:
    {{- toYaml $v.containerSecurityContext | nindent 4 }}
  resources:
    {{- toYaml $sc.freshclam.resources | nindent 4 }}
  volumeMounts:
    {{- toYaml $mounts | nindent 4 }}
- name: clamd
  image: {{ $image | quote }}
  imagePullPolicy: {{ $sc.image.pullPolicy }}
  restartPolicy: Always
  command: ["clamd", "--foreground", "--config-file={{ $conf }}/clamd.conf"]
  {{- $ping := list "clamdscan" (printf "--config-file=%s/clamd.conf" $conf) "--ping=1" }}
  startupProbe:
    exec: { command: {{ toJson $ping }} }
    periodSeconds: {{ $sc.startupProbe.periodSeconds | int }}
    timeoutSeconds: {{ $sc.startupProbe.timeoutSeconds | int }}
    failureThreshold: {{ $sc.startupProbe.failureThreshold | int }}
  livenessProbe:
    exec: { command: {{ toJson $ping }} }
    periodSeconds: 30
    timeoutSeconds: 10
    failureThreshold: 3
  securityContext:
    {{- toYaml $v.containerSecurityContext | nindent 4 }}
  resources:
    {{- toYaml $sc.resources | nindent 4 }}
  volumeMounts:
    {{- toYaml $mounts | nindent 4 }}
{{- end }}

{{/* The volumes of the clamav containers. */}}
{{- define "media-ai.clamavVolumes" -}}
- name: clamav-db
  emptyDir:
    sizeLimit: {{ .Values.malwareScan.sidecar.databaseSizeLimit }}
- name: clamav-tmp
  emptyDir:
    sizeLimit: {{ .Values.tmpSizeLimit }}
- name: clamav-config
  configMap:
    name: {{ include "media-ai.fullname" . }}-clamav
{{- end }}
