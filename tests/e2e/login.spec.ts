import { expect, test } from '@playwright/test';
import { login, switchLanguage } from './helpers';

test('a wrong password shows the translated error, in English and in Dutch', async ({ page }) => {
	await page.goto('/login');
	await page.locator('input[name="username"]').fill('operator');
	await page.locator('input[name="password"]').fill('not-the-password');
	await page.locator('form button[type="submit"]').click();
	const error = page.getByTestId('login-error');
	await expect(error).toHaveText('Wrong user name or password.');
	await expect(page).toHaveURL(/\/login$/);
	// The name is kept, the password is not.
	await expect(page.locator('input[name="username"]')).toHaveValue('operator');
	await expect(page.locator('input[name="password"]')).toHaveValue('');

	await switchLanguage(page, 'nl');
	await expect(error).toHaveText('Onjuiste gebruikersnaam of wachtwoord.');
	await expect(page.locator('form button[type="submit"]')).toHaveText('Inloggen');
});

test('the demo users are offered on the login page', async ({ page }) => {
	await page.goto('/login');
	await expect(page.getByTestId('demo-users')).toContainText('operator');
});

test('/operator without a session goes to the login page', async ({ page }) => {
	await page.goto('/operator');
	await expect(page).toHaveURL(/\/login$/);
});

test('the root goes to the operator screen after login', async ({ page }) => {
	await login(page);
	await page.goto('/');
	await expect(page).toHaveURL(/\/operator$/);
});

// Each role lands where its work begins: a manager on the KPIs, maintenance on the alarm list.
for (const [role, screen] of [['manager', '/kpi'], ['maintenance', '/alarms']] as const) {
	test(`${role} lands on ${screen} after signing in, and the root leads there too`, async ({ page }) => {
		await page.goto('/login');
		await page.locator('input[name="username"]').fill(role);
		await page.locator('input[name="password"]').fill(role);
		await page.locator('form button[type="submit"]').click();
		await expect(page).toHaveURL(new RegExp(`${screen}$`));
		await page.goto('/');
		await expect(page).toHaveURL(new RegExp(`${screen}$`));
		await page.goto('/login');
		await expect(page).toHaveURL(new RegExp(`${screen}$`));
	});
}
