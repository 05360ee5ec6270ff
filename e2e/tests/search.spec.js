// The search box on every page, as a keyboard user meets it: "/" jumps to it from anywhere
// but a field, Enter searches people and companies at once (Turkish-aware), and a result
// opens its record. Runs after the record tests, whose companies it finds.
const { test, expect } = require('@playwright/test');
const { ADMIN, login, shot } = require('./common');

test('"/" jumps to the search box, which finds people and companies at once', async ({ page }) => {
  await login(page, ADMIN);
  await page.goto('/');
  const box = page.locator('#global-search');
  await expect(box).toBeVisible();
  await page.keyboard.press('/');
  await expect(box).toBeFocused();
  await page.keyboard.type('guney');
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\/search\?q=guney$/);
  await expect(page.locator('h1')).toHaveText('Arama');
  const people = page.getByRole('region', { name: 'Kişiler' });
  await expect(people.getByRole('link', { name: /Sevgi Öztürk/ })).toBeVisible();
  const company = page.getByRole('region', { name: 'Firmalar' }).getByRole('link', { name: 'Güney Gıda Ltd. Şti.' });
  await expect(company).toBeVisible();
  await expect(page.locator('#search-page-q')).toHaveValue('guney');
  await shot(page, 'search-results');
  await company.click();
  await expect(page).toHaveURL(/\/companies\/\d+(\?.*)?$/);

  // Typing "/" in a field types it; it does not jump.
  await page.goto('/search?q=zzzz-yok');
  await expect(page.getByRole('status')).toContainText('Bir şey bulunamadı');
  const pageBox = page.locator('#search-page-q');
  await pageBox.fill('');
  await pageBox.type('a/b');
  await expect(pageBox).toHaveValue('a/b');
  await expect(box).not.toBeFocused();
});
