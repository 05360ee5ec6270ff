// Sign-in throttling as a person meets it in the browser: after five wrong passwords the
// next attempt is asked to wait a second (not locked for minutes), the right password then
// gets in, and an administrator finds every attempt in the audit log. Runs after the
// foundation test, whose accounts it uses.
const { test, expect } = require('@playwright/test');
const { ADMIN, REP_B, shot, submitLogin, login } = require('./common');

test.describe.configure({ mode: 'serial' });

test('wrong passwords slow an account down for seconds and never lock its owner out', async ({ page }) => {
  for (let i = 1; i <= 5; i++) {
    await submitLogin(page, REP_B.email, `yanlış-parola-${i}`);
    await expect(page.locator('main')).toContainText('E-posta adresi ya da parola yanlış.');
  }
  // The sixth attempt, even with the right password, is asked to wait — for a second.
  await submitLogin(page, REP_B.email, REP_B.password);
  await expect(page).toHaveURL(/\/login/);
  await expect(page.locator('main')).toContainText(/saniye sonra yeniden deneyin/);
  await expect(page.locator('input[name=email]')).toHaveValue(REP_B.email);
  await shot(page, 'sign-in-delayed');
  await page.waitForTimeout(1500);
  await login(page, REP_B);
  await expect(page.locator('nav.nav')).toContainText('Kişiler');
});

test('an administrator sees the sign-in attempts in the audit log', async ({ page }) => {
  await login(page, ADMIN);
  await page.goto('/admin/audit?record_type=user');
  const main = page.locator('main');
  await expect(main).toContainText('Oturum açma başarısız');
  await expect(main).toContainText('Oturum açıldı');
  await expect(main).toContainText('Sonraki deneme gecikmesi');
  await shot(page, 'audit-sign-in');
});
