import type { EanRecord } from './portal';

export interface MeterControl {
  url?: string;
  token?: string;
  fetch?: typeof fetch;
  log?: (line: string) => void;
}

/**
 * Opens the simulated meter's P1 port (and so lights its GP arrow) through the meter simulator's
 * control API, the way the grid operator opens a real one remotely.
 */
export async function openMeterPort(record: EanRecord, control: MeterControl): Promise<void> {
  if (!control.url) {
    record.meterNotified = 'not-configured';
    return;
  }
  record.meterNotified = 'pending';
  const doFetch = control.fetch ?? fetch;
  try {
    // Keep a path prefix and a query such as ?meter=1 (several simulated meters) of the base URL.
    const url = new URL(control.url);
    url.pathname = `${url.pathname.replace(/\/$/, '')}/api/port`;
    const response = await doFetch(url, {
      method: 'PUT',
      headers: {
        'content-type': 'application/json',
        ...(control.token ? { authorization: `Bearer ${control.token}` } : {}),
      },
      body: JSON.stringify({ open: true }),
    });
    record.meterNotified = response.ok ? 'ok' : 'failed';
    if (!response.ok)
      control.log?.(`meter control answered ${response.status} to opening the port of EAN ${record.ean}`);
  } catch (err) {
    record.meterNotified = 'failed';
    control.log?.(`meter control unreachable at ${control.url}: ${(err as Error).message}`);
  }
}
