// Comments with @mentions and live updates as a sales rep and a colleague meet them: the
// composer's comment tab offers only users who can see the record, the chosen name goes
// into the text and the comment shows at the top of the timeline with the name marked. The
// colleague, who has the same record open in another browser, sees the comment and then a
// logged call appear without reloading, and their bell count rise; the notifications page
// lists the mention, and opening it marks it read. Uses the customer the foundation test
// gave the first rep.
const { test, expect } = require('@playwright/test');
const { ADMIN, REP_A, login, shot } = require('./common');

async function unread(page) {
  const text = (await page.locator('#bell').textContent()) || '';
  return Number(text.replace(/\D/g, '') || '0');
}

test('a mention reaches only someone who can see the record and rings their bell', async ({ browser }) => {
  const adminContext = await browser.newContext();
  const admin = await adminContext.newPage();
  await login(admin, ADMIN);
  await admin.goto('/people?q=gulsen');
  await admin.getByRole('link', { name: 'Gülşen Öztürk' }).click();
  await expect(admin).toHaveURL(/\/people\/\d+(\?.*)?$/);
  await admin.waitForLoadState('networkidle');
  const before = await unread(admin);
  const watched = admin.locator('#card-activities');

  const repContext = await browser.newContext();
  const rep = await repContext.newPage();
  await login(rep, REP_A);
  await rep.goto('/people?q=gulsen');
  await rep.getByRole('link', { name: 'Gülşen Öztürk' }).click();
  await expect(rep).toHaveURL(/\/people\/\d+(\?.*)?$/);
  const card = rep.locator('#card-activities');
  await card.locator('label.composer-tab', { hasText: 'Yorum' }).click();
  await expect(card.locator('#activity-subject')).toBeHidden();
  await expect(card.locator('#activity-mention-hint')).toBeVisible();

  // The other rep cannot see this customer, so the autocomplete does not offer them.
  const body = card.locator('textarea[name=body]');
  await body.click();
  await body.pressSequentially('@Bor');
  await expect(card.locator('.mention-options')).toContainText('Bu adla kaydı görebilen bir kullanıcı yok.');
  await body.fill('');
  await body.pressSequentially('Fiyatı onaylar mısınız @Der');
  const choice = card.locator('.mention-options button', { hasText: 'Derya Yönetici' });
  await expect(choice).toBeVisible();
  await shot(rep, 'comment-mention');
  await body.press('Enter');
  await expect(body).toHaveValue('Fiyatı onaylar mısınız @Derya Yönetici ');
  await expect(card.locator('.mention-chips')).toContainText('@Derya Yönetici');
  await card.getByRole('button', { name: 'Kaydet' }).click();

  const comment = card.locator('.timeline-comment').first();
  await expect(comment).toContainText('Fiyatı onaylar mısınız');
  await expect(comment.locator('.mention')).toHaveText('@Derya Yönetici');
  await expect(body).toHaveValue('');
  await comment.scrollIntoViewIfNeeded();
  await shot(rep, 'comment-on-timeline');

  // The colleague's open page shows the comment and counts it on the bell, unreloaded.
  await expect(admin.locator('#bell .bell-count')).toHaveText(String(before + 1), { timeout: 5000 });
  await expect(watched.locator('.timeline-comment').first()).toContainText('Fiyatı onaylar mısınız', { timeout: 5000 });

  // A call logged in the rep's tab appears in the colleague's too.
  await card.locator('label.composer-tab', { hasText: 'Arama' }).click();
  await card.locator('input[name=starts_at]').fill('2026-12-04T11:15');
  await card.locator('input[name=subject]').fill('İskonto konuşuldu');
  await card.getByRole('button', { name: 'Kaydet' }).click();
  await expect(card.locator('.timeline-activity').first()).toContainText('İskonto konuşuldu');
  await expect(watched.locator('.timeline-activity').first()).toContainText('İskonto konuşuldu', { timeout: 5000 });
  await watched.scrollIntoViewIfNeeded();
  await shot(admin, 'timeline-live');

  // The notifications page lists the mention; opening it leads to the record.
  await admin.goto('/notifications');
  const note = admin.locator('.notification-unread').first();
  await expect(note).toContainText('Ayşe Satış sizi Gülşen Öztürk kaydında andı');
  await expect(note).toContainText('Fiyatı onaylar mısınız @Derya Yönetici');
  await shot(admin, 'notifications');
  await note.getByRole('link').click();
  await expect(admin).toHaveURL(/\/people\/\d+(\?.*)?$/);
  await expect(admin.locator('#card-activities .timeline-comment').first()).toContainText('Fiyatı onaylar mısınız');
  await admin.waitForLoadState('networkidle');
  expect(await unread(admin)).toBe(before);

  await adminContext.close();
  await repContext.close();
});

test('a record open in two browsers shows a colleague\'s save without a reload, and keeps what is being typed', async ({ browser }) => {
  const adminContext = await browser.newContext();
  const admin = await adminContext.newPage();
  await login(admin, ADMIN);
  await admin.goto('/people?q=gulsen');
  await admin.getByRole('link', { name: 'Gülşen Öztürk' }).click();
  await expect(admin).toHaveURL(/\/people\/\d+(\?.*)?$/);
  await admin.waitForLoadState('networkidle');
  const profile = admin.locator('#card-profile');
  await profile.getByRole('link', { name: 'Düzenle' }).click();
  await expect(profile.locator('form')).toHaveCount(1);
  const firstInput = profile.locator('input[type=text]').first();
  await firstInput.fill('Yazılmakta olan');

  const repContext = await browser.newContext();
  const rep = await repContext.newPage();
  await login(rep, REP_A);
  await rep.goto(admin.url());
  const address = rep.locator('#card-address');
  await address.getByRole('link', { name: 'Düzenle' }).click();
  await address.locator('input[name=street]').fill('İstiklal Caddesi 5');
  await address.getByRole('button', { name: 'Kaydet' }).click();
  await expect(address.locator('form')).toHaveCount(0);
  await expect(address).toContainText('İstiklal Caddesi 5');

  // The colleague's card follows; the card being edited keeps its typing and says why.
  await expect(admin.locator('#card-address')).toContainText('İstiklal Caddesi 5', { timeout: 5000 });
  await expect(admin.locator('#live-notice')).toBeVisible();
  await expect(profile.locator('form')).toHaveCount(1);
  await expect(firstInput).toHaveValue('Yazılmakta olan');
  await admin.evaluate(() => window.scrollTo(0, 0));
  await shot(admin, 'record-live');

  await adminContext.close();
  await repContext.close();
});
