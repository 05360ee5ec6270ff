// A data-subject request (KVKK article 11) as an administrator answers it: a customer named
// in a call logged on a company, the person's "Kişisel veriler (KVKK)" page with the
// preview, an export prepared in the background and downloaded as a ZIP, a confirmation
// typed wrong (nothing happens) and right (the person is erased: the note on the company
// no longer names them); a sales rep cannot open the page.
const { test, expect } = require('@playwright/test');
const { ADMIN, REP_A, login, logout, shot } = require('./common');

test.describe.configure({ mode: 'serial' });

let personPath;

test('an administrator previews, exports and erases a person', async ({ page }) => {
  await login(page, ADMIN);
  await page.goto('/companies/new');
  await page.fill('input[name=name]', 'Silgi Lojistik');
  await page.click('main form button[type=submit]');
  await expect(page).toHaveURL(/\/companies\/\d+(\?.*)?$/);
  const companyPath = new URL(page.url()).pathname;
  const card = page.locator('#card-activities');
  await card.locator('label.composer-tab', { hasText: 'Arama' }).click();
  await card.locator('input[name=starts_at]').fill('2026-12-03T14:30');
  await card.locator('input[name=subject]').fill('Satın alma görüşmesi');
  await card.locator('textarea[name=body]').fill('Nermin Kalemci ile konuşuldu (0533 444 55 66).');
  await card.getByRole('button', { name: 'Kaydet' }).click();
  await expect(card).toContainText('Nermin Kalemci');

  await page.goto('/people/new');
  await page.fill('input[name=first_name]', 'Nermin');
  await page.fill('input[name=last_name]', 'Kalemci');
  await page.locator('input[name=emails]').first().fill('nermin.kalemci@ornek.com.tr');
  await page.locator('input[name=phones]').first().fill('0533 444 55 66');
  await page.click('main form button[type=submit]');
  await expect(page).toHaveURL(/\/people\/\d+(\?.*)?$/);
  personPath = new URL(page.url()).pathname;

  await page.locator('[data-privacy-link]').click();
  await expect(page).toHaveURL(new RegExp(`${personPath}/privacy$`));
  const plan = page.locator('[data-privacy-plan]');
  await expect(plan).toContainText(/Silme önizlemesi|Erasure preview/);
  const redacted = page.locator('[data-privacy-redacted]');
  await expect(redacted).toContainText('activities.body');
  await expect(redacted).toContainText('[silindi] ile konuşuldu [silindi].');
  await shot(page, 'person-privacy-preview');

  // The export is prepared by the worker; the list shows its download when it is done.
  await page.locator('[data-privacy-export]').click();
  await expect(page.locator('[data-privacy-notice]')).toContainText(/hazırlanıyor|being prepared/);
  const download = page.locator('[data-privacy-download]').first();
  await expect(async () => {
    await page.reload();
    await expect(download).toBeVisible({ timeout: 1000 });
  }).toPass({ timeout: 20000 });
  const [file] = await Promise.all([page.waitForEvent('download'), download.click()]);
  const bytes = require('fs').readFileSync(await file.path());
  expect(bytes.subarray(0, 2).toString()).toBe('PK');
  expect(file.suggestedFilename()).toMatch(/^kisi-\d+-verileri-\d+\.zip$/);

  // A confirmation typed wrong erases nothing.
  const form = page.locator('[data-privacy-erase]');
  await form.locator('input[name=confirm]').fill('Nermin');
  await form.locator('button[type=submit]').click();
  await expect(page.locator('[data-privacy-error]')).toContainText(/eşleşmiyor|does not match/);
  await page.locator('[data-privacy-erase] input[name=confirm]').fill('Nermin Kalemci');
  await page.locator('[data-privacy-erase] button[type=submit]').click();
  await expect(page.locator('[data-privacy-notice]')).toContainText(/silindi|erased/);
  await expect(page.locator('[data-privacy-plan]')).toContainText(/Silindi|Erased/);
  await expect(page.locator('[data-privacy-download]')).toHaveCount(0);
  await expect(page.locator('[data-privacy-retained]')).toBeVisible();
  await shot(page, 'person-privacy-erased');
  await page.locator('form[action="/settings/language"] button[value="en"]').click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(page.locator('[data-privacy-plan]')).toContainText('This person was erased');
  await expect(page.locator('[data-privacy-requests]')).toContainText('Data export');
  await shot(page, 'person-privacy-erased-en');
  await page.locator('form[action="/settings/language"] button[value="tr"]').click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'tr');

  await page.goto(companyPath);
  await expect(page.locator('#card-activities')).toContainText('[silindi] ile konuşuldu [silindi].');
  await expect(page.locator('main')).not.toContainText('Kalemci');
  await page.goto(`/people?q=${encodeURIComponent('Kalemci')}`);
  await expect(page.locator('main')).not.toContainText('Nermin');
  await logout(page);
});

test('a sales rep cannot open a person\'s data requests', async ({ page }) => {
  await login(page, REP_A);
  const response = await page.goto(`${personPath}/privacy`);
  expect([403, 404]).toContain(response.status());
  await logout(page);
});
