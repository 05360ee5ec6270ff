// Shaping the sales pipelines as an administrator meets it: the pipeline every installation
// starts with is listed with its stages; a stage is added between two others and a won
// stage given less than 100 % is refused beside its cell, keeping what was typed; a new
// pipeline starts from open, won and lost stages and can be deleted again; a lost reason
// is added, a name already used is refused in place, and a reason can stop being offered.
const { test, expect } = require('@playwright/test');
const { ADMIN, REP_A, login, logout, shot } = require('./common');

test('an administrator adds a stage, is told a won stage is certain, creates and deletes a pipeline, and keeps the lost reasons', async ({ page }) => {
  await login(page, ADMIN);
  await page.getByRole('link', { name: 'Satış süreçleri' }).click();
  await expect(page).toHaveURL(/\/admin\/pipelines$/);
  const first = page.locator('.pipeline-card').first();
  await expect(first).toContainText('Satış');
  await expect(first.locator('.stage-chip')).toHaveCount(6);
  await first.getByRole('link', { name: 'Düzenle' }).click();

  const rows = page.locator('tr.stage-row');
  await expect(rows.nth(2).locator('input[name=stage_name]')).toHaveValue('Teklif verildi');
  const fresh = rows.nth(6);
  await fresh.locator('input[name=stage_name]').fill('Demo yapıldı');
  await fresh.locator('input[name=stage_order]').fill('3');
  await fresh.locator('input[name=stage_probability]').fill('40');
  await rows.nth(4).locator('input[name=stage_probability]').fill('90');
  await page.getByRole('button', { name: 'Kaydet' }).click();
  await expect(rows.nth(4).locator('.field-error')).toContainText('%100');
  await expect(rows.nth(6).locator('input[name=stage_name]')).toHaveValue('Demo yapıldı');
  await shot(page, 'pipeline-edit-refused');

  await rows.nth(4).locator('input[name=stage_probability]').fill('100');
  await page.getByRole('button', { name: 'Kaydet' }).click();
  await expect(page).toHaveURL(/\/admin\/pipelines\?notice=/);
  await expect(page.locator('.notice')).toContainText('Değişiklikler kaydedildi');
  const stages = first.locator('.stage-chip strong');
  await expect(stages).toHaveText(['Yeni fırsat', 'Nitelikli', 'Teklif verildi', 'Demo yapıldı', 'Pazarlık', 'Kazanıldı', 'Kaybedildi']);
  await shot(page, 'pipelines');

  await page.getByRole('link', { name: 'Yeni süreç' }).click();
  await page.locator('input[name=name]').fill('Bayi satışı');
  await expect(rows.nth(0).locator('input[name=stage_name]')).toHaveValue('Yeni');
  await page.getByRole('button', { name: 'Kaydet' }).click();
  await expect(page.locator('.notice')).toContainText('Süreç oluşturuldu');
  const dealer = page.locator('.pipeline-card', { hasText: 'Bayi satışı' });
  await expect(dealer.locator('.stage-chip')).toHaveCount(3);
  await dealer.getByRole('link', { name: 'Düzenle' }).click();
  page.once('dialog', (dialog) => dialog.accept());
  await page.getByRole('button', { name: 'Süreci sil' }).click();
  await expect(page.locator('.notice')).toContainText('Süreç silindi');
  await expect(page.locator('.pipeline-card')).toHaveCount(1);

  // Lost reasons: a new one is added, one already there (in capitals) is refused in place.
  const reasons = page.locator('#lost-reasons');
  const add = reasons.locator('form[action="/admin/lost-reasons"]');
  await add.locator('input[name=name]').fill('BÜTÇE YOK');
  await add.getByRole('button', { name: 'Ekle' }).click();
  await expect(reasons.locator('form[action="/admin/lost-reasons"] .field-error')).toBeVisible();
  await expect(reasons.locator('form[action="/admin/lost-reasons"] input[name=name]')).toHaveValue('BÜTÇE YOK');
  await reasons.locator('form[action="/admin/lost-reasons"] input[name=name]').fill('Teslim süresi uzun');
  await reasons.locator('form[action="/admin/lost-reasons"]').getByRole('button', { name: 'Ekle' }).click();
  await expect(page.locator('.notice')).toContainText('Değişiklikler kaydedildi');
  const added = page.locator('#lost-reasons li form', { has: page.locator('input[value="Teslim süresi uzun"]') });
  await added.locator('input[name=active]').uncheck();
  await added.getByRole('button', { name: 'Kaydet' }).click();
  await expect(page.locator('#lost-reasons li input[value="Teslim süresi uzun"]')).toBeVisible();
  await expect(page.locator('#lost-reasons li form', { has: page.locator('input[value="Teslim süresi uzun"]') }).locator('input[name=active]')).not.toBeChecked();
  await page.locator('#lost-reasons').scrollIntoViewIfNeeded();
  await shot(page, 'lost-reasons');

  // Sales reps do not shape pipelines.
  await logout(page);
  await login(page, REP_A);
  await expect(page.getByRole('link', { name: 'Satış süreçleri' })).toHaveCount(0);
  const answer = await page.goto('/admin/pipelines');
  expect(answer.status()).toBe(403);
});
