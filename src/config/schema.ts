// Every setting hookline reads, with its default, unit and reason. Environment
// variables HOOKLINE_* and command-line flags override the defaults; the result
// is validated once (every bad setting reported together) and frozen.
// docs/config.md is generated from this table (npm run docs:config) and a test
// keeps the two identical.

export type SettingType = 'port' | 'string' | 'path' | 'bytes' | 'duration' | 'int' | 'bool' | 'enum' | 'list';

export interface SettingSpec {
  key: string;
  env: string;
  flag: string;
  type: SettingType;
  default: string;
  doc: string;
  values?: readonly string[];
  /** Optional settings may be empty. */
  optional?: boolean;
  min?: number;
}

export const SETTINGS = [
  { key: 'host', env: 'HOOKLINE_HOST', flag: '--host', type: 'string', default: '127.0.0.1', doc: 'Address every listener binds to. Loopback by default: expose hookline deliberately.' },
  { key: 'httpPort', env: 'HOOKLINE_HTTP_PORT', flag: '--http-port', type: 'port', default: '8086', doc: "Main HTTP port (InfluxDB's default, so clients work unchanged). 0 picks a free port." },
  { key: 'dataDir', env: 'HOOKLINE_DATA_DIR', flag: '--data-dir', type: 'path', default: './data', doc: 'Where the catalog, the write-ahead log and the Parquet files live.' },
  { key: 'initOrg', env: 'HOOKLINE_INIT_ORG', flag: '--init-org', type: 'string', default: 'hookline', doc: 'Organization created on first start (like DOCKER_INFLUXDB_INIT_ORG).' },
  { key: 'initBucket', env: 'HOOKLINE_INIT_BUCKET', flag: '--init-bucket', type: 'string', default: 'hookline', doc: 'Bucket created on first start (like DOCKER_INFLUXDB_INIT_BUCKET).' },
  { key: 'initToken', env: 'HOOKLINE_INIT_TOKEN', flag: '--init-token', type: 'string', default: '', optional: true, doc: 'All-access token created on first start. Empty: a random one is generated and printed once.' },
  { key: 'initRetention', env: 'HOOKLINE_INIT_RETENTION', flag: '--init-retention', type: 'duration', default: '0s', doc: 'Retention of the first bucket; 0s keeps data forever (like DOCKER_INFLUXDB_INIT_RETENTION).' },
  { key: 'maxBodyBytes', env: 'HOOKLINE_MAX_BODY_BYTES', flag: '--max-body-bytes', type: 'bytes', default: '25MiB', doc: "Largest request body accepted, as sent (InfluxDB 1.x's max-body-size is 25 MB); larger gets 413." },
  { key: 'maxDecompressedBytes', env: 'HOOKLINE_MAX_DECOMPRESSED_BYTES', flag: '--max-decompressed-bytes', type: 'bytes', default: '100MiB', doc: 'Largest body after gzip decompression; stops gzip bombs with 413.' },
  { key: 'maxUnauthenticatedBodyBytes', env: 'HOOKLINE_MAX_UNAUTHENTICATED_BODY_BYTES', flag: '--max-unauthenticated-body-bytes', type: 'bytes', default: '64KiB', doc: 'Most body bytes read before the token is known: on public routes, unknown paths and Particle requests carrying access_token in the body (an event is at most 1 KiB of data). A request whose token is in its headers or query is checked before its body is read.' },
  { key: 'maxQueryBodyBytes', env: 'HOOKLINE_MAX_QUERY_BODY_BYTES', flag: '--max-query-body-bytes', type: 'bytes', default: '1MiB', doc: 'Largest body of a query request (SQL, InfluxQL, OpenTSDB /api/query) after decompression: a query is text, and a gzip bomb to a query route would otherwise inflate up to HOOKLINE_MAX_DECOMPRESSED_BYTES per request, outside the query gate; larger gets 413.' },
  { key: 'requestTimeout', env: 'HOOKLINE_REQUEST_TIMEOUT', flag: '--request-timeout', type: 'duration', default: '120s', doc: "Longest time a client may take to send a whole request (headers and body); a connection that trickles a body slower is closed (Node's server.requestTimeout; responses such as event streams are not affected). 25 MiB at 2 Mbit/s takes about 100 s." },
  { key: 'maxJsonDepth', env: 'HOOKLINE_MAX_JSON_DEPTH', flag: '--max-json-depth', type: 'int', default: '64', min: 1, doc: 'Deepest nesting of arrays and objects accepted in any JSON input (bodies, integration templates, query params); deeper gets 400. Real payloads nest about 5 levels.' },
  { key: 'shutdownTimeout', env: 'HOOKLINE_SHUTDOWN_TIMEOUT', flag: '--shutdown-timeout', type: 'duration', default: '15s', doc: 'On SIGTERM/SIGINT: connections still open after this are cut and the process exits (a second signal exits at once). Data acknowledged before is in the write-ahead log either way.' },
  { key: 'flushPoints', env: 'HOOKLINE_FLUSH_POINTS', flag: '--flush-points', type: 'int', default: '500000', min: 1, doc: 'Points held in memory before they are written to Parquet; fewer keep the memory peak of ingest lower (docs/storage.md).' },
  { key: 'maxBufferedPoints', env: 'HOOKLINE_MAX_BUFFERED_POINTS', flag: '--max-buffered-points', type: 'int', default: '3000000', min: 1, doc: 'Write buffer size in points, above which writes get 503 with Retry-After instead of growing memory; each series held in memory counts as 16 points (docs/security.md#cardinality).' },
  { key: 'maxSeriesPerBucket', env: 'HOOKLINE_MAX_SERIES_PER_BUCKET', flag: '--max-series-per-bucket', type: 'int', default: '1000000', min: 0, doc: "Series a bucket may have (InfluxDB 1.x's max-series-per-database); a point of a new series beyond it is refused with a partial write, existing series keep writing; 0 = unlimited." },
  { key: 'flushInterval', env: 'HOOKLINE_FLUSH_INTERVAL', flag: '--flush-interval', type: 'duration', default: '10m', doc: 'Longest time points stay only in memory and the write-ahead log.' },
  { key: 'queryTimeout', env: 'HOOKLINE_QUERY_TIMEOUT', flag: '--query-timeout', type: 'duration', default: '60s', doc: 'A query running longer is interrupted.' },
  // ---- query budgets (docs/security.md): every query language shares these
  { key: 'queryMemoryLimit', env: 'HOOKLINE_QUERY_MEMORY_LIMIT', flag: '--query-memory-limit', type: 'bytes', default: '512MiB', min: 16 * 1024 * 1024, doc: 'Memory one query may use: the SQL sandbox process is stopped beyond it (the query gets an error, the server stays up); also the DuckDB memory limit of each query engine.' },
  { key: 'queryMaxResultBytes', env: 'HOOKLINE_QUERY_MAX_RESULT_BYTES', flag: '--query-max-result-bytes', type: 'bytes', default: '64MiB', min: 1024, doc: 'Largest SQL result (cells as held in memory) the server assembles; a larger one is refused with a hint to add a LIMIT or aggregate.' },
  { key: 'maxConcurrentQueries', env: 'HOOKLINE_MAX_CONCURRENT_QUERIES', flag: '--max-concurrent-queries', type: 'int', default: '4', min: 1, doc: "Queries (SQL, InfluxQL, OpenTSDB) running at once; more wait in a queue (InfluxDB's max-concurrent-queries)." },
  { key: 'maxQueuedQueries', env: 'HOOKLINE_MAX_QUEUED_QUERIES', flag: '--max-queued-queries', type: 'int', default: '64', min: 0, doc: 'Queries waiting for a slot at most; beyond it, or after waiting HOOKLINE_QUERY_TIMEOUT, a query gets 503 with Retry-After.' },
  // InfluxQL/OpenTSDB results are assembled in the JS heap. Measured on the
  // assemble + encode path (Node 20, src/query/influxql/select/assemble-heap.bench.ts):
  // a filled GROUP BY time() window costs 500-1 200 B of peak heap (~850 B)
  // and 9-40 us, a raw row ~1.7 KB and 30-60 us (2 shared cores, idle to
  // loaded). One query may take ~100 MB and ~1-4 s of event loop, so
  // 4 concurrent queries (HOOKLINE_MAX_CONCURRENT_QUERIES) stay under 400 MB
  // of a 1 GB box: 100 MB / 850 B = ~120k windows -> 100 000;
  // 100 MB / 1.7 KB = ~60k rows -> 50 000; a series adds its tags, key and
  // arrays (~1 KB): 10 000 series = ~10 MB, far more than a dashboard draws.
  { key: 'maxSelectBuckets', env: 'HOOKLINE_MAX_SELECT_BUCKETS', flag: '--max-select-buckets', type: 'int', default: '100000', min: 0, doc: "GROUP BY time() windows one InfluxQL or OpenTSDB query may build, counted per series and summed over series (InfluxDB's max-select-buckets); 0 = unlimited." },
  { key: 'maxSelectPoint', env: 'HOOKLINE_MAX_SELECT_POINT', flag: '--max-select-point', type: 'int', default: '50000', min: 0, doc: "Rows a raw (non-aggregate) InfluxQL select, or OpenTSDB points, one query may read into memory (InfluxDB's max-select-point); 0 = unlimited." },
  { key: 'maxSelectSeries', env: 'HOOKLINE_MAX_SELECT_SERIES', flag: '--max-select-series', type: 'int', default: '10000', min: 0, doc: "Series one InfluxQL or OpenTSDB query may return (InfluxDB's max-select-series); 0 = unlimited." },
  // Rollups (storage/rollup/): per series, per minute and per hour, count, sum, min, max, first and last of
  // each numeric field of a file, built on first use with one scan of the file. ~90 bytes per series-minute
  // of two fields: 2 M points at one point per 10 s over 1000 series is ~30 MB at the minute level.
  { key: 'rollupCacheBytes', env: 'HOOKLINE_ROLLUP_CACHE_BYTES', flag: '--rollup-cache-bytes', type: 'bytes', default: '256MiB', doc: 'Memory for the files\' rollups that answer mean, sum, count, min, max, first and last over GROUP BY time() without reading points; least recently used dropped first; 0 disables rollups.' },
  { key: 'parseWorkers', env: 'HOOKLINE_PARSE_WORKERS', flag: '--parse-workers', type: 'int', default: 'auto', doc: 'Threads that parse line protocol bodies off the event loop; auto = none below 4 cores (a worker only adds latency there), else cores - 2 (at most 4); 0 = parse on the event loop.' },
  { key: 'duckdbThreads', env: 'HOOKLINE_DUCKDB_THREADS', flag: '--duckdb-threads', type: 'int', default: '2', min: 1, doc: 'Threads of the embedded DuckDB engine (queries and Parquet writes).' },
  { key: 'duckdbMemoryLimit', env: 'HOOKLINE_DUCKDB_MEMORY_LIMIT', flag: '--duckdb-memory-limit', type: 'string', default: '', optional: true, doc: "DuckDB memory limit, e.g. 2GB. Empty: DuckDB's default (80% of RAM)." },
  { key: 'compactionMemoryLimit', env: 'HOOKLINE_COMPACTION_MEMORY_LIMIT', flag: '--compaction-memory-limit', type: 'bytes', default: '64MiB', min: 16 * 1024 * 1024, doc: 'Memory of the separate one-thread DuckDB engine that merges Parquet files (compaction); a larger merge spills its sort to disk beside the catalog instead of raising the process peak (docs/storage.md).' },
  // ---- device events, MQTT, webhooks (Particle-compatible)
  { key: 'publicUrl', env: 'HOOKLINE_PUBLIC_URL', flag: '--public-url', type: 'string', default: '', optional: true, doc: "URL devices and webhooks use to reach this server; empty = the listen address. Webhooks to it are always allowed." },
  { key: 'mqttPort', env: 'HOOKLINE_MQTT_PORT', flag: '--mqtt-port', type: 'port', default: '1883', doc: 'MQTT listener for device events (1883 is MQTT\'s port); 0 disables it.' },
  { key: 'mqttMaxPacketBytes', env: 'HOOKLINE_MQTT_MAX_PACKET_BYTES', flag: '--mqtt-max-packet-bytes', type: 'bytes', default: '64KiB', doc: 'Largest MQTT packet of an authenticated client; larger closes the connection (MQTT 3.1.1 has no error packet for it). A Particle event carries at most 1 KiB of data.' },
  { key: 'mqttConnectTimeout', env: 'HOOKLINE_MQTT_CONNECT_TIMEOUT', flag: '--mqtt-connect-timeout', type: 'duration', default: '10s', doc: 'A connection that has not completed CONNECT after this is closed. Until then packets are limited to 8 KiB (a CONNECT holds a client id, a user name and a token).' },
  { key: 'webhookAllowPrivate', env: 'HOOKLINE_WEBHOOK_ALLOW_PRIVATE', flag: '--webhook-allow-private', type: 'string', default: '', optional: true, doc: 'Webhooks may not reach loopback, link-local or private addresses. `1` allows all of them; a comma-separated CIDR list (10.0.0.0/8,fd00::/8) allows those ranges.' },
  { key: 'webhookTimeout', env: 'HOOKLINE_WEBHOOK_TIMEOUT', flag: '--webhook-timeout', type: 'duration', default: '20s', doc: "A webhook request without a response after this is an error (Particle's limit is 20 s)." },
  { key: 'webhookConcurrency', env: 'HOOKLINE_WEBHOOK_CONCURRENCY', flag: '--webhook-concurrency', type: 'int', default: '64', min: 1, doc: 'Webhook requests in flight at once, across all integrations.' },
  { key: 'webhookQueueLimit', env: 'HOOKLINE_WEBHOOK_QUEUE_LIMIT', flag: '--webhook-queue-limit', type: 'int', default: '100000', min: 1, doc: 'Deliveries waiting at most; beyond it publishing answers 429 instead of growing memory.' },
  { key: 'webhookMaxAttempts', env: 'HOOKLINE_WEBHOOK_MAX_ATTEMPTS', flag: '--webhook-max-attempts', type: 'int', default: '5', min: 1, doc: 'Attempts per delivery (with exponential backoff and jitter) before it is dead-lettered.' },
  { key: 'secretsKeyFile', env: 'HOOKLINE_SECRETS_KEY_FILE', flag: '--secrets-key-file', type: 'string', default: '', optional: true, doc: 'File holding the key that encrypts secrets at rest; empty = secrets.key next to the data directory contents, created on first use. Keep it out of backups of the data.' },
  { key: 'eventHistory', env: 'HOOKLINE_EVENT_HISTORY', flag: '--event-history', type: 'int', default: '1000', min: 0, doc: 'Recent events kept per device for the explorer and the API.' },
  { key: 'natsUrl', env: 'HOOKLINE_NATS_URL', flag: '--nats-url', type: 'string', default: '', optional: true, doc: 'NATS with JetStream, `nats://host:4222[,host2:4222...][/<cluster>]` (several servers of one NATS cluster may be listed; the path names the hookline cluster: the prefix of every stream, bucket and subject), to share points, tenancy, events, deliveries and configuration between hookline nodes (docs/cluster.md); empty = this process only.' },
  { key: 'natsReplicas', env: 'HOOKLINE_NATS_REPLICAS', flag: '--nats-replicas', type: 'int', default: '1', min: 1, doc: "Copies JetStream keeps of the cluster's write log, key-value buckets and delivery queue (3 on a three-server NATS cluster: a write is acknowledged once a majority stored it, and the cluster survives the loss of one server). Several nodes only." },
  { key: 'natsWriteLogMaxAge', env: 'HOOKLINE_NATS_WRITE_LOG_MAX_AGE', flag: '--nats-write-log-max-age', type: 'duration', default: '7d', doc: "How long the cluster's write log keeps entries: a node down longer than this cannot catch up from the log and is restored from a backup of another node (docs/cluster.md)." },
  { key: 'natsWriteLogMaxBytes', env: 'HOOKLINE_NATS_WRITE_LOG_MAX_BYTES', flag: '--nats-write-log-max-bytes', type: 'bytes', default: '8GiB', doc: "Largest size of the cluster's write log in JetStream; when full, writes are refused with 503 (HL_CLUSTER_UNAVAILABLE) rather than old entries dropped." },
  { key: 'readYourWritesTimeout', env: 'HOOKLINE_READ_YOUR_WRITES_TIMEOUT', flag: '--read-your-writes-timeout', type: 'duration', default: '5s', doc: 'How long a request carrying X-Hookline-Min-Position waits for this node to apply that write before answering 503 (HL_NOT_CAUGHT_UP). Several nodes only.' },
  // ---- replication to a remote InfluxDB-compatible write endpoint (/api/v2/replications)
  { key: 'replicationMaxQueueBytes', env: 'HOOKLINE_REPLICATION_MAX_QUEUE_BYTES', flag: '--replication-max-queue-bytes', type: 'bytes', default: '1GiB', doc: "Largest disk queue one replication may ask for (its maxQueueSizeBytes; InfluxDB's default 67108860 and minimum 33554430 apply). When a queue is full, writes to the local bucket still succeed and the replication drops them, as InfluxDB does; its latestErrorMessage says so." },
  { key: 'replicationAllowPrivate', env: 'HOOKLINE_REPLICATION_ALLOW_PRIVATE', flag: '--replication-allow-private', type: 'string', default: '', optional: true, doc: 'Replication remotes (/api/v2/remotes) may not be loopback, link-local or private addresses, as webhooks may not: `1` allows all of them; a comma-separated CIDR list (10.0.0.0/8,fd00::/8) allows those ranges (a VictoriaMetrics or InfluxDB on your LAN).' },
  { key: 'replicationMaxRetryDelay', env: 'HOOKLINE_REPLICATION_MAX_RETRY_DELAY', flag: '--replication-max-retry-delay', type: 'duration', default: '30s', doc: 'Longest wait between two attempts to send a replication batch to a remote that is down or answers 429/5xx (exponential backoff with jitter from 100 ms up to this).' },
  // ---- checks, alerts and device state (issue 13, docs/alerts.md)
  { key: 'maxChecks', env: 'HOOKLINE_MAX_CHECKS', flag: '--max-checks', type: 'int', default: '1000', min: 0, doc: 'Checks one org may have; creating one more gets 400. 1 000 checks every 10 s is what bench/checks.ts measures on 2 cores.' },
  { key: 'checkMaxSeries', env: 'HOOKLINE_CHECK_MAX_SERIES', flag: '--check-max-series', type: 'int', default: '10000', min: 1, doc: "Series one check may watch; a query that returns more puts the check in its error state (like InfluxDB's max-select-series, per check)." },
  { key: 'checkMinEvery', env: 'HOOKLINE_CHECK_MIN_EVERY', flag: '--check-min-every', type: 'duration', default: '1s', doc: "Shortest `every` of a check: each run is a query that shares the query gate (HOOKLINE_MAX_CONCURRENT_QUERIES) with users." },
  { key: 'checkMaxMessageBytes', env: 'HOOKLINE_CHECK_MAX_MESSAGE_BYTES', flag: '--check-max-message-bytes', type: 'bytes', default: '1KiB', min: 16, doc: 'Longest message template of a check, and of the message it renders (longer is cut); a Particle event holds 1 KiB of data, an alert event carries the message and the series tags.' },
  { key: 'runChecks', env: 'HOOKLINE_RUN_CHECKS', flag: '--run-checks', type: 'bool', default: 'true', doc: 'Evaluate checks in this process. In a cluster (HOOKLINE_NATS_URL) the checks run on the one node holding the scheduler lease (it moves to another node within 10 s when that one stops); false keeps a node out of it.' },
  { key: 'deviceOnlineAfter', env: 'HOOKLINE_DEVICE_ONLINE_AFTER', flag: '--device-online-after', type: 'duration', default: '10m', doc: 'A device seen (an event or a point) within this is online in the device state API; a bucket may set its own.' },
  { key: 'deviceStateLookback', env: 'HOOKLINE_DEVICE_STATE_LOOKBACK', flag: '--device-state-lookback', type: 'duration', default: '7d', doc: 'On start the last-value cache (device state, deadman checks) is rebuilt from the points of this window; older series come back when they write again (or from a deadman check\'s remembered series).' },
  // ---- OpenTSDB
  { key: 'opentsdbPort', env: 'HOOKLINE_OPENTSDB_PORT', flag: '--opentsdb-port', type: 'port', default: '4242', doc: "OpenTSDB listener (HTTP and telnet on one socket, OpenTSDB's port); 0 disables it." },
  { key: 'opentsdbMode', env: 'HOOKLINE_OPENTSDB_MODE', flag: '--opentsdb-mode', type: 'enum', default: 'lenient', values: ['lenient', 'strict'], doc: 'lenient accepts what OVH Metrics accepted (no timestamp = now, no tags); strict is OpenTSDB 2.4 exactly. A token may choose its own.' },
  { key: 'opentsdbTelnetToken', env: 'HOOKLINE_OPENTSDB_TELNET_TOKEN', flag: '--opentsdb-telnet-token', type: 'string', default: '', optional: true, doc: 'Token whose rights telnet connections get without an `auth` line (for collectd, tcollector); empty = such lines are refused.' },
  // ---- TLS
  { key: 'tls', env: 'HOOKLINE_TLS', flag: '--tls', type: 'enum', default: 'off', values: ['off', 'self-signed'], doc: 'self-signed: create (once) and use a certificate kept in the data directory. Set HOOKLINE_TLS_CERT/KEY instead to use your own.' },
  { key: 'tlsCert', env: 'HOOKLINE_TLS_CERT', flag: '--tls-cert', type: 'string', default: '', optional: true, doc: 'PEM certificate (chain) file: every HTTP listener then serves HTTPS.' },
  { key: 'tlsPlainHttp', env: 'HOOKLINE_TLS_PLAIN_HTTP', flag: '--tls-plain-http', type: 'bool', default: 'true', doc: 'With TLS on, every port still answers plain HTTP too (the first byte of a connection tells a TLS handshake from HTTP), so http:// and https:// URLs of this hub both work. false = HTTPS only: plain HTTP gets a 400 (telnet on the OpenTSDB port stays plain).' },
  { key: 'tlsKey', env: 'HOOKLINE_TLS_KEY', flag: '--tls-key', type: 'string', default: '', optional: true, doc: 'PEM private key file for HOOKLINE_TLS_CERT.' },
  // ---- explorer and demo
  { key: 'maxDashboardBytes', env: 'HOOKLINE_MAX_DASHBOARD_BYTES', flag: '--max-dashboard-bytes', type: 'bytes', default: '1MiB', min: 1024, doc: 'Largest dashboard document, as JSON; larger gets 413 (HL_DASHBOARD_TOO_LARGE). A 20-panel dashboard is about 10 KiB.' },
  { key: 'maxDashboardsPerOrg', env: 'HOOKLINE_MAX_DASHBOARDS_PER_ORG', flag: '--max-dashboards-per-org', type: 'int', default: '500', min: 1, doc: 'Dashboards one org may keep; one more gets 422 (HL_DASHBOARD_LIMIT).' },
  { key: 'demo', env: 'HOOKLINE_DEMO', flag: '--demo', type: 'bool', default: 'false', doc: 'Also run simulated devices and the seeds\' integrations against this server (npm start -- --demo).' },
  { key: 'demoPeriod', env: 'HOOKLINE_DEMO_PERIOD', flag: '--demo-period', type: 'duration', default: '5s', doc: 'How often each simulated device publishes in demo mode.' },
  { key: 'logLevel', env: 'HOOKLINE_LOG_LEVEL', flag: '--log-level', type: 'enum', default: 'info', values: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], doc: 'Log verbosity.' },
] as const satisfies readonly SettingSpec[];

export type SettingKey = (typeof SETTINGS)[number]['key'];

type ValueOf<T extends SettingType> = T extends 'port' | 'bytes' | 'int' | 'duration'
  ? number
  : T extends 'bool'
    ? boolean
    : T extends 'list'
      ? string[]
      : string;

/** The validated, frozen configuration. Durations are milliseconds, sizes bytes. */
export type Config = { readonly [S in (typeof SETTINGS)[number] as S['key']]: ValueOf<S['type']> };
