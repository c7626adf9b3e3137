import type { WorkbenchMessageKey } from './workbench.zh-CN';

const workbenchEn: Record<WorkbenchMessageKey, string> = {
  'app.nav.workbench': 'Workbench',
  'workbench.queue.mine': 'Mine',
  'workbench.queue.unassigned': 'Unassigned',
  'workbench.queue.breaching': 'Due soon / overdue',
  'workbench.queue.open': 'All open',
  'workbench.queue.all': 'All (closed too)',
  'workbench.queue.pools': 'Pools',
  'workbench.search': 'Search number, title, description, device, phone, location',
  'workbench.col.sla': 'SLA',
  'workbench.col.pool': 'Pool',
  'workbench.slaPaused': 'Paused',
  'workbench.keysHint': 'Shortcuts ?',
  'workbench.keysTitle': 'Keyboard shortcuts',
  'workbench.key.search': 'Focus the search box',
  'workbench.key.next': 'Next ticket',
  'workbench.key.previous': 'Previous ticket',
  'workbench.key.open': 'Open the selected ticket',
  'workbench.key.new': 'New ticket',
  'workbench.key.accept': 'Accept (where allowed)',
  'workbench.key.dispatch': 'Dispatch (where allowed)',
  'workbench.key.help': 'Show or hide this list',
  'workbench.key.escape': 'Leave the input',
};
export default workbenchEn;
