// Deals as a sales rep meets them: a lead (a person) is converted into a deal, which is
// dragged to the next
// stage (a real save: the column counts follow), dropped on "Kaybedildi" and the reason
// dialog cancelled (the card goes back), dropped there again with a reason, then won with
// its final amount; the deal's page shows the stage moves by name on its timeline. Another
// rep's board does not show the deal.
const { test, expect } = require('@playwright/test');
const { REP_A, REP_B, login, logout, shot } = require('./common');

// Wide enough for the six stages side by side: dragging never waits on the board scrolling.
test.use({ viewport: { width: 1920, height: 1000 } });

/** Drags a card onto a column with the mouse, in small steps as a hand would. */
async function drag(page, card, column) {
  const from = await card.boundingBox();
  const to = await column.locator('.board-cards').boundingBox();
  await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
  await page.mouse.down();
  await page.mouse.move(from.x + from.width / 2 + 10, from.y + from.height / 2 + 10, { steps: 5 });
  await page.mouse.move(to.x + to.width / 2, to.y + 30, { steps: 20 });
  await page.mouse.up();
}

test('a rep converts a lead, drags its deal across the board, is asked why it was lost, and wins it', async ({ page }) => {
  await login(page, REP_A);
  await page.goto('/people?q=gulsen');
  await page.getByRole('link', { name: 'Gülşen Öztürk' }).first().click();
  await page.getByRole('link', { name: 'Fırsata dönüştür' }).click();
  await expect(page.locator('input[name=name]')).toHaveValue('Gülşen Öztürk');
  await page.locator('input[name=name]').fill('Fırın hattı yenileme');
  await page.locator('input[name=amount]').fill('125.000');
  await shot(page, 'deal-convert');
  await page.getByRole('button', { name: 'Fırsatı oluştur' }).click();
  await expect(page.locator('.notice-success')).toContainText('dönüştürüldü');
  await expect(page.locator('#card-deal-stage')).toContainText('Yeni fırsat');
  await expect(page.locator('h1')).toContainText('Fırın hattı yenileme');
  await page.getByRole('link', { name: 'Panoda göster' }).click();

  const column = (name) => page.locator('.board-column', { has: page.locator('.board-stage-name', { hasText: name }) });
  const card = () => page.locator('.board-card', { hasText: 'Fırın hattı yenileme' });
  await expect(column('Yeni fırsat').locator('.board-card')).toHaveCount(1);
  await expect(column('Yeni fırsat').locator('.board-total')).toContainText('₺125.000,00');

  await drag(page, card(), column('Nitelikli'));
  await expect(column('Nitelikli').locator('.board-card')).toHaveCount(1);
  await expect(column('Nitelikli').locator('.board-count')).toHaveText('1');
  await expect(column('Yeni fırsat').locator('.board-count')).toHaveText('0');

  // Dropped on "Kaybedildi", the reason is asked; cancelling puts the card back.
  await drag(page, card(), column('Kaybedildi'));
  const lost = page.locator('#lost-dialog');
  await expect(lost).toBeVisible();
  await shot(page, 'deal-board-lost-reason');
  await lost.getByRole('button', { name: 'Vazgeç' }).click();
  await expect(column('Nitelikli').locator('.board-card')).toHaveCount(1);
  await expect(column('Kaybedildi').locator('.board-card')).toHaveCount(0);

  await drag(page, card(), column('Kaybedildi'));
  await lost.locator('select[name=lost_reason_id]').selectOption({ label: 'Rakip tercih edildi' });
  await lost.locator('input[name=lost_note]').fill('Rakip teslimi iki hafta önce yapacak');
  await lost.getByRole('button', { name: 'Kaybedildi olarak işaretle' }).click();
  // The counts are the server's: they change once the save is done and the board redrawn.
  await expect(column('Kaybedildi').locator('.board-count')).toHaveText('1');
  await expect(column('Nitelikli').locator('.board-count')).toHaveText('0');

  await drag(page, card(), column('Kazanıldı'));
  const won = page.locator('#won-dialog');
  await expect(won).toBeVisible();
  await expect(won.locator('input[name=amount]')).toHaveValue('125.000,00');
  await won.locator('input[name=amount]').fill('120.000,00');
  await won.getByRole('button', { name: 'Kazanıldı olarak işaretle' }).click();
  await expect(column('Kazanıldı').locator('.board-count')).toHaveText('1');
  await expect(column('Kazanıldı').locator('.board-total')).toContainText('₺120.000,00');
  await shot(page, 'deal-board');

  await card().getByRole('link', { name: 'Fırın hattı yenileme' }).click();
  await expect(page.locator('#card-deal-stage')).toContainText('Kazanıldı');
  const timeline = page.locator('#timeline-feed');
  await expect(timeline).toContainText('Kaybedildi');
  await expect(timeline).toContainText('Kazanıldı');
  await shot(page, 'deal');

  // Converting the lead again opens the same deal.
  await page.goto('/people?q=gulsen');
  await page.getByRole('link', { name: 'Gülşen Öztürk' }).first().click();
  await expect(page.locator('main')).toContainText('Fırsat');
  await page.getByRole('link', { name: 'Fırsata dönüştür' }).click();
  await page.getByRole('button', { name: 'Fırsatı oluştur' }).click();
  await expect(page.locator('.notice-success')).toContainText('zaten dönüştürülmüştü');
  await expect(page.locator('h1')).toContainText('Fırın hattı yenileme');

  await logout(page);
  await login(page, REP_B);
  await page.goto('/deals/board');
  await expect(page.locator('.board-card', { hasText: 'Fırın hattı yenileme' })).toHaveCount(0);
});
