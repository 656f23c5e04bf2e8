// GET /api/hookline/backup: an online, consistent snapshot of the whole hub as
// one tar archive (manifest.json, the catalog, the Parquet files, the queue
// logs, checksums.json), what `hookline backup` downloads (docs/backup.md).
// InfluxDB 2's backup endpoints (/api/v2/backup/kv, /metadata, /shards/:id)
// need an operator token: a backup holds every org's data and tokens. An
// org's all-access token is enough only on a hub with that one org (then the
// backup holds nothing it could not already reach); elsewhere it is refused.

import type { FastifyInstance } from 'fastify';
import { hooklineError } from '../../core/errors.ts';
import type { BackupSource } from '../../core/ports/backup-source.ts';
import type { Authorization } from '../../tenancy/model.ts';
import { can } from '../../tenancy/permissions.ts';
import type { Tenancy } from '../../tenancy/tenancy.ts';
import { authenticate } from '../auth.ts';

const CORE_TYPES = ['orgs', 'buckets', 'authorizations', 'secrets'];

/** An operator token (first-start and recovery tokens): read and write on orgs, buckets, tokens and secrets of every org. */
function isOperator(auth: Authorization): boolean {
  return CORE_TYPES.every((t) => can(auth, 'read', t) && can(auth, 'write', t));
}

/** An all-access token of the hub's only org. */
function isSoleOrgAllAccess(auth: Authorization, tenancy: Tenancy): boolean {
  const orgs = tenancy.listOrgs();
  return orgs.length === 1 && orgs[0]!.id === auth.orgID && CORE_TYPES.every((t) => can(auth, 'read', t, auth.orgID) && can(auth, 'write', t, auth.orgID));
}

export function registerBackup(app: FastifyInstance, deps: { tenancy: Tenancy; backup: BackupSource }): void {
  app.get('/api/hookline/backup', { config: { dialect: 'v2', auth: {} } }, async (req, reply) => {
    const auth = authenticate(req, deps.tenancy);
    if (!isOperator(auth) && !isSoleOrgAllAccess(auth, deps.tenancy)) {
      throw hooklineError('FORBIDDEN', "a backup needs an operator token (every org's data and tokens are in it), as influx backup does; an all-access token only on a hub with one org");
    }
    const { manifest, stream } = await deps.backup.open();
    // Sizes are known before the first byte: clients show progress from these.
    const total = manifest.files.reduce((n, f) => n + f.bytes, 0);
    return reply
      .header('content-type', 'application/x-tar')
      .header('content-disposition', `attachment; filename="hookline-backup-${manifest.createdAt.replace(/[:.]/g, '-')}.tar"`)
      .header('x-hookline-backup-bytes', String(total))
      .header('x-hookline-backup-points', String(manifest.points))
      .send(stream);
  });
}
