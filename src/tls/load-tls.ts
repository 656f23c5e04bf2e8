// The certificate and key every HTTP listener serves, when TLS is on:
// HOOKLINE_TLS_CERT/HOOKLINE_TLS_KEY files, or (HOOKLINE_TLS=self-signed) a
// certificate kept in the data directory, created on the first start.

import { readFile } from 'node:fs/promises';
import type { Config } from '../config/schema.ts';
import type { TlsMaterial } from './tls-material.ts';
import { defaultNames, ensureSelfSigned } from './self-signed.ts';

export async function loadTls(config: Config): Promise<TlsMaterial | undefined> {
  if (config.tlsCert || config.tlsKey) {
    if (!config.tlsCert || !config.tlsKey) throw new Error('HOOKLINE_TLS_CERT and HOOKLINE_TLS_KEY must be set together');
    return { cert: await readFile(config.tlsCert), key: await readFile(config.tlsKey) };
  }
  if (config.tls === 'self-signed') {
    const { cert, key } = await ensureSelfSigned(config.dataDir, defaultNames(config.host, config.publicUrl));
    return { cert, key };
  }
  return undefined;
}
