import type simulationZhCN from './simulation.zh-CN';

/** The rulebook's dry run in English. */
const simulationEn: Record<keyof typeof simulationZhCN, string> = {
  'simulation.title': 'Dry run',
  'simulation.run30': 'Dry run (last 30 days)',
  'simulation.run7': 'Last 7 days',
  'simulation.hint': 'Replays the draft over this seat’s past tickets and compares it with the rules in force; no ticket is changed and nothing is sent.',
  'simulation.running': 'Replaying tickets…',
  'simulation.progress': '{done} of {total} replayed',
  'simulation.summary': 'Against rulebook version {version}: {replayed} tickets from {from} to {to}, {changed} of them handled differently.',
  'simulation.source.rows': 'judged on summary rows',
  'simulation.source.documents': 'ticket documents read',
  'simulation.elapsed': '{seconds} s · {source}',
  'simulation.rules': 'Firings per rule',
  'simulation.col.rule': 'Rule',
  'simulation.col.kind': 'Kind',
  'simulation.col.current': 'In force',
  'simulation.col.draft': 'Draft',
  'simulation.col.delta': 'Change',
  'simulation.kind.routing': 'Routing',
  'simulation.kind.automation': 'Automation',
  'simulation.kind.sla': 'SLA breach',
  'simulation.notifications': 'Notifications that would be sent',
  'simulation.noNotifications': 'Neither version sends notifications',
  'simulation.breached': 'Tickets with an SLA breach: {current} in force → {draft} with the draft',
  'simulation.channel.sms': 'SMS',
  'simulation.channel.wecom': 'WeCom',
  'simulation.channel.email': 'Email',
  'simulation.channel.webhook': 'Webhook',
  'simulation.channel.desktop': 'Desktop',
  'simulation.changed': 'Ticket by ticket ({shown} of {total})',
  'simulation.noChanges': 'The draft handles these tickets exactly as the rules in force do.',
  'simulation.fired': 'Draft fires: {rules}',
  'simulation.failed': 'Could not run the dry run',
};

export default simulationEn;
