// The foundation as a new user meets it, in headless Chromium: first-run setup, sign in,
// a company and a person at it, Turkish search, a stale edit refused, a sales rep who cannot
// see a colleague's customer, and the language switch. Saves screenshots of the main pages
// (see common.js). The accounts it creates are used by the other browser tests.
const { test, expect } = require('@playwright/test');
const { ADMIN, REP_A, REP_B, shot, login, logout } = require('./common');

test.describe.configure({ mode: 'serial' });

test('a new installation asks for the first administrator, never a default password', async ({ page }) => {
  await page.goto('/');
  await expect(page).toHaveURL(/\/setup/);
  await shot(page, 'setup');
  // Bad input keeps what was typed and explains each problem.
  await page.fill('input[name=email]', 'not-an-email');
  await page.fill('input[name=name]', ADMIN.name);
  await page.fill('input[name=password]', 'short');
  await page.fill('input[name=password_confirm]', 'short');
  await page.click('form[action="/setup"] button[type=submit]');
  await expect(page.locator('input[name=name]')).toHaveValue(ADMIN.name);
  await expect(page.locator('.field-error').first()).toBeVisible();
  await page.fill('input[name=email]', ADMIN.email);
  await page.fill('input[name=password]', ADMIN.password);
  await page.fill('input[name=password_confirm]', ADMIN.password);
  await page.click('form[action="/setup"] button[type=submit]');
  await expect(page).not.toHaveURL(/\/setup/);
  await logout(page);
  await shot(page, 'login');
  await page.fill('input[name=email]', ADMIN.email);
  await page.fill('input[name=password]', 'wrong-password-1');
  await page.click('form[action="/login"] button[type=submit]');
  await expect(page.locator('input[name=email]')).toHaveValue(ADMIN.email);
  await login(page, ADMIN);
  await shot(page, 'home');
});

test('an administrator creates a company, a person at it, and finds her with Turkish letters', async ({ page }) => {
  await login(page, ADMIN);
  await page.goto('/companies/new');
  await page.fill('input[name=name]', 'Çağlar Tekstil A.Ş.');
  await page.fill('input[name=tax_number]', '1234567891');
  await page.fill('input[name=city]', 'İstanbul');
  await page.click('main form button[type=submit]');
  // A wrong tax number is explained and nothing typed is lost.
  await expect(page.locator('input[name=name]')).toHaveValue('Çağlar Tekstil A.Ş.');
  await expect(page.locator('.field-error').first()).toBeVisible();
  await page.fill('input[name=tax_number]', '1234567890');
  await page.fill('input[name=tax_office]', 'Kadıköy');
  await page.click('main form button[type=submit]');
  await expect(page).toHaveURL(/\/companies\/\d+(\?.*)?$/);
  await expect(page.locator('main')).toContainText('Çağlar Tekstil A.Ş.');
  await shot(page, 'company');
  const companyId = new URL(page.url()).pathname.split('/').pop();

  await page.goto(`/people/new?company_id=${companyId}`);
  await page.fill('input[name=first_name]', 'Işık');
  await page.fill('input[name=last_name]', 'Çağlar');
  await page.locator('input[name=emails]').first().fill('isik.caglar@caglartekstil.com.tr');
  await page.locator('input[name=phones]').first().fill('0532 123 45 67');
  await page.click('main form button[type=submit]');
  await expect(page).toHaveURL(/\/people\/\d+(\?.*)?$/);
  await expect(page.locator('main')).toContainText('Işık');
  await expect(page.locator('main')).toContainText('Çağlar Tekstil A.Ş.');
  await shot(page, 'person');

  for (const q of ['ISIK', 'ışık', 'isik caglar']) {
    await page.goto(`/people?q=${encodeURIComponent(q)}`);
    await expect(page.locator('main table')).toContainText('Işık');
  }
  await shot(page, 'people-search');
  await page.goto('/companies');
  await shot(page, 'companies');
});

test('a stale edit is refused with a clear message and keeps what was typed', async ({ browser }) => {
  const first = await browser.newPage();
  const second = await browser.newPage();
  await login(first, ADMIN);
  await login(second, ADMIN);
  await first.goto('/people?q=isik');
  const personUrl = await first.locator('main table a[href^="/people/"]').first().getAttribute('href');
  await first.goto(`${personUrl}/edit`);
  await second.goto(`${personUrl}/edit`);
  await first.fill('input[name=job_title]', 'Satın alma müdürü');
  await first.click('main form button[type=submit]');
  await expect(first).toHaveURL(new RegExp(`${personUrl}(\\?.*)?$`));
  await second.fill('input[name=job_title]', 'Genel müdür');
  await second.click('main form button[type=submit]');
  await expect(second.locator('input[name=job_title]')).toHaveValue('Genel müdür');
  await expect(second.locator('main')).toContainText(/başka biri|someone else/i);
  await shot(second, 'stale-edit');
  await first.goto(personUrl);
  await expect(first.locator('main')).toContainText('Satın alma müdürü');
  await first.close();
  await second.close();
});

test('a sales rep cannot see a colleague\'s customer', async ({ page }) => {
  await login(page, ADMIN);
  for (const rep of [REP_A, REP_B]) {
    await page.goto('/admin/users');
    const form = page.locator('main form[action="/admin/users"]');
    await form.locator('input[name=email]').fill(rep.email);
    await form.locator('input[name=name]').fill(rep.name);
    await form.locator('select[name=role]').selectOption('sales_rep');
    await form.locator('input[name=new_team]').fill('Satış İstanbul');
    await form.locator('input[name=password]').fill(rep.password);
    // E-mail is on in these tests, so inviting is offered first; this test sets passwords.
    await form.locator('input[name=invite]').uncheck();
    await form.locator('button[type=submit]').click();
    await expect(page.locator('main')).toContainText(rep.email);
  }
  await shot(page, 'admin-users');
  await logout(page);

  await login(page, REP_A);
  await page.goto('/people/new');
  await page.fill('input[name=first_name]', 'Gülşen');
  await page.fill('input[name=last_name]', 'Öztürk');
  await page.click('main form button[type=submit]');
  await expect(page).toHaveURL(/\/people\/\d+(\?.*)?$/);
  const customerUrl = new URL(page.url()).pathname;
  await logout(page);

  await login(page, REP_B);
  await page.goto('/people?q=gulsen');
  await expect(page.locator('main')).not.toContainText('Gülşen');
  const response = await page.goto(customerUrl);
  expect(response.status()).toBe(404);
  await logout(page);
});

test('the language can be switched and dates follow it', async ({ page }) => {
  await login(page, ADMIN);
  await page.goto('/people');
  await expect(page.locator('html')).toHaveAttribute('lang', 'tr');
  await page.locator('form[action="/settings/language"] button[value="en"]').click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(page.locator('nav.nav')).toContainText('People');
  await shot(page, 'people-en');
  await page.goto('/admin/audit');
  await shot(page, 'audit');
  await page.locator('form[action="/settings/language"] button[value="tr"]').click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'tr');
  await expect(page.locator('nav.nav')).toContainText('Kişiler');
});
