// The offline page's only script (the CSP allows no inline script): it takes the theme this device chose,
// and loads the page again as soon as the network is back, so the operator does not have to.
(() => {
	const theme = /(?:^|;\s*)hmi_theme=(light|dark)(?:;|$)/.exec(document.cookie);
	document.documentElement.dataset.theme = theme ? theme[1] : 'system';
	const reload = () => location.reload();
	addEventListener('online', reload);
	// Some tablets miss the online event after Wi-Fi roaming: look again every few seconds.
	setInterval(() => {
		if (navigator.onLine) fetch('/healthz', { cache: 'no-store' }).then((r) => r.ok && reload(), () => {});
	}, 5000);
})();
