// A list taken out as a file, as an administrator meets it: the people list searched for the
// customer the foundation test made, "Dışa aktar", a CSV for Excel set to Turkish (a
// byte-order mark, semicolons, Turkish letters exactly as typed, the phone with its plus) and
// an XLSX workbook; a sales rep, not allowed to export, sees no such menu.
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

test('a sales rep who is not allowed to export sees no export menu', async ({ page }) => {
  await login(page, REP_B);
  await page.goto('/people');
  await expect(page.locator('main h1')).toBeVisible();
  await expect(page.locator('[data-export-menu]')).toHaveCount(0);
  const reply = await page.request.get('/people/export?format=csv');
  expect(reply.status()).toBe(403);
});
