// Logging an activity from a record's page as a user meets it: the form in the activities
// card posts without reloading the page, the new call shows at the top of the card, and the
// person's company lists it too. Runs after the record tests, whose people it uses.
const { test, expect } = require('@playwright/test');
const { ADMIN, login, shot } = require('./common');

test('a call logged on a person shows in the card at once and on their company', async ({ page }) => {
  await login(page, ADMIN);
  await page.goto('/people?q=sevgi');
  await page.getByRole('link', { name: 'Sevgi Öztürk' }).click();
  await expect(page).toHaveURL(/\/people\/\d+(\?.*)?$/);
  const personUrl = page.url();
  const card = page.locator('#card-activities');
  await expect(card.locator('.activity')).toHaveCount(0);
  await expect(card.locator('.timeline-change').last()).toContainText('Oluşturuldu');

  await card.locator('label.composer-tab', { hasText: 'Arama' }).click();
  await card.locator('input[name=starts_at]').fill('2026-12-03T14:30');
  await card.locator('input[name=subject]').fill('Fiyat listesi soruldu');
  await card.locator('textarea[name=body]').fill('Yeni katalog e-postayla gönderilecek.');
  await card.getByRole('button', { name: 'Kaydet' }).click();

  await expect(card.locator('.activity')).toHaveCount(1);
  await expect(card).toContainText('Fiyat listesi soruldu');
  await expect(card).toContainText('Arama');
  await expect(card.locator('input[name=subject]')).toHaveValue('');
  expect(page.url()).toBe(personUrl);
  await card.scrollIntoViewIfNeeded();
  await shot(page, 'activities-card');

  // A date that is not one is refused in place, and what was typed stays.
  await card.locator('input[name=subject]').fill('Tarihsiz');
  await card.locator('input[name=starts_at]').evaluate((el) => { el.type = 'text'; el.value = 'dün'; });
  await card.getByRole('button', { name: 'Kaydet' }).click();
  await expect(card.locator('.field-error')).toBeVisible();
  await expect(card.locator('input[name=subject]')).toHaveValue('Tarihsiz');

  // The task tab adds a task to the same timeline; a chip shows tasks alone.
  await card.locator('label.composer-tab', { hasText: 'Görev' }).click();
  await expect(card.locator('label[for=activity-subject] .task-only')).toBeVisible();
  await expect(card.locator('label[for=activity-subject] .activity-only')).toBeHidden();
  await expect(card.locator('#activity-status')).toBeHidden();
  await card.locator('input[name=subject]').fill('Kataloğu kargola');
  await card.locator('input[name=starts_at]').fill('2026-12-20T10:00');
  await card.getByRole('button', { name: 'Kaydet' }).click();
  await expect(card.locator('.timeline-task')).toContainText('Kataloğu kargola');
  await card.getByRole('link', { name: 'Görevler' }).click();
  await expect(card.locator('.timeline-item')).toHaveCount(1);
  await expect(card.getByRole('link', { name: 'Görevler' })).toHaveAttribute('aria-current', 'true');
  await shot(page, 'timeline-card');
  expect(page.url()).toBe(personUrl);

  await page.getByRole('link', { name: 'Güney Gıda Ltd. Şti.' }).first().click();
  await expect(page).toHaveURL(/\/companies\/\d+(\?.*)?$/);
  await expect(page.locator('#card-activities')).toContainText('Fiyat listesi soruldu');
});
