import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { SHOTS } from './harness';

/** Steps a person takes in the console, by the data-testid attributes the views carry. */
const tid = (id: string) => `[data-testid="${id}"]`;

export async function shot(page: Page, name: string): Promise<void> {
  await page.waitForTimeout(250); // let transitions and messages settle
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: false });
}

export async function signIn(page: Page, personId: string): Promise<void> {
  await page.locator(tid(`sign-in-${personId}`)).click();
  // Agents, dispatchers and technicians land on the workbench; the others on the ticket list.
  await page.locator(`${tid('ticket-table')}, ${tid('workbench')}`).first().waitFor();
  await page.locator(tid('signed-in-user')).waitFor();
}

export async function signOut(page: Page): Promise<void> {
  await page.locator(tid('sign-out')).click();
  await page.locator(tid('sign-in')).waitFor();
}

/** Finds a ticket by its number with the search box and opens it from its row. */
export async function openFromList(page: Page, no: string): Promise<void> {
  await page.locator(tid('nav-tickets')).click();
  await page.locator(`${tid('ticket-search')} input`).fill(no);
  // Wait for the search to narrow the list to this one ticket, so the click lands on a settled row.
  await page.waitForFunction(
    (n) => {
      const rows = document.querySelectorAll('[data-testid="ticket-row"]');
      return rows.length === 1 && (rows[0] as HTMLElement).dataset.no === n;
    },
    no,
    { timeout: 10_000 },
  );
  await page.locator(tid(`ticket-link-${no}`)).click();
  await page.locator(tid('ticket-no')).filter({ hasText: no }).waitFor();
}

export async function ticketState(page: Page): Promise<string | null> {
  return page.locator(`${tid('ticket-header')} ${tid('state-tag')}`).getAttribute('data-state');
}

export async function waitForState(page: Page, state: string): Promise<void> {
  await page.locator(`${tid('ticket-header')} ${tid('state-tag')}[data-state="${state}"]`).waitFor({ timeout: 10_000 });
}

export interface ActInput {
  assignee?: string;
  reason?: string;
  note?: string;
}

/** Clicks an action button, fills its dialog and confirms; waits for the dialog to close. */
export async function act(page: Page, action: string, input: ActInput = {}): Promise<void> {
  await page.locator(tid(`action-${action}`)).click();
  const confirm = page.locator(tid('dialog-confirm'));
  await confirm.waitFor();
  if (input.assignee) {
    await page.locator(tid('dialog-assignee')).click();
    await page.locator(tid(`dialog-assignee-${input.assignee}`)).click();
  }
  if (input.reason !== undefined) await page.locator(tid('dialog-reason')).fill(input.reason);
  if (input.note !== undefined) await page.locator(tid('dialog-note')).fill(input.note);
  await confirm.click();
  await confirm.waitFor({ state: 'detached', timeout: 10_000 });
}

export async function historySummaries(page: Page): Promise<string[]> {
  const entries = page.locator(`${tid('history')} ${tid('history-entry')}`);
  await entries.first().waitFor();
  return entries.locator('.summary').allInnerTexts();
}

export { tid };
