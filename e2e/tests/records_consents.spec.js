// A person's consents and the duplicate warning, as an administrator meets them: the
// "İzinler" card of the customer the foundation test made, an SMS refusal recorded from a
// call (a date in the future is explained and the form keeps what was typed), the chips and
// the history after it; then a second person typed with an e-mail already kept, in other
// capitals: the form names the first with a link, "Yine de kaydet" keeps both, and the
// review of possible duplicates merges them back into one; two people whose names differ
// only in Turkish letters and capitals are listed as alike and merged on the merge screen,
// a job title picked from the other record. The refusal then waits on the
// "İYS aktarımı" page, late, until its bulk file is downloaded and marked as uploaded.
const { test, expect } = require('@playwright/test');
const { ADMIN, REP_A, login, logout, shot } = require('./common');

test.describe.configure({ mode: 'serial' });

test('an administrator records an SMS refusal and sees it on the chips and in the history', async ({ page }) => {
  await login(page, ADMIN);
  await page.goto(`/people?q=${encodeURIComponent('ışık')}`);
  await page.locator('main table a[href^="/people/"]').first().click();
  const card = page.locator('#card-consents');
  await expect(card).toBeVisible();
  await expect(card.locator('[data-consent-chips] li')).toHaveCount(3);
  await card.locator('[data-consents-link]').click();
  await expect(page).toHaveURL(/\/people\/\d+\/consents$/);

  const form = page.locator('[data-consent-form]');
  await form.locator('select[name=channel]').selectOption('sms');
  await form.locator('select[name=status]').selectOption('denied');
  await form.locator('select[name=source]').selectOption('HS_CAGRI_MERKEZI');
  await form.locator('input[name=given_at]').fill('2099-01-01T10:00');
  await form.locator('button[type=submit]').click();
  await expect(page.locator('#f-given_at-error')).toContainText(/gelecekte|future/);
  await expect(form.locator('select[name=source]')).toHaveValue('HS_CAGRI_MERKEZI');

  await form.locator('input[name=given_at]').fill('2026-11-15T14:30');
  await form.locator('button[type=submit]').click();
  await expect(page.locator('.notice')).toContainText(/kaydedildi|recorded/);
  const history = page.locator('[data-consent-history]');
  await expect(history).toContainText(/Çağrı merkezi|Call centre/);
  await expect(history).toContainText('+905321234567');
  await expect(page.locator('[data-consent-chips] .badge-danger')).toContainText('SMS');
  await shot(page, 'person-consents');

  await page.locator('.breadcrumb a').click();
  await expect(page.locator('#card-consents .badge-danger')).toContainText('SMS');
  await shot(page, 'person-consent-chips');
  await logout(page);
});

test('the refusal waits for İYS, late, until its file is downloaded and marked as uploaded', async ({ page }) => {
  await login(page, ADMIN);
  await page.locator('nav a[href="/admin/iys"]').click();
  await expect(page).toHaveURL(/\/admin\/iys$/);
  const row = page.locator('[data-iys-pending] tr').filter({ hasText: '+905321234567' });
  await expect(row).toHaveCount(1);
  await expect(row).toContainText(/Çağrı merkezi|Call centre/);
  await expect(row.locator('[data-iys-late]')).toContainText(/Gecikti: son gün 18\.11\.2026|Late: due/);
  await expect(page.locator('[data-iys-overdue]')).toBeVisible();
  await shot(page, 'admin-iys');

  const [file] = await Promise.all([page.waitForEvent('download'), page.locator('[data-iys-download=csv]').click()]);
  const csv = require('fs').readFileSync(await file.path(), 'utf8');
  expect(csv.split('\r\n')[0]).toBe('type,source,recipient,status,consentDate,recipientType');
  expect(csv).toContain('MESAJ,HS_CAGRI_MERKEZI,+905321234567,RET,2026-11-15 14:30:00,BIREYSEL');
  expect(file.suggestedFilename()).toMatch(/^iys-\d{4}-\d{2}-\d{2}\.csv$/);

  await page.locator('form[action="/settings/language"] button[value="en"]').click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(page.locator('h1')).toHaveText('Permissions to send to İYS');
  await expect(row.locator('[data-iys-late]')).toContainText('Late: due 18 Nov 2026');
  await shot(page, 'admin-iys-en');
  await page.locator('form[action="/settings/language"] button[value="tr"]').click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'tr');

  await page.locator('[data-iys-mark] button[type=submit]').click();
  await expect(page.locator('[data-iys-notice]')).toContainText(/işaretlenen izinler: 1/);
  await expect(page.locator('[data-iys-pending] tr').filter({ hasText: '+905321234567' })).toHaveCount(0);
  await logout(page);

  await login(page, REP_A);
  const response = await page.goto('/admin/iys');
  expect(response.status()).toBe(403);
  await logout(page);
});

