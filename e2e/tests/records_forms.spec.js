// The record forms as a keyboard and mouse user meets them: the type-ahead company picker
// (typing finds companies on the server, Enter picks and never submits), e-mail rows added
// and removed in place, an inline card edit that takes the focus, Escape that cancels after
// asking about unsaved typing, and an amount edited as it reads in Turkish.
const { test, expect } = require('@playwright/test');
const { ADMIN, login, shot } = require('./common');

test.describe.configure({ mode: 'serial' });

async function newCompany(page, name) {
  await page.goto('/companies/new');
  await page.fill('input[name=name]', name);
  await page.click('main form.record-form button[type=submit]');
  await expect(page).toHaveURL(/\/companies\/\d+(\?.*)?$/);
  return new URL(page.url()).pathname.split('/').pop();
}

test('the company picker finds as you type, and e-mail rows are added and removed in place', async ({ page }) => {
  await login(page, ADMIN);
  await newCompany(page, 'Kuzey Ambalaj A.Ş.');
  const southId = await newCompany(page, 'Güney Gıda Ltd. Şti.');

  await page.goto('/people/new');
  await page.fill('input[name=first_name]', 'Sevgi');
  await page.fill('input[name=last_name]', 'Öztürk');
  const picker = page.locator('#f-company_id-q');
  await expect(picker).toHaveAttribute('role', 'combobox');
  await picker.fill('güney');
  const option = page.getByRole('option', { name: 'Güney Gıda Ltd. Şti.' });
  await expect(option).toBeVisible();
  await shot(page, 'company-picker');
  await picker.press('Enter');
  await expect(page).toHaveURL(/\/people\/new$/);
  await expect(picker).toHaveValue('Güney Gıda Ltd. Şti.');
  await expect(page.locator('#f-company_id')).toHaveValue(southId);

  const emails = page.locator('fieldset[data-list-field="emails"]');
  await emails.locator('input[name=emails]').first().fill('sevgi@guneygida.com.tr');
  await emails.getByRole('button', { name: 'E-posta ekle' }).click();
  await expect(emails.locator('input[name=emails]')).toHaveCount(2);
  await expect(emails.locator('input[name=emails]').nth(1)).toBeFocused();
  await page.keyboard.type('yanlis@ornek.com.tr');
  await emails.getByRole('button', { name: 'E-posta ekle' }).click();
  await page.keyboard.type('sevgi.ozturk@gmail.com');
  await emails.getByRole('button', { name: 'Kaldır' }).nth(1).click();
  await expect(emails.locator('input[name=emails]')).toHaveCount(2);
  await page.click('main form.record-form button[type=submit]');

  await expect(page).toHaveURL(/\/people\/\d+(\?.*)?$/);
  const contact = page.locator('#card-contact');
  await expect(contact).toContainText('sevgi@guneygida.com.tr');
  await expect(contact).toContainText('sevgi.ozturk@gmail.com');
  await expect(contact).not.toContainText('yanlis@ornek.com.tr');
  await expect(page.locator('#card-profile')).toContainText('Güney Gıda Ltd. Şti.');
});

test('an inline edit takes the focus, and Escape cancels after asking about unsaved typing', async ({ page }) => {
  await login(page, ADMIN);
  await page.goto('/people?q=sevgi');
  await page.getByRole('link', { name: 'Sevgi Öztürk' }).click();
  const card = page.locator('#card-address');
  await card.getByRole('link', { name: 'Düzenle' }).click();
  const street = card.locator('input[name=street]');
  await expect(street).toBeFocused();
  await page.keyboard.type('Atatürk Bulvarı 12');
  let asked = null;
  page.once('dialog', async (dialog) => { asked = dialog.message(); await dialog.dismiss(); });
  await page.keyboard.press('Escape');
  await expect.poll(() => asked).not.toBeNull();
  await expect(street).toHaveValue('Atatürk Bulvarı 12');
  page.once('dialog', (dialog) => dialog.accept());
  await page.keyboard.press('Escape');
  await expect(card.locator('form')).toHaveCount(0);
  await expect(card).not.toContainText('Atatürk Bulvarı 12');
  await expect(card.getByRole('link', { name: 'Düzenle' })).toBeFocused();
});

