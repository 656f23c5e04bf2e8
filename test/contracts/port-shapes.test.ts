// Every implementation is assigned to its core port type, and the vocabulary
// types that still have a second name outside core are checked equal, so
// `npm run typecheck` (tsc over test/) fails the moment either side drifts.
// The runtime tests check what types cannot: the numeric values of FieldType
// (one definition, core/field-type.ts), which the parser stores in a
// Uint8Array.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { FIELD_TYPE_NAMES, FieldType, fieldTypeName, fieldTypeOf, type FieldTypeName } from '../../src/core/field-type.ts';
import type { DeviceEvent } from '../../src/core/device-event.ts';
import type { Collection } from '../../src/core/ports/collection.ts';
import type { DeliveryQueue } from '../../src/core/ports/delivery-queue.ts';
import type { EventBus } from '../../src/core/ports/event-bus.ts';
import type { Module } from '../../src/core/ports/module.ts';
import type { DroppedPoint, PointStore, RefusedLine, WriteResult } from '../../src/core/ports/point-store.ts';
import type { SchemaReader } from '../../src/core/ports/schema-reader.ts';
import type { SqlSource } from '../../src/core/ports/sql-source.ts';
import type { DuckCollection } from '../../src/events/collection.ts';
import type { TemplateEvent } from '../../src/templates/event-context.ts';
import { LocalEventBus } from '../../src/events/event-bus.ts';
import type { NatsCollection } from '../../src/events/nats-collection.ts';
import type { NatsHub } from '../../src/events/nats-hub.ts';
import type { createExplorer } from '../../src/explorer/index.ts';
import type { LineError } from '../../src/ingest/line-protocol/batch.ts';
import type { NatsDeliveryQueue } from '../../src/integrations/nats-delivery-queue.ts';
import type { LocalDelivery, WalDeliveryQueue } from '../../src/integrations/wal-delivery-queue.ts';
import type { MemoryPointStore } from '../../src/storage/memory/memory-point-store.ts';
import type { ParquetPointStore } from '../../src/storage/parquet-point-store.ts';
import type { WriteOutcome } from '../../src/storage/store.ts';
import type { Drop } from '../../src/storage/write/plan-write.ts';

/** True only when A and B are the same type (not merely assignable). */
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type Extends<A, B> = [A] extends [B] ? true : false;
/** Compiles only when every entry is `true`. */
type Check<T extends Record<string, true>> = T;

interface Doc {
  id: string;
}

export type Checks = Check<{
  // vocabulary: one definition each, whichever file it is imported from today
  // DeviceEvent is TemplateEvent plus orgId and internal: templates render every event
  deviceEventOut: Extends<DeviceEvent, TemplateEvent & { orgId: string; internal: boolean }>;
  deviceEventIn: Extends<TemplateEvent & { orgId: string; internal: boolean }, DeviceEvent>;
  fieldTypeName: Equal<FieldTypeName, (typeof FIELD_TYPE_NAMES)[number]>;
  // every implementation satisfies its core port
  localEventBus: Extends<LocalEventBus, EventBus>;
  natsEventBus: Extends<NatsHub['bus'], EventBus>;
  duckCollection: Extends<DuckCollection<Doc>, Collection<Doc>>;
  natsCollection: Extends<NatsCollection<Doc>, Collection<Doc>>;
  walQueue: Extends<WalDeliveryQueue, DeliveryQueue<LocalDelivery>>;
  natsQueue: Extends<NatsDeliveryQueue, DeliveryQueue>;
  // modules are core Modules (http/concern.ts's Concern is gone)
  module: Extends<Awaited<ReturnType<typeof createExplorer>>, Module<FastifyInstance>>;
  memoryStore: Extends<MemoryPointStore, PointStore & SchemaReader & SqlSource>;
  parquetStore: Extends<ParquetPointStore, PointStore & SchemaReader & SqlSource>;
  // the store's outcome is the port's result, so Store can implement PointStore directly after the moves
  writeOutcome: Extends<WriteOutcome, WriteResult>;
  lineError: Extends<LineError, RefusedLine>;
  drop: Equal<Drop, DroppedPoint>;
}>;

test('core FieldType has the numeric values the parser stores (the one definition; WAL and Parquet bytes depend on them)', () => {
  const pairs: Array<[FieldType, number]> = [
    [FieldType.Float, 0],
    [FieldType.Integer, 1],
    [FieldType.Unsigned, 2],
    [FieldType.String, 3],
    [FieldType.Boolean, 4],
  ];
  for (const [core, stored] of pairs) assert.equal(core as number, stored);
  assert.deepEqual([...FIELD_TYPE_NAMES], ['float', 'integer', 'unsigned', 'string', 'boolean']);
  for (const name of FIELD_TYPE_NAMES) assert.equal(fieldTypeName(fieldTypeOf(name)), name);
});

test('an implementation typed as its core port works through it (LocalEventBus as EventBus)', async () => {
  const bus: EventBus = new LocalEventBus();
  const seen: string[] = [];
  const off = bus.subscribe((ev) => seen.push(ev.id));
  const ev: DeviceEvent = { id: 'e1', name: 'n', data: null, coreid: 'c', publishedAt: new Date(0).toISOString(), ttl: 60, public: false, orgId: 'o', internal: false };
  bus.publish(ev);
  off();
  bus.publish({ ...ev, id: 'e2' });
  assert.deepEqual(seen, ['e1']);
  await bus.close();
});
