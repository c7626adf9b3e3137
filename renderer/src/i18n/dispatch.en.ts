import type { DispatchMessageKey } from './dispatch.zh-CN';

const dispatchEn: Record<DispatchMessageKey, string> = {
  'dispatch.title': 'On duty',
  'dispatch.collapse': 'Hide',
  'dispatch.expand': 'Show',
  'dispatch.hint': 'Select a ticket and click “Assign”, or drag a ticket onto a person',
  'dispatch.at': 'at {time}',
  'dispatch.nobody': 'Nobody on duty now',
  'dispatch.noRosters': 'The rule pack defines no rosters',
  'dispatch.until': '{shift}, until {time}',
  'dispatch.load': '{n} open',
  'dispatch.assign': 'Assign',
  'dispatch.pickFirst': 'Select a ticket in the list first',
  'dispatch.done': '{no} assigned to {name}',
  'dispatch.failed': '{no} was not assigned to {name}: {message}',
  'dispatch.loadFailed': 'Could not read the rosters: {message}',
};

export default dispatchEn;
