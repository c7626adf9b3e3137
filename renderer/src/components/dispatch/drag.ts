import type { TicketRow } from '@/types';

/** The drag payload of a workbench row dropped on a person in the 值班调度 panel. */
export const TICKET_DRAG_TYPE = 'application/x-closeloop-ticket';

export interface DraggedTicket {
  id: string;
  no: string;
  state: TicketRow['state'];
}

export function writeDraggedTicket(data: DataTransfer, row: TicketRow): void {
  const payload: DraggedTicket = { id: row.id, no: row.no, state: row.state };
  data.setData(TICKET_DRAG_TYPE, JSON.stringify(payload));
  data.setData('text/plain', row.no);
  data.effectAllowed = 'move';
}

export function readDraggedTicket(data: DataTransfer | null): DraggedTicket | null {
  const text = data?.getData(TICKET_DRAG_TYPE);
  if (!text) return null;
  try {
    const v = JSON.parse(text) as Partial<DraggedTicket>;
    return typeof v.id === 'string' && typeof v.no === 'string' && typeof v.state === 'string' ? (v as DraggedTicket) : null;
  } catch {
    return null;
  }
}

/** A dispatched ticket is reassigned; any other goes through dispatch (the node refuses what it must). */
export function assignAction(state: TicketRow['state']): 'dispatch' | 'reassign' {
  return state === 'dispatched' ? 'reassign' : 'dispatch';
}
