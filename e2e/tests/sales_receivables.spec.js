// The customer ledger as a sales rep meets it, after the quotes test made an order: the
// order is invoiced and the invoice posted with its number; the customer's page shows what
// they owe; on a phone-width screen the rep takes part of it in cash with the three-field
// "Tahsilat al" form; the statement and the aging report follow; the statement downloads as
// PDF, XLSX and CSV; the account page reads in English; and a colleague reaches none of it.
const { test, expect } = require('@playwright/test');
const fs = require('fs');
const path = require('path');
const { REP_A, REP_B, login, logout, shot } = require('./common');

const screenshots = process.env.REHBER_SCREENSHOTS_DIR || path.join(__dirname, '..', 'screenshots');

test.describe.configure({ mode: 'serial' });

let accountUrl;
let invoiceUrl;

test('a rep invoices the order and posts the invoice', async ({ page }) => {
  page.on('dialog', (dialog) => dialog.accept());
  await login(page, REP_A);
  await page.goto('/orders');
  await page.locator('main table a').first().click();
  await expect(page).toHaveURL(/\/orders\/\d+/);
  await page.getByRole('button', { name: 'Faturala' }).click();
  await expect(page).toHaveURL(/\/invoices\/\d+/);
  await expect(page.locator('.notice')).toContainText('taslak fatura hazırlandı');
  await expect(page.locator('[data-invoice-status]')).toHaveText('Taslak');
  await expect(page.locator('[data-invoice-gross]')).toHaveText('₺34.800,00');
  await page.getByRole('button', { name: 'Faturayı kes' }).click();
  await expect(page.locator('.notice')).toContainText('Fatura kesildi');
  await expect(page.locator('[data-invoice-number]')).toHaveText(/FTR-\d{4}-000001/);
  await expect(page.locator('[data-invoice-status]')).toHaveText('Ödenmemiş');
  await expect(page.locator('[data-invoice-open]')).toContainText('₺34.800,00 (B)');
  invoiceUrl = new URL(page.url()).pathname;
  await shot(page, 'invoice-posted');

  await page.getByRole('link', { name: 'Cari hesap' }).click();
  await expect(page).toHaveURL(/\/(companies|people)\/\d+\/ledger/);
  accountUrl = new URL(page.url()).pathname;
  await expect(page.locator('[data-ledger-balance="TRY"]')).toContainText('₺34.800,00 (B)');
  await expect(page.locator('[data-statement] [data-entry]')).toHaveCount(1);
  await expect(page.locator('[data-statement]')).toContainText('Devir');
  await logout(page);
});

test('on a phone the rep takes part of it in cash, and the statement and aging follow', async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  await login(page, REP_A);
  await page.goto(accountUrl.replace(/\/ledger$/, ''));
  const card = page.locator('#card-ledger');
  await expect(card.locator('[data-ledger-balance="TRY"]')).toContainText('₺34.800,00 (B)');
  await card.getByRole('link', { name: 'Tahsilat al' }).click();
  await expect(page).toHaveURL(/\/payments\/new\?/);
  await expect(page.locator('#f-method')).toHaveValue('cash');

  // The form offers today as Rehber's clock reads it (the business's time zone, which is a
  // day ahead of UTC late in the evening); the payment keeps that date.
  const today = await page.locator('#f-received_at').inputValue();
  expect(today).toMatch(/^\d{4}-\d{2}-\d{2}$/);

  // A bad amount is named beside its field and nothing is lost.
  await page.locator('#f-amount').fill('on bin');
  await page.locator('#f-received_at').fill('2099-01-01');
  await page.getByRole('button', { name: 'Tahsilatı kaydet' }).click();
  await expect(page.locator('#f-amount-error')).toBeVisible();
  await expect(page.locator('#f-received_at-error')).toContainText('ileride');
  await expect(page.locator('#f-amount')).toHaveValue('on bin');

  await page.locator('#f-amount').fill('10.000,00');
  await page.locator('#f-received_at').fill(today);
  const form = await page.locator('[data-payment-form]').boundingBox();
  expect(form.width).toBeLessThanOrEqual(390);
  await shot(page, 'payment-phone');
  await page.getByRole('button', { name: 'Tahsilatı kaydet' }).click();
  await expect(page).toHaveURL(/\/ledger\?/);
  await expect(page.locator('.notice')).toContainText('Tahsilat kaydedildi');
  await expect(page.locator('[data-ledger-balance="TRY"]')).toContainText('₺24.800,00 (B)');
  const running = page.locator('[data-statement] [data-entry] [data-running]');
  await expect(running).toHaveText(['₺34.800,00 (B)', '₺24.800,00 (B)']);
  await expect(page.locator('[data-statement]')).toContainText('Tahsilat');
  await shot(page, 'ledger-phone');
  await context.close();
});

