// A list taken out as a file, as an administrator meets it: the people list searched for the
// customer the foundation test made, "Dışa aktar", a CSV for Excel set to Turkish (a
// byte-order mark, semicolons, Turkish letters exactly as typed, the phone with its plus) and
// an XLSX workbook; a list exported in the background, followed on "Dışa aktarımlarım" to
// its file and announced by a notification; a sales rep, not allowed to export, sees no
// such menu.
const { test, expect } = require('@playwright/test');
const fs = require('fs');
const { ADMIN, REP_B, login, logout, shot } = require('./common');

test.describe.configure({ mode: 'serial' });

async function download(page, selector) {
  const [file] = await Promise.all([page.waitForEvent('download'), page.click(selector)]);
  return { name: file.suggestedFilename(), bytes: fs.readFileSync(await file.path()) };
}

test('an administrator exports the searched people list as CSV and XLSX', async ({ page }) => {
  await login(page, ADMIN);
  await page.goto(`/people?q=${encodeURIComponent('ışık')}`);
  await expect(page.locator('main table')).toContainText('Işık');
  await page.click('[data-export-menu]');
  await expect(page.locator('[data-export="excel-tr"]')).toBeVisible();
  await shot(page, 'people-export-menu');

  const csv = await download(page, '[data-export="excel-tr"]');
  expect(csv.name).toMatch(/^kisiler-\d{4}-\d{2}-\d{2}\.csv$/);
  expect([...csv.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const text = csv.bytes.subarray(3).toString('utf8');
  const lines = text.split('\r\n').filter((l) => l.length > 0);
  expect(lines[0].startsWith('No;Ad;Soyad;')).toBeTruthy();
  expect(lines.length).toBe(2);
  expect(lines[1]).toContain(';Işık;Çağlar;isik.caglar@caglartekstil.com.tr;+905321234567;Çağlar Tekstil A.Ş.;');

  // The menu stays open after a download.
  const xlsx = await download(page, '[data-export="xlsx"]');
  expect(xlsx.name).toMatch(/\.xlsx$/);
  expect(xlsx.bytes.subarray(0, 2).toString('latin1')).toBe('PK');
  await logout(page);
});

test('a list exported in the background is followed to its file and announced', async ({ page }) => {
  await login(page, ADMIN);
  await page.goto('/people');
  // What a long list's export menu posts (a list of more than 5,000 rows shows it).
  const csrf = await page.locator('input[name=_csrf]').first().inputValue();
  const asked = await page.request.post('/exports', {
    form: { _csrf: csrf, record_type: 'person', format: 'xlsx', query: `q=${encodeURIComponent('ışık')}` },
    maxRedirects: 0,
  });
  expect(asked.status()).toBe(303);
  expect(asked.headers()['location']).toBe('/exports?notice=export-queued');
  await page.goto('/exports?notice=export-queued');
  await expect(page.locator('h1')).toHaveText('Dışa aktarımlarım');
  await expect(page.locator('[data-exports-notice]')).toContainText('hazır olunca bildirim');
  // The page looks again by itself until the server's worker has written the file.
  const row = page.locator('[data-export-row]').first();
  await expect(row).toHaveAttribute('data-export-row', 'done', { timeout: 15000 });
  await expect(row).toContainText('Hazır');
  await shot(page, 'exports');
  const file = await download(page, '[data-export-download]');
  expect(file.name).toMatch(/^kisiler-\d{4}-\d{2}-\d{2}\.xlsx$/);
  expect([...file.bytes.subarray(0, 2)]).toEqual([0x50, 0x4b]);

  await page.goto('/notifications');
  await expect(page.locator('main')).toContainText('Dışa aktarımınız hazır: kisiler-');
  await page.locator('form[action="/settings/language"] button[value="en"]').click();
  await expect(page.locator('main')).toContainText('Your export is ready: kisiler-');
  await page.goto('/exports');
  await expect(page.locator('[data-export-row]').first()).toContainText('Ready');
  await shot(page, 'exports-en');
  await page.locator('form[action="/settings/language"] button[value="tr"]').click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'tr');
  await logout(page);
});

test('a sales rep who is not allowed to export sees no export menu', async ({ page }) => {
  await login(page, REP_B);
  await page.goto('/people');
  await expect(page.locator('main h1')).toBeVisible();
  await expect(page.locator('[data-export-menu]')).toHaveCount(0);
  const reply = await page.request.get('/people/export?format=csv');
  expect(reply.status()).toBe(403);
});
