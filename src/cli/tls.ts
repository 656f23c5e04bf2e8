// `hookline tls fingerprint`: the fingerprints of the certificate hookline
// serves, for devices that pin it (the OVH seed's config.h FINGERPRINT).
//   hookline tls fingerprint            SHA-1 (config.h form) and SHA-256
//   hookline tls fingerprint --sha1     only "AB CD ...", for scripts
//   hookline tls fingerprint --sha256   only "AB:CD:..."
// Which certificate: HOOKLINE_TLS_CERT when set, else the data directory's
// self-signed one (created now when HOOKLINE_TLS=self-signed and it does not
// exist yet, so devices can be flashed before the first start).

import { readFile } from 'node:fs/promises';
import { loadConfig, splitFlags } from '../config/load-config.ts';
import { fingerprints } from '../tls/fingerprint.ts';
import { defaultNames, ensureSelfSigned, selfSignedPaths } from '../tls/self-signed.ts';

const USAGE = `usage: hookline tls fingerprint [--sha1 | --sha256] [--data-dir DIR | --tls-cert FILE]

Prints the SHA-1 fingerprint of the certificate hookline serves in the form
an ESP8266 sketch pins (config.h: #define FINGERPRINT "AB CD ..."), and its
SHA-256 fingerprint. A new certificate has new fingerprints: re-flash pinned
devices whenever it changes (docs/opentsdb.md).
`;

export async function run(argv: string[]): Promise<number> {
  const only: string[] = argv.filter((a) => a === '--sha1' || a === '--sha256');
  const { flags, rest, unknown } = splitFlags(argv.filter((a) => !only.includes(a)));
  if (rest[0] !== 'fingerprint' || rest.length > 1 || unknown.length > 0 || only.length > 1) {
    process.stderr.write(unknown.length > 0 ? `unknown option: ${unknown.join(' ')}\n\n${USAGE}` : USAGE);
    return rest[0] === 'help' || argv.includes('--help') ? 0 : 2;
  }
  const config = loadConfig(process.env, flags);
  let pem: Buffer;
  let source: string;
  if (config.tlsCert) {
    source = config.tlsCert;
    try {
      pem = await readFile(config.tlsCert);
    } catch (e) {
      process.stderr.write(`hookline tls: cannot read ${config.tlsCert}: ${(e as Error).message}\n`);
      return 1;
    }
  } else {
    const paths = selfSignedPaths(config.dataDir);
    source = paths.cert;
    try {
      pem = await readFile(paths.cert);
    } catch {
      if (config.tls !== 'self-signed') {
        process.stderr.write(`hookline tls: no certificate: ${paths.cert} does not exist. Set HOOKLINE_TLS=self-signed (hookline creates it) or HOOKLINE_TLS_CERT/HOOKLINE_TLS_KEY.\n`);
        return 1;
      }
      const made = await ensureSelfSigned(config.dataDir, defaultNames(config.host, config.publicUrl));
      pem = made.cert;
      process.stderr.write(`created ${paths.cert}\n`);
    }
  }
  let fp;
  try {
    fp = fingerprints(pem);
  } catch (e) {
    process.stderr.write(`hookline tls: ${source} is not a PEM certificate: ${(e as Error).message}\n`);
    return 1;
  }
  if (only[0] === '--sha1') process.stdout.write(fp.sha1 + '\n');
  else if (only[0] === '--sha256') process.stdout.write(fp.sha256 + '\n');
  else {
    process.stdout.write(
      [
        `certificate: ${source}`,
        `subject:     ${fp.subject}`,
        `valid until: ${fp.validTo}`,
        `SHA-1:       ${fp.sha1}`,
        `SHA-256:     ${fp.sha256}`,
        ``,
        `config.h:    #define FINGERPRINT "${fp.sha1}"`,
        ``,
      ].join('\n'),
    );
  }
  return 0;
}
