// Lead scoring and qualification as an administrator and a sales rep meet them: a rule on a
// field is added (a rule worth 0 points is refused beside its field, keeping what was
// typed), the BANT gate is lowered to two of four, a rep's new lead shows its score with
// the rules that gave it, "qualified" with one BANT check is refused naming the missing
// ones, "unqualified" asks for a reason, and an English reader gets the English page.
const { test, expect } = require('@playwright/test');
const { ADMIN, REP_A, login, logout, shot } = require('./common');

test.describe.configure({ mode: 'serial' });

test('an administrator adds a scoring rule and sets the BANT gate', async ({ page }) => {
  await login(page, ADMIN);
  await page.getByRole('link', { name: 'Aday puanlama' }).click();
  await expect(page).toHaveURL(/\/admin\/scoring/);
  const people = page.locator('#rules-person');
  await expect(people).toContainText('Son 30 günde toplantı yapıldı');
  await expect(people).toContainText('+15');

  await people.locator('summary', { hasText: 'Kişiler için kural ekle' }).click();
  const form = people.locator('form.rule-form');
  await form.locator('input[name=name]').fill('İzmirli adaylar');
  await form.locator('select[name=field]').selectOption('city');
  await form.locator('input[name=value]').fill('İzmir');
  await expect(form.locator('select[name=activity]')).toBeHidden();
  await form.locator('input[name=points]').fill('0');
  await form.getByRole('button', { name: 'Kuralı ekle' }).click();
  const refused = page.locator('#rules-person form.rule-form');
  await expect(refused.locator('.field-error')).toContainText('sıfır olmayan');
  await expect(refused.locator('input[name=name]')).toHaveValue('İzmirli adaylar');
  await refused.locator('input[name=points]').fill('25');
  await refused.getByRole('button', { name: 'Kuralı ekle' }).click();
  await expect(page.locator('.notice')).toContainText('Kural kaydedildi');
  const row = page.locator('#rules-person tbody tr', { hasText: 'İzmirli adaylar' });
  await expect(row).toContainText('Şehir = İzmir');
  await expect(row).toContainText('+25');

  await page.locator('#f-bant_gate').selectOption('2');
  await page.locator('#gate').getByRole('button', { name: 'Kaydet' }).click();
  await expect(page.locator('#f-bant_gate')).toHaveValue('2');
  await expect(page.locator('#scoring-progress')).toContainText(/Tamamlandı|Hesaplanıyor|Sırada/);
  await shot(page, 'scoring-admin');
  await logout(page);
});

test('a rep sees a lead scored with its breakdown, and qualification follows the gate', async ({ page, browser }) => {
  await login(page, REP_A);
  await page.goto('/people/new');
  await page.fill('input[name=first_name]', 'Nazlı');
  await page.fill('input[name=last_name]', 'Ergüven');
  await page.fill('input[name=city]', 'İzmir');
  await page.click('main form.record-form button[type=submit]');
  await expect(page).toHaveURL(/\/people\/\d+(\?.*)?$/);
  const personUrl = page.url();

  const card = page.locator('#card-qualification');
  const score = card.locator('.lead-score');
  await expect(score).toHaveAttribute('data-lead-score', '5');
  await expect(score).toContainText('İzmirli adaylar');
  await expect(score).toContainText('+25');
  await expect(score).toContainText('90 gündür hiç etkileşim yok');
  await expect(score).toContainText('−20');
  await expect(page.locator('ul.facts')).toContainText('Puan 5');

  // "Qualified" with one BANT check: refused, naming what is missing.
  await card.getByRole('link', { name: 'Düzenle' }).click();
  await card.locator('select[name=lifecycle_stage]').selectOption('qualified');
  await card.locator('input[name=bant_budget]').check();
  await card.getByRole('button', { name: 'Kaydet' }).click();
  await expect(card.locator('.field-error').first()).toContainText('en az ikisi');
  await expect(card).toContainText('Henüz onaylanmadı');
  await shot(page, 'bant-gate-refused');
  await card.locator('input[name=bant_need]').check();
  await card.getByRole('button', { name: 'Kaydet' }).click();
  await expect(card.locator('form')).toHaveCount(0);
  await expect(card).toContainText('Nitelikli');

  // "Unqualified" asks why.
  await card.getByRole('link', { name: 'Düzenle' }).click();
  await card.locator('select[name=lead_status]').selectOption('unqualified');
  await card.getByRole('button', { name: 'Kaydet' }).click();
  await expect(card.locator('#f-unqualified_reason-error')).toContainText('neden');
  await card.locator('input[name=unqualified_reason]').fill('Bütçesi gelecek yıla kaldı');
  await card.getByRole('button', { name: 'Kaydet' }).click();
  await expect(card.locator('form')).toHaveCount(0);
  await expect(card).toContainText('Bütçesi gelecek yıla kaldı');
  await shot(page, 'lead-score');

  // The list shows the score beside the stage.
  await page.goto('/people?q=nazli');
  await expect(page.locator('tbody tr', { hasText: 'Nazlı Ergüven' })).toContainText('Puan 5');

  // English.
  const english = await browser.newContext({ locale: 'en-US' });
  const en = await english.newPage();
  await login(en, REP_A);
  await en.goto(personUrl);
  // A language chosen earlier in the suite wins over the browser's; choose English here.
  await en.locator('form[action="/settings/language"] button[value="en"]').click();
  await expect(en.locator('html')).toHaveAttribute('lang', 'en');
  await expect(en.locator('#card-qualification')).toContainText('Lead score');
  await expect(en.locator('#card-qualification')).toContainText('Why unqualified');
  await shot(en, 'lead-score-en');
  await en.locator('form[action="/settings/language"] button[value="tr"]').click();
  await expect(en.locator('html')).toHaveAttribute('lang', 'tr');
  await english.close();
});
