/**
 * Resolves who a rule addresses — the assignee, a person, a role (optionally of the ticket's
 * area), a team or whoever is on duty in a roster — to person ids, with words for explain lines.
 */
import type { Directory, Resolved } from '../people/directory';
import type { Ticket } from '../model/ticket';
import type { Recipient } from '../pack/types';

export function resolveRecipient(directory: Directory, to: Recipient, ticket: Ticket, now: number): Resolved {
  switch (to.kind) {
    case 'assignee':
      return { ids: ticket.assignee ? [ticket.assignee] : [], label: 'the assignee' };
    case 'user':
      return { ids: [to.id], label: directory.name(to.id) };
    case 'team':
      return { ids: directory.inTeam(to.team), label: `team ${to.team}` };
    case 'roster':
      return { ids: directory.onDuty(to.roster, now), label: `on duty in roster ${to.roster}` };
    case 'role': {
      if (to.area === null) return { ids: directory.withRole(to.role, null), label: `role ${to.role}` };
      if (to.area !== 'ticket') return { ids: directory.withRole(to.role, to.area), label: `${to.role} of area ${to.area}` };
      const location = typeof ticket.fields.location === 'string' ? ticket.fields.location : '';
      const area = directory.areaOf(location);
      if (area === null) {
        return { ids: [], label: `${to.role} of the ticket's area (location ${location || '(empty)'} is in no area)` };
      }
      return { ids: directory.withRole(to.role, area), label: `${to.role} of area ${area}` };
    }
  }
}
