// Ready Custom Templates that send check alerts (events `alert/<check>`, data
// {"check","checkId","level","previous","value","tags","time","message"}) to
// chat and push services. Each uses the service's documented incoming-webhook
// body; the URL (or a key kept as a secret) is the user's to fill in:
// - Slack: {"text"} (api.slack.com/messaging/webhooks)
// - Discord: {"content"} (discord.com/developers/docs/resources/webhook#execute-webhook)
// - ntfy: the message as the body, Title/Tags/Priority headers (docs.ntfy.sh/publish/)
// - Pushover: token, user, title, message as a form (pushover.net/api)
// - Microsoft Teams: a MessageCard (learn.microsoft.com/en-us/microsoftteams/platform/webhooks-and-connectors/how-to/connectors-using)
// - generic JSON: the alert's data as it is.
// JSON bodies are object templates, so a quote in a message cannot break them.

export interface AlertTemplate {
  key: string;
  label: string;
  template: Record<string, unknown>;
}

const base = { event: 'alert/', requestType: 'POST', noDefaults: true, rejectUnauthorized: true };

export const ALERT_TEMPLATES: AlertTemplate[] = [
  { key: 'slack', label: 'Slack', template: { name: 'Alerts to Slack', ...base, url: 'https://hooks.slack.com/services/REPLACE/ME/PLEASE', json: { text: '{{{message}}}' } } },
  { key: 'discord', label: 'Discord', template: { name: 'Alerts to Discord', ...base, url: 'https://discord.com/api/webhooks/REPLACE/ME', json: { content: '{{{message}}}' } } },
  {
    key: 'ntfy',
    label: 'ntfy',
    template: { name: 'Alerts to ntfy', ...base, url: 'https://ntfy.sh/replace-with-your-topic', headers: { Title: '{{{check}}} is {{{level}}}', Tags: '{{{level}}}', 'Content-Type': 'text/plain; charset=utf-8' }, body: '{{{message}}}' },
  },
  {
    key: 'pushover',
    label: 'Pushover',
    template: { name: 'Alerts to Pushover', ...base, url: 'https://api.pushover.net/1/messages.json', secrets: [{ name: 'PUSHOVER_TOKEN' }, { name: 'PUSHOVER_USER' }], form: { token: '{{{PUSHOVER_TOKEN}}}', user: '{{{PUSHOVER_USER}}}', title: '{{{check}}} is {{{level}}}', message: '{{{message}}}' } },
  },
  {
    key: 'teams',
    label: 'Microsoft Teams',
    template: { name: 'Alerts to Teams', ...base, url: 'https://example.webhook.office.com/webhookb2/REPLACE-ME', json: { '@type': 'MessageCard', '@context': 'https://schema.org/extensions', summary: '{{{check}}} is {{{level}}}', title: '{{{check}}} is {{{level}}}', text: '{{{message}}}' } },
  },
  { key: 'json', label: 'Generic JSON webhook', template: { name: 'Alerts as JSON', ...base, url: 'https://example.com/alerts', json: '{{{PARTICLE_EVENT_VALUE}}}' } },
];