test('an amount is edited as it reads in Turkish', async ({ page }) => {
  await login(page, ADMIN);
  const id = await newCompany(page, 'Doğu Enerji A.Ş.');
  const card = page.locator('#card-profile');
  await card.getByRole('link', { name: 'Düzenle' }).click();
  // The opened card has settled once it has taken the focus.
  await expect(card.locator('input[name=name]')).toBeFocused();
  await card.locator('input[name=annual_revenue]').fill('15.250.800.000,5');
  await card.getByRole('button', { name: 'Kaydet' }).click();
  await expect(card.locator('form')).toHaveCount(0, { timeout: 15000 });
  await expect(card).toContainText('15.250.800.000,50');
  await page.goto(`/companies/${id}/edit`);
  await expect(page.locator('input[name=annual_revenue]')).toHaveValue('15.250.800.000,50');
});

test('the column chooser hides and pins columns, and remembers them', async ({ page }) => {
  await login(page, ADMIN);
  await page.goto('/people');
  const phone = page.locator('th[data-col="phone"]');
  await expect(phone).toBeVisible();
  await page.locator('.column-chooser summary').click();
  await page.getByLabel('Telefon', { exact: true }).uncheck();
  await expect(phone).toBeHidden();
  await expect(page.locator('td[data-col="phone"]').first()).toBeHidden();
  await shot(page, 'column-chooser');
  await page.reload();
  await expect(page.locator('th[data-col="phone"]')).toBeHidden();
  await page.locator('.column-chooser summary').click();
  await page.getByLabel('Telefon', { exact: true }).check();
  await expect(page.locator('th[data-col="phone"]')).toBeVisible();
});

test('a saved view brings back its filters, sort and columns', async ({ page }) => {
  await login(page, ADMIN);
  await page.goto('/people?q=öztürk&sort=-created_at');
  await page.locator('.column-chooser summary').click();
  await page.getByLabel('Telefon', { exact: true }).uncheck();
  await page.locator('.column-chooser summary').click();
  await page.locator('.view-menu-wrap summary').click();
  await page.fill('#view-name', 'Öztürkler');
  await page.getByLabel(/Herkesle paylaş/).check();
  await shot(page, 'saved-view-save');
  await page.getByRole('button', { name: 'Görünümü kaydet' }).click();
  await expect(page.locator('body')).toContainText('Görünüm kaydedildi.');
  // Elsewhere, with the phone column back on, the view restores its list.
  await page.goto('/people');
  await page.locator('.column-chooser summary').click();
  await page.getByLabel('Telefon', { exact: true }).check();
  await expect(page.locator('th[data-col="phone"]')).toBeVisible();
  await page.locator('.view-menu-wrap summary').click();
  await page.getByRole('link', { name: 'Öztürkler' }).click();
  await expect(page).toHaveURL(/q=%C3%B6zt%C3%BCrk/);
  await expect(page.locator('#record-count')).toContainText('2 kişi');
  await expect(page.locator('th[data-col="phone"]')).toBeHidden();
  await page.locator('.view-menu-wrap summary').click();
  await expect(page.locator('.view-list li.is-current')).toContainText('Öztürkler');
  await shot(page, 'saved-view-open');
  // Deleting it asks first and leaves the records alone.
  page.once('dialog', (dialog) => dialog.accept());
  await page.locator('.view-list li.is-current').getByRole('button', { name: /Sil/ }).click();
  await expect(page.locator('body')).toContainText('Görünüm silindi.');
  await page.locator('.column-chooser summary').click();
  await page.getByLabel('Telefon', { exact: true }).check();
});

test('a bulk action can take every record the filters match, not only the page', async ({ page }) => {
  await login(page, ADMIN);
  await page.goto('/people?q=öztürk');
  await page.locator('input[data-select-all]').check();
  const offer = page.locator('[data-bulk-all]');
  await expect(offer).toBeVisible();
  await offer.getByRole('button', { name: /kaydın tümünü seç/ }).click();
  await expect(offer).toContainText('kaydın tümü seçili');
  await page.fill('#bulk-tag', 'toplu');
  await page.getByRole('button', { name: 'Etiket ekle' }).click();
  await expect(page.locator('body')).toContainText('güncellendi');
  await page.goto('/people?tag=toplu');
  await expect(page.locator('#record-count')).toContainText('2 kişi');
});
