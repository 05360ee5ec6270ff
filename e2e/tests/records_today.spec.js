// "Bugün" as a sales rep and an administrator meet it: a rep lands on their day, adds a task
// with a time, snoozes it a day and finds it on the next day, marks it done; a visit planned
// from a record's page appears among the day's planned activities and in the calendar; the tasks list completes
// several tasks at once (the timeline test's task stays open); a rep subscribes to their
// calendar feed and turns it off. Runs after the record and timeline tests, whose people it
// uses (its planned visit would otherwise be in their cards).
const { test, expect, request } = require('@playwright/test');
const { ADMIN, REP_A, login, shot } = require('./common');

test('a sales rep starts on "Bugün", adds, snoozes and completes a task', async ({ page }) => {
  await login(page, REP_A);
  await page.goto('/');
  await expect(page).toHaveURL(/\/today$/);
  await expect(page.locator('h1')).toHaveText('Bugün');
  await expect(page.locator('#today-tasks')).toContainText('Bu gün için görev yok');

  await page.fill('#task-title', 'Teklifi telefonla sor');
  await page.fill('#task-due_time', '10:30');
  await page.selectOption('#task-priority', 'high');
  await page.getByRole('button', { name: 'Görev ekle' }).click();
  await expect(page.getByRole('status').first()).toContainText('Görev eklendi.');
  const tasks = page.locator('#today-tasks');
  await expect(tasks.locator('.task')).toHaveCount(1);
  await expect(tasks).toContainText('Teklifi telefonla sor');
  await expect(tasks).toContainText('10:30');
  await expect(tasks.locator('.badge-danger')).toHaveText('Yüksek');
  await shot(page, 'today');

  // A task without a title is refused in place; the time typed stays.
  await page.fill('#task-due_time', '11:00');
  await page.getByRole('button', { name: 'Görev ekle' }).click();
  await expect(page.locator('#task-title-error')).toBeVisible();
  await expect(page.locator('#task-due_time')).toHaveValue('11:00');

  await page.goto('/today');
  await page.getByRole('button', { name: '“Teklifi telefonla sor” görevini bir gün ertele' }).click();
  await expect(page.getByRole('status').first()).toContainText('Görev ertelendi.');
  await expect(page.locator('#today-tasks .task')).toHaveCount(0);
  await page.getByRole('link', { name: /Sonraki gün/ }).click();
  const tomorrow = page.locator('#today-tasks');
  await expect(tomorrow).toContainText('Teklifi telefonla sor');
  await page.getByRole('button', { name: '“Teklifi telefonla sor” görevini tamamla' }).click();
  await expect(page.getByRole('status').first()).toContainText('Görev tamamlandı.');
  await expect(page.locator('#today-tasks .task-done')).toHaveCount(1);

  // On a phone the buttons wrap under the task.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto('/today');
  await shot(page, 'today-phone');
});

test('a visit planned on a record is on the day; the tasks list completes several at once', async ({ page }) => {
  await login(page, ADMIN);
  await page.goto('/people?q=sevgi');
  await page.getByRole('link', { name: 'Sevgi Öztürk' }).click();
  const card = page.locator('#card-activities');
  const today = await page.evaluate(() => new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Istanbul' }).format(new Date()));
  await card.locator('label.composer-tab', { hasText: 'Ziyaret' }).click();
  await card.locator('select[name=status]').selectOption('planned');
  await card.locator('input[name=starts_at]').fill(`${today}T15:00`);
  await card.locator('input[name=subject]').fill('Mağaza ziyareti');
  await card.getByRole('button', { name: 'Kaydet' }).click();
  await expect(card).toContainText('Mağaza ziyareti');

  await page.goto('/today');
  const planned = page.locator('#today-activities');
  await expect(planned).toContainText('15:00');
  await expect(planned).toContainText('Mağaza ziyareti');
  await expect(planned.getByRole('link', { name: 'Sevgi Öztürk' })).toBeVisible();

  // The same visit in the month and the week of the calendar, on its day.
  await page.getByRole('link', { name: 'Takvim' }).click();
  const day = page.locator(`.calendar-day[data-date="${today}"]`);
  await expect(day).toContainText('15:00 Mağaza ziyareti');
  await shot(page, 'calendar-month');
  await page.selectOption('#calendar-view', 'week');
  await page.getByRole('button', { name: 'Süz' }).click();
  await expect(page.locator('.calendar-day')).toHaveCount(7);
  await expect(page.locator(`.calendar-day[data-date="${today}"]`)).toContainText('Mağaza ziyareti');
  await page.goto('/today');

  for (const title of ['Sözleşmeyi gönder', 'Faturayı kontrol et']) {
    await page.fill('#task-title', title);
    await page.getByRole('button', { name: 'Görev ekle' }).click();
    await expect(page.locator('#today-tasks')).toContainText(title);
  }
  await page.getByRole('link', { name: 'Görevler' }).click();
  await expect(page).toHaveURL(/\/tasks$/);
  await page.getByRole('checkbox', { name: '“Sözleşmeyi gönder” görevini seç' }).check();
  await page.getByRole('checkbox', { name: '“Faturayı kontrol et” görevini seç' }).check();
  await shot(page, 'tasks-list');
  await page.getByRole('button', { name: 'Uygula' }).click();
  await expect(page.getByRole('status').first()).toContainText('Seçilen görevler değiştirildi.');
  const left = page.locator('#tasks-list');
  await expect(left).not.toContainText('Sözleşmeyi gönder');
  await expect(left).not.toContainText('Faturayı kontrol et');
  await expect(left).toContainText('Kataloğu kargola');
});

test('a sales rep subscribes to their calendar feed from Settings', async ({ page }) => {
  await login(page, REP_A);
  await page.goto('/today');
  await page.fill('#task-title', 'Fuar standını kur');
  await page.getByRole('button', { name: 'Görev ekle' }).click();
  await expect(page.locator('#today-tasks')).toContainText('Fuar standını kur');

  await page.goto('/settings');
  const card = page.locator('#calendar-feed');
  await expect(card).toContainText('Henüz bir takvim akışınız yok');
  await card.getByRole('button', { name: 'Akış adresi oluştur' }).click();
  const address = await page.locator('#new-feed').inputValue();
  expect(address).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/v1\/calendar\/rcf_[0-9a-f]{64}\.ics$/);
  await page.locator('#calendar-feed').scrollIntoViewIfNeeded();
  await shot(page, 'calendar-feed');

  // A calendar app reads it without signing in.
  const anonymous = await request.newContext();
  const feed = await anonymous.get(address);
  expect(feed.status()).toBe(200);
  expect(feed.headers()['content-type']).toContain('text/calendar');
  const text = await feed.text();
  expect(text).toContain('BEGIN:VCALENDAR');
  expect(text).toContain('SUMMARY:☐ Fuar standını kur');

  // Turning it off revokes the address.
  page.once('dialog', (dialog) => dialog.accept());
  await page.goto('/settings');
  await page.locator('#calendar-feed').getByRole('button', { name: 'Akışı kapat' }).click();
  await expect(page.getByRole('status').first()).toContainText('Takvim akışı kapatıldı.');
  expect((await anonymous.get(address)).status()).toBe(404);
  await anonymous.dispose();
});
