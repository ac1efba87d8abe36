/**
 * Test Kafka broker: the registry of implemented APIs, one entry per API key with the exact versions
 * its handler implements. ApiVersions advertises this list, so an API or version must never be added
 * here before its handler really speaks it.
 */
import type { ApiDefinition } from './api.js';
import { apiVersions } from './handlers/api-versions.js';
import { fetch } from './handlers/fetch.js';
import { findCoordinator } from './handlers/find-coordinator.js';
import { describeGroups, heartbeat, joinGroup, leaveGroup, listGroups, syncGroup } from './handlers/group-membership.js';
import { initProducerId } from './handlers/init-producer-id.js';
import { listOffsets } from './handlers/list-offsets.js';
import { metadata } from './handlers/metadata.js';
import { offsetCommit, offsetFetch } from './handlers/offset-commit.js';
import { produce } from './handlers/produce.js';
import { saslAuthenticate, saslHandshake } from './handlers/sasl.js';
import { createTopics, deleteTopics } from './handlers/topic-admin.js';

export const IMPLEMENTED_APIS: readonly ApiDefinition[] = [
  produce,
  fetch,
  listOffsets,
  metadata,
  offsetCommit,
  offsetFetch,
  findCoordinator,
  joinGroup,
  heartbeat,
  leaveGroup,
  syncGroup,
  describeGroups,
  listGroups,
  saslHandshake,
  apiVersions,
  createTopics,
  deleteTopics,
  initProducerId,
  saslAuthenticate,
];