test('a person repeating one already kept is named with a link, and saved only when asked', async ({ page }) => {
  await login(page, ADMIN);
  await page.goto('/people/new');
  await page.fill('input[name=first_name]', 'Kopya');
  await page.fill('input[name=last_name]', 'Deneme');
  await page.locator('input[name=emails]').first().fill('kopya.deneme@ornek.com.tr');
  await page.click('main form button[type=submit]');
  await expect(page).toHaveURL(/\/people\/\d+(\?.*)?$/);
  const first = new URL(page.url()).pathname;

  await page.goto('/people/new');
  await page.fill('input[name=first_name]', 'Kopya');
  await page.fill('input[name=last_name]', 'Deneme');
  await page.locator('input[name=emails]').first().fill('KOPYA.DENEME@ORNEK.COM.TR');
  await page.click('main form button[type=submit]');
  const notice = page.locator('.duplicate-notice');
  await expect(notice).toBeVisible();
  await expect(notice.locator(`a[href="${first}"]`)).toHaveText('Kopya Deneme');
  await expect(page.locator('input[name=emails]').first()).toHaveValue('KOPYA.DENEME@ORNEK.COM.TR');
  await shot(page, 'person-duplicate');

  await page.check('[data-allow-duplicate]');
  await page.click('main form button[type=submit]');
  await expect(page).toHaveURL(/\/people\/\d+(\?.*)?$/);
  expect(new URL(page.url()).pathname).not.toBe(first);
  await logout(page);
});

test('the two are listed as possible duplicates and merged into one', async ({ page }) => {
  await login(page, ADMIN);
  await page.goto('/people');
  await page.click('[data-duplicates-link]');
  await expect(page).toHaveURL(/\/duplicates\?record_type=person$/);
  const pair = page.locator('[data-pair]').filter({ hasText: 'Kopya Deneme' });
  await expect(pair).toHaveCount(1);
  await shot(page, 'people-duplicates');
  await pair.locator('[data-keep]').first().click();
  await expect(page).toHaveURL(/\/people\/\d+\?notice=notice-merged$/);
  await expect(page.locator('.notice-success')).toContainText(/birleştirildi|merged/);
  await page.goto('/duplicates?record_type=person');
  await expect(page.locator('[data-pair]').filter({ hasText: 'Kopya Deneme' })).toHaveCount(0);
  await logout(page);
});

test('two similar names are compared field by field and merged with the values picked', async ({ page }) => {
  await login(page, ADMIN);
  for (const [first, last, title, city] of [['Çağlar', 'Işıl', 'Muhasebe', 'İstanbul'], ['CAGLAR', 'ISIL', 'Finans müdürü', 'ISTANBUL']]) {
    await page.goto('/people/new');
    await page.fill('input[name=first_name]', first);
    await page.fill('input[name=last_name]', last);
    await page.fill('input[name=job_title]', title);
    await page.fill('input[name=city]', city);
    await page.click('main form button[type=submit]');
    await expect(page).toHaveURL(/\/people\/\d+(\?.*)?$/);
  }

  await page.goto('/duplicates?record_type=person');
  const pair = page.locator('[data-pair]').filter({ hasText: 'CAGLAR ISIL' });
  await expect(pair).toHaveCount(1);
  await expect(pair.locator('h2')).toContainText('Benzer ad');
  await pair.locator('[data-compare]').click();
  await expect(page).toHaveURL(/\/people\/\d+\/merge\?duplicate_id=\d+$/);
  await expect(page.locator('h1')).toHaveText('İki kaydı birleştir');
  const title = page.locator('[data-merge-row="job_title"]');
  await expect(title.locator('input[type=radio]')).toHaveCount(2);
  await expect(title.locator('input[value=kept]')).toBeChecked();
  await shot(page, 'people-merge');

  await page.locator('form[action="/settings/language"] button[value="en"]').click();
  await expect(page.locator('h1')).toHaveText('Merge two records');
  await shot(page, 'people-merge-en');
  await page.locator('form[action="/settings/language"] button[value="tr"]').click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'tr');

  await page.locator('[data-merge-row="job_title"] input[value=other]').check();
  await page.click('[data-merge-submit]');
  await expect(page).toHaveURL(/\/people\/\d+\?notice=notice-merged$/);
  await expect(page.locator('main')).toContainText('Finans müdürü');
  await expect(page.locator('main h1')).toContainText('Çağlar Işıl');
  await page.goto('/duplicates?record_type=person');
  await expect(page.locator('[data-pair]').filter({ hasText: 'CAGLAR ISIL' })).toHaveCount(0);
  await logout(page);
});
