import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

export const SCREENSHOT_DIR = join(process.cwd(), 'test-output', 'screenshots');

/** Debian's chromium (`.ci/run` installs it), headless, with everything that phones home off. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

export interface IsolatedPage {
  page: Page;
  /** Requests that tried to leave this machine (all were aborted). */
  outsideRequests: string[];
  /** Console errors and uncaught exceptions, CSP violations included. */
  pageErrors: string[];
}

/** A page that can reach only localhost: any other request is aborted and recorded, so a test
 *  can assert that the page needs nothing from the internet. */
export async function isolatedPage(browser: Browser): Promise<IsolatedPage> {
  const context = await browser.newContext({ viewport: { width: 1360, height: 900 } });
  const outsideRequests: string[] = [];
  const pageErrors: string[] = [];
  await context.route('**/*', (route) => {
    const url = new URL(route.request().url());
    if (url.hostname === 'localhost' || url.hostname === '127.0.0.1') return route.continue();
    outsideRequests.push(url.href);
    return route.abort('blockedbyclient');
  });
  const page = await context.newPage();
  page.on('console', (message) => {
    if (message.type() === 'error') pageErrors.push(message.text());
  });
  page.on('pageerror', (error) => pageErrors.push(error.message));
  return { page, outsideRequests, pageErrors };
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}
