// Quotes and orders as a sales rep meets them: from the won deal, a quote is made with a
// product from the catalogue and a free-text line while the total is worked out as they
// type; its PDF opens; it is sent with the PDF to the local SMTP sink; the customer accepts
// it; the order is created and half of it ships. The order reads in English too, and a
// colleague reaches neither the quote nor the order.
const { test, expect } = require('@playwright/test');
const fs = require('fs');
const path = require('path');
const { REP_A, REP_B, login, logout, shot } = require('./common');

/// Chooses the catalogue product whose option names `sku` in a line.
async function chooseProduct(line, sku) {
  const select = line.locator('select[name=product_id]');
  const value = await select.locator('option', { hasText: sku }).getAttribute('value');
  await select.selectOption(value);
}

/// The messages the SMTP sink kept, as text, once `count` have arrived.
async function mails(count) {
  const dir = process.env.REHBER_TEST_MAIL_DIR;
  for (let i = 0; i < 60; i += 1) {
    const files = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.eml')) : [];
    if (files.length >= count) return files.map((f) => fs.readFileSync(path.join(dir, f), 'latin1'));
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`the SMTP sink did not get ${count} message(s)`);
}

test('a rep quotes a won deal, sends the PDF, has it accepted and ships half the order', async ({ page }) => {
  await login(page, REP_A);
  await page.goto('/deals?q=firin');
  await page.getByRole('link', { name: 'Fırın hattı yenileme' }).first().click();
  await page.getByRole('link', { name: 'Teklif hazırla' }).click();
  await expect(page).toHaveURL(/\/quotes\/new\?deal_id=\d+/);
  await expect(page.locator('#f-person_id')).toHaveValue(/\d+/);

  const line = (n) => page.locator('[data-quote-line]').nth(n);
  await chooseProduct(line(0), 'FRN-200');
  await line(0).locator('input[name=quantity]').fill('2');
  await page.getByRole('button', { name: 'Satır ekle' }).click();
  await line(1).locator('input[name=description]').fill('Kurulum ve eğitim');
  await line(1).locator('input[name=quantity]').fill('1');
  await line(1).locator('input[name=unit_price]').fill('4.000,00');
  await line(1).locator('select[name=vat_rate]').selectOption('20');
  // 2 × 12.500 + 4.000 = 29.000 net; KDV %20 = 5.800.
  await expect(page.locator('#quote-totals [data-total]')).toHaveText('₺34.800,00');
  await expect(page.locator('#quote-totals')).toContainText('Yalnız otuz dört bin sekiz yüz Türk lirası');
  await shot(page, 'quote-editor');
  await page.getByRole('button', { name: 'Taslak olarak kaydet' }).click();
  await expect(page.locator('.notice')).toContainText('taslak olarak kaydedildi');
  await expect(page.locator('h1')).toContainText(/TKF-\d{4}-000001/);
  await expect(page.locator('[data-quote-status]')).toHaveText('Taslak');
  const quoteUrl = new URL(page.url()).pathname;

  const pdf = await page.request.get(`${quoteUrl}/pdf`);
  expect(pdf.status()).toBe(200);
  expect(pdf.headers()['content-type']).toBe('application/pdf');
  expect((await pdf.body()).subarray(0, 5).toString()).toBe('%PDF-');

  await page.locator('#f-to').fill('gulsen.ozturk@ornek.com.tr');
  await page.getByRole('button', { name: 'PDF ile gönder' }).click();
  await expect(page.locator('.notice')).toContainText('Teklif gönderildi');
  await expect(page.locator('[data-quote-status]')).toHaveText('Gönderildi');
  const [mail] = await mails(1);
  expect(mail).toContain('gulsen.ozturk@ornek.com.tr');
  expect(mail).toContain('application/pdf');
  expect(mail).toMatch(/TKF-\d{4}-000001\.pdf/);
  await shot(page, 'quote-sent');

  await page.getByRole('button', { name: 'Kabul edildi' }).click();
  await expect(page.locator('[data-quote-status]')).toHaveText('Kabul edildi');
  await page.getByRole('button', { name: 'Sipariş oluştur' }).click();
  await expect(page).toHaveURL(/\/orders\/\d+/);
  await expect(page.locator('.notice')).toContainText('Sipariş oluşturuldu');
  await expect(page.locator('[data-order-status]')).toHaveText('Onaylandı');
  const orderUrl = new URL(page.url()).pathname;

  // Half of the ovens go now, the installation later.
  await page.locator('#f-ship-1').fill('1');
  await page.locator('#f-ship-2').fill('');
  await page.locator('#f-carrier').fill('Aras Kargo');
  await page.getByRole('button', { name: 'Sevk et' }).click();
  await expect(page.locator('.notice')).toContainText('Sevkiyat kaydedildi');
  await expect(page.locator('[data-order-status]')).toHaveText('Kısmen sevk edildi');
  await expect(page.locator('[data-order-line="1"] [data-shipped]')).toHaveText('1');
  await shot(page, 'order-partly-shipped');

  // The same order in English.
  await page.locator('form.lang-switch button[value=en]').click();
  await page.goto(orderUrl);
  await expect(page.locator('[data-order-status]')).toHaveText('Partially shipped');
  await expect(page.getByRole('heading', { name: 'Shipments' })).toBeVisible();
  await page.goto(quoteUrl);
  await expect(page.locator('[data-quote-status]')).toHaveText('Accepted');
  await page.locator('form.lang-switch button[value=tr]').click();
  await expect(page.locator('[data-quote-status]')).toHaveText('Kabul edildi');

  await logout(page);
  await login(page, REP_B);
  expect((await page.goto(quoteUrl)).status()).toBe(404);
  expect((await page.goto(orderUrl)).status()).toBe(404);
  await page.goto('/quotes');
  await expect(page.locator('main')).not.toContainText('TKF-');
});

test('the quick quote fits a phone: lines stack and the total follows the typing', async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  await login(page, REP_A);
  await page.goto('/quotes/new');
  const line = page.locator('[data-quote-line]').first();
  await chooseProduct(line, 'FRN-200');
  await line.locator('input[name=quantity]').fill('1');
  await expect(page.locator('#quote-totals [data-total]')).toHaveText('₺15.000,00');
  const box = await line.boundingBox();
  expect(box.width).toBeLessThanOrEqual(390);
  await shot(page, 'quote-phone');
  await context.close();
});
