// The event record every part of the hub passes around (docs.particle.io/reference/cloud-apis/api/ publish
// and event stream): what a device, the API or the cloud itself published, stamped on
// arrival. The ports (event bus, delivery queue) speak of it, so it belongs to
// core.
//
// The one definition (it used to live in events/event.ts): events/ and
// integrations/ import it from here. It is templates/' TemplateEvent plus
// orgId and internal; test/contracts/port-shapes.test.ts keeps the two equal.

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
