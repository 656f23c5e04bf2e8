// The Custom Template of Particle's blueprint-intermediate-influxdb (the seed),
// verbatim except `url`, which points at this hookline's own /api/v2/write.

export function seedTemplate(origin: string): string {
  return JSON.stringify(
    {
      name: 'InfluxDB',
      event: 'data',
      responseTopic: '{{PARTICLE_DEVICE_ID}}/hook-response/{{PARTICLE_EVENT_NAME}}',
      disabled: false,
      secrets: [{ name: 'INFLUX_API_KEY' }, { name: 'INFLUX_ORG' }, { name: 'INFLUX_BUCKET' }],
      template: 'webhook',
      url: `${origin}/api/v2/write`,
      requestType: 'POST',
      noDefaults: true,
      rejectUnauthorized: true,
      unchunked: false,
      data_url_response_event: false,
      headers: { 'Content-Type': 'text/plain; charset=utf-8', Authorization: 'Token {{INFLUX_API_KEY}}' },
      query: { orgID: '{{INFLUX_ORG}}', bucket: '{{INFLUX_BUCKET}}', precision: 's' },
      body: 'data,device={{{PARTICLE_DEVICE_ID}}} count={{{count}}} {{{time}}}',
    },
    null,
    2,
  );
}
