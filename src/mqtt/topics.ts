// Topic <-> event mapping (docs/particle.md "MQTT"). Pure.
//   publish   events/<event name>   payload = the event data (UTF-8)
//   subscribe events/<filter>       e.g. events/#, events/<device id>/hook-response/#
// Event names may hold "/", which become MQTT topic levels one for one, so the
// topic of an event is the same for the publisher and every subscriber.

export const EVENTS_PREFIX = 'events/';

/** The event name a device publishes to, or undefined for a topic outside events/. */
export function eventNameOfTopic(topic: string): string | undefined {
  return topic.startsWith(EVENTS_PREFIX) && topic.length > EVENTS_PREFIX.length ? topic.slice(EVENTS_PREFIX.length) : undefined;
}

/** The topic subscribers see an event on; undefined when the name cannot be a topic. */
export function topicOfEvent(name: string): string | undefined {
  if (!name || name.includes('+') || name.includes('#') || name.includes('\u0000')) return undefined;
  return EVENTS_PREFIX + name;
}

/** Subscriptions are allowed under events/ only. */
export function allowedFilter(filter: string): boolean {
  return filter === 'events/#' || (filter.startsWith(EVENTS_PREFIX) && filter.length > EVENTS_PREFIX.length);
}
