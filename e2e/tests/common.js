// What every browser test shares: the accounts the foundation test creates, signing in and
// out, and screenshots (under e2e/screenshots/, ignored by git; `scripts/screenshots` points
// REHBER_SCREENSHOTS_DIR at docs/screenshots/ to refresh the documentation's pictures).
const { expect } = require('@playwright/test');
const fs = require('fs');
const path = require('path');

const shots = process.env.REHBER_SCREENSHOTS_DIR || path.join(__dirname, '..', 'screenshots');
fs.mkdirSync(shots, { recursive: true });

const ADMIN = { email: 'yonetici@ornek.com.tr', name: 'Derya Yönetici', password: 'Çok-Gizli-Parola-42' };
const REP_A = { email: 'ayse.satis@ornek.com.tr', name: 'Ayşe Satış', password: 'Temsilci-Parola-1' };
const REP_B = { email: 'bora.satis@ornek.com.tr', name: 'Bora Satış', password: 'Temsilci-Parola-2' };

async function shot(page, name) {
  await page.screenshot({ path: path.join(shots, `${name}.png`), fullPage: false });
}

async function submitLogin(page, email, password) {
  await page.goto('/login');
  await page.fill('input[name=email]', email);
  await page.fill('input[name=password]', password);
  await page.click('form[action="/login"] button[type=submit]');
}

async function login(page, who) {
  await submitLogin(page, who.email, who.password);
  await expect(page).not.toHaveURL(/\/login/);
}

async function logout(page) {
  await page.click('form[action="/logout"] button[type=submit]');
  await expect(page).toHaveURL(/\/login/);
}

module.exports = { ADMIN, REP_A, REP_B, shot, submitLogin, login, logout };
