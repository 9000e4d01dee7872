import { startHarness } from './e2e/webModeHarness.js';
const h = await startHarness({ includeLocal: false, includeDemo: true, locale: process.env.LOC ?? 'en-US' });
const { page } = h;
try {
  const vm = page.locator('[data-testid="tree-host"][data-host-id="demo"] [data-testid="tree-vm"][data-vm-name="web-frontend"]');
  await vm.waitFor({ timeout: 20000 });
  await vm.click();
  const details = page.locator('[data-testid="vm-details"][data-vm-name="web-frontend"]');
  await details.locator('[data-testid="vm-section-settings"]').click();
  await details.locator('[data-testid="vm-settings"]').waitFor();
  await details.locator('[data-testid="settings-title"]').fill('Front end');
  await details.locator('[data-testid="settings-vcpus-current"]').fill('3');
  await details.locator('[data-testid="settings-memory-max"]').fill('99999999');
  await page.screenshot({ path: `/tmp/shot-settings-${process.env.LOC ?? 'en'}.png`, fullPage: true });
  await details.locator('[data-testid="vm-section-xml"]').click();
  await details.locator('[data-testid="xml-editor-content"]').waitFor({ timeout: 20000 });
  await page.screenshot({ path: `/tmp/shot-xml-${process.env.LOC ?? 'en'}.png` });
  await details.locator('[data-testid="xml-editor-content"]').click();
  await page.keyboard.press('Control+End');
  await page.keyboard.insertText('<bogus/>');
  await details.locator('[data-testid="xml-save"]').click();
  await details.locator('[data-testid="xml-error"]').waitFor({ timeout: 10000 });
  await page.screenshot({ path: `/tmp/shot-xmlerr-${process.env.LOC ?? 'en'}.png` });
} finally { await h.close(); }
