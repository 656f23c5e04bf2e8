// The Custom Webhook template of Particle's blueprint-intermediate-influxdb
// (../shared/seeds/000_*.txt), verbatim. The demo installs it with only `url`
// changed, pointing at hookline's own /api/v2/write, as a user would.

export const SEED_INFLUXDB_TEMPLATE = {
  name: 'InfluxDB',
  event: 'data',
  responseTopic: '{{PARTICLE_DEVICE_ID}}/hook-response/{{PARTICLE_EVENT_NAME}}',
  disabled: false,
  secrets: [{ name: 'INFLUX_API_KEY' }, { name: 'INFLUX_ORG' }, { name: 'INFLUX_BUCKET' }],
  template: 'webhook',
  url: 'https://us-east-1-1.aws.cloud2.influxdata.com/api/v2/write',
  requestType: 'POST',
  noDefaults: true,
  rejectUnauthorized: true,
  unchunked: false,
  data_url_response_event: false,
  headers: {
    'Content-Type': 'text/plain; charset=utf-8',
    Authorization: 'Token {{INFLUX_API_KEY}}',
  },
  query: {
    orgID: '{{INFLUX_ORG}}',
    bucket: '{{INFLUX_BUCKET}}',
    precision: 's',
  },
  body: 'data,device={{{PARTICLE_DEVICE_ID}}} count={{{count}}} {{{time}}}',
} as const;

export function seedTemplateFor(hooklineUrl: string): Record<string, unknown> {
  return { ...SEED_INFLUXDB_TEMPLATE, url: `${hooklineUrl.replace(/\/+$/, '')}/api/v2/write` };
}
