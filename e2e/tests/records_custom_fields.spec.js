// Custom fields end to end: an administrator defines a choice field and a money field, a
// sales rep fills them on a person from the record page, filters the list by them and sees
// them as columns (all of the filters, or any of them), and an English reader gets the
// English labels.
const { test, expect } = require('@playwright/test');
const { ADMIN, REP_A, shot, login, logout } = require('./common');

test.describe.configure({ mode: 'serial' });

async function define(page, fields) {
  await page.goto('/admin/custom-fields');
  const form = page.locator('main form[action="/admin/custom-fields"]');
  await form.locator('select[name=record_type]').selectOption('person');
  await form.locator('input[name=label_tr]').fill(fields.tr);
  await form.locator('input[name=label_en]').fill(fields.en);
  await form.locator('select[name=field_type]').selectOption(fields.type);
  if (fields.options) await form.locator('textarea[name=options]').fill(fields.options);
  await form.locator('input[name=in_list]').check();
  await form.locator('button[type=submit]').click();
  await expect(page.locator('main table')).toContainText(fields.tr);
}

async function newPerson(page, first, last) {
  await page.goto('/people/new');
  await page.fill('input[name=first_name]', first);
  await page.fill('input[name=last_name]', last);
  await page.click('main form button[type=submit]');
  await expect(page).toHaveURL(/\/people\/\d+(\?.*)?$/);
}

async function fillCustom(page, sector, amount) {
  const card = page.locator('#card-custom');
  await card.getByRole('link', { name: 'Düzenle' }).click();
  await card.locator('select[name="custom.sektor"]').selectOption(sector);
  await card.locator('input[name="custom.ciro"]').fill(amount);
  await card.getByRole('button', { name: 'Kaydet' }).click();
  await expect(page.locator('#card-custom form')).toHaveCount(0);
}

test('an administrator defines fields, a rep fills and filters them, English shows English', async ({ page, browser }) => {
  await login(page, ADMIN);
  await define(page, {
    tr: 'Sektör', en: 'Industry', type: 'choice',
    options: 'tekstil | Tekstil | Textiles\ngida | Gıda | Food',
  });
  await define(page, { tr: 'Ciro', en: 'Turnover', type: 'money' });
  await expect(page.locator('main table')).toContainText('sektor');
  await shot(page, 'custom-fields-admin');
  await logout(page);

  await login(page, REP_A);
  await newPerson(page, 'Nazlı', 'Tekin');
  await fillCustom(page, 'tekstil', '1.250.000,50');
  const card = page.locator('#card-custom');
  await expect(card).toContainText('Tekstil');
  await expect(card).toContainText('₺1.250.000,50');
  await shot(page, 'custom-fields-card');
  // A bad amount is refused under its field and keeps what was typed.
  await card.getByRole('link', { name: 'Düzenle' }).click();
  await card.locator('input[name="custom.ciro"]').fill('çok');
  await card.getByRole('button', { name: 'Kaydet' }).click();
  await expect(card.locator('.field-error')).toBeVisible();
  await expect(card.locator('input[name="custom.ciro"]')).toHaveValue('çok');
  await card.getByRole('link', { name: 'Vazgeç' }).click();
  const personUrl = new URL(page.url()).pathname;

  await newPerson(page, 'Oya', 'Kurt');
  await fillCustom(page, 'gida', '5.000');

  // Filter by the choice, then by the money range; both are columns too.
  await page.goto('/people');
  await expect(page.locator('main table thead th', { hasText: 'Sektör' })).toBeVisible();
  await expect(page.locator('main table thead th', { hasText: 'Ciro' })).toBeVisible();
  await page.locator('details.filter-more summary').click();
  await page.locator('select[name="custom.sektor"]').selectOption('tekstil');
  await page.locator('#filters button[type=submit]').click();
  await expect(page).toHaveURL(/custom\.sektor=tekstil/);
  await expect(page.locator('#results')).toContainText('Nazlı Tekin');
  await expect(page.locator('#results')).not.toContainText('Oya Kurt');
  await page.goto('/people?custom.ciro_gte=10000');
  await expect(page.locator('#results')).toContainText('Nazlı Tekin');
  await expect(page.locator('#results')).not.toContainText('Oya Kurt');
  await shot(page, 'custom-fields-list');
  // All filters must hold, unless the list is asked for any of them.
  await page.goto('/people?custom.sektor=gida&custom.ciro_gte=1000000');
  await expect(page.locator('#results')).not.toContainText('Nazlı Tekin');
  await expect(page.locator('#results')).not.toContainText('Oya Kurt');
  await page.locator('select[name=combine]').selectOption('any');
  await page.locator('#filters button[type=submit]').click();
  await expect(page).toHaveURL(/combine=any/);
  await expect(page.locator('#results')).toContainText('Nazlı Tekin');
  await expect(page.locator('#results')).toContainText('Oya Kurt');
  await shot(page, 'list-filters-any');
  await logout(page);

  // An English reader sees the English labels and option names.
  const english = await browser.newContext({ locale: 'en-US' });
  const en = await english.newPage();
  await login(en, REP_A);
  await en.goto(personUrl);
  await expect(en.locator('#card-custom')).toContainText('Industry');
  await expect(en.locator('#card-custom')).toContainText('Textiles');
  await expect(en.locator('#card-custom')).toContainText('TRY 1,250,000.50');
  await en.goto('/people');
  await expect(en.locator('main table thead th', { hasText: 'Turnover' })).toBeVisible();
  await expect(en.locator('#results')).toContainText('TRY 1,250,000.50');
  await shot(en, 'custom-fields-list-en');
  await english.close();
});
