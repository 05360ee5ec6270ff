// Attachments as a sales rep meets them: a file dropped on the record's drop zone uploads
// at once and is listed with its Turkish name; a picture chosen with the file picker gets a
// thumbnail; a download keeps the name. Uses the customer the foundation test gave the
// first rep.
const { test, expect } = require('@playwright/test');
const { REP_A, login, shot } = require('./common');

// A 1×1 PNG.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');

test('a file dropped on a record is uploaded and listed, a picture gets a thumbnail', async ({ page }) => {
  await login(page, REP_A);
  await page.goto('/people?q=gulsen');
  await page.getByRole('link', { name: 'Gülşen Öztürk' }).click();
  await expect(page).toHaveURL(/\/people\/\d+(\?.*)?$/);
  const card = page.locator('#card-attachments');
  await expect(card).toContainText('Henüz dosya yok.');

  const dataTransfer = await page.evaluateHandle(() => {
    const transfer = new DataTransfer();
    transfer.items.add(new File(['%PDF-1.7\nŞubat teklifi\n%%EOF\n'], 'Şubat teklifi.pdf', { type: 'application/pdf' }));
    return transfer;
  });
  await card.locator('form[data-dropzone]').dispatchEvent('dragenter', { dataTransfer });
  await card.locator('form[data-dropzone]').dispatchEvent('drop', { dataTransfer });
  await expect(card.locator('.attachment')).toHaveCount(1);
  await expect(card.locator('.attachment').first()).toContainText('Şubat teklifi.pdf');
  await expect(card.locator('.attachment').first()).toContainText('Önizle');

  await card.locator('#attachment-file').setInputFiles({ name: 'logo.png', mimeType: 'image/png', buffer: PNG });
  await expect(card.locator('.attachment')).toHaveCount(2);
  await expect(card.locator('img.attachment-thumb')).toHaveCount(1);
  await card.scrollIntoViewIfNeeded();
  await shot(page, 'attachments-card');

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    card.getByRole('link', { name: 'Şubat teklifi.pdf' }).click(),
  ]);
  expect(download.suggestedFilename()).toBe('Şubat teklifi.pdf');
});
