// Recorded<T>: a value whose every string went through a delivery's secret
// masker (integrations/recorded.ts's record() is the only way to make one).
// The brand lives in core because ports name it: a queue's dead-letter reason
// is kept on disk and shown, so DeliveryQueue.dead() takes only a Recorded one.

declare const RECORDED: unique symbol;

/** A value whose every string went through the delivery's masker. */
export type Recorded<T> = T & { readonly [RECORDED]: true };
