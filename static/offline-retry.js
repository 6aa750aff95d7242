// The offline page's only script (the CSP allows no inline script): it takes the theme this device chose,
// and loads the page again as soon as the server can be reached, so the operator does not have to.
(() => {
	const theme = /(?:^|;\s*)hmi_theme=(light|dark)(?:;|$)/.exec(document.cookie);
	document.documentElement.dataset.theme = theme ? theme[1] : 'system';
	// Any answer from the server (even "degraded") means the network is back. The `online` event alone is not
	// proof: browsers also fire it when only the Wi-Fi link is up, which would reload in a loop.
	const probe = () => fetch('/healthz', { cache: 'no-store' }).then(() => location.reload(), () => {});
	addEventListener('online', probe);
	// Some tablets miss the online event after Wi-Fi roaming: look again every few seconds.
	setInterval(() => {
		if (navigator.onLine) probe();
	}, 5000);
})();