test('the invoice, the aging report and the statement file agree', async ({ page }) => {
  await login(page, REP_A);
  await page.goto(invoiceUrl);
  await expect(page.locator('[data-invoice-allocated]')).toHaveText('₺10.000,00');
  await expect(page.locator('[data-invoice-open]')).toContainText('₺24.800,00');
  await expect(page.getByRole('button', { name: 'Faturayı iptal et' })).toHaveCount(0);

  await page.goto('/reports/aging');
  const row = page.locator('[data-aging-row]').first();
  await expect(row).toContainText('₺24.800,00');
  await shot(page, 'aging');

  const csv = await page.request.get(`${accountUrl}/statement.csv`);
  expect(csv.status()).toBe(200);
  expect(csv.headers()['content-type']).toContain('text/csv');
  const text = await csv.text();
  expect(text.split(/\r?\n/)[0]).toBe('Tarih,Belge no,Açıklama,Vade,Borç,Alacak,Bakiye,');
  expect(text).toContain('Devir');
  expect(text).toContain('34800.00');
  expect(text).toContain('24800.00,B');
  const pdf = await page.request.get(`${accountUrl}/statement.pdf`);
  expect(pdf.status()).toBe(200);
  expect(pdf.headers()['content-type']).toBe('application/pdf');
  const pdfBytes = await pdf.body();
  expect(pdfBytes.subarray(0, 5).toString()).toBe('%PDF-');
  fs.writeFileSync(path.join(screenshots, 'statement.pdf'), pdfBytes);
  const xlsx = await page.request.get(`${accountUrl}/statement.xlsx`);
  expect(xlsx.status()).toBe(200);
  expect(xlsx.headers()['content-type']).toContain('spreadsheetml');
  expect((await xlsx.body()).subarray(0, 2).toString()).toBe('PK');

  // The account reads in English.
  await page.goto(accountUrl);
  await expect(page.locator('[data-statement-pdf]')).toBeVisible();
  await expect(page.locator('[data-statement-xlsx]')).toBeVisible();
  await page.locator('form[action="/settings/language"] button[value="en"]').click();
  await page.goto(accountUrl);
  await expect(page.getByRole('heading', { name: 'Customer account' })).toBeVisible();
  await expect(page.locator('[data-statement]')).toContainText('Brought forward');
  await expect(page.locator('[data-statement]')).toContainText('Payment');
  await shot(page, 'ledger-en');
  await page.locator('form[action="/settings/language"] button[value="tr"]').click();
  await expect(page.getByRole('heading', { name: 'Cari hesap' })).toBeVisible();

  await logout(page);
  await login(page, REP_B);
  expect((await page.goto(accountUrl)).status()).toBe(404);
  expect((await page.goto(invoiceUrl)).status()).toBe(404);
  for (const file of ['statement.csv', 'statement.pdf', 'statement.xlsx']) {
    expect((await page.request.get(`${accountUrl}/${file}`)).status()).toBe(404);
  }
  await page.goto('/reports/aging');
  await expect(page.locator('[data-aging-row]')).toHaveCount(0);
  await page.goto('/invoices');
  await expect(page.locator('main')).not.toContainText('FTR-');
});

test('the customer list sorts by what is owed and shows it', async ({ page }) => {
  await login(page, REP_A);
  const list = accountUrl.startsWith('/companies') ? '/companies' : '/people';
  await page.goto(`${list}?sort=-balance`);
  await expect(page.locator('th[data-col="balance"]')).toContainText('Bakiye');
  await expect(page.locator('th[data-col="overdue"]')).toContainText('Vadesi geçen');
  const first = page.locator('tbody tr').first();
  await expect(first.locator('td[data-col="balance"]')).toContainText('₺');
  await expect(first.locator('a').first()).toHaveAttribute('href', accountUrl.replace(/\/ledger$/, ''));
  await shot(page, 'customers-by-balance');
  await logout(page);
});
