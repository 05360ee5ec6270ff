// The product catalogue as an administrator and a sales rep meet it: a product is added
// with its price typed as it reads in Turkish, a price that is not an amount and a 0 % KDV
// without its exemption code are refused beside their fields keeping what was typed, the
// list finds the product by a name typed without Turkish letters, and a rep reads the
// catalogue without being offered to change it.
const { test, expect } = require('@playwright/test');
const { ADMIN, REP_A, login, logout, shot } = require('./common');

test('an administrator adds a product with a Turkish price; a rep reads the catalogue', async ({ page }) => {
  await login(page, ADMIN);
  await page.getByRole('link', { name: 'Ürünler' }).click();
  await expect(page).toHaveURL(/\/products$/);
  await page.getByRole('link', { name: 'Yeni ürün' }).click();
  await page.locator('input[name=sku]').fill('FRN-200');
  await page.locator('input[name=name]').fill('Endüstriyel fırın');
  await page.locator('input[name=price]').fill('on iki bin');
  await page.locator('select[name=vat_rate]').selectOption('0');
  await page.getByRole('button', { name: 'Kaydet' }).click();
  await expect(page.locator('#f-price-error')).toBeVisible();
  await expect(page.locator('#f-vat_exemption_code-error')).toContainText('istisna kodu gerekir');
  await expect(page.locator('input[name=name]')).toHaveValue('Endüstriyel fırın');
  await shot(page, 'product-refused');

  await page.locator('input[name=price]').fill('12.500,00');
  await page.locator('select[name=vat_rate]').selectOption('20');
  await page.getByRole('button', { name: 'Kaydet' }).click();
  await expect(page.locator('.notice')).toContainText('Ürün eklendi');
  await page.locator('#products-q').fill('firin');
  await page.locator('#products-q').press('Enter');
  const row = page.locator('tbody tr', { hasText: 'FRN-200' });
  await expect(row).toContainText('Endüstriyel fırın');
  await expect(row).toContainText('₺12.500,00');
  await expect(row).toContainText('%20');
  await shot(page, 'products');

  await logout(page);
  await login(page, REP_A);
  await page.goto('/products');
  await expect(page.locator('tbody tr', { hasText: 'FRN-200' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Yeni ürün' })).toHaveCount(0);
  await page.getByRole('link', { name: 'Endüstriyel fırın' }).click();
  await expect(page.locator('form.form')).toHaveCount(0);
  await expect(page.locator('.dl')).toContainText('12.500,00');
  const answer = await page.goto('/products/new');
  expect(answer.status()).toBe(403);
});
