// Sales targets and the forecast as an administrator and a rep meet them, after the deals
// tests put deals on the board: the administrator sets a rep's target for this quarter on
// the forecast page and sees it beside what is closed and in the pipeline, drawn as a chart;
// an overlapping target is refused beside its field with what was typed kept; the rep sees
// their own line only and no target form; a colleague sees neither the target nor the
// rep's deals; the page reads in English too.
const { test, expect } = require('@playwright/test');
const { ADMIN, REP_A, REP_B, login, logout, shot } = require('./common');

test.describe.configure({ mode: 'serial' });

test('an administrator sets a rep\'s quarterly target and sees the forecast drawn', async ({ page }) => {
  page.on('dialog', (dialog) => dialog.accept());
  await login(page, ADMIN);
  await page.getByRole('link', { name: 'Tahmin' }).click();
  await expect(page).toHaveURL(/\/reports\/forecast/);
  await expect(page.locator('h1')).toHaveText('Satış tahmini');
  await expect(page.locator('[data-forecast-chart] svg')).toBeVisible();
  await expect(page.locator('[data-forecast-total]')).toContainText('Toplam');

  const form = page.locator('[data-target-form]');
  await form.locator('#f-whose').selectOption({ label: REP_A.name });
  await form.locator('#f-metric').selectOption('won_amount');
  await form.locator('#f-target').fill('250.000');
  await form.getByRole('button', { name: 'Hedef ekle' }).click();
  await expect(page.locator('.notice')).toContainText('Hedef eklendi');
  const row = page.locator('[data-target-row]', { hasText: REP_A.name });
  await expect(row).toContainText('₺250.000,00');
  await expect(page.locator('[data-forecast-row]', { hasText: REP_A.name })).toContainText('₺250.000,00');
  await shot(page, 'forecast-quarter');

  // The same again overlaps: refused beside the period, what was typed kept.
  await form.locator('#f-whose').selectOption({ label: REP_A.name });
  await form.locator('#f-target').fill('300.000');
  await form.getByRole('button', { name: 'Hedef ekle' }).click();
  await expect(page.locator('#f-period_start-error')).toContainText('çakışan');
  await expect(page.locator('#f-target')).toHaveValue('300.000');

  // By month, the quarter's target counts by the days the month shares with it.
  await page.locator('#f-period').selectOption('month');
  await page.getByRole('button', { name: 'Göster' }).click();
  await expect(page).toHaveURL(/period=month/);
  await expect(page.locator('[data-forecast-row]', { hasText: REP_A.name })).not.toContainText('₺250.000,00');
  await logout(page);
});

test('a rep sees their own forecast, a colleague none of it', async ({ page }) => {
  await login(page, REP_A);
  await page.goto('/reports/forecast');
  await expect(page.locator('[data-forecast-row]')).toHaveCount(1);
  await expect(page.locator('[data-forecast-row]')).toContainText(REP_A.name);
  await expect(page.locator('[data-forecast-row]')).toContainText('₺250.000,00');
  await expect(page.locator('[data-target-form]')).toHaveCount(0);
  await expect(page.locator('[data-forecast-overdue]')).toBeVisible();
  await logout(page);

  await login(page, REP_B);
  await page.goto('/reports/forecast');
  await expect(page.locator('main')).not.toContainText(REP_A.name);
  await expect(page.locator('[data-target-row]')).toHaveCount(0);
  await logout(page);
});

test('the forecast reads in English', async ({ page }) => {
  await login(page, ADMIN);
  await page.goto('/reports/forecast');
  await page.locator('form[action="/settings/language"] button[value="en"]').click();
  await page.goto('/reports/forecast');
  await expect(page.locator('h1')).toHaveText('Sales forecast');
  await expect(page.locator('[data-forecast] thead')).toContainText('Closed won');
  await expect(page.locator('[data-forecast] thead')).toContainText('Best case');
  await shot(page, 'forecast-english');
  await page.locator('form[action="/settings/language"] button[value="tr"]').click();
  await logout(page);
});
