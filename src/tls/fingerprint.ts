// Certificate fingerprints as devices pin them. The OVH seed's config.h wants
// the SHA-1 of the server certificate (DER) as 20 hex bytes separated by
// spaces, upper case: exactly what its README's one-liner produces
// (`openssl x509 -noout -fingerprint -sha1 | sed -e "s/.*=//g" | sed -e "s/\:/ /g"`).
// ESP8266 BearSSL's setFingerprint() accepts that form too.

import { X509Certificate } from 'node:crypto';

export interface Fingerprints {
  /** "AB CD ..." (config.h FINGERPRINT). */
  sha1: string;
  /** "AB:CD:..." (openssl's form). */
  sha256: string;
  subject: string;
  validTo: string;
}

/** The first certificate of a PEM file (the leaf of a chain). */
export function fingerprints(pem: Buffer | string): Fingerprints {
  const x = new X509Certificate(pem);
  return {
    sha1: x.fingerprint.replaceAll(':', ' '),
    sha256: x.fingerprint256,
    subject: x.subject.replace(/\n/g, ', '),
    validTo: x.validTo,
  };
}
