// The event record every part of the hub passes around (reference §5.1,
// §5.2): what a device, the API or the cloud itself published, stamped on
// arrival. The ports (event bus, delivery queue) speak of it, so it belongs to
// core.
//
// Today's definition is events/event.ts's DeviceEvent (TemplateEvent plus
// orgId and internal), imported back by integrations/ and templates/. This is
// the same shape, field for field: the implementations that take theirs
// satisfy the ports that take this one, and issue 11's move is an import path
// change. test/contracts/port-shapes.test.ts fails if the two drift apart.

export interface DeviceEvent {
  id: string;
  name: string;
  data: string | null;
  coreid: string;
  /** ISO-8601 UTC with milliseconds. */
  publishedAt: string;
  ttl: number;
  public: boolean;
  productId?: number;
  productUserId?: string;
  productVersion?: number;
  /** Org the publisher belongs to: events never cross orgs. */
  orgId: string;
  /** Cloud-generated (webhook results): never triggers an integration (§1.1 loop protection). */
  internal: boolean;
}
