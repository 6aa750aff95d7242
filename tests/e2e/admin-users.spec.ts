import { expect, test } from '@playwright/test';
import { expectFitsAndTouchable, login } from './helpers';

test('an admin creates a user who can log in; disabling them closes their live page and logs them out', async ({ page, browser }) => {
	const name = `e2e-${Date.now().toString(36)}`;
	const password = 'e2e password 1234';
	await login(page, 'admin');
	await page.getByRole('link', { name: 'Users' }).click();
	await expect(page).toHaveURL(/\/admin\/users$/);
	await page.getByTestId('new-username').fill(name);
	await page.getByTestId('new-role').selectOption('operator');
	await page.getByTestId('new-password').fill(password);
	await page.getByTestId('create-user-submit').click();
	const row = page.getByTestId(`user-${name}`);
	await expect(row).toBeVisible();
	await expect(row).toHaveAttribute('data-enabled', 'true');
	await expectFitsAndTouchable(page);

	const theirs = await browser.newContext();
	const them = await theirs.newPage();
	await login(them, name, password);
	await expect(them.getByTestId('connection')).toHaveAttribute('data-status', 'online');

	await row.getByTestId('toggle-enabled').click();
	await expect(row).toHaveAttribute('data-enabled', 'false');
	// Their socket is closed with 1008 (session ended): the page goes to the sign-in screen by itself.
	await expect(them).toHaveURL(/\/login/, { timeout: 15_000 });
	await them.goto('/operator');
	await expect(them).toHaveURL(/\/login/);
	await theirs.close();

	await page.getByRole('link', { name: 'Audit log' }).click();
	await expect(page.getByTestId('audit-row').first()).toHaveAttribute('data-action', 'user.disable');
	await expect(page.getByTestId('audit')).toContainText(name);
});

test('an operator gets 403 on the admin screens and sees no admin links', async ({ page }) => {
	await login(page, 'operator');
	await expect(page.getByRole('link', { name: 'Users' })).toHaveCount(0);
	for (const path of ['/admin/users', '/admin/audit']) {
		const response = await page.goto(path);
		expect(response?.status(), path).toBe(403);
	}
	expect((await page.request.get('/api/admin/users')).status()).toBe(403);
});
